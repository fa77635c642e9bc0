import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { closeAllEditors, extension, fixture, markerLine, nextEvent, workspaceFolder } from './helpers';

/** Resolves once `check` holds, re-checking on every change of the task store. */
function until(check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return nextEvent(extension().exports.tasks.store.onDidChange, check).then(() => undefined);
}

function lineContaining(file: string, text: string): number {
  return (
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

suite('Asyncio Tasks view on a real program', () => {
  teardown(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    await closeAllEditors();
  });

  test('paused in a gathered task: the tree holds main and its three children, exact; they stay after the end', async () => {
    const file = fixture('gather_sum.py');
    const bp = new vscode.SourceBreakpoint(
      new vscode.Location(vscode.Uri.file(file), new vscode.Position(markerLine(file, 'square') - 1, 0)),
    );
    vscode.debug.addBreakpoints([bp]);
    const started = nextEvent(vscode.debug.onDidStartDebugSession);
    const ok = await vscode.debug.startDebugging(workspaceFolder(), {
      type: 'asyncio',
      request: 'launch',
      name: 'tasks: live',
      program: file,
      console: 'internalConsole',
    });
    assert.strictEqual(ok, true);
    const session = await started;
    const api = extension().exports.tasks;
    const entry = () => api.store.get(session.id);
    const squares = () => [...(entry()?.model.tasks.values() ?? [])].filter((t) => t.coroutine.endsWith('square'));
    await until(() => !!entry()?.model.stopped && squares().length === 3);

    const model = entry()!.model;
    const main = [...model.tasks.values()].find((t) => t.coroutine.endsWith('main'));
    assert.ok(main, JSON.stringify([...model.tasks.values()].map((t) => t.coroutine)));
    for (const square of squares()) {
      assert.strictEqual(square.parent, main.id, `${square.name} was created by main()`);
      // Reveal walks up from the row to the session: every step must be known.
      const tree = entry()!.tree;
      let node = tree.taskNode(square.id);
      const path: string[] = [];
      while (node) {
        path.unshift(node.id);
        node = tree.parent(node);
      }
      assert.strictEqual(path[0], `t${main.id}`, JSON.stringify(path));
    }
    assert.ok(
      squares().some((t) => t.activity === 'running'),
      'the task at the breakpoint is running',
    );

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('asyncioDebugger.tasks.goToCreationSite', {
      sessionId: session.id,
      taskId: squares()[0].id,
    });
    assert.strictEqual(editor?.document.uri.fsPath, file);
    assert.strictEqual(editor.selection.active.line + 1, lineContaining(file, 'asyncio.gather('));

    // A suspended task has its own thread in the Call Stack: Show Await Stack focuses it there, which
    // opens where it waits.
    const waiting = squares().find((t) => t.activity !== 'running' && t.state === 'pending');
    assert.ok(waiting && waiting.threadId !== null, JSON.stringify(squares()));
    await vscode.commands.executeCommand('asyncioDebugger.tasks.showAwaitStack', {
      sessionId: session.id,
      taskId: waiting.id,
    });
    // VS Code focused the task's own thread (the Call Stack selects it), at its frame in square().
    const focused = vscode.debug.activeStackItem;
    assert.ok(focused instanceof vscode.DebugStackFrame, String(focused));
    assert.strictEqual(focused.threadId, waiting.threadId);
    const shown = vscode.window.activeTextEditor;
    assert.strictEqual(shown?.document.uri.fsPath, file);
    assert.strictEqual(shown.selection.active.line + 1, lineContaining(file, 'await asyncio.sleep('));

    const dump = await vscode.commands.executeCommand<string>('asyncioDebugger.tasks.copyDump');
    assert.match(dump, new RegExp(`^${main.name} \\(.*main\\) awaiting`, 'm'));
    assert.strictEqual(dump.split('\n').filter((l) => /^ {2}\S.*square\) /.test(l)).length, 3, dump);

    vscode.debug.removeBreakpoints([bp]);
    const ended = nextEvent(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id);
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    await ended;
    await until(() => squares().every((t) => t.state === 'ok'));
    assert.strictEqual(entry()?.ended, true, 'the finished session stays for the post-mortem');
    assert.deepStrictEqual(
      squares().map((t) => t.type),
      ['int', 'int', 'int'],
    );
  });
});
