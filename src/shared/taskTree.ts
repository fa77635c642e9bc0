/**
 * How the "Asyncio Tasks" view arranges tasks: by structured concurrency (parent → children, with
 * each TaskGroup as a node holding its tasks), or flat by state or by coroutine function; identical
 * siblings folded into one "worker() ×500" node (in pages of 1,000 when bigger); finished tasks and
 * a name filter applied (how siblings fold and bucket: `taskTreeFold.ts`). Pure so it is tested
 * and benchmarked without VS Code. Children are computed lazily, per node, and cached per model
 * version: a 10,000-task model costs only what the user has expanded.
 */
import type { TaskInfo } from './dapCustom';
import { TaskState, dumpTree } from './taskDump';
import { FoldNode, bucketKey, bucketNodes, bucketTasks, foldChildren, foldSiblings, passes } from './taskTreeFold';

/** What the tree reads from a session's task model (see `TaskModel`). */
export interface TaskSource {
  readonly tasks: ReadonlyMap<number, TaskInfo>;
  readonly version: number;
  readonly now: number;
  parentOf(task: TaskInfo): number;
  childrenOf(parent: number): number[];
  hasChildren(id: number): boolean;
  childCount(id: number): number;
}

export const ROOT_PARENT = 0;

export type GroupBy = 'tree' | 'state' | 'coroutine';

export interface TreeOptions {
  groupBy: GroupBy;
  showFinished: boolean;
  /** Case-insensitive substring of the task name or coroutine; empty shows everything. */
  filter: string;
  /** Fewest identical siblings folded into one node. */
  collapseMin: number;
  /** Most rows a fold shows at once; a bigger one holds pages of this many (default PAGE_SIZE). */
  pageSize?: number;
}

/** 10k rows in one node cost VS Code seconds to show and to refresh; pages of 1,000 do not. */
export const PAGE_SIZE = 1_000;

export const DEFAULT_OPTIONS: TreeOptions = { groupBy: 'tree', showFinished: true, filter: '', collapseMin: 3 };

export type TaskNode =
  | { kind: 'task'; id: string; task: number }
  | { kind: 'group'; id: string; parent: number; group: number; size: number; first: number }
  | {
      kind: 'collapsed';
      id: string;
      container: string;
      label: string;
      state: TaskState;
      tasks: number[];
      /** A page of a bigger fold: 1-based positions of its first and last task there, and the fold's size. */
      page?: { from: number; to: number; of: number };
    }
  | { kind: 'bucket'; id: string; label: string; state?: TaskState; tasks: number[] };

export const taskNodeId = (task: number): string => `t${task}`;
const groupNodeId = (parent: number, group: number): string => `g${parent}.${group}`;

export class TaskTree {
  private cacheVersion = -1;
  private readonly childCache = new Map<string, TaskNode[]>();
  private readonly nodes = new Map<string, TaskNode>();
  private visible: Set<number> | undefined;
  /** Visible children of a task (any group), per version. */
  private readonly under = new Map<number, TaskInfo[]>();
  private buckets: Map<string, number[]> | undefined;

  constructor(
    private readonly source: TaskSource,
    private options: TreeOptions = { ...DEFAULT_OPTIONS },
  ) {}

  get settings(): TreeOptions {
    return this.options;
  }

  configure(changes: Partial<TreeOptions>): void {
    this.options = { ...this.options, ...changes };
    this.cacheVersion = -1;
  }

  /** Children of `node`, or the roots; folded and filtered. */
  children(node?: TaskNode): TaskNode[] {
    this.sync();
    const key = node?.id ?? '';
    const hit = this.childCache.get(key);
    if (hit) return hit;
    const made = this.compute(node);
    this.childCache.set(key, made);
    for (const child of made) this.nodes.set(child.id, child);
    return made;
  }

  hasChildren(node: TaskNode): boolean {
    if (node.kind !== 'task') return true;
    if (this.options.groupBy !== 'tree') return false;
    return this.hasVisibleChildren(node.task);
  }

  private hasVisibleChildren(id: number): boolean {
    if (!this.source.hasChildren(id)) return false;
    return this.options.showFinished && !this.options.filter ? true : this.tasksUnder(id).length > 0;
  }

  /** The node holding `node` (undefined at the top): what `TreeDataProvider.getParent` needs for reveal. */
  parent(node: TaskNode): TaskNode | undefined {
    this.sync();
    switch (node.kind) {
      case 'bucket':
        return undefined;
      case 'collapsed':
        return this.nodes.get(node.container) ?? this.lookup(node.container);
      case 'group':
        return node.parent === ROOT_PARENT ? undefined : this.taskNode(node.parent);
      case 'task':
        return this.parentOfTask(node.task);
    }
  }

