/**
 * The debugged Python process: spawned with pipes (internal console) or started in a terminal by
 * the client. Reports output and exit, and kills the whole process tree on request.
 */
import * as cp from 'child_process';
import { EventEmitter } from 'events';
import * as os from 'os';
import { StringDecoder } from 'string_decoder';
import type { LaunchPlan } from './launchConfig';

/** Grace period between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2_000;
const STDERR_TAIL_BYTES = 4_096;
const POLL_MS = 200;

export interface ExitStatus {
  /** Exit code, or 128 + signal number when a signal ended the process (as a shell reports it). */
  code: number | undefined;
  signal: NodeJS.Signals | undefined;
}

export interface DebuggeeEvents {
  output: [category: 'stdout' | 'stderr', text: string];
  exit: [status: ExitStatus];
}

const live = new Set<Debuggee>();

/** Last resort when the adapter itself exits: no debuggee may outlive it. Synchronous by design. */
export function killAllDebuggees(): void {
  for (const debuggee of live) {
    debuggee.forceKill();
  }
}

/** A process to debug. `exit` fires once, after all of its output was emitted. */
export abstract class Debuggee extends EventEmitter<DebuggeeEvents> {
  protected exitStatus: ExitStatus | undefined;
  protected stderrTail = '';
  private killing: Promise<void> | undefined;

  constructor() {
    super();
    live.add(this);
  }

  /** The client leaves the program running: it no longer ends with the adapter. */
  release(): void {
    live.delete(this);
  }

  forceKill(): void {
    this.signal('SIGKILL');
  }

  get exited(): ExitStatus | undefined {
    return this.exitStatus;
  }

  /** The last lines the process wrote to stderr (only known for piped output). */
  get recentStderr(): string {
    return this.stderrTail;
  }

  /** Terminates the process (and its group where we own one): SIGTERM, then SIGKILL. */
  kill(): Promise<void> {
    if (this.exitStatus) {
      return Promise.resolve();
    }
    this.killing ??= new Promise<void>((resolve) => {
      this.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.signal('SIGTERM');
      const timer = setTimeout(() => this.signal('SIGKILL'), KILL_GRACE_MS);
    });
    return this.killing;
  }

  /** Kills whatever is left of the process group after the main process ended (orphaned children). */
  reap(): void {
    if (this.exitStatus) {
      this.signal('SIGKILL');
    }
  }

  protected abstract signal(signal: NodeJS.Signals): void;

  protected finish(status: ExitStatus): void {
    if (!this.exitStatus) {
      live.delete(this);
      this.exitStatus = status;
      this.emit('exit', status);
    }
  }
}

/** Spawned by us with pipes, in its own process group so the whole tree can be signalled. */
export class PipedDebuggee extends Debuggee {
  readonly process: cp.ChildProcess;
  readonly spawnError: Promise<Error>;

  constructor(plan: LaunchPlan) {
    super();
    const isWindows = process.platform === 'win32';
    this.process = cp.spawn(plan.python.executable, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      // stdin stays open and unused, so `input()` waits as it would in a silent terminal.
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: !isWindows,
      windowsHide: true,
    });
    this.spawnError = new Promise((resolve) => this.process.once('error', resolve));
    this.process.once('error', () => this.finish({ code: undefined, signal: undefined }));
    this.pipe('stdout');
    this.pipe('stderr');
    // `close` rather than `exit`: it waits for the pipes to drain, so no output follows the exit event.
    this.process.once('close', (code, signal) => {
      this.finish({
        code: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : undefined),
        signal: signal ?? undefined,
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  protected signal(signal: NodeJS.Signals): void {
    const pid = this.process.pid;
    if (pid === undefined) {
      return;
    }
    try {
      if (process.platform === 'win32') {
        this.process.kill(signal);
      } else {
        process.kill(-pid, signal);
      }
    } catch {
      // Already gone: the `close` event reports it.
    }
  }

  private pipe(category: 'stdout' | 'stderr'): void {
    const stream = this.process[category];
    if (!stream) {
      return;
    }
    const decoder = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (text) {
        if (category === 'stderr') {
          this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
        }
        this.emit('output', category, text);
      }
    });
    stream.on('end', () => {
      const rest = decoder.end();
      if (rest) {
        this.emit('output', category, rest);
      }
    });
  }
}

/**
 * Started by the client in a terminal (DAP `runInTerminal`). We only learn the Python pid from the
 * agent's `hello`, and see its end by polling, so the exit code comes from the agent's `programExit`.
 */
export class TerminalDebuggee extends Debuggee {
  private pid: number | undefined;
  private poll: NodeJS.Timeout | undefined;
  private exitCode: number | undefined;

  /** The pid of the Python process itself (not the terminal's shell). */
  attach(pid: number): void {
    this.pid = pid;
    this.poll = setInterval(() => {
      if (!isAlive(pid)) {
        this.stop();
      }
    }, POLL_MS);
  }

  setExitCode(code: number): void {
    this.exitCode = code;
  }

  /** The connection is gone before we ever learned a pid: nothing left to watch. */
  abandon(): void {
    if (this.pid === undefined) {
      this.stop();
    }
  }

  protected signal(signal: NodeJS.Signals): void {
    if (this.pid === undefined) {
      this.stop();
      return;
    }
    try {
      process.kill(this.pid, signal);
    } catch {
      this.stop();
    }
  }

  private stop(): void {
    clearInterval(this.poll);
    this.finish({ code: this.exitCode, signal: undefined });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
