/**
 * What the user can do with a task row: go to where it was created, see what it awaits, stop when
 * it finishes, cancel it, find it in the timeline, copy the whole tree as text; and the view-title
 * toggles (grouping, finished tasks, filter). Commands take the row they were invoked on, a
 * `{ sessionId, taskId }` (for tests and other extensions), or else the view's selection.
 */
import * as vscode from 'vscode';
import {
  BreakWhenDoneArguments,
  CancelTaskArguments,
  CustomRequests,
  TaskInfo,
  TaskStacksArguments,
  TaskStacksResponseBody,
} from '../shared/dapCustom';
import type { GroupBy } from '../shared/taskTree';
import { focusTaskThread } from './tasksFocus';
import { TasksElement, TasksTreeProvider } from './tasksView';
import { SessionTasks } from './tasksStore';

/** Paths that went through the editor's DAP client may come back as URIs (remote workspaces). */
function uriOf(file: string): vscode.Uri {
  return /^[a-z][\w+.-]+:\/\//i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
}

export const enum TaskCommands {
  GoToCreationSite = 'asyncioDebugger.tasks.goToCreationSite',
  ShowAwaitStack = 'asyncioDebugger.tasks.showAwaitStack',
  BreakWhenDone = 'asyncioDebugger.tasks.breakWhenDone',
  Cancel = 'asyncioDebugger.tasks.cancel',
  RevealInTimeline = 'asyncioDebugger.tasks.revealInTimeline',
  CopyDump = 'asyncioDebugger.tasks.copyDump',
  Filter = 'asyncioDebugger.tasks.filter',
  ClearFilter = 'asyncioDebugger.tasks.clearFilter',
  GroupByTree = 'asyncioDebugger.tasks.groupByTree',
  GroupByState = 'asyncioDebugger.tasks.groupByState',
  GroupByCoroutine = 'asyncioDebugger.tasks.groupByCoroutine',
  ShowFinished = 'asyncioDebugger.tasks.showFinished',
  HideFinished = 'asyncioDebugger.tasks.hideFinished',
}

/** The part of the timeline panel the tree talks to; absent when there is no timeline. */
export interface TimelineLink {
  reveal(taskId: number): void;
  readonly selection: {
    readonly onDidSelectTask: vscode.Event<{
      readonly source: { readonly kind: string; readonly sessionId?: string };
      readonly task: { readonly id: number };
    }>;
  };
}

export interface TaskRef {
  sessionId: string;
  taskId: number;
}

type Target = { entry: SessionTasks; task: TaskInfo };

