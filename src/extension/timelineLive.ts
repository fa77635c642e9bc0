/**
 * Feeds the timeline from a live `asyncio` debug session: on "Show Timeline" it loads everything
 * the adapter's task model holds, then follows `asyncio/tasksChanged` with tail requests
 * (`afterSpan`), at most twice a second and only while the panel is visible. A new session takes
 * the panel over; after the session ends the last picture stays.
 */
import * as vscode from 'vscode';
import { CustomEvents, CustomRequests, TimelineArguments, TimelineResponseBody } from '../shared/dapCustom';
import { deltaFromTimeline, traceFromTimeline } from '../shared/timelineLive';
import { TimelinePanel } from './timelinePanel';

const DEBUG_TYPE = 'asyncio';
const REFRESH_MS = 500;

export class LiveTimeline implements vscode.Disposable {
  private session: vscode.DebugSession | undefined;
  private lastSession: vscode.DebugSession | undefined;
  private spanCount = 0;
  private now = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly panel: TimelinePanel) {
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE) return;
        this.lastSession = s;
        // A timeline already following a session moves on to the new one.
        if (this.session) void this.follow(s);
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session === this.session && e.event === CustomEvents.TasksChanged) this.schedule();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s === this.session) this.stopTimer();
      }),
      panel.onDidBecomeVisible(() => {
        if (this.session) this.schedule();
      }),
    );
  }

  /** "Show Timeline": the active (or last) asyncio session if there is one, else the panel as it is. */
  async show(): Promise<void> {
    const active = vscode.debug.activeDebugSession;
    const session = active?.type === DEBUG_TYPE ? active : this.lastSession;
    if (session && session !== this.session) await this.follow(session);
    this.panel.show();
  }

  private async follow(session: vscode.DebugSession): Promise<void> {
    this.stopTimer();
    this.session = session;
    const body = await this.ask(session, {});
    if (!body || this.session !== session) return;
    this.spanCount = body.spanCount ?? body.spans.task.length;
    this.now = body.now;
    this.panel.showSession(session.id, session.name, traceFromTimeline(body, session.name));
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_MS);
  }

  private async refresh(): Promise<void> {
    const session = this.session;
    if (!session || this.busy || !this.panel.isVisible) return;
    this.busy = true;
    try {
      const body = await this.ask(session, { from: this.now, afterSpan: this.spanCount });
      if (!body || session !== this.session) return;
      this.spanCount = body.spanCount ?? this.spanCount + body.spans.task.length;
      this.now = body.now;
      this.panel.append(session.id, deltaFromTimeline(body));
    } finally {
      this.busy = false;
    }
  }

  private async ask(session: vscode.DebugSession, args: TimelineArguments): Promise<TimelineResponseBody | undefined> {
    try {
      return (await session.customRequest(CustomRequests.Timeline, args)) as TimelineResponseBody;
    } catch {
      // The session ended or its adapter does not track tasks: keep what is shown.
      return undefined;
    }
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    for (const s of this.subscriptions) s.dispose();
  }
}
