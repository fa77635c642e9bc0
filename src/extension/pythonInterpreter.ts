import * as vscode from 'vscode';
import { PythonExtension, PVSC_EXTENSION_ID } from '@vscode/python-extension';

/**
 * The interpreter the user selected in the Python extension for `resource`, or undefined when that
 * extension is absent or has no answer: the adapter then falls back to python3/python on PATH, so a
 * missing Python extension must never block a session.
 */
export async function selectedInterpreter(
  resource: vscode.Uri | undefined,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch (e) {
    log.warn(`Could not ask the Python extension for its interpreter: ${e instanceof Error ? e.message : e}`);
    return undefined;
  }
}
