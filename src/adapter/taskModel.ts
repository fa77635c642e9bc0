/**
 * Every task the agent reported, their step spans and edges, fed by the agent's `tasks` events.
 * Answers the extension's task requests (dapCustom.ts) and collects what changed between two
 * `asyncio/tasksChanged` events. Outlives the program, so post-mortem queries still answer.
 * The debugger's own tasks (an `await` in evaluate) are left out (taskHidden.ts).
 */
import type { AgentPausedTasks, AgentTaskRecord, AgentTasksBody } from '../shared/agentProtocol';
import {
  DEFAULT_TASKS_LIMIT,
  DEFAULT_TIMELINE_EDGES,
  DEFAULT_TIMELINE_SPANS,
  DEFAULT_TIMELINE_TASKS,
} from '../shared/dapCustom';
import type {
  AwaitInfo,
  DroppedCounts,
  Edge,
  TaskActivity,
  TaskInfo,
  TasksChangedBody,
  TasksResponseBody,
  TimelineArguments,
  TimelineResponseBody,
} from '../shared/dapCustom';
import { HiddenTasks } from './taskHidden';
import { lastSpans, pickEdges, pickTasks, pickTimelineTasks } from './taskLimits';
import { SpanStore } from './taskSpans';

export const DEFAULT_MAX_FINISHED_TASKS = 10_000;
const MAX_EDGES = 2_000_000;

interface TaskEntry {
  record: AgentTaskRecord;
  /** What its last step ended waiting on ('' for nothing, 'yield' for a bare yield). */
  awaitsKind: string;
  awaitsId: number;
  lastEnd: number | null;
  /** Exact state while its thread is stopped. */
  paused?: { activity: TaskActivity; threadId: number | null; osThread: number };
}

export class TaskModel {
  private readonly tasks = new Map<number, TaskEntry>();
  private readonly spans: SpanStore;
  private readonly hidden = new HiddenTasks();
  private edges: Edge[] = [];
  /** Finished task ids in the order they finished; the oldest are forgotten first. */
  private finished: number[] = [];
  private finishedHead = 0;
  private changed = new Set<number>();
  private removed: number[] = [];
  private readonly stoppedThreads = new Set<number>();
  private seq = 0;
  private droppedRecords = 0;
  private droppedObjects = 0;
  now = 0;

  constructor(
    /** Finished tasks kept; the oldest beyond this are forgotten (and reported as removed). */
    public maxFinished = DEFAULT_MAX_FINISHED_TASKS,
    maxSpans?: number,
  ) {
    this.spans = new SpanStore(maxSpans);
  }

  get stopped(): boolean {
    return this.stoppedThreads.size > 0;
  }

  get size(): number {
    return this.tasks.size;
  }

  apply(agentBody: AgentTasksBody): void {
    const body = this.hidden.filter(agentBody);
    this.forgetHidden();
    this.now = Math.max(this.now, body.now);
    this.droppedRecords = body.dropped.records;
    this.droppedObjects = body.dropped.objects;
    for (const record of body.tasks) {
      let entry = this.tasks.get(record.id);
      if (!entry) {
        entry = { record, awaitsKind: '', awaitsId: 0, lastEnd: null };
        this.tasks.set(record.id, entry);
      } else {
        const wasPending = entry.record.state === 'pending';
        entry.record = record;
        if (!wasPending) {
          this.changed.add(record.id);
          continue;
        }
      }
      if (record.state !== 'pending') {
        this.finished.push(record.id);
      }
      this.changed.add(record.id);
    }
    const spans = body.spans;
    this.spans.append(spans);
    for (let i = 0; i < spans.task.length; i++) {
      const entry = this.tasks.get(spans.task[i]);
      if (entry && (entry.lastEnd === null || spans.end[i] >= entry.lastEnd)) {
        entry.lastEnd = spans.end[i];
        entry.awaitsKind = spans.awaits_kind[i];
        entry.awaitsId = spans.awaits_id[i];
        this.changed.add(entry.record.id);
      }
    }
    for (const edge of body.edges) {
      this.edges.push(edge);
    }
    if (this.edges.length > MAX_EDGES) {
      this.edges = this.edges.slice(this.edges.length - MAX_EDGES / 2);
    }
    if (body.paused) {
      this.pause(body.paused);
    }
    this.retain();
  }

