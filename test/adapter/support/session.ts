/**
 * One debug session per test: the real adapter (dist/debugAdapter.js) over stdio, driven by
 * DebugClient, with every event recorded so tests can wait for output that already arrived.
 * The adapter's DAP trace goes to a file that is printed only when the test fails.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Interpreter } from './pythons';

export const ADAPTER = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'debugAdapter.js');
const EVENT_TIMEOUT_MS = 15_000;

export interface BreakpointSpec {
  path: string;
  breakpoints: DebugProtocol.SourceBreakpoint[];
}

export interface StartOptions {
  breakpoints?: BreakpointSpec[];
  exceptionFilters?: string[];
  exceptionFilterOptions?: DebugProtocol.ExceptionFilterOptions[];
  functionBreakpoints?: DebugProtocol.FunctionBreakpoint[];
  initialize?: Partial<DebugProtocol.InitializeRequestArguments>;
}

export class TestSession {
  readonly dc: DebugClient;
  readonly events: DebugProtocol.Event[] = [];
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-adapter-test-'));
  readonly logFile = path.join(this.dir, 'dap.log');
  private listeners: Array<() => void> = [];
  setBreakpointsResponses: DebugProtocol.SetBreakpointsResponse[] = [];
  setFunctionBreakpointsResponse: DebugProtocol.SetFunctionBreakpointsResponse | undefined;

  constructor(readonly python: Interpreter) {
    this.dc = new DebugClient('node', ADAPTER, 'asyncio', {
      env: { ...process.env, ASYNCIO_DEBUGGER_LOG: this.logFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.dc.defaultTimeout = EVENT_TIMEOUT_MS;
    for (const name of ['output', 'stopped', 'exited', 'terminated', 'breakpoint', 'continued', 'thread']) {
      this.dc.on(name, (event: DebugProtocol.Event) => {
        this.events.push(event);
        this.listeners.splice(0).forEach((listener) => listener());
      });
    }
  }

  private adapterExited = false;

  async start(): Promise<void> {
    await this.dc.start();
    this.adapter.once('exit', () => (this.adapterExited = true));
  }

  /** The adapter process DebugClient spawned. */
  get adapter(): ChildProcess {
    return (this.dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
  }

  /** Launch config with this session's interpreter; tests add what they exercise. */
  config(extra: Record<string, unknown>): Record<string, unknown> {
    return { type: 'asyncio', request: 'launch', python: this.python.executable, ...extra };
  }

  /** initialize → launch → (initialized) breakpoints, exception filters → configurationDone. */
  async launch(extra: Record<string, unknown>, options: StartOptions = {}): Promise<void> {
    const configure = this.dc.waitForEvent('initialized').then(async () => {
      for (const spec of options.breakpoints ?? []) {
        this.setBreakpointsResponses.push(
          await this.dc.setBreakpointsRequest({
            source: { path: spec.path },
            breakpoints: spec.breakpoints,
            lines: spec.breakpoints.map((b) => b.line),
          }),
        );
      }
      if (options.functionBreakpoints) {
        this.setFunctionBreakpointsResponse = await this.dc.setFunctionBreakpointsRequest({
          breakpoints: options.functionBreakpoints,
        });
      }
      await this.dc.setExceptionBreakpointsRequest({
        filters: options.exceptionFilters ?? [],
        filterOptions: options.exceptionFilterOptions,
      });
      await this.dc.configurationDoneRequest();
    });
    await this.dc.initializeRequest({
      adapterID: 'asyncio',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
      ...options.initialize,
    });
    await Promise.all([configure, this.dc.launchRequest(this.config(extra) as DebugProtocol.LaunchRequestArguments)]);
  }

  /** Everything the given output categories received so far, concatenated. */
  outputText(...categories: string[]): string {
    return this.events
      .filter((e) => e.event === 'output' && (categories.length === 0 || categories.includes(e.body.category)))
      .map((e) => e.body.output as string)
      .join('');
  }

  /** Resolves once recorded events satisfy the predicate (including events that came earlier). */
  waitUntil<T>(what: string, check: () => T | undefined, timeout = EVENT_TIMEOUT_MS): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeout);
      const test = () => {
        const value = check();
        if (value !== undefined && value !== false) {
          clearTimeout(timer);
          resolve(value);
        } else {
          this.listeners.push(test);
        }
      };
      test();
    });
  }

  waitForOutput(text: string | RegExp, ...categories: string[]): Promise<string> {
    return this.waitUntil(`output ${text}`, () => {
      const all = this.outputText(...categories);
      return (typeof text === 'string' ? all.includes(text) : text.test(all)) ? all : undefined;
    });
  }

  waitForTerminated(): Promise<DebugProtocol.Event> {
    return this.waitUntil('terminated', () => this.events.find((e) => e.event === 'terminated'));
  }

  exitCode(): number | undefined {
    return this.events.find((e) => e.event === 'exited')?.body.exitCode;
  }

  /** Top frame of a thread. */
  async topFrame(threadId: number): Promise<DebugProtocol.StackFrame> {
    const trace = await this.dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
    return trace.body.stackFrames[0];
  }

  /** Runs an action and returns the `stopped` event it causes (listener registered first). */
  async stopAfter(action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const [stopped] = await Promise.all([this.dc.waitForEvent('stopped'), action()]);
    return stopped as DebugProtocol.StoppedEvent;
  }

  async variables(frameId: number, scope = 'Locals'): Promise<Map<string, DebugProtocol.Variable>> {
    const scopes = await this.dc.scopesRequest({ frameId });
    const found = scopes.body.scopes.find((s) => s.name === scope);
    if (!found) {
      throw new Error(`no ${scope} scope in ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
    }
    const vars = await this.dc.variablesRequest({ variablesReference: found.variablesReference });
    return new Map(vars.body.variables.map((v) => [v.name, v]));
  }

  async stop(): Promise<void> {
    if (this.adapterExited) {
      // A request to a dead adapter would never be answered.
      (this.dc as unknown as { stopAdapter(): void }).stopAdapter();
      return;
    }
    await this.dc.stop();
  }

  /** For failed tests: the DAP trace and what the program printed. */
  report(): string {
    const log = fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '(no DAP log)';
    return `--- DAP log (${this.python.version}) ---\n${log}\n--- output ---\n${this.outputText()}`;
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Gives each test of the enclosing `describe` a fresh started session; dumps its log on failure. */
export function useSession(python: Interpreter): () => TestSession {
  let session: TestSession | undefined;
  beforeEach(async () => {
    session = new TestSession(python);
    await session.start();
  });
  afterEach(async function () {
    if (!session) {
      return;
    }
    if (this.currentTest?.state === 'failed') {
      console.log(session.report());
    }
    await session.stop();
    session.dispose();
    session = undefined;
  });
  return () => {
    if (!session) {
      throw new Error('no session outside a test');
    }
    return session;
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
