/**
 * The tasks of every `asyncio` session, fed by the adapter's `asyncio/tasksChanged` events and
 * re-read with `asyncio/tasks` when a session starts or an event was missed. The last session's
 * tasks stay after it ends (post-mortem) until the next one starts.
 */
import * as vscode from 'vscode';
import { CustomEvents, CustomRequests, TasksArguments, TasksChangedBody, TasksResponseBody } from '../shared/dapCustom';
import { DEFAULT_OPTIONS, TaskTree, TreeOptions } from '../shared/taskTree';
import { DEBUG_TYPE } from './contributionIds';
import { TaskModel } from './tasksModel';

export interface SessionTasks {
  readonly session: vscode.DebugSession;
  readonly model: TaskModel;
  readonly tree: TaskTree;
  ended: boolean;
  /** Set when the adapter answered `asyncio/tasks` with an error: it does not stream tasks. */
  unsupported?: string;
}

/** What changed: containers (node ids, undefined = the session's top level), or everything. */
export interface TasksChange {
  readonly session: SessionTasks | undefined;
  readonly containers: ReadonlySet<string | undefined> | 'all';
}

export class TasksStore implements vscode.Disposable {
  private readonly entries = new Map<string, SessionTasks>();
  private readonly resyncing = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<TasksChange>();
  private readonly subscriptions: vscode.Disposable[] = [this.emitter];
  private options: TreeOptions = { ...DEFAULT_OPTIONS };

  readonly onDidChange = this.emitter.event;

  constructor() {
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((s) => this.start(s)),
      vscode.debug.onDidTerminateDebugSession((s) => this.end(s)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === CustomEvents.TasksChanged) this.receive(e.session, e.body as TasksChangedBody);
      }),
    );
    const active = vscode.debug.activeDebugSession;
    if (active) this.start(active);
  }

  get sessions(): readonly SessionTasks[] {
    return [...this.entries.values()];
  }

  get(sessionId: string): SessionTasks | undefined {
    return this.entries.get(sessionId);
  }

  /** The session the user is looking at: the active one if it is ours, else the newest. */
  get current(): SessionTasks | undefined {
    const active = vscode.debug.activeDebugSession;
    return (active && this.entries.get(active.id)) ?? this.sessions.at(-1);
  }

  get settings(): TreeOptions {
    return this.options;
  }

  /** View-wide display options (grouping, finished tasks, filter), applied to every session. */
  configure(changes: Partial<TreeOptions>): void {
    this.options = { ...this.options, ...changes };
    for (const entry of this.entries.values()) entry.tree.configure(this.options);
    this.emitter.fire({ session: undefined, containers: 'all' });
  }

  /** Re-reads the whole task list (after a gap, or on demand). */
  async resync(entry: SessionTasks): Promise<void> {
    if (entry.ended || this.resyncing.has(entry.session.id)) return;
    this.resyncing.add(entry.session.id);
    try {
      const args: TasksArguments = { includeFinished: true, limit: entry.model.limit };
      const body = (await entry.session.customRequest(CustomRequests.Tasks, args)) as TasksResponseBody | undefined;
      if (!body || !Array.isArray(body.tasks)) return;
      // A delta that arrived while the request was in flight may be newer than the answer.
      if (entry.model.seq > body.seq) return;
      entry.model.reset(body);
      entry.unsupported = undefined;
      this.emitter.fire({ session: entry, containers: 'all' });
    } catch (e) {
      if (entry.model.seq < 0) {
        entry.unsupported = (e as Error).message ?? String(e);
        this.emitter.fire({ session: entry, containers: 'all' });
      }
    } finally {
      this.resyncing.delete(entry.session.id);
    }
  }

  private start(session: vscode.DebugSession): void {
    if (session.type !== DEBUG_TYPE || this.entries.has(session.id)) return;
    // A new run replaces the post-mortem of the ones that ended.
    for (const [id, entry] of this.entries) if (entry.ended) this.entries.delete(id);
    const model = new TaskModel();
    const entry: SessionTasks = { session, model, tree: new TaskTree(model, this.options), ended: false };
    this.entries.set(session.id, entry);
    this.emitter.fire({ session: undefined, containers: 'all' });
    void this.resync(entry);
  }

  private end(session: vscode.DebugSession): void {
    const entry = this.entries.get(session.id);
    if (!entry) return;
    entry.ended = true;
    // A child session (if an adapter ever makes one) has nothing the parent does not show.
    if (entry.model.tasks.size === 0) this.entries.delete(session.id);
    this.emitter.fire({ session: undefined, containers: 'all' });
  }

  private receive(session: vscode.DebugSession, body: TasksChangedBody): void {
    if (session.type !== DEBUG_TYPE || !body || !Array.isArray(body.tasks)) return;
    this.start(session);
    const entry = this.entries.get(session.id);
    if (!entry) return;
    const wasEmpty = entry.model.seq < 0;
    const result = entry.model.apply(body);
    if (result.stale) return;
    entry.unsupported = undefined;
    if (result.gap) void this.resync(entry);
    const containers = wasEmpty ? 'all' : entry.tree.affected(result.changed, result.removed, result.added);
    this.emitter.fire({ session: entry, containers });
  }

  dispose(): void {
    this.entries.clear();
    for (const d of this.subscriptions) d.dispose();
  }
}
