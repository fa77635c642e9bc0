/**
 * Tasks as text: the state a row shows, what a task awaits and for how long, and the plain-text dump
 * of a whole tree (in the spirit of `python -m asyncio pstree`) that "Copy Task Dump" puts on the
 * clipboard. The tree view and the dump share these so a row and its dump line never disagree.
 */
import type { AwaitInfo, TaskInfo } from './dapCustom';

export type TaskState = 'running' | 'ready' | 'awaiting' | 'done' | 'failed' | 'cancelled';

export const TASK_STATES: readonly TaskState[] = ['running', 'ready', 'awaiting', 'done', 'failed', 'cancelled'];

export function stateOf(task: TaskInfo): TaskState {
  switch (task.state) {
    case 'ok':
    case 'unknown':
      return 'done';
    case 'error':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      // A pending task the agent calls `done` is finishing right now; it still runs its last step.
      return task.activity === 'done' ? 'running' : task.activity;
  }
}

export function isFinished(task: TaskInfo): boolean {
  return task.state !== 'pending';
}

/** `main()`: coroutine names read as calls, as in tracebacks and `asyncio` reprs. */
export function coroutineLabel(task: TaskInfo): string {
  const c = task.coroutine || '?';
  return c.endsWith(')') ? c : `${c}()`;
}

const AWAIT_LABELS: Record<string, string> = {
  gather: 'gather',
  queue: 'Queue',
  sleep: 'sleep',
  lock: 'Lock',
  semaphore: 'Semaphore',
  event: 'Event',
  condition: 'Condition',
  barrier: 'Barrier',
  shield: 'shield',
  wait: 'wait',
  wait_for: 'wait_for',
  as_completed: 'as_completed',
  taskgroup: 'TaskGroup',
  stream: 'stream',
  socket: 'socket',
  executor: 'executor',
  future: 'Future',
  yield: 'yield',
};

/** `Task fetch-7`, `Queue`, `sleep`: what `awaits` points at, in words. */
export function awaitTarget(awaits: AwaitInfo): string {
  if (awaits.kind === 'task') return `Task ${awaits.name ?? `#${awaits.id}`}`;
  return AWAIT_LABELS[awaits.kind] ?? (awaits.kind || 'Future');
}

/** Nanoseconds as a person reads them: `850 µs`, `12 ms`, `2.3 s`, `4m 05s`, `1h 02m`. */
export function formatDuration(ns: number): string {
  if (!(ns > 0)) return '0 ms';
  if (ns < 1e6) return `${Math.max(1, Math.round(ns / 1e3))} µs`;
  if (ns < 1e9) return `${Math.round(ns / 1e6)} ms`;
  const s = ns / 1e9;
  if (s < 59.95) return `${s.toFixed(1)} s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)}m ${String(total % 60).padStart(2, '0')}s`;
  const minutes = Math.floor(total / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** The row's description after the coroutine: `awaiting Queue · 2.3 s`, `failed: ValueError`. */
export function statusText(task: TaskInfo, now: number): string {
  const state = stateOf(task);
  switch (state) {
    case 'awaiting': {
      if (!task.awaits) return 'awaiting';
      const since = now - task.awaits.since;
      return `awaiting ${awaitTarget(task.awaits)}${since > 0 ? ` · ${formatDuration(since)}` : ''}`;
    }
    case 'failed':
      return task.type ? `failed: ${task.type}` : 'failed';
    case 'done':
      if (task.state === 'unknown') return 'done (outcome not recorded: records dropped)';
      return task.type ? `done → ${task.type}` : 'done';
    default:
      return state;
  }
}

/** Lines of the tree the dump walks: anything with a label and children. */
export interface DumpNode {
  label: string;
  children: DumpNode[];
}

/** One line per task: `name (coroutine) state awaits…`. */
export function dumpLine(task: TaskInfo, now: number): string {
  return `${task.name} (${task.coroutine || '?'}) ${statusText(task, now)}`;
}

/** Indented text of a tree of lines; two spaces per level. */
export function dumpText(roots: readonly DumpNode[], header?: string): string {
  const out: string[] = header ? [header] : [];
  const walk = (node: DumpNode, depth: number): void => {
    out.push(`${'  '.repeat(depth)}${node.label}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return out.join('\n') + '\n';
}

/** What `dumpTree` reads: every task by id, and each task's children in creation order. */
export interface DumpSource {
  readonly now: number;
  readonly tasks: ReadonlyMap<number, TaskInfo>;
  childrenOf(parent: number): readonly number[];
}

/** Plain text of every task under `root` (nothing folded or filtered), TaskGroup members under their group. */
export function dumpTree(source: DumpSource, root: number, header?: string): string {
  const build = (parent: number): DumpNode[] => {
    const out: DumpNode[] = [];
    const groups = new Map<number, DumpNode>();
    for (const id of source.childrenOf(parent)) {
      const task = source.tasks.get(id);
      if (!task) continue;
      const line: DumpNode = { label: dumpLine(task, source.now), children: build(id) };
      if (task.group === null) {
        out.push(line);
        continue;
      }
      let group = groups.get(task.group);
      if (!group) {
        groups.set(task.group, (group = { label: `[TaskGroup ${task.group}]`, children: [] }));
        out.push(group);
      }
      group.children.push(line);
    }
    return out;
  };
  return dumpText(build(root), header);
}
