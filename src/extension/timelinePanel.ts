/**
 * Host side of the timeline: one model, fed from a trace file or a live session's deltas, shown in
 * the editor panel ("Asyncio: Show Timeline") and in the "Asyncio Timeline" view of the panel area.
 * Each page is rebuilt whenever it becomes visible again (no retainContextWhenHidden): it sends
 * `ready`, and the host answers with the whole model.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { TimelineModel } from '../shared/timelineModel';
import {
  HostToWebview,
  LiveState,
  TIMELINE_PROTOCOL_VERSION,
  TimelineSource,
  TimelineViewState,
  WebviewToHost,
} from '../shared/timelineProtocol';
import { TimelineDelta, NativeTrace } from '../shared/timelineTrace';
import { EXTENSION_ID, Panels } from './contributionIds';
import { readNativeTrace, resolveSite, writeChromeTrace } from './timelineFiles';
import { PageHost, TimelinePage, pageOptions } from './timelinePage';
import { TimelineSelection } from './timelineSelection';

/** Command ids contributed in package.json beside `asyncioDebugger.showTimeline`. */
export const enum TimelineCommands {
  OpenTrace = 'asyncioDebugger.openTraceFile',
  ExportChrome = 'asyncioDebugger.exportChromeTrace',
  ShowInPanelArea = 'asyncioDebugger.showTimelineView',
}

/** The webview view in the panel area (its container is "Asyncio Timeline"). */
export const TIMELINE_VIEW = 'asyncioDebugger.timelineView';

const TITLE = 'Asyncio Timeline';
const NO_DATA = 'No asyncio session is streaming tasks yet. Open a recorded trace file to see every task over time.';

export class TimelinePanel implements vscode.Disposable, PageHost {
  /** Fires when the user picks a task (or one of its steps) in the timeline. */
  readonly selection = new TimelineSelection();
  private readonly becameVisible = new vscode.EventEmitter<void>();
  /** Fires when a timeline page is shown (again): a live feed catches up then, not while hidden. */
  readonly onDidBecomeVisible = this.becameVisible.event;
  private panel: vscode.WebviewPanel | undefined;
  /** The editor panel's page and the panel-area view's page, when they exist. */
  private panelPage: TimelinePage | undefined;
  private viewPage: TimelinePage | undefined;
  private pendingReveal: number | undefined;
  private model: TimelineModel | undefined;
  private source: TimelineSource | undefined;
  private live: LiveState | undefined;
  readonly extensionUri: vscode.Uri;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(extensionUri?: vscode.Uri) {
    this.extensionUri = extensionUri ?? vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    this.subscriptions.push(
      this.selection,
      this.becameVisible,
      vscode.commands.registerCommand(TimelineCommands.OpenTrace, (uri?: vscode.Uri) => this.openTraceFile(uri)),
      vscode.commands.registerCommand(TimelineCommands.ExportChrome, (uri?: vscode.Uri) => this.exportChromeTrace(uri)),
      vscode.commands.registerCommand(TimelineCommands.ShowInPanelArea, () =>
        vscode.commands.executeCommand(`${TIMELINE_VIEW}.focus`),
      ),
      vscode.window.registerWebviewPanelSerializer(Panels.Timeline, {
        deserializeWebviewPanel: (panel, state: unknown) => this.restore(panel, state as TimelineViewState | undefined),
      }),
      vscode.window.registerWebviewViewProvider(TIMELINE_VIEW, {
        resolveWebviewView: (view) => this.adoptView(view),
      }),
    );
  }

  /** True while the editor panel or the panel-area view shows the timeline. */
  get isVisible(): boolean {
    return this.pages().some((p) => p.visible);
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    this.adopt(
      vscode.window.createWebviewPanel(
        Panels.Timeline,
        TITLE,
        vscode.ViewColumn.Active,
        pageOptions(this.extensionUri),
      ),
    );
  }

