/**
 * Folds the agent's `records` events (raw hook records, tasks/wire.py) into what a `tasks` event
 * says: the task records new or changed since the previous event, and the spans and edges since
 * then. The agent used to fold them itself (live.py with tasks/model.py), under the program's GIL;
 * this is the same fold, in the adapter's own process. Memory stays bounded however long the program
 * runs: spans and edges leave with each result, and finished tasks and old futures are forgotten
 * once more than `pruneAt` objects are held (live.py `_prune`).
 */
import type { AgentPausedTasks, AgentRecordsBody, AgentTaskRecord, AgentTasksBody } from '../shared/agentProtocol';
import { forEachRecord, RecordFields } from './recordReader';
import { FoldState } from './taskFoldRecords';
import { CancelInfo, CodeInfo, FutureInfo, TaskInfo } from './taskFoldTypes';

/** live.py PRUNE_AT, FUTURE_TTL_NS. */
export const PRUNE_AT = 20_000;
export const FUTURE_TTL_NS = 60_000_000_000;
/** debugger/safe_repr.py MAX_NAME: the tree and the timeline show the start of longer task names. */
export const MAX_NAME = 200;

export interface TaskFoldOptions {
  pruneAt?: number;
  futureTtlNs?: number;
}

/** Outcome of a task whose end was among dropped records (tasks/reconcile.py). */
const UNKNOWN = 'unknown';

export class TaskFold {
  private readonly state = new FoldState();
  private readonly basePruneAt: number;
  private readonly futureTtlNs: number;
  private pruneAt: number;
  /** How many times objects were forgotten (for tests and diagnostics). */
  prunes = 0;

  constructor(opts: TaskFoldOptions = {}) {
    this.basePruneAt = opts.pruneAt ?? PRUNE_AT;
    this.pruneAt = this.basePruneAt;
    this.futureTtlNs = opts.futureTtlNs ?? FUTURE_TTL_NS;
  }

  apply(body: AgentRecordsBody): AgentTasksBody {
    const state = this.state;
    state.t0 = body.t0;
    for (const info of body.codes ?? []) {
      state.codes.set(info.key, new CodeInfo(info));
    }
    for (const info of body.types ?? []) {
      state.types.set(info.key, info);
    }
    this.feed(body);
    const now = body.t0 + body.now;
    if (body.names) {
      this.applyNames(body.names);
    }
    if (body.alive) {
      this.applyAlive(body.alive, now);
    }
    const out = this.delta(body);
    if (state.byRaw.size >= this.pruneAt) {
      this.prune(now);
    }
    return out;
  }

  /** Trace id of the pending task whose id() is `raw`. */
  taskIdOf(raw: number): number | undefined {
    const info = this.state.byRaw.get(raw);
    return info instanceof TaskInfo && info.ended === null ? info.id : undefined;
  }

  /** id() of a pending task (undefined once another object took its id over). */
  rawOf(taskId: number): number | undefined {
    const info = this.state.pending.get(taskId);
    return info !== undefined && this.state.byRaw.get(info.raw) === info ? info.raw : undefined;
  }

  /** What the fold holds: objects by raw id, pending tasks, children waiting for their parent. */
  stats(): { objects: number; pending: number; orphans: number; pruneAt: number } {
    let orphans = 0;
    for (const list of this.state.orphans.values()) {
      orphans += list.length;
    }
    return { objects: this.state.byRaw.size, pending: this.state.pending.size, orphans, pruneAt: this.pruneAt };
  }

  /**
   * model.Trace.feed, batch by batch: side objects complete the record with their timestamp,
   * among their own batch's records (`batches` gives the boundaries; none: one batch).
   */
  private feed(body: AgentRecordsBody): void {
    const state = this.state;
    const objects = body.objects ?? [];
    const cuts: [number, number][] = body.batches ?? [[Infinity, objects.length]];
    let cut = -1;
    let left = 0; // records of the current batch still to come
    let taken = 0; // objects of the batches before the current one
    let batchObjects: AgentRecordsBody['objects'] = [];
    let oi = 0;
    const endBatch = () => {
      while (oi < batchObjects.length) {
        state.object(batchObjects[oi++]);
      }
    };
    const nextBatch = (): boolean => {
      endBatch();
      if (++cut >= cuts.length) {
        return false;
      }
      const [records, count] = cuts[cut];
      batchObjects = objects.slice(taken, taken + count).sort((a, b) => a[1] - b[1]);
      taken += count;
      left = records;
      oi = 0;
      return true;
    };
    const visit = (r: RecordFields) => {
      while (left <= 0) {
        if (!nextBatch()) {
          // More records than the batches count: they go with the last batch.
          left = Infinity;
        }
      }
      left--;
      const t = r.num[1];
      while (oi < batchObjects.length && batchObjects[oi][1] < t) {
        state.object(batchObjects[oi++]);
      }
      state.record(r);
      while (oi < batchObjects.length && batchObjects[oi][1] <= t) {
        state.object(batchObjects[oi++]);
      }
    };
    if (body.data) {
      forEachRecord(Buffer.from(body.data, 'base64'), visit);
    }
    while (nextBatch()) {
      // The objects of batches (left) without records.
    }
    endBatch();
    for (; taken < objects.length; taken++) {
      state.object(objects[taken]);
    }
  }

  /** live.py `_name_tasks`: names read after creation, for tasks that arrived without one. */
  private applyNames(names: [number, string][]): void {
    const state = this.state;
    for (const [raw, name] of names) {
      const info = state.byRaw.get(raw);
      if (info instanceof TaskInfo && info.name === null) {
        info.name = name;
        state.changed.set(info.id, info);
      }
    }
  }

