import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TaskInfo } from '../../../src/shared/dapCustom';
import type { TasksElement } from '../../../src/extension/tasksView';
import type { SessionTasks } from '../../../src/extension/tasksStore';
import { extension, fixture, markerLine, nextEvent, workspaceFolder, closeAllEditors } from './helpers';
import { FakeTaskAdapter, fakeTask } from './tasksFakeAdapter';

const TASK_COMMANDS = {
  goToCreationSite: 'asyncioDebugger.tasks.goToCreationSite',
  cancel: 'asyncioDebugger.tasks.cancel',
  breakWhenDone: 'asyncioDebugger.tasks.breakWhenDone',
  copyDump: 'asyncioDebugger.tasks.copyDump',
  filter: 'asyncioDebugger.tasks.filter',
  clearFilter: 'asyncioDebugger.tasks.clearFilter',
  groupByState: 'asyncioDebugger.tasks.groupByState',
  groupByTree: 'asyncioDebugger.tasks.groupByTree',
};

function tasksApi() {
  return extension().exports.tasks;
}

/** Resolves once `check` holds, re-checking on every change of the task store. */
function until(check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return nextEvent(tasksApi().store.onDidChange, check).then(() => undefined);
}

function pipeline(): TaskInfo[] {
  const site = {
    file: fixture('gather_sum.py'),
    line: markerLine(fixture('gather_sum.py'), 'total'),
    function: 'main',
  };
  return [
    fakeTask(1, {
      name: 'Task-1',
      coroutine: 'main',
      activity: 'awaiting',
      awaits: { kind: 'taskgroup', id: 9, since: 1e9 },
    }),
    fakeTask(2, { name: 'fetch', coroutine: 'fetch', parent: 1, group: 1, site }),
    fakeTask(3, { name: 'parse', coroutine: 'parse', parent: 1, group: 1, activity: 'running' }),
    fakeTask(4, {
      name: 'store',
      coroutine: 'store',
      parent: 1,
      group: 1,
      activity: 'awaiting',
      awaits: { kind: 'queue', id: 21, since: 7.7e9 },
    }),
  ];
}

/** Labels of the tree under `element`, expanded all the way, indented by depth. */
function render(element: TasksElement, depth = 0): string[] {
  const view = tasksApi().view;
  const out: string[] = [];
  for (const child of view.getChildren(element)) {
    const item = view.getTreeItem(child);
    out.push(`${'  '.repeat(depth)}${String(item.label)}${item.description ? ` — ${String(item.description)}` : ''}`);
    out.push(...render(child, depth + 1));
  }
  return out;
}

function sessionElement(entry: SessionTasks): TasksElement {
  const element = tasksApi()
    .view.getChildren()
    .find((e) => e.entry === entry);
  assert.ok(element, 'the session has a row');
  return element;
}

