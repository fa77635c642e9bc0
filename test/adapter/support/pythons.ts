/** The interpreters the adapter suites run against: every CPython 3.10+ under pyenv. */
import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface Interpreter {
  version: string;
  executable: string;
}

function pyenvRoot(): string {
  if (process.env.PYENV_ROOT) {
    return process.env.PYENV_ROOT;
  }
  try {
    return cp.execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return path.join(process.env.HOME ?? '/root', '.pyenv');
  }
}

function findInterpreters(): Interpreter[] {
  const versions = path.join(pyenvRoot(), 'versions');
  const found: Interpreter[] = [];
  for (const version of fs.existsSync(versions) ? fs.readdirSync(versions) : []) {
    const match = /^3\.(\d+)\.\d+$/.exec(version);
    const executable = path.join(versions, version, 'bin', 'python3');
    if (match && Number(match[1]) >= 10 && fs.existsSync(executable)) {
      found.push({ version, executable });
    }
  }
  found.sort((a, b) => Number(a.version.split('.')[1]) - Number(b.version.split('.')[1]));
  if (found.length === 0) {
    // No pyenv: fall back to whatever python3 is on PATH so the suite still runs somewhere.
    const version = cp.execFileSync('python3', ['-c', 'import platform;print(platform.python_version())'], {
      encoding: 'utf8',
    });
    found.push({ version: version.trim(), executable: 'python3' });
  }
  const only = process.env.ASYNCIO_TEST_PYTHON;
  return only ? found.filter((p) => p.version.startsWith(only)) : found;
}

export const INTERPRETERS = findInterpreters();

/** An interpreter older than 3.10, if this machine has one (for the version check). */
export function oldInterpreter(): string | undefined {
  const versions = path.join(pyenvRoot(), 'versions');
  if (!fs.existsSync(versions)) {
    return undefined;
  }
  const old = fs
    .readdirSync(versions)
    .filter((v) => /^3\.[5-9]\.\d+$/.test(v))
    .map((v) => path.join(versions, v, 'bin', 'python3'))
    .filter((p) => fs.existsSync(p));
  return old[old.length - 1];
}
