import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AsyncioDebuggerApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'asyncio-debugger.asyncio-debugger';

export function extension(): vscode.Extension<AsyncioDebuggerApi> {
  const ext = vscode.extensions.getExtension<AsyncioDebuggerApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the test/e2e/workspace folder open');
  return folder;
}

export function fixture(name: string): string {
  return path.join(workspaceFolder().uri.fsPath, name);
}

/** The 1-based line holding `# @bp <marker>`, so edits to a fixture never break a test. */
export function markerLine(file: string, marker: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => new RegExp(`# @bp ${marker}\\b`).test(l));
  assert.ok(index >= 0, `no "# @bp ${marker}" in ${file}`);
  return index + 1;
}

/** Resolves with the first value `subscribe` delivers that `accept` takes; register before acting. */
export function nextEvent<T>(subscribe: vscode.Event<T>, accept: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const subscription = subscribe((value) => {
      if (!accept(value)) return;
      subscription.dispose();
      resolve(value);
    });
  });
}

export async function openEditor(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(doc);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
