/**
 * One session's tasks as the adapter last described them, kept up to date by `asyncio/tasksChanged`
 * deltas. Pure (no `vscode` import) so the tree logic and the benchmark run it under plain Node.
 */
import { DEFAULT_TASKS_LIMIT } from '../shared/dapCustom';
import type { DroppedCounts, TaskInfo, TasksChangedBody, TasksResponseBody } from '../shared/dapCustom';

/** Parent key for tasks that have no parent (or whose parent the model does not hold). */
export const ROOT = 0;

export interface DeltaResult {
  /** The delta was older than what the model holds and was ignored. */
  stale: boolean;
  /** Events were missed (or too much changed, or room to hold more): apply what came, then re-read `asyncio/tasks`. */
  gap: boolean;
  /** Ids whose record is new or changed. */
  changed: number[];
  /** Ids the model did not hold before. */
  added: Set<number>;
  /** Records the delta forgot, as they were before. */
  removed: TaskInfo[];
}

export class TaskModel {
  readonly tasks = new Map<number, TaskInfo>();
  /** Raw parent id → child ids, including parents the model does not (or no longer) hold. */
  private readonly byParent = new Map<number, Set<number>>();
  /** -1 until the first event or snapshot. */
  seq = -1;
  now = 0;
  stopped = false;
  dropped: DroppedCounts = { records: 0, objects: 0 };
  /** Bumped on every change, so derived views can cache per version. */
  version = 0;
  /** How many tasks the adapter holds (this model holds at most `limit` of them). */
  total = 0;

  /** Holds at most `limit` tasks: an answer brings the first ones, deltas add new ones while there is room. */
  constructor(readonly limit = DEFAULT_TASKS_LIMIT) {}

  /** Holds fewer tasks than the adapter: the view says so. */
  get truncated(): boolean {
    return this.total > this.tasks.size;
  }

  /** Replaces everything with a full `asyncio/tasks` answer. */
  reset(body: TasksResponseBody): void {
    this.tasks.clear();
    this.byParent.clear();
    for (const task of body.tasks) this.put(task);
    this.total = Math.max(body.total ?? 0, this.tasks.size);
    this.seq = body.seq;
    this.now = body.now;
    this.stopped = body.stopped;
    this.dropped = body.dropped;
    this.version++;
  }

  apply(body: TasksChangedBody): DeltaResult {
    if (this.seq >= 0 && body.seq <= this.seq)
      return { stale: true, gap: false, changed: [], added: new Set(), removed: [] };
    const wasTruncated = this.truncated;
    let gap = (this.seq >= 0 && body.seq !== this.seq + 1) || body.resync === true;
    const removed: TaskInfo[] = [];
    for (const id of body.removed) {
      const old = this.tasks.get(id);
      if (!old) continue;
      this.unlink(old);
      this.tasks.delete(id);
      removed.push(old);
    }
    const added = new Set<number>();
    const changed: number[] = [];
    for (const task of body.tasks) {
      const old = this.tasks.get(task.id);
      if (old) this.unlink(old);
      else if (this.tasks.size >= this.limit) continue;
      else added.add(task.id);
      this.put(task);
      changed.push(task.id);
    }
    this.total = Math.max(body.total ?? 0, this.tasks.size);
    // Room for half the limit again while tasks are left out: read the answer that picks the best ones.
    if (wasTruncated && this.truncated && this.tasks.size < this.limit / 2) gap = true;
    this.seq = body.seq;
    this.now = body.now;
    this.stopped = body.stopped;
    this.dropped = body.dropped;
    this.version++;
    return { stale: false, gap, changed, added, removed };
  }

  get(id: number): TaskInfo | undefined {
    return this.tasks.get(id);
  }

  /** The parent the tree shows: the recorded one if the model holds it, else ROOT. */
  parentOf(task: TaskInfo): number {
    return task.parent !== null && task.parent !== task.id && this.tasks.has(task.parent) ? task.parent : ROOT;
  }

  /** Children the tree shows under `parent` (ROOT: tasks without a known parent), in id order. */
  childrenOf(parent: number): number[] {
    const ids: number[] = [];
    if (parent === ROOT) {
      for (const [key, set] of this.byParent) {
        if (key === ROOT || !this.tasks.has(key)) ids.push(...set);
      }
    } else {
      const set = this.byParent.get(parent);
      if (set) ids.push(...set);
      const self = ids.indexOf(parent);
      if (self >= 0) ids.splice(self, 1);
    }
    return ids.sort((a, b) => a - b);
  }

  hasChildren(id: number): boolean {
    return this.childCount(id) > 0;
  }

  childCount(id: number): number {
    const set = this.byParent.get(id);
    return set ? set.size - (set.has(id) ? 1 : 0) : 0;
  }

  private put(task: TaskInfo): void {
    this.tasks.set(task.id, task);
    const key = task.parent ?? ROOT;
    let set = this.byParent.get(key);
    if (!set) this.byParent.set(key, (set = new Set()));
    set.add(task.id);
  }

  private unlink(task: TaskInfo): void {
    const key = task.parent ?? ROOT;
    const set = this.byParent.get(key);
    if (!set) return;
    set.delete(task.id);
    if (set.size === 0) this.byParent.delete(key);
  }
}
