import * as vscode from 'vscode';
import { SessionRecord, SessionStore } from './sessionStore';

/**
 * The "Asyncio Tasks" view. Until the adapter streams task deltas it lists the running `asyncio`
 * sessions; task nodes will hang under them. Ids are the session ids so VS Code keeps expansion
 * and selection across refreshes.
 */
export class TasksTreeProvider implements vscode.TreeDataProvider<SessionRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionRecord | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: SessionStore) {
    // A record-level change refreshes that node only; undefined (added/removed) refreshes the root.
    this.subscription = store.onDidChange((record) => this.changed.fire(record));
  }

  getChildren(element?: SessionRecord): SessionRecord[] {
    return element ? [] : [...this.store.sessions];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(record: SessionRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(record.session.name, vscode.TreeItemCollapsibleState.None);
    item.id = record.session.id;
    item.description = record.stopped ? 'paused' : 'running';
    item.iconPath = record.stopped
      ? new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('debugIcon.pauseForeground'))
      : new vscode.ThemeIcon('debug-start', new vscode.ThemeColor('debugIcon.startForeground'));
    item.tooltip = `${record.customEvents.length} adapter events received`;
    item.contextValue = 'asyncioSession';
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
