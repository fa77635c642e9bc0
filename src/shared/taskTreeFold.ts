/**
 * How the "Asyncio Tasks" view groups siblings (`TaskTree` decides where they sit): identical
 * childless tasks folded into one "worker() ×500" node, split into pages when it is bigger than one
 * page; outside tree mode every task in a bucket by state or by coroutine; the name filter. Pure
 * functions of the tasks and the options.
 */
import type { TaskInfo } from './dapCustom';
import { TASK_STATES, TaskState, coroutineLabel, isFinished, stateOf } from './taskDump';
import type { GroupBy, TaskNode, TreeOptions } from './taskTree';

export type FoldNode = Extract<TaskNode, { kind: 'collapsed' }>;

/** The row of one task; undefined when it is not shown. */
type RowOf = (task: number) => TaskNode | undefined;

/**
 * Folds identical siblings (same coroutine and state) when there are at least `collapseMin`; tasks
 * `keepOut` names (rows with children of their own) are never folded. Rows keep their order, a fold
 * standing where its first member was.
 */
export function foldSiblings(
  containerId: string,
  tasks: TaskInfo[],
  collapseMin: number,
  keepOut: (task: TaskInfo) => boolean,
  row: RowOf,
): TaskNode[] {
  const byKey = new Map<string, TaskInfo[]>();
  for (const task of tasks) {
    if (keepOut(task)) continue;
    const key = `${coroutineLabel(task)}|${stateOf(task)}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(task);
  }
  const folded = new Map<number, TaskNode>();
  const inFold = new Set<number>();
  for (const [key, list] of byKey) {
    if (list.length < collapseMin) continue;
    const ids = list.map((t) => t.id);
    const node: TaskNode = {
      kind: 'collapsed',
      id: `c${containerId}|${key}`,
      container: containerId,
      label: coroutineLabel(list[0]),
      state: stateOf(list[0]),
      tasks: ids,
    };
    folded.set(ids[0], node);
    for (const id of ids) inFold.add(id);
  }
  const out: TaskNode[] = [];
  for (const task of tasks) {
    const fold = folded.get(task.id);
    if (fold) out.push(fold);
    else if (!inFold.has(task.id)) out.push(row(task.id)!);
  }
  return out.filter(Boolean);
}

/** A fold's tasks, or pages of `size` of them when there are more (a page shows its tasks). */
export function foldChildren(fold: FoldNode, size: number, row: RowOf): TaskNode[] {
  if (fold.tasks.length <= size || fold.page) {
    return fold.tasks.map((t) => row(t)).filter((n): n is TaskNode => !!n);
  }
  const pages: TaskNode[] = [];
  for (let from = 0; from < fold.tasks.length; from += size) {
    const tasks = fold.tasks.slice(from, from + size);
    const page = { from: from + 1, to: from + tasks.length, of: fold.tasks.length };
    pages.push({ ...fold, id: `${fold.id}#${pages.length}`, container: fold.id, tasks, page });
  }
  return pages;
}

/** Whether the filter and the finished-task setting let `task` show. */
export function passes(task: TaskInfo, options: TreeOptions): boolean {
  if (!options.showFinished && isFinished(task)) return false;
  const filter = options.filter.toLowerCase();
  return !filter || task.name.toLowerCase().includes(filter) || task.coroutine.toLowerCase().includes(filter);
}

/** Id of the bucket holding `task` when grouped by state (`s:…`) or by coroutine (`f:…`). */
export function bucketKey(task: TaskInfo, groupBy: GroupBy): string {
  return groupBy === 'state' ? `s:${stateOf(task)}` : `f:${coroutineLabel(task)}`;
}

/** Ids of the tasks that pass, by bucket, in creation order. */
export function bucketTasks(tasks: ReadonlyMap<number, TaskInfo>, options: TreeOptions): Map<string, number[]> {
  const buckets = new Map<string, number[]>();
  const ids = [...tasks.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const task = tasks.get(id)!;
    if (!passes(task, options)) continue;
    const key = bucketKey(task, options.groupBy);
    let list = buckets.get(key);
    if (!list) buckets.set(key, (list = []));
    list.push(id);
  }
  return buckets;
}

/** The top-level bucket nodes: states in their fixed order, coroutines alphabetically. */
export function bucketNodes(buckets: ReadonlyMap<string, number[]>, groupBy: GroupBy): TaskNode[] {
  const keys = [...buckets.keys()];
  if (groupBy === 'state') {
    keys.sort((a, b) => TASK_STATES.indexOf(a.slice(2) as TaskState) - TASK_STATES.indexOf(b.slice(2) as TaskState));
  } else {
    keys.sort();
  }
  return keys.map((key) => ({
    kind: 'bucket',
    id: key,
    label: key.slice(2),
    state: groupBy === 'state' ? (key.slice(2) as TaskState) : undefined,
    tasks: buckets.get(key)!,
  }));
}
