import * as vscode from 'vscode';
import { DEBUG_TYPE } from './contributionIds';

/** What the extension knows about one running `asyncio` debug session. */
export interface SessionRecord {
  readonly session: vscode.DebugSession;
  /** True while the adapter reports a stop and no continue since. */
  stopped: boolean;
  /** The last custom DAP events (newest last), bounded by `MAX_EVENTS_PER_SESSION`. */
  readonly customEvents: vscode.DebugSessionCustomEvent[];
  /** Custom events dropped from `customEvents` to keep it bounded. */
  droppedEvents: number;
}

export const MAX_EVENTS_PER_SESSION = 100;

/**
 * Tracks `asyncio` sessions and the custom events their adapter sends (task deltas, later), so the
 * views read one place instead of each subscribing to the debug API.
 */
export class SessionStore implements vscode.Disposable {
  private readonly records = new Map<string, SessionRecord>();
  private readonly changed = new vscode.EventEmitter<SessionRecord | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  /** Fires with the record that changed, or undefined when a session was added or removed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((s) => this.add(s)),
      vscode.debug.onDidTerminateDebugSession((s) => this.remove(s)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => this.receive(e)),
    );
    // The extension may activate after a session has started (onDebugResolve fires first, but a
    // reload during a session does not).
    const active = vscode.debug.activeDebugSession;
    if (active) this.add(active);
  }

  get sessions(): readonly SessionRecord[] {
    return [...this.records.values()];
  }

  get(sessionId: string): SessionRecord | undefined {
    return this.records.get(sessionId);
  }

  /** Called by the DAP tracker, which sees `stopped`/`continued` before the UI does. */
  setStopped(sessionId: string, stopped: boolean): void {
    const record = this.records.get(sessionId);
    if (!record || record.stopped === stopped) return;
    record.stopped = stopped;
    this.changed.fire(record);
  }

  private add(session: vscode.DebugSession): void {
    if (session.type !== DEBUG_TYPE || this.records.has(session.id)) return;
    this.records.set(session.id, { session, stopped: false, customEvents: [], droppedEvents: 0 });
    this.changed.fire(undefined);
  }

  private remove(session: vscode.DebugSession): void {
    if (this.records.delete(session.id)) this.changed.fire(undefined);
  }

  private receive(event: vscode.DebugSessionCustomEvent): void {
    if (event.session.type !== DEBUG_TYPE) return;
    this.add(event.session);
    const record = this.records.get(event.session.id);
    if (!record) return;
    record.customEvents.push(event);
    if (record.customEvents.length > MAX_EVENTS_PER_SESSION) {
      record.customEvents.shift();
      record.droppedEvents++;
    }
    this.changed.fire(record);
  }

  dispose(): void {
    this.records.clear();
    for (const d of this.subscriptions) d.dispose();
  }
}