  /** The node that shows `taskId` itself (its folded node's child when folded), for reveal. */
  taskNode(taskId: number): TaskNode | undefined {
    this.sync();
    if (!this.source.tasks.has(taskId) || !this.isVisible(taskId)) return undefined;
    const id = taskNodeId(taskId);
    let node = this.nodes.get(id);
    if (!node) this.nodes.set(id, (node = { kind: 'task', id, task: taskId }));
    return node;
  }

  /**
   * Ids of the container nodes (undefined = the top) whose rows a delta altered: where each changed
   * task sits, plus a parent's holder when the parent gained its first children or lost its last.
   */
  affected(
    changed: Iterable<number>,
    removed: readonly TaskInfo[] = [],
    added: ReadonlySet<number> = new Set(),
  ): Set<string | undefined> {
    const out = new Set<string | undefined>();
    if (this.options.groupBy !== 'tree' || this.options.filter || !this.options.showFinished) {
      // Buckets and filters move tasks between containers: the top level holds them all.
      out.add(undefined);
      return out;
    }
    /** Parent → how many of its children this delta added. */
    const parents = new Map<number, number>();
    const count = (parent: number, n: number): void => void parents.set(parent, (parents.get(parent) ?? 0) + n);
    for (const id of changed) {
      const task = this.source.tasks.get(id);
      if (!task) continue;
      out.add(this.containerOf(task).id);
      if (!added.has(id)) continue;
      count(this.source.parentOf(task), 1);
      // A TaskGroup node appears with its first task.
      if (task.group !== null) out.add(this.holderOf(task));
    }
    for (const task of removed) {
      out.add(this.containerOf(task).id);
      count(task.parent ?? ROOT_PARENT, 0);
      if (task.group !== null) out.add(this.holderOf(task));
      // Its children now hang at the top.
      if (this.source.hasChildren(task.id)) out.add(undefined);
    }
    for (const [id, added] of parents) {
      const parent = this.source.tasks.get(id);
      if (!parent) continue;
      const children = this.source.childCount(id);
      // The parent's row turns expandable (and leaves any fold), or stops being so.
      if (children === 0 || children === added) out.add(this.containerOf(parent).id);
    }
    return out;
  }

  /** Plain text of the whole tree (every task, nothing folded or filtered), for the clipboard. */
  dump(header?: string): string {
    return dumpTree(this.source, ROOT_PARENT, header);
  }

  private sync(): void {
    if (this.cacheVersion === this.source.version) return;
    this.cacheVersion = this.source.version;
    this.childCache.clear();
    this.nodes.clear();
    this.under.clear();
    this.visible = undefined;
    this.buckets = undefined;
  }

  private lookup(id: string): TaskNode | undefined {
    if (id.startsWith('s:') || id.startsWith('f:')) return this.children().find((n) => n.id === id);
    if (id.startsWith('t')) return this.taskNode(Number(id.slice(1)));
    if (id.startsWith('g')) {
      const [parent, group] = id.slice(1).split('.').map(Number);
      return this.groupNodes(parent).find((n) => n.kind === 'group' && n.group === group);
    }
    return undefined;
  }

  private parentOfTask(taskId: number): TaskNode | undefined {
    const task = this.source.tasks.get(taskId);
    if (!task) return undefined;
    if (this.options.groupBy !== 'tree') {
      const bucket = bucketKey(task, this.options.groupBy);
      const top = this.children().find((n) => n.id === bucket);
      return top && this.foldHolding(this.children(top), taskId, top);
    }
    const container = this.containerOf(task);
    const holder = container.id === undefined ? undefined : (this.nodes.get(container.id) ?? this.lookup(container.id));
    return this.foldHolding(this.children(holder), taskId, holder);
  }

  /** The fold among `siblings` that holds `taskId` (or its page when paged), else `otherwise`. */
  private foldHolding(siblings: TaskNode[], taskId: number, otherwise: TaskNode | undefined): TaskNode | undefined {
    const fold = siblings.find((n) => n.kind === 'collapsed' && n.tasks.includes(taskId));
    if (!fold) return otherwise;
    return this.children(fold).find((n) => n.kind === 'collapsed' && n.tasks.includes(taskId)) ?? fold;
  }

  /** A fold's tasks, or pages of them when there are more than `pageSize`. */
  private foldChildren(fold: FoldNode): TaskNode[] {
    const size = Math.max(1, this.options.pageSize ?? PAGE_SIZE);
    return foldChildren(fold, size, (id) => this.taskNode(id));
  }