  /**
   * tasks/reconcile.py `_end_ghosts`: pending tasks not alive (their end was dropped) end as
   * `unknown` now; so do pending tasks no raw id leads to any more. An alive task the fold does
   * not know as pending (its CREATE was dropped) becomes a task of its own.
   */
  private applyAlive(alive: [number, string, string][], now: number): void {
    const state = this.state;
    const live = new Set(alive.map((a) => a[0]));
    const reachable = new Set<number>();
    for (const [raw, info] of state.byRaw) {
      if (info instanceof TaskInfo && info.ended === null) {
        reachable.add(info.id);
        if (!live.has(raw)) {
          state.endTask(info, now, UNKNOWN);
        }
      }
    }
    for (const info of [...state.pending.values()]) {
      if (!reachable.has(info.id)) {
        state.endTask(info, now, UNKNOWN);
      }
    }
    for (const [raw, name, coro] of alive) {
      const info = state.byRaw.get(raw);
      if (info instanceof TaskInfo && info.ended === null) {
        continue;
      }
      const task = state.newTask(raw);
      task.synthetic = true;
      task.name = name;
      task.coro = coro;
      task.created = now;
    }
  }

  private delta(body: AgentRecordsBody): AgentTasksBody {
    const state = this.state;
    const t0 = body.t0;
    const ids = [...state.changed.keys()].sort((a, b) => a - b);
    const tasks = ids.map((id) => taskRecord(state.changed.get(id)!, t0));
    state.changed.clear();
    const spans = state.spans;
    const out: AgentTasksBody = {
      t0,
      now: body.now,
      tasks,
      spans: {
        task: spans.task.splice(0),
        start: spans.start.splice(0),
        end: spans.end.splice(0),
        scheduled: spans.scheduled.splice(0),
        woken_by: spans.woken_by.splice(0),
        awaits_kind: spans.awaits_kind.splice(0),
        awaits_id: spans.awaits_id.splice(0),
        line: spans.line.splice(0),
      },
      edges: state.edges,
      dropped: body.dropped,
    };
    state.edges = [];
    if (body.paused) {
      out.paused = this.paused(body.paused);
    }
    return out;
  }

  private paused(paused: NonNullable<AgentRecordsBody['paused']>): AgentPausedTasks {
    const tasks: AgentPausedTasks['tasks'] = [];
    for (const t of paused.tasks) {
      const id = this.taskIdOf(t.raw);
      if (id !== undefined) {
        tasks.push({ id, activity: t.activity, threadId: t.threadId });
      }
    }
    const running = paused.running === null ? undefined : this.taskIdOf(paused.running);
    return { threadId: paused.threadId, running: running ?? null, tasks };
  }

  /**
   * live.py `_prune`: keep pending tasks and the futures that may still wake one (unresolved, not
   * cancelled, younger than futureTtlNs). A pending task no raw id leads to any more cannot be
   * alive: it ends as `unknown` (reconcile.py `keep_superseded`), reported by the next result.
   */
  private prune(now: number): void {
    const state = this.state;
    const old = now - this.futureTtlNs;
    const keep = new Map<number, TaskInfo | FutureInfo>();
    for (const [raw, info] of state.byRaw) {
      if (info instanceof TaskInfo) {
        if (info.ended === null) {
          keep.set(raw, info);
        }
      } else if (info.resolved === null && info.cancel === null && (info.created ?? 0) > old) {
        keep.set(raw, info);
      }
    }
    state.byRaw = keep;
    this.pruneAt = Math.max(this.basePruneAt, 2 * keep.size);
    for (const info of [...state.pending.values()]) {
      if (keep.get(info.raw) !== info) {
        state.endTask(info, now, UNKNOWN);
      }
    }
    // Children whose parent never showed: only pending ones can still learn it.
    for (const [raw, list] of state.orphans) {
      const left = list.filter((child) => child.ended === null);
      if (left.length === 0) {
        state.orphans.delete(raw);
      } else {
        state.orphans.set(raw, left);
      }
    }
    this.prunes++;
  }
}

function rel(t: number | null, t0: number): number | null {
  return t === null ? null : t - t0;
}

function cancelRecord(info: CancelInfo | null): AgentTaskRecord['cancelled_by'] {
  if (info === null) {
    return null;
  }
  return {
    task: info.by_task ?? null,
    site: info.site ?? null,
    stack: info.stack ?? [],
    via: info.via ?? null,
    while: info.while ?? 'waiting',
  };
}

/** safe_repr.short_name: the first MAX_NAME characters (code points, as Python counts) and "…". */
export function shortName(name: string): string {
  if (name.length <= MAX_NAME) {
    return name;
  }
  const points = Array.from(name);
  return points.length <= MAX_NAME ? name : points.slice(0, MAX_NAME).join('') + '…';
}

/** native.task_record, with the name cut as live.py `_delta` does. */
function taskRecord(task: TaskInfo, t0: number): AgentTaskRecord {
  return {
    id: task.id,
    name: shortName(task.name || `Task #${task.id}`),
    // A task seen only by its steps has no coroutine, loop or thread (null, as the agent said).
    coroutine: task.coro as string,
    site: task.site,
    coroutine_file: task.code !== null ? task.code.info.file : null,
    parent: task.parent,
    group: task.group,
    loop: task.loop as number,
    thread: task.thread as number,
    created: rel(task.created, t0),
    ended: rel(task.ended, t0),
    state: (task.outcome ?? 'pending') as AgentTaskRecord['state'],
    type: task.type,
    error: task.error,
    cancelled_by: cancelRecord(task.cancel),
    reports: [...task.reports],
    eager: Boolean(task.flags & 1),
    late: Boolean(task.flags & 2),
    steps: task.steps,
    busy: task.busy,
  };
}
