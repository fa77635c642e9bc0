/**
 * The `launch` attributes (mirroring debugpy's so users' launch.json carry over) and their
 * resolution into one concrete plan: interpreter, command line, working folder and environment.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import { InitializeAgentArguments, TOKEN_ENV, USER_PYTHONPATH_ENV } from '../shared/agentProtocol';
import { Env, readEnvFile } from './envFile';
import { ErrorCodes, UserError } from './errors';
import { PythonCommand, resolvePython } from './python';

export type ConsoleKind = 'internalConsole' | 'integratedTerminal' | 'externalTerminal';

export interface AsyncioLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  program?: string;
  module?: string;
  args?: string[] | string;
  cwd?: string;
  env?: Record<string, string | null>;
  envFile?: string;
  python?: string | string[];
  console?: ConsoleKind;
  justMyCode?: boolean;
  stopOnEntry?: boolean;
  redirectOutput?: boolean;
  /** Folder holding the `asyncio_debugger` package; defaults to the one shipped beside the adapter. */
  agentPath?: string;
  /** Milliseconds to wait for the agent to connect back. */
  connectTimeout?: number;
  maxReprLength?: number;
  /** How many asyncio tasks a stopped thread lists as threads (default 100). */
  maxTaskThreads?: number;
  /** How many finished tasks the task model keeps (default 10,000). */
  maxFinishedTasks?: number;
  /**
   * Task tracking: true or "steps" (default) records every task and step for the task tree and
   * timeline; "lifecycle" only creation and completion (task tree and task threads, no timeline
   * steps, a fraction of the cost); false turns it off (a plain debugger).
   */
  trackTasks?: boolean | TaskTrackingLevel;
  /** Seconds an `await` in the Debug Console may take before it is cancelled (default 5). */
  awaitTimeout?: number;
  /** Let the program's other tasks run while an `await` in the Debug Console is evaluated (default false). */
  awaitRunsOtherTasks?: boolean;
  /** Evaluate `await` in watch expressions too (default false; hovers never await). */
  awaitInWatch?: boolean;
  /** Where completion breakpoints stop: where the future completed (default) or where its awaiter resumes. */
  completionStopAt?: 'completer' | 'awaiter';
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

export interface LaunchPlan {
  python: PythonCommand;
  /** Everything after the interpreter: our options, then `--` and the target. */
  args: string[];
  cwd: string;
  /** The complete environment of the debuggee. */
  env: Env;
  /** What differs from the adapter's own environment (`null` = removed), for `runInTerminal`. */
  envChanges: Record<string, string | null>;
  console: ConsoleKind;
  connectTimeout: number;
  /** Non-fatal problems to show in the debug console. */
  warnings: string[];
  /** Human-readable target, for messages. */
  target: string;
}

export type TaskTrackingLevel = 'steps' | 'lifecycle';

/** The agent's `trackTasks`: false, or the level; a clear error for anything else. */
export function taskTracking(value: unknown): false | TaskTrackingLevel {
  if (value === undefined || value === true || value === 'steps') {
    return 'steps';
  }
  if (value === false || value === 'lifecycle') {
    return value;
  }
  throw new UserError(
    ErrorCodes.InvalidLaunchConfig,
    `"trackTasks" must be true, false, "steps" or "lifecycle" (got ${JSON.stringify(value)}); fix it in launch.json.`,
  );
}

