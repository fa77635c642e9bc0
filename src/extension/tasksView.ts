/**
 * The "Asyncio Tasks" view: one row per `asyncio` session (the live ones, and the last one after it
 * ends), its tasks beneath as `TaskTree` arranges them. Refreshes are targeted (the containers a
 * delta touched), batched to at most 10 per second, and skipped while the view is hidden.
 */
import * as vscode from 'vscode';
import type { TaskInfo } from '../shared/dapCustom';
import type { TaskNode } from '../shared/taskTree';
import { Views } from './contributionIds';
import { SessionStore } from './sessionStore';
import { nodeItem, taskTooltip } from './tasksItems';
import { SessionTasks, TasksChange, TasksStore } from './tasksStore';

export type TasksElement =
  | { readonly kind: 'session'; readonly id: string; readonly entry: SessionTasks }
  | { readonly kind: 'node'; readonly id: string; readonly entry: SessionTasks; readonly node: TaskNode };

const REFRESH_INTERVAL_MS = 100;

export class TasksTreeProvider implements vscode.TreeDataProvider<TasksElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TasksElement | TasksElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TasksElement>;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** Elements handed to VS Code, by id, so refreshes and reveal pass the same objects back. */
  private readonly elements = new Map<string, TasksElement>();
  private pending: Map<string, Set<string | undefined> | 'all'> | 'all' | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;

  constructor(
    readonly store: TasksStore,
    private readonly sessions: SessionStore,
  ) {
    this.view = vscode.window.createTreeView(Views.Tasks, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      store.onDidChange((c) => this.queue(c)),
      // Paused/running shows on the session row.
      sessions.onDidChange((record) =>
        this.queue({ session: record && store.get(record.session.id), containers: new Set() }),
      ),
      this.view.onDidChangeVisibility((e) => e.visible && this.schedule()),
    );
    this.updateMessage();
  }

  getChildren(element?: TasksElement): TasksElement[] {
    if (!element) return this.store.sessions.map((entry) => this.sessionElement(entry));
    const node = element.kind === 'node' ? element.node : undefined;
    return element.entry.tree.children(node).map((child) => this.nodeElement(element.entry, child));
  }

  getParent(element: TasksElement): TasksElement | undefined {
    if (element.kind === 'session') return undefined;
    const parent = element.entry.tree.parent(element.node);
    return parent ? this.nodeElement(element.entry, parent) : this.sessionElement(element.entry);
  }

  getTreeItem(element: TasksElement): vscode.TreeItem {
    const { entry } = element;
    if (element.kind === 'session') return this.sessionItem(element);
    const model = entry.model;
    const byId = (id: number): TaskInfo | undefined => model.get(id);
    const node = element.node;
    const top = node.kind === 'task' && model.get(node.task) !== undefined && entry.tree.parent(node) === undefined;
    return nodeItem(node, element.id, model.now, byId, entry.tree.hasChildren(node), top);
  }

  /** A task's tooltip, made when the row is hovered: 10k rows must not each build one up front. */
  resolveTreeItem(item: vscode.TreeItem, element: TasksElement): vscode.TreeItem {
    if (item.tooltip !== undefined || element.kind !== 'node' || element.node.kind !== 'task') return item;
    const model = element.entry.model;
    const task = model.get(element.node.task);
    if (task) item.tooltip = taskTooltip(task, model.now, (id) => model.get(id));
    return item;
  }

  /** The element showing `taskId` in a session (for reveal and for commands given a task id). */
  taskElement(entry: SessionTasks, taskId: number): TasksElement | undefined {
    const node = entry.tree.taskNode(taskId);
    return node && this.nodeElement(entry, node);
  }

  async reveal(entry: SessionTasks, taskId: number): Promise<boolean> {
    const element = this.taskElement(entry, taskId);
    if (!element) return false;
    await this.view.reveal(element, { select: true, focus: false, expand: false });
    return true;
  }

  /** Puts the filter and grouping where the user sees them: the view's description. */
  updateMessage(): void {
    const { filter, groupBy, showFinished } = this.store.settings;
    const parts: string[] = [];
    if (filter) parts.push(`filter: ${filter}`);
    if (groupBy !== 'tree') parts.push(`by ${groupBy}`);
    if (!showFinished) parts.push('live only');
    this.view.description = parts.join(' · ') || undefined;
    const unsupported = this.store.sessions.find((e) => e.unsupported && !e.ended);
    const truncated = this.store.sessions.find((e) => e.model.truncated);
    this.view.message = unsupported
      ? `This session does not report tasks yet (${unsupported.unsupported}).`
      : truncated
        ? truncatedMessage(truncated)
        : filter && this.store.sessions.every((e) => e.tree.children().length === 0)
          ? `No task matches "${filter}".`
          : undefined;
  }

  private sessionElement(entry: SessionTasks): TasksElement {
    return this.remember({ kind: 'session', id: `s/${entry.session.id}`, entry });
  }

  private nodeElement(entry: SessionTasks, node: TaskNode): TasksElement {
    return this.remember({ kind: 'node', id: `${entry.session.id}/${node.id}`, entry, node });
  }

  private remember(element: TasksElement): TasksElement {
    const old = this.elements.get(element.id);
    // Reuse the object VS Code already knows; take the fresh node (its counts may have changed).
    if (old && old.kind === element.kind) {
      Object.assign(old, element);
      return old;
    }
    this.elements.set(element.id, element);
    return element;
  }

  private sessionItem(element: TasksElement): vscode.TreeItem {
    const { entry } = element;
    const item = new vscode.TreeItem(
      entry.session.name,
      entry.model.tasks.size ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = element.id;
    const stopped = this.sessions.get(entry.session.id)?.stopped ?? entry.model.stopped;
    const live = [...entry.model.tasks.values()].filter((t) => t.state === 'pending').length;
    const shown = entry.model.truncated ? ` (of ${entry.model.total.toLocaleString('en-US')})` : '';
    const count = entry.model.seq < 0 ? '' : ` · ${live} live / ${entry.model.tasks.size} tasks${shown}`;
    item.description = (entry.ended ? 'ended' : stopped ? 'paused' : 'running') + count;
    item.iconPath = entry.ended
      ? new vscode.ThemeIcon('debug-stop')
      : stopped
        ? new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('debugIcon.pauseForeground'))
        : new vscode.ThemeIcon('debug-start', new vscode.ThemeColor('debugIcon.startForeground'));
    const dropped = entry.model.dropped;
    item.tooltip =
      entry.unsupported ??
      (dropped.records || dropped.objects
        ? `The agent dropped ${dropped.records} records and ${dropped.objects} objects to stay bounded.`
        : undefined);
    item.contextValue = 'asyncioSession';
    return item;
  }

  private queue(change: TasksChange): void {
    if (!change.session) this.pending = 'all';
    else if (this.pending !== 'all') {
      const map: Map<string, Set<string | undefined> | 'all'> = this.pending ?? new Map();
      this.pending = map;
      const id = change.session.session.id;
      const known = map.get(id);
      if (change.containers === 'all') map.set(id, 'all');
      else if (known !== 'all') {
        const set = known ?? new Set<string | undefined>();
        for (const c of change.containers) set.add(c);
        // No container: only the session row (paused/running, counts) changed.
        if (change.containers.size === 0) set.add(undefined);
        map.set(id, set);
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.pending || !this.view.visible) return;
    const wait = Math.max(0, this.lastFlush + REFRESH_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.view.visible) return;
    this.lastFlush = Date.now();
    const pending = this.pending;
    this.pending = undefined;
    this.updateMessage();
    if (pending === 'all' || pending === undefined) {
      this.elements.clear();
      this.changed.fire(undefined);
      return;
    }
    const targets: TasksElement[] = [];
    for (const [sessionId, containers] of pending) {
      const entry = this.store.get(sessionId);
      if (!entry) continue;
      const session = this.sessionElement(entry);
      if (containers === 'all' || containers.has(undefined)) {
        targets.push(session);
        continue;
      }
      for (const id of containers) {
        const known = id && this.elements.get(`${sessionId}/${id}`);
        // A container VS Code never saw has no rows to refresh; its holder shows it when expanded.
        if (known) targets.push(known);
      }
    }
    if (targets.length) this.changed.fire(targets);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
  }
}

/** Says that the view holds only part of a huge session's tasks, which part, and where the rest is. */
export function truncatedMessage(entry: SessionTasks): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const { model } = entry;
  return (
    `Showing ${n(model.tasks.size)} of ${n(model.total)} tasks (at most ${n(model.limit)}: live ones first, ` +
    'then the latest finished); the others are counted, not lost.'
  );
}