  /** Id of the node holding `task` in tree mode: its TaskGroup, its parent task, or undefined (the top). */
  private containerOf(task: TaskInfo): { id: string | undefined } {
    const parent = this.source.parentOf(task);
    if (task.group !== null) return { id: groupNodeId(parent, task.group) };
    return { id: parent === ROOT_PARENT ? undefined : taskNodeId(parent) };
  }

  /** Id of the parent task's node (undefined: the top), where a TaskGroup node sits. */
  private holderOf(task: TaskInfo): string | undefined {
    const parent = this.source.parentOf(task);
    return parent === ROOT_PARENT ? undefined : taskNodeId(parent);
  }

  private tasksUnder(parent: number): TaskInfo[] {
    const hit = this.under.get(parent);
    if (hit) return hit;
    const out: TaskInfo[] = [];
    this.under.set(parent, out);
    for (const id of this.source.childrenOf(parent)) {
      const task = this.source.tasks.get(id);
      if (task && this.isVisible(id)) out.push(task);
    }
    return out;
  }

  private compute(node: TaskNode | undefined): TaskNode[] {
    if (this.options.groupBy !== 'tree') {
      if (!node) return this.bucketNodes();
      if (node.kind === 'bucket') return this.fold(node.id, this.byIds(node.tasks));
      if (node.kind === 'collapsed') return this.foldChildren(node);
      return [];
    }
    if (!node) return this.childrenOfTask(ROOT_PARENT, '');
    switch (node.kind) {
      case 'task':
        return this.childrenOfTask(node.task, node.id);
      case 'group':
        return this.fold(
          node.id,
          this.tasksUnder(node.parent).filter((t) => t.group === node.group),
        );
      case 'collapsed':
        return this.foldChildren(node);
      default:
        return [];
    }
  }

  private childrenOfTask(parent: number, containerId: string): TaskNode[] {
    const tasks = this.tasksUnder(parent);
    const loose = this.fold(
      containerId,
      tasks.filter((t) => t.group === null),
    );
    const groups = this.groupNodes(parent, tasks);
    if (!groups.length) return loose;
    // In creation order: a TaskGroup sits where its first task was made, a fold where its first member was.
    const first = (n: TaskNode): number =>
      n.kind === 'task' ? n.task : n.kind === 'collapsed' ? n.tasks[0] : n.kind === 'group' ? n.first : 0;
    return [...loose, ...groups].sort((a, b) => first(a) - first(b));
  }

  private groupNodes(parent: number, tasks = this.tasksUnder(parent)): TaskNode[] {
    const groups = new Map<number, { size: number; first: number }>();
    for (const t of tasks) {
      if (t.group === null) continue;
      const known = groups.get(t.group);
      if (known) known.size++;
      else groups.set(t.group, { size: 1, first: t.id });
    }
    return [...groups]
      .sort((a, b) => a[1].first - b[1].first)
      .map(([group, { size, first }]) => ({
        kind: 'group',
        id: groupNodeId(parent, group),
        parent,
        group,
        size,
        first,
      }));
  }

  /** Folds runs of identical childless siblings: same coroutine and, unless bucketed by state, same state. */
  private fold(containerId: string, tasks: TaskInfo[]): TaskNode[] {
    const tree = this.options.groupBy === 'tree';
    return foldSiblings(
      containerId,
      tasks,
      this.options.collapseMin,
      (task) => tree && this.hasVisibleChildren(task.id),
      (id) => this.taskNode(id),
    );
  }

  private byIds(ids: number[]): TaskInfo[] {
    return ids.map((id) => this.source.tasks.get(id)).filter((t): t is TaskInfo => !!t);
  }

  private bucketNodes(): TaskNode[] {
    this.buckets ??= bucketTasks(this.source.tasks, this.options);
    return bucketNodes(this.buckets, this.options.groupBy);
  }

  /** In tree mode a task that does not pass stays when a descendant does, so the path shows. */
  private isVisible(id: number): boolean {
    if (this.options.showFinished && !this.options.filter) return true;
    if (!this.visible) {
      const visible = new Set<number>();
      for (const task of this.source.tasks.values()) {
        if (!passes(task, this.options)) continue;
        let current: TaskInfo | undefined = task;
        while (current && !visible.has(current.id)) {
          visible.add(current.id);
          const parent = this.source.parentOf(current);
          current =
            parent === ROOT_PARENT || this.options.groupBy !== 'tree' ? undefined : this.source.tasks.get(parent);
        }
      }
      this.visible = visible;
    }
    return this.visible.has(id);
  }
}