export function planLaunch(
  config: AsyncioLaunchArguments,
  port: number,
  token: string,
  baseEnv: NodeJS.ProcessEnv = process.env,
  defaultAgentPath = path.resolve(__dirname, '..', 'src', 'agent'),
): LaunchPlan {
  const warnings: string[] = [];
  if (config.program && config.module) {
    throw new UserError(ErrorCodes.InvalidLaunchConfig, 'Set either "program" or "module" in launch.json, not both.');
  }
  if (!config.program && !config.module) {
    throw new UserError(
      ErrorCodes.InvalidLaunchConfig,
      'Nothing to debug: set "program" (a .py file) or "module" (a module name) in launch.json.',
    );
  }
  taskTracking(config.trackTasks);
  let cwd = config.cwd ? path.resolve(config.cwd) : undefined;
  let target: string[];
  let targetText: string;
  if (config.program) {
    const program = path.resolve(cwd ?? process.cwd(), config.program);
    if (!fs.existsSync(program)) {
      throw new UserError(ErrorCodes.ProgramNotFound, `Program file not found: ${program}`);
    }
    cwd ??= path.dirname(program);
    target = [program];
    targetText = program;
  } else {
    cwd ??= process.cwd();
    target = ['-m', config.module as string];
    targetText = `-m ${config.module}`;
  }
  if (!isDirectory(cwd)) {
    throw new UserError(ErrorCodes.InvalidLaunchConfig, `Working folder not found: ${cwd}; fix "cwd" in launch.json.`);
  }

  const env: Env = {};
  for (const [key, value] of Object.entries(baseEnv)) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  if (config.envFile) {
    const envFile = path.resolve(cwd, config.envFile);
    if (fs.existsSync(envFile)) {
      Object.assign(env, readEnvFile(envFile, env));
    } else {
      warnings.push(`Env file not found: ${envFile}; continuing without it.`);
    }
  }
  for (const [key, value] of Object.entries(config.env ?? {})) {
    if (value === null) {
      delete env[key];
    } else {
      env[key] = String(value);
    }
  }

  const agentPath = path.resolve(config.agentPath ?? defaultAgentPath);
  if (!isDirectory(path.join(agentPath, 'asyncio_debugger'))) {
    throw new UserError(
      ErrorCodes.InvalidLaunchConfig,
      `The debugger agent is missing: no asyncio_debugger package in ${agentPath}. Reinstall the extension or fix "agentPath".`,
    );
  }
  const userPythonPath = env.PYTHONPATH;
  delete env[USER_PYTHONPATH_ENV];
  if (userPythonPath !== undefined && userPythonPath !== '') {
    env[USER_PYTHONPATH_ENV] = userPythonPath;
    env.PYTHONPATH = agentPath + path.delimiter + userPythonPath;
  } else {
    env.PYTHONPATH = agentPath;
  }
  env[TOKEN_ENV] = token;
  env.PYTHONUNBUFFERED = '1';
  // Keep the program's output readable whatever locale the adapter was started with.
  env.PYTHONIOENCODING ??= 'utf-8';

  const python = resolvePython(config.python, env);
  const args = [
    ...python.args,
    '-m',
    'asyncio_debugger',
    'launch',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--',
    ...target,
    ...normalizeArgs(config.args),
  ];

  const connectTimeout =
    typeof config.connectTimeout === 'number' && config.connectTimeout > 0
      ? config.connectTimeout
      : DEFAULT_CONNECT_TIMEOUT_MS;

  return {
    python,
    args,
    cwd,
    env,
    envChanges: diffEnv(baseEnv, env),
    console: config.console ?? 'internalConsole',
    connectTimeout,
    warnings,
    target: targetText,
  };
}

/** `args` may be one string, split as a POSIX shell would split plain words and quotes. */
/** The agent's `initialize` arguments: the launch attributes the agent acts on, with their defaults. */
export function agentInitializeArguments(args: AsyncioLaunchArguments): InitializeAgentArguments {
  return {
    justMyCode: args.justMyCode ?? true,
    stopOnEntry: args.stopOnEntry === true,
    ...(args.maxReprLength ? { maxReprLength: args.maxReprLength } : {}),
    ...(args.maxTaskThreads !== undefined ? { maxTaskThreads: args.maxTaskThreads } : {}),
    trackTasks: taskTracking(args.trackTasks),
    ...(typeof args.awaitTimeout === 'number' && args.awaitTimeout > 0 ? { awaitTimeout: args.awaitTimeout } : {}),
    awaitRunsOtherTasks: args.awaitRunsOtherTasks === true,
    awaitInWatch: args.awaitInWatch === true,
    ...(args.completionStopAt ? { completionStopAt: args.completionStopAt } : {}),
  };
}

export function normalizeArgs(args: string[] | string | undefined): string[] {
  if (args === undefined) {
    return [];
  }
  if (Array.isArray(args)) {
    return args.map(String);
  }
  const result: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quote) {
      if (c === quote) {
        quote = undefined;
      } else if (c === '\\' && quote === '"' && i + 1 < args.length && '"\\$`'.includes(args[i + 1])) {
        current += args[++i];
      } else {
        current += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < args.length) {
      current += args[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) {
        result.push(current);
        current = '';
        inWord = false;
      }
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) {
    result.push(current);
  }
  return result;
}

function diffEnv(base: NodeJS.ProcessEnv, env: Env): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(env)) {
    if (base[key] !== value) {
      changes[key] = value;
    }
  }
  for (const key of Object.keys(base)) {
    if (!(key in env)) {
      changes[key] = null;
    }
  }
  return changes;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
