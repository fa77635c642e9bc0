/**
 * The record cases of the task fold: a port of the agent's tasks/model.py (`Trace._record`,
 * `_create`, `_step`, `_who_cancelled`) and tasks/fold.py. Raw `id()`s are reused once an object
 * is freed: every CREATE / FUTURE record starts a new incarnation with the next sequential id
 * (tasks and futures share one counter), exactly as model.py numbers them.
 */
import type { AgentTypeInfo } from '../shared/agentProtocol';
import type { Edge } from '../shared/dapCustom';
import type { RecordFields } from './recordReader';
import { CancelInfo, CodeInfo, Frame, FutureInfo, Info, TaskInfo } from './taskFoldTypes';

// tasks/codes.py
export const CREATE = 1;
export const STEP = 2;
export const DONE = 3;
export const FUTURE = 4;
export const CANCEL = 5;
export const REPORT = 6;
export const LIVE = 8;
export const CANCEL_TASK = 9;
export const CANCEL_STACK = 101;

const OUTCOMES = ['ok', 'error', 'cancelled'];
const REPORTS: Record<number, string> = {
  1: 'exception_never_retrieved',
  2: 'destroyed_pending',
  3: 'exception_never_retrieved',
};

const WAIT_FUTURE = 0;
const WAIT_TASK = 1;
const WAIT_GATHER = 2;

/** The fold's state and its record cases; times stay absolute (perf_counter_ns) inside. */
export class FoldState {
  t0 = 0;
  byRaw = new Map<number, Info>();
  /** Every task not ended yet, including ones whose id() a newer object took over. */
  readonly pending = new Map<number, TaskInfo>();
  readonly changed = new Map<number, TaskInfo>();
  readonly codes = new Map<number, CodeInfo>();
  readonly types = new Map<number, AgentTypeInfo>();
  readonly spans = {
    task: [] as number[],
    start: [] as number[],
    end: [] as number[],
    scheduled: [] as (number | null)[],
    woken_by: [] as number[],
    awaits_kind: [] as string[],
    awaits_id: [] as number[],
    line: [] as number[],
  };
  edges: Edge[] = [];
  /** Parent raw -> children seen before their parent. */
  orphans = new Map<number, TaskInfo[]>();
  private next = 1;
  private readonly groups = new Map<number, number>();
  private readonly loops = new Map<number, number>();
  private readonly threads = new Map<number, number>();

  code(key: number): CodeInfo | null {
    return key ? (this.codes.get(key) ?? null) : null;
  }

  frame(key: number, lasti: number): Frame | null {
    const code = this.code(key);
    return code === null ? null : code.frame(lasti);
  }

  newTask(raw: number): TaskInfo {
    const task = new TaskInfo(this.next++, raw);
    this.byRaw.set(raw, task);
    this.pending.set(task.id, task);
    this.changed.set(task.id, task);
    return task;
  }

  endTask(task: TaskInfo, t: number, outcome: string): void {
    task.ended = t;
    task.outcome = outcome;
    this.pending.delete(task.id);
    this.changed.set(task.id, task);
  }

  /** model.Trace._task: the task holding `raw` (finished or not), else a new one. */
  private taskOf(raw: number): TaskInfo {
    const info = this.byRaw.get(raw);
    return info instanceof TaskInfo ? info : this.newTask(raw);
  }

  private anonymousFuture(raw: number): FutureInfo {
    const fut = new FutureInfo(this.next++);
    this.byRaw.set(raw, fut);
    return fut;
  }

  private smallId(table: Map<number, number>, raw: number): number {
    let n = table.get(raw);
    if (n === undefined) {
      n = table.size + 1;
      table.set(raw, n);
    }
    return n;
  }

  /** One record (kind, t, then the fields codes.py lists): ints in r.num, strings in r.str. */
  record(r: RecordFields): void {
    switch (r.num[0]) {
      case STEP:
        return this.step(r);
      case FUTURE:
        return this.future(r);
      case CREATE:
        return this.create(r);
      case DONE:
        return this.done(r);
      case CANCEL:
        return this.cancel(r);
      case CANCEL_TASK:
        return this.cancelTask(r);
      case REPORT:
        return this.report(r);
      case LIVE: {
        const task = this.taskOf(r.num[2]);
        if (task.ended === null) {
          task.name = r.str[3];
          this.changed.set(task.id, task);
        }
        return;
      }
    }
  }