  private pause(paused: AgentPausedTasks): void {
    this.resume(paused.threadId);
    for (const t of paused.tasks) {
      const entry = this.tasks.get(t.id);
      if (entry) {
        entry.paused = { activity: t.activity, threadId: t.threadId, osThread: paused.threadId };
        this.changed.add(t.id);
      }
    }
  }

  /** A thread stopped (its exact task states arrived just before). */
  stoppedOn(threadId: number): void {
    this.stoppedThreads.add(threadId);
  }

  /** A thread resumed: its tasks go back to what the spans tell. Task thread ids resume their OS thread. */
  resume(threadId: number): void {
    const osThread = this.osThreadOf(threadId);
    this.stoppedThreads.delete(osThread);
    for (const entry of this.tasks.values()) {
      if (entry.paused?.osThread === osThread) {
        entry.paused = undefined;
        this.changed.add(entry.record.id);
      }
    }
  }

  resumeAll(): void {
    for (const threadId of [...this.stoppedThreads]) {
      this.resume(threadId);
    }
    for (const entry of this.tasks.values()) {
      if (entry.paused) {
        entry.paused = undefined;
        this.changed.add(entry.record.id);
      }
    }
  }

  /** DAP thread ids of the tasks listed as threads while `osThread` is stopped. */
  taskThreadsOf(osThread: number): number[] {
    const out: number[] = [];
    for (const entry of this.tasks.values()) {
      if (entry.paused?.osThread === osThread && entry.paused.threadId !== null) {
        out.push(entry.paused.threadId);
      }
    }
    return out;
  }

  /** The tasks listed as threads now: DAP thread id -> trace id and activity. */
  listedThreads(): Map<number, { id: number; activity: TaskActivity }> {
    const out = new Map<number, { id: number; activity: TaskActivity }>();
    for (const entry of this.tasks.values()) {
      if (entry.paused && entry.paused.threadId !== null) {
        out.set(entry.paused.threadId, { id: entry.record.id, activity: entry.paused.activity });
      }
    }
    return out;
  }

  /** The OS thread a (task) thread id belongs to while stopped. */
  osThreadOf(threadId: number): number {
    for (const entry of this.tasks.values()) {
      if (entry.paused && entry.paused.threadId === threadId) {
        return entry.paused.osThread;
      }
    }
    return threadId;
  }

  /** What changed since the last call, as the body of `asyncio/tasksChanged`; undefined if nothing. */
  takeChanges(force = false, limit = DEFAULT_TASKS_LIMIT): TasksChangedBody | undefined {
    if (!force && this.changed.size === 0 && this.removed.length === 0) {
      return undefined;
    }
    const tasks: TaskInfo[] = [];
    // Too many changes for one event: the client re-reads a bounded `asyncio/tasks` instead.
    const resync = this.changed.size > limit;
    for (const id of resync ? [] : this.changed) {
      const entry = this.tasks.get(id);
      if (entry) {
        tasks.push(this.info(entry));
      }
    }
    tasks.sort((a, b) => a.id - b.id);
    const body: TasksChangedBody = {
      seq: ++this.seq,
      now: this.now,
      stopped: this.stopped,
      tasks,
      removed: this.removed,
      dropped: this.dropped(),
      total: this.tasks.size,
    };
    if (resync) {
      body.resync = true;
    }
    this.changed = new Set();
    this.removed = [];
    return body;
  }

  tasksBody(includeFinished = true, limit = DEFAULT_TASKS_LIMIT): TasksResponseBody {
    const picked = pickTasks(this.tasks, this.finishedNewestFirst(), includeFinished, limit);
    const tasks = picked.entries.map((entry) => this.info(entry));
    const { seq, now, stopped } = this;
    const truncated = tasks.length < picked.total;
    return { seq, now, stopped, tasks, dropped: this.dropped(), total: picked.total, truncated };
  }

  private *finishedNewestFirst(): Iterable<number> {
    for (let i = this.finished.length - 1; i >= this.finishedHead; i--) yield this.finished[i];
  }

