import * as vscode from 'vscode';
import { DEBUG_LABEL, DEBUG_TYPE } from './contributionIds';
import { ErrorCodes, UserError, showUserError } from './errors';
import { selectedInterpreter } from './pythonInterpreter';

/** The launch attributes package.json declares; the adapter reads the same names. */
export interface AsyncioLaunchConfiguration extends vscode.DebugConfiguration {
  program?: string;
  module?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  envFile?: string;
  python?: string;
  console?: 'internalConsole' | 'integratedTerminal' | 'externalTerminal';
  justMyCode?: boolean;
  stopOnEntry?: boolean;
  redirectOutput?: boolean;
  connectTimeout?: number;
}

export const CURRENT_FILE_NAME = `${DEBUG_LABEL}: Current File`;

export function currentFileConfiguration(): AsyncioLaunchConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: CURRENT_FILE_NAME,
    program: '${file}',
    justMyCode: true,
  };
}

export function activePythonFile(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'python' ? doc : undefined;
}

/**
 * Resolves every `asyncio` launch. Fills what F5 needs when there is no launch.json, and the
 * defaults debugpy users expect, so a debugpy configuration works after changing only its `type`.
 */
export class AsyncioConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    try {
      return await this.resolve(folder, config);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      void showUserError(e, this.log);
      // undefined (not null) aborts the launch without opening launch.json.
      return undefined;
    }
  }

  private async resolve(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<AsyncioLaunchConfiguration> {
    const resolved: AsyncioLaunchConfiguration = { ...config };
    const emptyLaunch = !config.type && !config.request && !config.name;
    if (emptyLaunch) Object.assign(resolved, currentFileConfiguration());
    resolved.type ??= DEBUG_TYPE;
    resolved.request ??= 'launch';
    resolved.name ??= CURRENT_FILE_NAME;

    if (!resolved.program && !resolved.module) resolved.program = '${file}';
    if (resolved.program === '${file}' && !activePythonFile()) {
      throw new UserError(
        ErrorCodes.NoPythonFile,
        `Open a Python file to debug it with "${DEBUG_LABEL}", or set "program" or "module" in launch.json.`,
      );
    }

    resolved.justMyCode ??= true;
    resolved.stopOnEntry ??= false;
    resolved.console ??= 'internalConsole';
    if (resolved.cwd === undefined && folder) resolved.cwd = folder.uri.fsPath;
    if (resolved.python === undefined) {
      const resource = folder?.uri ?? activePythonFile()?.uri;
      const python = await selectedInterpreter(resource, this.log);
      if (python) resolved.python = python;
    }
    this.log.debug(`Resolved configuration: ${JSON.stringify(resolved)}`);
    return resolved;
  }
}
