/**
 * How one node of the "Asyncio Tasks" view looks: label, description, state icon and colour,
 * Markdown tooltip (made on hover) and the `contextValue` the menus in package.json match on.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { SourceSite, TaskInfo } from '../shared/dapCustom';
import { TaskState, coroutineLabel, formatDuration, stateOf, statusText } from '../shared/taskDump';
import type { TaskNode } from '../shared/taskTree';

const STATE_ICONS: Record<TaskState, [string, string]> = {
  running: ['play-circle', 'charts.green'],
  ready: ['circle-large-outline', 'charts.blue'],
  awaiting: ['watch', 'charts.yellow'],
  done: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'charts.orange'],
};

export function stateIcon(state: TaskState): vscode.ThemeIcon {
  const [icon, color] = STATE_ICONS[state];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/**
 * `asyncioTask.pending.thread`: menus show Cancel only for pending tasks and prefer the Call Stack
 * for tasks with a thread. Matched with regular expressions in package.json.
 */
export function taskContextValue(task: TaskInfo): string {
  const parts = ['asyncioTask', task.state === 'pending' ? 'pending' : 'finished'];
  if (task.site) parts.push('site');
  if (task.threadId !== null) parts.push('thread');
  return parts.join('.');
}

function siteText(site: SourceSite): string {
  return `${path.basename(site.file)}:${site.line} in ${site.function}`;
}

function siteLink(site: SourceSite): string {
  const uri = vscode.Uri.file(site.file).with({ fragment: `L${site.line}` });
  return `[${siteText(site)}](${uri.toString()})`;
}

export function taskTooltip(
  task: TaskInfo,
  now: number,
  byId: (id: number) => TaskInfo | undefined,
): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(task.name)}** — ${code(coroutineLabel(task))}\n\n`);
  md.appendMarkdown(`$(${STATE_ICONS[stateOf(task)][0]}) ${escape(statusText(task, now))}\n\n`);
  if (task.site) md.appendMarkdown(`Created at ${siteLink(task.site)}\n\n`);
  const parent = task.parent !== null ? byId(task.parent) : undefined;
  if (parent) md.appendMarkdown(`Created by ${escape(parent.name)} ${code(coroutineLabel(parent))}\n\n`);
  if (task.created !== null) {
    const lifetime = Math.max(0, (task.ended ?? now) - task.created);
    const idle = Math.max(0, lifetime - task.busy);
    md.appendMarkdown(
      `Busy ${formatDuration(task.busy)} in ${task.steps} step${task.steps === 1 ? '' : 's'} · idle ${formatDuration(idle)}` +
        ` · ${task.ended !== null ? 'lived' : 'alive for'} ${formatDuration(lifetime)}\n\n`,
    );
  }
  if (task.state === 'ok' && task.type) md.appendMarkdown(`Returned ${code(task.type)}\n\n`);
  if (task.state === 'unknown') md.appendMarkdown('Finished; outcome not recorded (records were dropped)\n\n');
  if (task.state === 'error') {
    md.appendMarkdown(`Raised ${code(task.type ?? 'an exception')}`);
    md.appendMarkdown(task.error ? `: ${escape(task.error)}\n\n` : '\n\n');
  }
  const cancel = task.cancelledBy;
  if (cancel) {
    const by = cancel.task !== null ? byId(cancel.task) : undefined;
    const who = by ? `${escape(by.name)}` : cancel.task !== null ? `task #${cancel.task}` : 'a callback';
    md.appendMarkdown(`Cancelled by ${who}${cancel.site ? ` at ${siteLink(cancel.site)}` : ''}`);
    md.appendMarkdown(cancel.while ? ` while ${cancel.while}\n\n` : '\n\n');
  }
  for (const report of task.reports.slice(0, 3)) md.appendMarkdown(`⚠ ${escape(report)}\n\n`);
  if (task.eager) md.appendMarkdown('Started eagerly\n\n');
  return md;
}

/** Code spans show their text verbatim: only a backtick could end one early. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** The item for a node of a session's tree; `id` is unique across sessions and stable. */
export function nodeItem(
  node: TaskNode,
  id: string,
  now: number,
  byId: (id: number) => TaskInfo | undefined,
  hasChildren: boolean,
  topLevel: boolean,
): vscode.TreeItem {
  const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  switch (node.kind) {
    case 'task': {
      const task = byId(node.task);
      const item = new vscode.TreeItem(task?.name ?? `#${node.task}`);
      item.id = id;
      if (!task) return item;
      const expand = topLevel && task.state === 'pending';
      item.collapsibleState = hasChildren ? (expand ? vscode.TreeItemCollapsibleState.Expanded : collapsed) : 0;
      item.description = `${coroutineLabel(task)} · ${statusText(task, now)}`;
      item.iconPath = stateIcon(stateOf(task));
      item.contextValue = taskContextValue(task);
      // The Markdown tooltip costs more than the rest of the row: it is made on hover (resolveTreeItem).
      item.accessibilityInformation = { label: `${task.name}, ${coroutineLabel(task)}, ${statusText(task, now)}` };
      return item;
    }
    case 'group': {
      const item = new vscode.TreeItem(`TaskGroup ${node.group}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = id;
      item.description = `${node.size} task${node.size === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('layers');
      item.contextValue = 'asyncioTaskGroup';
      return item;
    }
    case 'collapsed': {
      const { page } = node;
      const label = page ? `${node.label} ${page.from}–${page.to}` : `${node.label} ×${node.tasks.length}`;
      const item = new vscode.TreeItem(label, collapsed);
      item.id = id;
      item.description = node.state;
      item.iconPath = stateIcon(node.state);
      item.tooltip = page
        ? `${node.label} tasks ${page.from} to ${page.to} of ${page.of}, all ${node.state}`
        : `${node.tasks.length} ${node.label} tasks, all ${node.state}, none with children`;
      item.contextValue = 'asyncioTaskFold';
      return item;
    }
    case 'bucket': {
      const item = new vscode.TreeItem(node.label, collapsed);
      item.id = id;
      item.description = `${node.tasks.length}`;
      item.iconPath = node.state ? stateIcon(node.state) : new vscode.ThemeIcon('symbol-method');
      item.contextValue = 'asyncioTaskBucket';
      return item;
    }
  }
}