  /** Shows a trace file; without `uri` asks for one. */
  async openTraceFile(uri?: vscode.Uri): Promise<void> {
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Open Trace',
        title: 'Open Asyncio Trace File',
        filters: { 'Asyncio traces': ['json'], 'All files': ['*'] },
      });
      if (!picked?.length) return;
      uri = picked[0];
    }
    try {
      const trace = await readNativeTrace(uri);
      this.setModel(TimelineModel.fromNative(trace), {
        kind: 'file',
        path: uri.fsPath,
        label: path.basename(uri.fsPath),
      });
      this.show();
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not open the trace: ${(e as Error).message}`);
    }
  }

  /** Shows a live session's tasks (fed by `append`). */
  showSession(sessionId: string, label: string, trace: NativeTrace): void {
    this.setModel(TimelineModel.fromNative(trace), { kind: 'session', sessionId, label });
  }

  append(sessionId: string, delta: TimelineDelta): void {
    if (!this.model || this.source?.kind !== 'session' || this.source.sessionId !== sessionId) return;
    this.model.append(delta);
    // A hidden page has no context; it gets the whole model when it is shown again.
    this.post({ type: 'append', delta });
  }

  /** The live session ran on, paused or ended: pages follow the tail or show the "now" cursor. */
  setLive(sessionId: string, state: LiveState): void {
    if (this.source?.kind !== 'session' || this.source.sessionId !== sessionId || this.live === state) return;
    this.live = state;
    this.post({ type: 'live', state });
  }

  /** Selects a task in the timeline (e.g. from the task tree). */
  reveal(taskId: number): void {
    this.show();
    // A page that is still loading gets it right after the model (see sendAll).
    if (this.panelPage?.ready) this.panelPage.post({ type: 'reveal', taskId });
    else this.pendingReveal = taskId;
  }

  async exportChromeTrace(uri?: vscode.Uri): Promise<void> {
    const model = this.model;
    if (!model) {
      void vscode.window.showInformationMessage('Nothing to export: open a trace file in the timeline first.');
      return;
    }
    if (!uri) {
      const base = this.source?.kind === 'file' ? this.source.path.replace(/\.json$/i, '') : 'asyncio-trace';
      uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(`${base}.chrome.json`),
        filters: { 'Chrome Trace Event JSON': ['json'] },
        saveLabel: 'Export',
        title: 'Export Chrome Trace (Perfetto, chrome://tracing)',
      });
      if (!uri) return;
    }
    try {
      const events = await writeChromeTrace(model, uri);
      void vscode.window.showInformationMessage(`Exported ${events} trace events to ${path.basename(uri.fsPath)}.`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not export the trace: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.viewPage?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }

  private setModel(model: TimelineModel, source: TimelineSource): void {
    this.model = model;
    this.source = source;
    this.live = source.kind === 'session' ? 'running' : undefined;
    if (this.panel) this.panel.title = `${TITLE}: ${source.label}`;
    for (const page of this.pages()) this.sendAll(page);
  }

  private async restore(panel: vscode.WebviewPanel, state: TimelineViewState | undefined): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    const source = state?.source;
    if (!this.model && source?.kind === 'file') {
      try {
        this.model = TimelineModel.fromNative(await readNativeTrace(vscode.Uri.file(source.path)));
        this.source = source;
      } catch {
        // The file moved or changed: the page shows the empty state and offers to open another.
      }
    }
    panel.webview.options = pageOptions(this.extensionUri);
    this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    if (this.source) panel.title = `${TITLE}: ${this.source.label}`;
    const page = new TimelinePage(panel.webview, () => panel.visible, panel.onDidChangeViewState, this);
    this.panelPage = page;
    panel.onDidDispose(() => {
      page.dispose();
      if (this.panel === panel) this.panel = undefined;
      if (this.panelPage === page) this.panelPage = undefined;
    });
  }

  private adoptView(view: vscode.WebviewView): void {
    this.viewPage?.dispose();
    const page = new TimelinePage(view.webview, () => view.visible, view.onDidChangeVisibility, this);
    this.viewPage = page;
    view.onDidDispose(() => {
      page.dispose();
      if (this.viewPage === page) this.viewPage = undefined;
    });
    // Shown for the first time: a live feed may start (or catch up) now.
    this.becameVisible.fire();
  }

  onDidShow(): void {
    this.becameVisible.fire();
  }

  onMessage(page: TimelinePage, m: WebviewToHost): void {
    void this.handle(page, m);
  }

  private async handle(page: TimelinePage, m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (m.version !== TIMELINE_PROTOCOL_VERSION) {
          void vscode.window.showErrorMessage('The timeline page is out of date: reload the window.');
          return;
        }
        page.ready = true;
        this.sendAll(page);
        break;
      case 'select':
        await this.onSelect(m.taskId, m.span);
        break;
      case 'openTrace':
        await this.openTraceFile();
        break;
      case 'exportChrome':
        await this.exportChromeTrace();
        break;
    }
  }

  private async onSelect(taskId: number, span: number): Promise<void> {
    const task = this.model?.tasks.get(taskId);
    if (!task || !this.source) return;
    this.selection.fire({ source: this.source, task, span });
    // A step opens the await it suspended on; a lane (or a step with no line: the one that
    // finished the task, or an older trace) opens where the task was created.
    const step = span >= 0 ? this.model?.stepSite(taskId, span) : null;
    const site = step ? { file: step.file, line: step.line, function: task.coroutine ?? '' } : task.site;
    if (!site) return;
    const traceFile = this.source.kind === 'file' ? vscode.Uri.file(this.source.path) : undefined;
    const uri = await resolveSite(site, traceFile);
    if (!uri) {
      const what = step ? `where ${task.name} suspended` : `where ${task.name} was created`;
      void vscode.window.showWarningMessage(`Cannot find ${site.file} to show ${what}.`);
      return;
    }
    const line = Math.max(0, site.line - 1);
    await vscode.window.showTextDocument(uri, {
      viewColumn: this.sourceColumn(),
      preserveFocus: false,
      selection: new vscode.Range(line, 0, line, 0),
    });
  }

  /**
   * Where a clicked site opens: an editor group beside the timeline panel, made once and then
   * reused, rather than "beside the active group", which adds a group whenever the focus is still
   * in the editor the last click opened.
   */
  private sourceColumn(): vscode.ViewColumn {
    const own = this.panel?.viewColumn;
    if (own === undefined) return vscode.ViewColumn.Beside;
    const others = vscode.window.tabGroups.all.map((group) => group.viewColumn).filter((column) => column !== own);
    return others.find((column) => column > own) ?? others[0] ?? vscode.ViewColumn.Beside;
  }

  private sendAll(page: TimelinePage): void {
    if (!this.model || !this.source) {
      page.post({ type: 'empty', message: NO_DATA });
      return;
    }
    page.post({ type: 'load', source: this.source, trace: this.model.toNative() });
    if (this.live) page.post({ type: 'live', state: this.live });
    if (page === this.panelPage && this.pendingReveal !== undefined) {
      page.post({ type: 'reveal', taskId: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  private post(message: HostToWebview): void {
    for (const page of this.pages()) if (page.visible) page.post(message);
  }

  private pages(): TimelinePage[] {
    return [this.panelPage, this.viewPage].filter((p): p is TimelinePage => p !== undefined);
  }
}
