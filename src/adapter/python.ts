/** Finds the Python interpreter for a launch and checks that it is new enough for the agent. */
import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCodes, UserError } from './errors';

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export interface PythonCommand {
  /** Interpreter executable (absolute when found on PATH). */
  executable: string;
  /** Arguments that come before ours, e.g. `-X dev` from `"python": ["python3", "-X", "dev"]`. */
  args: string[];
}

export function resolvePython(setting: string | string[] | undefined, env: NodeJS.ProcessEnv): PythonCommand {
  const parts = typeof setting === 'string' ? [setting] : Array.isArray(setting) ? [...setting] : [];
  if (parts.length > 0 && parts[0].trim() !== '') {
    const [given, ...args] = parts;
    const executable = findExecutable(given, env);
    if (!executable) {
      throw notFound(given);
    }
    return { executable, args };
  }
  for (const candidate of ['python3', 'python']) {
    const executable = findExecutable(candidate, env);
    if (executable) {
      return { executable, args: [] };
    }
  }
  throw notFound('python3');
}

/** Runs the interpreter once to read its version; rejects with a message the user can act on. */
export function checkPythonVersion(python: PythonCommand, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    cp.execFile(
      python.executable,
      [...python.args, '-c', 'import sys;print(sys.version_info[:3])'],
      { env, timeout: 20_000, windowsHide: true },
      (error, stdout, stderr) => {
        const match = /\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)/.exec(stdout);
        if (!match) {
          const detail = (stderr || (error ? error.message : stdout)).trim().split('\n').slice(-5).join('\n');
          reject(
            new UserError(
              ErrorCodes.PythonNotFound,
              `Could not run the Python interpreter ${describe(python)}: ${detail}; ` +
                'set "python" in launch.json or select an interpreter.',
            ),
          );
          return;
        }
        const version = [Number(match[1]), Number(match[2]), Number(match[3])];
        const text = version.join('.');
        if (version[0] < MIN_PYTHON[0] || (version[0] === MIN_PYTHON[0] && version[1] < MIN_PYTHON[1])) {
          reject(
            new UserError(
              ErrorCodes.PythonTooOld,
              `Python ${text} (${describe(python)}) is too old: the asyncio debugger requires Python ` +
                `${MIN_PYTHON.join('.')}+. Set "python" in launch.json or select a newer interpreter.`,
            ),
          );
          return;
        }
        resolve(text);
      },
    );
  });
}

function describe(python: PythonCommand): string {
  return [python.executable, ...python.args].join(' ');
}

function notFound(given: string): UserError {
  return new UserError(
    ErrorCodes.PythonNotFound,
    `Python interpreter not found: ${given}; set "python" in launch.json or select an interpreter.`,
  );
}

function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (name.includes('/') || name.includes('\\')) {
    return isExecutableFile(name) ? path.resolve(name) : undefined;
  }
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