export class TasksActions implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly view: TasksTreeProvider,
    private readonly timeline?: TimelineLink,
  ) {
    const task = (run: (t: Target) => unknown) => (arg?: TasksElement | TaskRef) => {
      const target = this.resolve(arg);
      return target
        ? run(target)
        : vscode.window.showInformationMessage('Select a task in the Asyncio Tasks view first.');
    };
    const register = (id: TaskCommands, run: (...args: never[]) => unknown): void => {
      this.subscriptions.push(vscode.commands.registerCommand(id, run));
    };
    register(
      TaskCommands.GoToCreationSite,
      task((t) => this.goToCreationSite(t)),
    );
    register(
      TaskCommands.ShowAwaitStack,
      task((t) => this.showAwaitStack(t)),
    );
    register(
      TaskCommands.BreakWhenDone,
      task((t) => this.breakWhenDone(t)),
    );
    register(
      TaskCommands.Cancel,
      task((t) => this.cancel(t)),
    );
    register(
      TaskCommands.RevealInTimeline,
      task((t) => this.revealInTimeline(t)),
    );
    register(TaskCommands.CopyDump, (arg?: TasksElement) => this.copyDump(arg?.entry));
    register(TaskCommands.Filter, (value?: string) => this.filter(value));
    register(TaskCommands.ClearFilter, () => this.configure({ filter: '' }));
    const groupBy = (g: GroupBy) => () => this.configure({ groupBy: g });
    register(TaskCommands.GroupByTree, groupBy('tree'));
    register(TaskCommands.GroupByState, groupBy('state'));
    register(TaskCommands.GroupByCoroutine, groupBy('coroutine'));
    register(TaskCommands.ShowFinished, () => this.configure({ showFinished: true }));
    register(TaskCommands.HideFinished, () => this.configure({ showFinished: false }));
    if (timeline) {
      this.subscriptions.push(
        timeline.selection.onDidSelectTask((s) => {
          const entry = s.source.sessionId ? view.store.get(s.source.sessionId) : undefined;
          // Only follow the timeline while the tree is on screen: never pull the user elsewhere.
          if (entry && view.view.visible) void view.reveal(entry, s.task.id);
        }),
      );
    }
    this.configure({});
  }

  private resolve(arg?: TasksElement | TaskRef): Target | undefined {
    if (arg && 'taskId' in arg) {
      const entry = this.view.store.get(arg.sessionId);
      const task = entry?.model.get(arg.taskId);
      return entry && task ? { entry, task } : undefined;
    }
    const element = arg ?? this.view.view.selection[0];
    if (element?.kind !== 'node' || element.node.kind !== 'task') return undefined;
    const task = element.entry.model.get(element.node.task);
    return task ? { entry: element.entry, task } : undefined;
  }

  async goToCreationSite({ task }: Target): Promise<vscode.TextEditor | undefined> {
    if (!task.site) {
      void vscode.window.showInformationMessage(`The creation site of ${task.name} is unknown.`);
      return undefined;
    }
    const line = Math.max(0, task.site.line - 1);
    return vscode.window.showTextDocument(uriOf(task.site.file), {
      selection: new vscode.Range(line, 0, line, 0),
      preview: true,
    });
  }

  async showAwaitStack({ entry, task }: Target): Promise<void> {
    const { session } = entry;
    if (task.threadId !== null && !entry.ended && entry.model.stopped) {
      // The task has its own thread in the Call Stack: its frames are richer there (variables, eval).
      // The adapter makes VS Code focus that thread, which selects it and opens its top frame.
      await vscode.commands.executeCommand('workbench.debug.action.focusCallStackView');
      try {
        await focusTaskThread(session, task.id, task.threadId);
        return;
      } catch (e) {
        void vscode.window.showWarningMessage(`Cannot show ${task.name} in the Call Stack: ${(e as Error).message}`);
      }
    }
    let stacks: TaskStacksResponseBody;
    try {
      const args: TaskStacksArguments = { taskId: task.id };
      stacks = (await session.customRequest(CustomRequests.TaskStacks, args)) as TaskStacksResponseBody;
    } catch (e) {
      void vscode.window.showWarningMessage(`Cannot read the await stack of ${task.name}: ${(e as Error).message}`);
      return;
    }
    type Item = vscode.QuickPickItem & { file?: string; line?: number };
    const frame = (f: { file: string; line: number; function: string }): Item => ({
      label: `$(debug-stackframe) ${f.function}`,
      description: `${vscode.workspace.asRelativePath(f.file)}:${f.line}`,
      file: f.file,
      line: f.line,
    });
    const items: Item[] = [
      { label: 'Awaiting', kind: vscode.QuickPickItemKind.Separator },
      ...(stacks.awaiting.length ? stacks.awaiting.map(frame) : [{ label: 'not suspended' }]),
      { label: 'Created at', kind: vscode.QuickPickItemKind.Separator },
      ...stacks.creation.map(frame),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `Await stack of ${task.name}`,
      matchOnDescription: true,
    });
    if (picked?.file && picked.line) await this.open(picked.file, picked.line);
  }

  async breakWhenDone({ entry, task }: Target): Promise<boolean> {
    try {
      const args: BreakWhenDoneArguments = { taskId: task.id };
      await entry.session.customRequest(CustomRequests.BreakWhenDone, args);
      vscode.window.setStatusBarMessage(`The program will stop when ${task.name} finishes.`, 5000);
      return true;
    } catch (e) {
      void vscode.window.showInformationMessage(
        `Break When Done is not supported by this session yet (${(e as Error).message}).`,
      );
      return false;
    }
  }

  async cancel({ entry, task }: Target): Promise<boolean> {
    if (task.state !== 'pending') {
      void vscode.window.showInformationMessage(`${task.name} has already finished.`);
      return false;
    }
    try {
      const args: CancelTaskArguments = { taskId: task.id, message: 'cancelled from the debugger' };
      await entry.session.customRequest(CustomRequests.CancelTask, args);
      vscode.window.setStatusBarMessage(`Cancelling ${task.name}…`, 5000);
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not cancel ${task.name}: ${(e as Error).message}`);
      return false;
    }
  }

  revealInTimeline({ task }: Target): void {
    if (!this.timeline) {
      void vscode.window.showInformationMessage('The timeline is not available.');
      return;
    }
    this.timeline.reveal(task.id);
  }

  async copyDump(entry = this.view.store.current): Promise<string | undefined> {
    if (!entry) {
      void vscode.window.showInformationMessage('No asyncio session has tasks to copy.');
      return undefined;
    }
    const { model } = entry;
    const live = [...model.tasks.values()].filter((t) => t.state === 'pending').length;
    const text = entry.tree.dump(`${entry.session.name}: ${model.tasks.size} tasks, ${live} live`);
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied ${model.tasks.size} tasks.`, 3000);
    return text;
  }

  private async filter(value?: string): Promise<void> {
    const filter =
      value ??
      (await vscode.window.showInputBox({
        title: 'Filter Asyncio Tasks',
        prompt: 'Show tasks whose name or coroutine contains this text (empty: all tasks)',
        value: this.view.store.settings.filter,
      }));
    if (filter !== undefined) this.configure({ filter: filter.trim() });
  }

  private configure(changes: Parameters<TasksTreeProvider['store']['configure']>[0]): void {
    const store = this.view.store;
    if (Object.keys(changes).length) store.configure(changes);
    const { groupBy, showFinished, filter } = store.settings;
    void vscode.commands.executeCommand('setContext', 'asyncioTasks.groupBy', groupBy);
    void vscode.commands.executeCommand('setContext', 'asyncioTasks.showFinished', showFinished);
    void vscode.commands.executeCommand('setContext', 'asyncioTasks.filtered', !!filter);
    this.view.updateMessage();
  }

  private async open(file: string, line: number): Promise<void> {
    const at = Math.max(0, line - 1);
    await vscode.window.showTextDocument(uriOf(file), { selection: new vscode.Range(at, 0, at, 0) });
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