  /** model.Trace._object: a cancellation's stack (the agent's frames left out). */
  object(obj: [number, number, number, [number, number][]]): void {
    const [kind, , raw, stack] = obj;
    if (kind !== CANCEL_STACK) {
      return;
    }
    const info = this.byRaw.get(raw);
    const target = info instanceof FutureInfo ? info.cancel : info instanceof TaskInfo ? info.cancelReq : null;
    if (target) {
      const frames: Frame[] = [];
      for (const [key, lasti] of stack) {
        const code = this.code(key);
        if (code !== null && !code.info.agent) {
          frames.push(code.frame(lasti));
        }
      }
      target.stack = frames;
    }
  }

  private create(r: RecordFields): void {
    const raw = r.num[2];
    const existing = this.byRaw.get(raw);
    let task: TaskInfo;
    if (
      existing instanceof TaskInfo &&
      existing.synthetic &&
      existing.ended === null &&
      r.num[1] <= existing.created!
    ) {
      // `alive` listed this task before its CREATE record arrived: the same task.
      task = existing;
      task.synthetic = false;
      this.changed.set(task.id, task);
    } else {
      task = this.newTask(raw);
    }
    task.created = r.num[1];
    const parentRaw = r.num[3];
    if (parentRaw) {
      const parent = this.byRaw.get(parentRaw);
      if (parent instanceof TaskInfo) {
        task.parent = parent.id;
      } else {
        let list = this.orphans.get(parentRaw);
        if (list === undefined) {
          this.orphans.set(parentRaw, (list = []));
        }
        list.push(task);
      }
    }
    const orphans = this.orphans.get(raw);
    if (orphans !== undefined) {
      this.orphans.delete(raw);
      for (const child of orphans) {
        child.parent = task.id;
        this.changed.set(child.id, child);
        this.edges.push(['parent', task.id, child.id, child.created! - this.t0]);
      }
    }
    task.loop = this.smallId(this.loops, r.num[4]);
    task.thread = this.smallId(this.threads, r.num[5]);
    task.site = this.frame(r.num[6], r.num[7]);
    task.coro = r.str[8];
    if (r.num[9]) {
      task.group = this.smallId(this.groups, r.num[9]);
    }
    task.flags = r.num[10];
    if (r.str[11] !== null || existing !== task) {
      task.name = r.str[11];
    }
    if (r.length > 12 && r.num[12]) {
      task.code = this.code(r.num[12]);
    }
    if (task.parent !== null) {
      this.edges.push(['parent', task.parent, task.id, r.num[1] - this.t0]);
    }
  }

  private step(r: RecordFields): void {
    const task = this.taskOf(r.num[2]);
    const t = r.num[1];
    const t1 = r.num[3];
    const t0 = this.t0;
    task.steps += 1;
    task.busy += t1 - t;
    this.changed.set(task.id, task);
    let woke: Info | null = null;
    if (r.num[5]) {
      woke = this.byRaw.get(r.num[5]) ?? this.anonymousFuture(r.num[5]);
      if (woke instanceof FutureInfo && woke.resolved === null) {
        woke.resolved = r.none[4] ? null : r.num[4];
        if (!woke.hasCreator) {
          const resolver = this.code(r.num[8]);
          woke.kind = resolver === null ? 'future' : resolver.info.resolverKind;
        }
      }
    }
    task.lastWoke = woke;
    const waitRaw = r.num[6];
    let waitKind = '';
    let waitId = 0;
    if (waitRaw) {
      const category = this.waitCategory(r.num[7]);
      let target = this.byRaw.get(waitRaw);
      if (category === WAIT_TASK) {
        waitKind = 'task';
        if (target instanceof TaskInfo) {
          waitId = target.id;
        }
      } else if (category === WAIT_GATHER) {
        waitKind = 'gather';
        if (target === undefined) {
          target = this.anonymousFuture(waitRaw);
          target.kind = 'gather';
        }
        waitId = target.id;
      } else {
        if (!(target instanceof FutureInfo)) {
          target = this.anonymousFuture(waitRaw);
        }
        waitKind = target.kind;
        waitId = target.id;
      }
      if (waitId) {
        this.edges.push(['await', task.id, waitId, t1 - t0]);
      }
    } else if (r.num[7] === 0 && !r.none[7]) {
      waitKind = 'yield';
    }
    const s = this.spans;
    s.task.push(task.id);
    s.start.push(t - t0);
    s.end.push(t1 - t0);
    s.scheduled.push(r.num[4] ? r.num[4] - t0 : null);
    s.woken_by.push(woke !== null ? woke.id : 0);
    s.awaits_kind.push(waitKind);
    s.awaits_id.push(waitId);
    const code = task.code;
    const lasti = r.length > 10 ? r.num[10] : -1;
    s.line.push(code !== null && lasti >= 0 ? code.lineOf(lasti) : 0);
    if (woke !== null) {
      this.edges.push(['wake', woke.id, task.id, t - t0]);
    }
  }

