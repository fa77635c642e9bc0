/**
 * Host side of the timeline webview: one panel, fed from a trace file today and from a live
 * session's deltas later. The page is rebuilt whenever it becomes visible again (no
 * retainContextWhenHidden): it sends `ready`, and the host answers with the whole model.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { TimelineModel } from '../shared/timelineModel';
import {
  HostToWebview,
  TIMELINE_PROTOCOL_VERSION,
  TimelineSource,
  TimelineViewState,
  WebviewToHost,
  isWebviewToHost,
} from '../shared/timelineProtocol';
import { TimelineDelta, NativeTrace } from '../shared/timelineTrace';
import { EXTENSION_ID, Panels } from './contributionIds';
import { readNativeTrace, resolveSite, writeChromeTrace } from './timelineFiles';
import { timelineHtml } from './timelineHtml';
import { TimelineSelection } from './timelineSelection';

/** Command ids contributed in package.json beside `asyncioDebugger.showTimeline`. */
export const enum TimelineCommands {
  OpenTrace = 'asyncioDebugger.openTraceFile',
  ExportChrome = 'asyncioDebugger.exportChromeTrace',
}

const TITLE = 'Asyncio Timeline';
const NO_DATA = 'No asyncio session is streaming tasks yet. Open a recorded trace file to see every task over time.';

export class TimelinePanel implements vscode.Disposable {
  /** Fires when the user picks a task (or one of its steps) in the timeline. */
  readonly selection = new TimelineSelection();
  private readonly becameVisible = new vscode.EventEmitter<void>();
  /** Fires when the panel is shown again (a live feed catches up then, not while it is hidden). */
  readonly onDidBecomeVisible = this.becameVisible.event;
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pendingReveal: number | undefined;
  private model: TimelineModel | undefined;
  private source: TimelineSource | undefined;
  private readonly extensionUri: vscode.Uri;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(extensionUri?: vscode.Uri) {
    this.extensionUri = extensionUri ?? vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    this.subscriptions.push(
      this.selection,
      this.becameVisible,
      vscode.commands.registerCommand(TimelineCommands.OpenTrace, (uri?: vscode.Uri) => this.openTraceFile(uri)),
      vscode.commands.registerCommand(TimelineCommands.ExportChrome, (uri?: vscode.Uri) => this.exportChromeTrace(uri)),
      vscode.window.registerWebviewPanelSerializer(Panels.Timeline, {
        deserializeWebviewPanel: (panel, state: unknown) => this.restore(panel, state as TimelineViewState | undefined),
      }),
    );
  }

  get isVisible(): boolean {
    return this.panel?.visible === true;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    this.adopt(
      vscode.window.createWebviewPanel(Panels.Timeline, TITLE, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: this.resourceRoots(),
      }),
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
    if (this.panel?.visible) this.post({ type: 'append', delta });
  }

  /** Selects a task in the timeline (e.g. from the task tree). */
  reveal(taskId: number): void {
    this.show();
    // A page that is still loading gets it right after the model (see sendAll).
    if (this.ready) this.post({ type: 'reveal', taskId });
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
    for (const d of this.subscriptions) d.dispose();
  }

  private setModel(model: TimelineModel, source: TimelineSource): void {
    this.model = model;
    this.source = source;
    if (this.panel) {
      this.panel.title = `${TITLE}: ${source.label}`;
      this.sendAll();
    }
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
    panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    if (this.source) panel.title = `${TITLE}: ${this.source.label}`;
    const webview = panel.webview;
    const disposables = [
      webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) void this.onMessage(m);
      }),
      panel.onDidChangeViewState(() => {
        // Hidden means the page is gone; it says `ready` again once visible.
        if (!panel.visible) this.ready = false;
        else this.becameVisible.fire();
      }),
    ];
    panel.onDidDispose(() => {
      for (const d of disposables) d.dispose();
      if (this.panel === panel) this.panel = undefined;
      this.ready = false;
    });
    webview.html = timelineHtml({
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'timeline.js'))
        .toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'timeline.css')).toString(),
      nonce: crypto.randomBytes(16).toString('base64'),
    });
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (m.version !== TIMELINE_PROTOCOL_VERSION) {
          void vscode.window.showErrorMessage('The timeline page is out of date: reload the window.');
          return;
        }
        this.ready = true;
        this.sendAll();
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
    // A step has no source position of its own yet: both open where the task was created.
    if (!task.site) return;
    const traceFile = this.source.kind === 'file' ? vscode.Uri.file(this.source.path) : undefined;
    const uri = await resolveSite(task.site, traceFile);
    if (!uri) {
      void vscode.window.showWarningMessage(`Cannot find ${task.site.file} to show where ${task.name} was created.`);
      return;
    }
    const line = Math.max(0, task.site.line - 1);
    await vscode.window.showTextDocument(uri, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: false,
      selection: new vscode.Range(line, 0, line, 0),
    });
  }

  private sendAll(): void {
    if (!this.model || !this.source) {
      this.post({ type: 'empty', message: NO_DATA });
      return;
    }
    this.post({ type: 'load', source: this.source, trace: this.model.toNative() });
    if (this.pendingReveal !== undefined) {
      this.post({ type: 'reveal', taskId: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  private post(message: HostToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private resourceRoots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }
}
