/**
 * Feeds the timeline from a live `asyncio` debug session: on "Show Timeline" it loads everything
 * the adapter's task model holds, then follows `asyncio/tasksChanged` with tail requests
 * (`afterSpan`), at most twice a second and only while a timeline page is visible. When the
 * program pauses it asks once more at once, so the picture (and its "now" cursor) is exact. A new
 * session takes the timeline over; after the session ends the last picture stays.
 */
import * as vscode from 'vscode';
import { CustomEvents, CustomRequests, TimelineArguments, TimelineResponseBody } from '../shared/dapCustom';
import { deltaFromTimeline, traceFromTimeline } from '../shared/timelineLive';
import { SessionStore } from './sessionStore';
import { TimelinePanel } from './timelinePanel';

const DEBUG_TYPE = 'asyncio';
const REFRESH_MS = 500;

export class LiveTimeline implements vscode.Disposable {
  private session: vscode.DebugSession | undefined;
  private lastSession: vscode.DebugSession | undefined;
  private spanCount = 0;
  private now = 0;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private paused = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly panel: TimelinePanel,
    private readonly sessions?: SessionStore,
  ) {
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
        if (s !== this.session) return;
        this.stopTimer();
        this.panel.setLive(s.id, 'ended');
      }),
      panel.onDidBecomeVisible(() => {
        if (this.session) this.schedule();
        else if (this.candidate()) void this.follow(this.candidate()!);
      }),
    );
    if (sessions) this.subscriptions.push(sessions.onDidChange((record) => this.onSessionChange(record?.session)));
  }

  /** The active asyncio session, else the last one started. */
  private candidate(): vscode.DebugSession | undefined {
    const active = vscode.debug.activeDebugSession;
    return active?.type === DEBUG_TYPE ? active : this.lastSession;
  }

  private stopped(session: vscode.DebugSession): boolean {
    return this.sessions?.get(session.id)?.stopped === true;
  }

  /** Paused: fetch everything up to now before showing the cursor. Running again: follow the tail. */
  private async onSessionChange(session: vscode.DebugSession | undefined): Promise<void> {
    // The store also fires for every custom event: act on the transitions only.
    if (!session || session !== this.session || this.stopped(session) === this.paused) return;
    this.paused = this.stopped(session);
    if (this.paused) {
      this.stopTimer();
      await this.refresh();
      if (session === this.session && this.stopped(session)) this.panel.setLive(session.id, 'paused');
    } else {
      this.panel.setLive(session.id, 'running');
      this.schedule();
    }
  }

  /** "Show Timeline": the active (or last) asyncio session if there is one, else the panel as it is. */
  async show(): Promise<void> {
    const session = this.candidate();
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
    const label = session.name + truncatedNote(body);
    this.panel.showSession(session.id, label, traceFromTimeline(body, session.name));
    this.paused = this.stopped(session);
    if (this.paused) this.panel.setLive(session.id, 'paused');
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_MS);
  }

  /** One tail request; a call while one is under way waits for it, then asks again. */
  private async refresh(): Promise<void> {
    while (this.inflight) await this.inflight;
    const session = this.session;
    if (!session || !this.panel.isVisible) return;
    const ask = async () => {
      const body = await this.ask(session, { from: this.now, afterSpan: this.spanCount });
      if (!body || session !== this.session) return;
      this.spanCount = body.spanCount ?? this.spanCount + body.spans.task.length;
      this.now = body.now;
      this.panel.append(session.id, deltaFromTimeline(body));
    };
    this.inflight = ask().finally(() => (this.inflight = undefined));
    await this.inflight;
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

/** What a bounded answer left out, for the page's title: ` · latest 20,000 of 92,840 steps, 5,000 of 100,001 tasks`. */
export function truncatedNote(body: TimelineResponseBody): string {
  const total = body.total;
  if (!body.truncated || !total) return '';
  const n = (v: number) => v.toLocaleString('en-US');
  const parts: string[] = [];
  if (body.spans.task.length < total.spans)
    parts.push(`latest ${n(body.spans.task.length)} of ${n(total.spans)} steps`);
  if (body.tasks.length < total.tasks) parts.push(`${n(body.tasks.length)} of ${n(total.tasks)} tasks`);
  return parts.length ? ` · showing ${parts.join(', ')}` : '';
}
