import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, extension, fixture, openEditor, workspaceFolder } from './helpers';

async function resolve(config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | null | undefined> {
  const api = await extension().activate();
  return api.configurations.resolveDebugConfiguration?.(workspaceFolder(), config);
}

suite('Configuration resolution', () => {
  teardown(closeAllEditors);

  test('F5 without launch.json on a Python file debugs that file with debugpy-like defaults', async () => {
    await openEditor(fixture('gather_sum.py'));
    const resolved = await resolve({ type: '', request: '', name: '' });
    assert.ok(resolved);
    assert.strictEqual(resolved.type, 'asyncio');
    assert.strictEqual(resolved.request, 'launch');
    assert.strictEqual(resolved.program, '${file}');
    assert.strictEqual(resolved.cwd, workspaceFolder().uri.fsPath);
    assert.strictEqual(resolved.justMyCode, true);
    assert.strictEqual(resolved.stopOnEntry, false);
    assert.strictEqual(resolved.console, 'internalConsole');
  });

  test('F5 without launch.json and no Python file open refuses to start', async () => {
    await openEditor(fixture('not_python.txt'));
    assert.strictEqual(await resolve({ type: '', request: '', name: '' }), undefined);
  });

  test('values from launch.json are kept', async () => {
    const resolved = await resolve({
      type: 'asyncio',
      request: 'launch',
      name: 'module',
      module: 'http.server',
      cwd: '/tmp',
      justMyCode: false,
      console: 'integratedTerminal',
      python: '/usr/bin/python3',
    });
    assert.ok(resolved);
    assert.strictEqual(resolved.module, 'http.server');
    assert.strictEqual(resolved.program, undefined);
    assert.strictEqual(resolved.cwd, '/tmp');
    assert.strictEqual(resolved.justMyCode, false);
    assert.strictEqual(resolved.console, 'integratedTerminal');
    assert.strictEqual(resolved.python, '/usr/bin/python3');
  });

  test('without the Python extension no interpreter is forced (the adapter finds python3)', async () => {
    assert.strictEqual(vscode.extensions.getExtension('ms-python.python'), undefined);
    await openEditor(fixture('gather_sum.py'));
    const resolved = await resolve({ type: 'asyncio', request: 'launch', name: 'file', program: '${file}' });
    assert.ok(resolved);
    assert.strictEqual(resolved.python, undefined);
  });
});