  timeline(args: TimelineArguments = {}): TimelineResponseBody {
    const from = args.from ?? 0;
    const to = args.to ?? Number.MAX_SAFE_INTEGER;
    const only = args.taskIds ? new Set(args.taskIds) : undefined;
    const candidates: TaskEntry[] = [];
    for (const entry of this.tasks.values()) {
      const r = entry.record;
      const alive = (r.created ?? 0) <= to && (r.ended === null || r.ended >= from);
      if (alive && (!only || only.has(r.id))) {
        candidates.push(entry);
      }
    }
    const edges = this.edges.filter((e) => e[3] >= from && e[3] <= to && (!only || only.has(e[1]) || only.has(e[2])));
    const allSpans =
      args.afterSpan !== undefined ? this.spans.since(args.afterSpan, only) : this.spans.query(from, to, only);
    // Bounded (dapCustom.ts): the most recent spans, their tasks first, edges among the tasks kept.
    const spans = lastSpans(allSpans, args.limit ?? DEFAULT_TIMELINE_SPANS);
    const picked = pickTimelineTasks(
      candidates,
      new Set(spans.task),
      from,
      to,
      args.taskLimit ?? DEFAULT_TIMELINE_TASKS,
    );
    const kept = new Set(picked.map((e) => e.record.id));
    const keptEdges = pickEdges(edges, kept, (id) => this.tasks.has(id), DEFAULT_TIMELINE_EDGES);
    const total = { tasks: candidates.length, spans: allSpans.task.length, edges: edges.length };
    return {
      now: this.now,
      tasks: picked.map((entry) => this.info(entry)),
      spans,
      edges: keptEdges,
      dropped: this.dropped(),
      spanCount: this.spans.appended,
      total,
      truncated: picked.length < total.tasks || spans.task.length < total.spans || keptEdges.length < total.edges,
    };
  }

  task(id: number): TaskInfo | undefined {
    const entry = this.tasks.get(id);
    return entry && this.info(entry);
  }

  dropped(): DroppedCounts {
    return { records: this.droppedRecords + this.spans.dropped, objects: this.droppedObjects };
  }

  private info(entry: TaskEntry): TaskInfo {
    const r = entry.record;
    const done = r.state !== 'pending';
    const awaits = done ? null : this.awaitsOf(entry);
    let activity: TaskActivity;
    if (done) {
      activity = 'done';
    } else if (entry.paused) {
      activity = entry.paused.activity;
    } else {
      activity = awaits ? 'awaiting' : 'ready';
    }
    const cancel = r.cancelled_by;
    return {
      id: r.id,
      name: r.name,
      coroutine: r.coroutine,
      site: r.site,
      coroutineFile: r.coroutine_file ?? null,
      parent: this.hidden.has(r.parent) ? null : r.parent,
      group: r.group,
      loop: r.loop,
      thread: r.thread,
      created: r.created,
      ended: r.ended,
      state: r.state,
      activity,
      awaits,
      type: r.type,
      error: r.error,
      cancelledBy: cancel
        ? { task: cancel.task, site: cancel.site, stack: cancel.stack, via: cancel.via, while: cancel.while }
        : null,
      reports: r.reports,
      eager: r.eager,
      steps: r.steps,
      busy: r.busy,
      threadId: entry.paused?.threadId ?? null,
    };
  }

  private awaitsOf(entry: TaskEntry): AwaitInfo | null {
    const kind = entry.awaitsKind;
    if (!kind || kind === 'yield' || entry.lastEnd === null || (entry.paused && entry.paused.activity !== 'awaiting')) {
      return null;
    }
    const awaits: AwaitInfo = { kind, id: entry.awaitsId, since: entry.lastEnd };
    if (kind === 'task') {
      const awaited = this.tasks.get(entry.awaitsId);
      if (awaited) {
        awaits.name = awaited.record.name;
      }
    }
    return awaits;
  }

  /** A task shown before it took the debugger's task name (set_name) is shown no more. */
  private forgetHidden(): void {
    for (const id of this.hidden.fresh) {
      if (this.tasks.delete(id)) {
        this.changed.delete(id);
        this.removed.push(id);
      }
    }
  }

  /** Forget the oldest finished tasks beyond the retention count. */
  private retain(): void {
    while (this.finished.length - this.finishedHead > this.maxFinished) {
      const id = this.finished[this.finishedHead++];
      if (this.tasks.delete(id)) {
        this.removed.push(id);
        this.changed.delete(id);
      }
    }
    if (this.finishedHead > 4096 && this.finishedHead * 2 > this.finished.length) {
      this.finished = this.finished.slice(this.finishedHead);
      this.finishedHead = 0;
    }
  }
}
