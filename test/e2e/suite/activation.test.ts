import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, extension, fixture, openEditor, workspaceFolder } from './helpers';

interface Manifest {
  activationEvents: string[];
  contributes: {
    debuggers: { type: string; label: string; languages: string[] }[];
    breakpoints: { language: string }[];
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string; name: string; when?: string }[]>;
  };
}

suite('Activation and contributions', () => {
  test('the extension is installed but not active before any debug session', () => {
    assert.strictEqual(extension().isActive, false);
  });

  test('activates only on asyncio debug events, its view, its command and its restored timeline panel', () => {
    const manifest = extension().packageJSON as Manifest;
    assert.deepStrictEqual([...manifest.activationEvents].sort(), [
      'onCommand:asyncioDebugger.showTimeline',
      'onDebugDynamicConfigurations:asyncio',
      'onDebugResolve:asyncio',
      'onView:asyncioTasks',
      'onWebviewPanel:asyncioDebugger.timeline',
    ]);
  });

  test('contributes the "Python asyncio" debugger and breakpoints for Python files', () => {
    const [debuggerContribution, ...others] = (extension().packageJSON as Manifest).contributes.debuggers;
    assert.strictEqual(others.length, 0);
    assert.strictEqual(debuggerContribution.type, 'asyncio');
    assert.strictEqual(debuggerContribution.label, 'Python asyncio');
    assert.deepStrictEqual(debuggerContribution.languages, ['python']);
    // Without this, F9 in a Python file does nothing unless another Python debugger is installed.
    assert.deepStrictEqual((extension().packageJSON as Manifest).contributes.breakpoints, [{ language: 'python' }]);
  });

  test('contributes the "Asyncio Tasks" view to Run and Debug, shown during asyncio sessions', () => {
    const views = (extension().packageJSON as Manifest).contributes.views.debug;
    const tasks = views.find((v) => v.id === 'asyncioTasks');
    assert.ok(tasks);
    assert.strictEqual(tasks.name, 'Asyncio Tasks');
    assert.strictEqual(tasks.when, "debugType == 'asyncio'");
  });

  test('resolving an asyncio configuration activates it; on a non-Python file nothing starts', async () => {
    await openEditor(fixture('not_python.txt'));
    const started = await vscode.debug.startDebugging(workspaceFolder(), {
      type: 'asyncio',
      request: 'launch',
      name: 'F5 on a text file',
    });
    assert.strictEqual(started, false);
    assert.strictEqual(extension().isActive, true);
    assert.strictEqual(vscode.debug.activeDebugSession, undefined);
    await closeAllEditors();
  });

  test('the "Asyncio: Show Timeline" command activates the extension and opens the panel', async () => {
    const manifest = extension().packageJSON as Manifest;
    const command = manifest.contributes.commands.find((c) => c.command === 'asyncioDebugger.showTimeline');
    assert.ok(command);
    assert.strictEqual(`${command.category}: ${command.title}`, 'Asyncio: Show Timeline');

    const opened = new Promise<vscode.Tab>((resolve) => {
      const subscription = vscode.window.tabGroups.onDidChangeTabs((e) => {
        const tab = e.opened.find((t) => t.input instanceof vscode.TabInputWebview);
        if (tab) {
          subscription.dispose();
          resolve(tab);
        }
      });
    });
    await vscode.commands.executeCommand('asyncioDebugger.showTimeline');
    const tab = await opened;
    assert.strictEqual(tab.label, 'Asyncio Timeline');
    assert.strictEqual(extension().isActive, true);
    assert.ok((await vscode.commands.getCommands(true)).includes('asyncioDebugger.showTimeline'));
    await closeAllEditors();
  });
});