suite('Asyncio Tasks view', () => {
  let fake: FakeTaskAdapter;
  let session: vscode.DebugSession | undefined;

  async function start(name: string): Promise<{ session: vscode.DebugSession; entry: SessionTasks }> {
    fake = new FakeTaskAdapter();
    fake.snapshot(0, []);
    const port = await fake.listen();
    const started = nextEvent(vscode.debug.onDidStartDebugSession, (s) => s.name === name);
    const ok = await vscode.debug.startDebugging(workspaceFolder(), {
      type: 'asyncio',
      request: 'launch',
      name,
      program: fixture('gather_sum.py'),
      debugServer: port,
    });
    assert.strictEqual(ok, true);
    session = await started;
    await fake.ready;
    const id = session.id;
    await until(() => tasksApi().store.get(id)?.model.seq === 0);
    return { session, entry: tasksApi().store.get(id)! };
  }

  teardown(async () => {
    await vscode.commands.executeCommand(TASK_COMMANDS.clearFilter);
    await vscode.commands.executeCommand(TASK_COMMANDS.groupByTree);
    if (session) await vscode.debug.stopDebugging(session);
    session = undefined;
    fake?.close();
    await closeAllEditors();
  });

  test('streamed tasks nest under their parent and TaskGroup, with what they await', async () => {
    const { entry } = await start('tasks: stream');
    fake.sendTasks(1, pipeline());
    await until(() => entry.model.tasks.size === 4);
    const rows = render(sessionElement(entry));
    assert.deepStrictEqual(rows, [
      'Task-1 — main() · awaiting TaskGroup · 9.0 s',
      '  TaskGroup 1 — 3 tasks',
      '    fetch — fetch() · ready',
      '    parse — parse() · running',
      '    store — store() · awaiting Queue · 2.3 s',
    ]);
    assert.match(String(tasksApi().view.getTreeItem(sessionElement(entry)).description), /running · 4 live \/ 4 tasks/);

    // A delta changes one task, adds one, forgets one.
    fake.sendTasks(
      2,
      [
        fakeTask(3, { name: 'parse', coroutine: 'parse', parent: 1, group: 1, state: 'error', type: 'ValueError' }),
        fakeTask(5, { parent: 2, name: 'child' }),
      ],
      [4],
    );
    await until(() => entry.model.seq === 2);
    assert.deepStrictEqual(render(sessionElement(entry)), [
      'Task-1 — main() · awaiting TaskGroup · 9.0 s',
      '  TaskGroup 1 — 2 tasks',
      '    fetch — fetch() · ready',
      '      child — worker() · ready',
      '    parse — parse() · failed: ValueError',
    ]);
  });

  test('a missed delta makes the view re-read every task', async () => {
    const { entry } = await start('tasks: gap');
    fake.sendTasks(1, pipeline());
    await until(() => entry.model.seq === 1);
    fake.snapshot(7, [fakeTask(40, { name: 'fresh' })]);
    fake.sendTasks(5, [fakeTask(41)]);
    await until(() => entry.model.seq === 7);
    assert.deepStrictEqual([...entry.model.tasks.keys()], [40]);
    assert.strictEqual(fake.requests.filter((r) => r.command === 'asyncio/tasks').length, 2);
    assert.deepStrictEqual(render(sessionElement(entry)), ['fresh — worker() · ready']);
  });

  test('row actions: creation site, cancel, break when done, task dump', async () => {
    const { entry, session } = await start('tasks: actions');
    fake.sendTasks(1, pipeline());
    await until(() => entry.model.tasks.size === 4);
    const ref = (taskId: number) => ({ sessionId: session.id, taskId });

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(TASK_COMMANDS.goToCreationSite, ref(2));
    assert.strictEqual(editor?.document.uri.fsPath, fixture('gather_sum.py'));
    assert.strictEqual(editor.selection.active.line + 1, markerLine(fixture('gather_sum.py'), 'total'));

    fake.answers.set('asyncio/cancelTask', () => ({}));
    assert.strictEqual(await vscode.commands.executeCommand(TASK_COMMANDS.cancel, ref(3)), true);
    assert.deepStrictEqual(fake.requests.find((r) => r.command === 'asyncio/cancelTask')?.args, {
      taskId: 3,
      message: 'cancelled from the debugger',
    });

    // The fake adapter, like the real one today, has no asyncio/breakWhenDone: the user is told so.
    assert.strictEqual(await vscode.commands.executeCommand(TASK_COMMANDS.breakWhenDone, ref(4)), false);
    fake.answers.set('asyncio/breakWhenDone', () => ({}));
    assert.strictEqual(await vscode.commands.executeCommand(TASK_COMMANDS.breakWhenDone, ref(4)), true);
    assert.deepStrictEqual(fake.requests.filter((r) => r.command === 'asyncio/breakWhenDone').at(-1)?.args, {
      taskId: 4,
    });

    const dump = await vscode.commands.executeCommand<string>(TASK_COMMANDS.copyDump, sessionElement(entry));
    assert.strictEqual(await vscode.env.clipboard.readText(), dump);
    assert.strictEqual(
      dump,
      [
        'tasks: actions: 4 tasks, 4 live',
        'Task-1 (main) awaiting TaskGroup · 9.0 s',
        '  [TaskGroup 1]',
        '    fetch (fetch) ready',
        '    parse (parse) running',
        '    store (store) awaiting Queue · 2.3 s',
        '',
      ].join('\n'),
    );
  });

  test('filter and grouping from the view title; reveal selects a task row', async () => {
    const { entry } = await start('tasks: filter');
    fake.sendTasks(1, pipeline());
    await until(() => entry.model.tasks.size === 4);
    await vscode.commands.executeCommand(TASK_COMMANDS.filter, 'stor');
    const view = tasksApi().view;
    assert.strictEqual(view.view.description, 'filter: stor');
    assert.deepStrictEqual(
      render(sessionElement(entry)).map((r) => r.split(' — ')[0]),
      ['Task-1', '  TaskGroup 1', '    store'],
    );
    await vscode.commands.executeCommand(TASK_COMMANDS.clearFilter);
    await vscode.commands.executeCommand(TASK_COMMANDS.groupByState);
    assert.deepStrictEqual(
      view.getChildren(sessionElement(entry)).map((e) => view.getTreeItem(e).label),
      ['running', 'ready', 'awaiting'],
    );
    await vscode.commands.executeCommand(TASK_COMMANDS.groupByTree);

    assert.strictEqual(await view.reveal(entry, 4), true);
    assert.strictEqual(view.view.selection[0]?.id, `${entry.session.id}/t4`);
  });

  test('the last session’s tasks stay after it ends, until the next session starts', async () => {
    const first = await start('tasks: post-mortem');
    fake.sendTasks(1, pipeline());
    await until(() => first.entry.model.tasks.size === 4);
    const ended = nextEvent(vscode.debug.onDidTerminateDebugSession, (s) => s.id === first.session.id);
    fake.end();
    await ended;
    session = undefined;
    await until(() => first.entry.ended);
    assert.strictEqual(tasksApi().store.get(first.session.id), first.entry);
    assert.match(String(tasksApi().view.getTreeItem(sessionElement(first.entry)).description), /^ended · 4 live/);
    fake.close();

    const second = await start('tasks: next run');
    assert.strictEqual(tasksApi().store.get(first.session.id), undefined, 'a new run clears the post-mortem');
    assert.deepStrictEqual(
      tasksApi().store.sessions.map((e) => e.session.id),
      [second.session.id],
    );
  });
});