  private waitCategory(key: number): number {
    const type = key ? this.types.get(key) : undefined;
    if (type === undefined) {
      return WAIT_FUTURE;
    }
    return type.task ? WAIT_TASK : type.gather ? WAIT_GATHER : WAIT_FUTURE;
  }

  private future(r: RecordFields): void {
    const fut = new FutureInfo(this.next++);
    this.byRaw.set(r.num[2], fut);
    fut.created = r.num[1];
    const creator = this.code(r.num[3]);
    fut.hasCreator = creator !== null;
    fut.kind = creator === null ? 'future' : creator.info.futureKind;
  }

  private done(r: RecordFields): void {
    const task = this.taskOf(r.num[2]);
    this.endTask(task, r.num[1], OUTCOMES[r.num[3]] ?? 'ok');
    const type = r.num[4] ? this.types.get(r.num[4]) : undefined;
    task.type = type !== undefined ? type.name : null;
    // An eager task can finish before create_task's caller names it: keep that name.
    const name = r.str[5];
    if (name && !(task.name && name.startsWith('Task-'))) {
      task.name = name;
    }
    task.error = r.str[6];
    if (task.outcome === 'cancelled') {
      task.cancel = this.whoCancelled(task);
    }
    // Only this record reads what woke the task last: let that chain go.
    task.lastWoke = null;
  }

  private whoCancelled(task: TaskInfo): CancelInfo {
    const woke = task.lastWoke;
    if (woke instanceof FutureInfo && woke.cancel !== null) {
      return { ...woke.cancel, via: woke.id };
    }
    if (woke instanceof TaskInfo && woke.outcome === 'cancelled') {
      return { ...(woke.cancel ?? {}), via: woke.id };
    }
    // cancel() on a task that was not waiting: only 3.12+ (cancels.py) sees who called it.
    if (task.cancelReq !== null) {
      return { ...task.cancelReq, via: null };
    }
    return { by_task: null, site: null, stack: [], via: null, while: 'scheduled' };
  }

  private cancel(r: RecordFields): void {
    let fut = this.byRaw.get(r.num[2]);
    if (!(fut instanceof FutureInfo)) {
      fut = this.anonymousFuture(r.num[2]);
    }
    const by = r.num[5] ? this.byRaw.get(r.num[5]) : undefined;
    fut.cancel = {
      by_task: by instanceof TaskInfo ? by.id : null,
      site: this.frame(r.num[3], r.num[4]),
      stack: [],
    };
  }

  private cancelTask(r: RecordFields): void {
    const task = this.byRaw.get(r.num[2]);
    if (task instanceof TaskInfo) {
      const by = r.num[5] ? this.byRaw.get(r.num[5]) : undefined;
      task.cancelReq = {
        by_task: by instanceof TaskInfo ? by.id : null,
        site: this.frame(r.num[3], r.num[4]),
        stack: [],
        while: 'scheduled',
      };
    }
  }

  private report(r: RecordFields): void {
    const info = this.byRaw.get(r.num[2]);
    const what = REPORTS[r.num[3]];
    if (what !== undefined && info instanceof TaskInfo) {
      info.reports.push(what);
      if (r.str[4]) {
        info.name = r.str[4];
      }
      this.changed.set(info.id, info);
    }
  }
}
