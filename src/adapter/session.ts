/**
 * The DAP side of the adapter: translates DAP requests into agent requests and agent events into
 * DAP events. Process and connection handling live in launcher.ts / debuggee.ts / agentConnection.ts.
 */
import { Event, InitializedEvent, Logger, logger, LoggingDebugSession, OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AgentCommand, AgentRequests, EXCEPTION_FILTERS } from '../shared/agentProtocol';
import { AgentConnection } from './agentConnection';
import { Debuggee, KILL_GRACE_MS, TerminalDebuggee } from './debuggee';
import { ErrorCodes, UserError } from './errors';
import { launch } from './launcher';
import { AsyncioLaunchArguments, agentInitializeArguments } from './launchConfig';
import { TaskBridge } from './taskBridge';
import { COMPLETION_CAPABILITIES } from './completionBreakpoints';
import { ensureNewline, FORWARDED_EVENTS, routeCustomRequest, traceText, withTimeout } from './sessionHelpers';

/** Environment variable naming a file that receives the DAP trace (tests print it when they fail). */
export const LOG_FILE_ENV = 'ASYNCIO_DEBUGGER_LOG';
/** How long a process may outlive its agent connection before we call the connection lost. */
const LOST_CONNECTION_GRACE_MS = 1_000;

export class AsyncioDebugSession extends LoggingDebugSession {
  private client: DebugProtocol.InitializeRequestArguments = { adapterID: 'asyncio' };
  private agent: AgentConnection | undefined;
  private readonly agentReady: Promise<AgentConnection>;
  private resolveAgent!: (agent: AgentConnection) => void;
  private rejectAgent!: (error: Error) => void;
  private debuggee: Debuggee | undefined;
  private programExitCode: number | undefined;
  private ended = false;
  private tasks = new TaskBridge((event) => this.sendEvent(event));

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.agentReady = new Promise((resolve, reject) => {
      this.resolveAgent = resolve;
      this.rejectAgent = reject;
    });
    // Requests that arrive after a failed launch must fail, not wait forever; nobody else may be listening.
    this.agentReady.catch(() => undefined);
  }

  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    super.start(inStream, outStream);
    // The base class (re)creates the logger in start(), so the trace file can only be set up after it.
    const logFile = process.env[LOG_FILE_ENV];
    if (logFile) {
      logger.setup(Logger.LogLevel.Error, logFile, true);
    }
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.client = args;
    // VS Code shows only the stacks of threads it saw stop: it gets a stopped event per task thread.
    this.tasks.taskThreadEvents = args.clientID === 'vscode';
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsExceptionInfoRequest: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((filter) => ({
        ...filter,
        conditionDescription: 'A Python expression; `exception` is the exception, e.g. isinstance(exception, KeyError)',
      })),
      supportsExceptionFilterOptions: true,
      supportsExceptionOptions: false,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsDelayedStackTraceLoading: true,
      supportsValueFormattingOptions: false,
      supportsRestartRequest: false,
      supportsSingleThreadExecutionRequests: false,
      supportsClipboardContext: true,
      supportsLoadedSourcesRequest: false,
      supportsStepBack: false,
      supportsModulesRequest: false,
      ...COMPLETION_CAPABILITIES,
    };
    this.sendResponse(response);
    // `initialized` waits for the agent's hello: only then can breakpoints be set.
  }

  protected override async launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: AsyncioLaunchArguments,
  ): Promise<void> {
    try {
      const launched = await launch(args, {
        supportsRunInTerminal: this.client.supportsRunInTerminalRequest === true,
        runInTerminal: (terminalArgs) =>
          new Promise((resolve) => this.runInTerminalRequest(terminalArgs, 15_000, resolve)),
        console: (text) => this.console(text),
        started: (debuggee) => this.watchDebuggee(debuggee),
      });
      this.agent = launched.connection;
      if (process.env[LOG_FILE_ENV]) {
        launched.connection.trace = (direction, message) => logger.verbose(`${direction}: ${traceText(message)}`);
      }
      if (args.maxFinishedTasks !== undefined) {
        this.tasks.model.maxFinished = Math.max(0, args.maxFinishedTasks);
      }
      this.watchAgent(launched.connection);
      await launched.connection.request('initialize', agentInitializeArguments(args));
      this.resolveAgent(launched.connection);
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    } catch (error) {
      this.rejectAgent(error instanceof Error ? error : new Error(String(error)));
      this.debuggee?.removeAllListeners();
      await this.debuggee?.kill();
      this.agent?.close();
      this.ended = true;
      this.fail(response, error, ErrorCodes.LaunchFailed);
    }
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse): void {
    this.fail(response, new UserError(ErrorCodes.AttachUnsupported, 'Attach is not supported yet; use "launch".'));
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    this.forward(response, 'setBreakpoints', args);
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    this.forward(response, 'setFunctionBreakpoints', args);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.forward(response, 'setExceptionBreakpoints', args);
  }

  protected override dataBreakpointInfoRequest(
    response: DebugProtocol.DataBreakpointInfoResponse,
    args: DebugProtocol.DataBreakpointInfoArguments,
  ): void {
    this.forward(response, 'dataBreakpointInfo', args);
  }

  protected override setDataBreakpointsRequest(
    response: DebugProtocol.SetDataBreakpointsResponse,
    args: DebugProtocol.SetDataBreakpointsArguments,
  ): void {
    this.forward(response, 'setDataBreakpoints', args);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.agentReady
      .then((agent) => agent.request('configurationDone', {}))
      .then(
        () => this.sendResponse(response),
        (error) => {
          // A program that ends at once (os._exit) can take the connection down before the answer
          // arrives; configuration did complete, and the exit is reported on its own.
          if (this.agent?.isClosed) {
            this.sendResponse(response);
          } else {
            this.fail(response, error);
          }
        },
      );
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    if (!this.agent || this.agent.isClosed) {
      // Asked before the agent is up or after it left: no threads, and no error to show.
      response.body = { threads: [] };
      this.sendResponse(response);
      return;
    }
    this.forward(response, 'threads', {}, (body) => this.tasks.orderThreads(body));
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): void {
    this.forward(response, 'stackTrace', args);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.tasks.onScopes();
    this.forward(response, 'scopes', args);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    this.forward(response, 'variables', args);
  }

  protected override setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): void {
    this.forward(response, 'setVariable', args);
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    this.forward(response, 'evaluate', args);
  }

  protected override continueRequest(
    response: DebugProtocol.ContinueResponse,
    args: DebugProtocol.ContinueArguments,
  ): void {
    this.tasks.onResumed(args.threadId);
    this.forward(response, 'continue', args);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.tasks.onResumed(args.threadId);
    this.forward(response, 'next', args);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.tasks.onResumed(args.threadId);
    this.forward(response, 'stepIn', args);
  }

  protected override stepOutRequest(
    response: DebugProtocol.StepOutResponse,
    args: DebugProtocol.StepOutArguments,
  ): void {
    this.tasks.onResumed(args.threadId);
    this.forward(response, 'stepOut', args);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    this.forward(response, 'pause', args);
  }

  protected override exceptionInfoRequest(
    response: DebugProtocol.ExceptionInfoResponse,
    args: DebugProtocol.ExceptionInfoArguments,
  ): void {
    this.forward(response, 'exceptionInfo', args);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const handled = routeCustomRequest(command, args, this.tasks, this.agent);
    if (!handled) {
      super.customRequest(command, response, args);
      return;
    }
    handled.then(
      (body) => {
        response.body = body;
        this.sendResponse(response);
      },
      (error) => this.fail(response, error, ErrorCodes.AgentRequestFailed),
    );
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    // The process exit produces `exited` and `terminated`; answer at once so the UI stays responsive.
    this.sendResponse(response);
    if (this.debuggee && !this.debuggee.exited) {
      void this.debuggee.kill();
    } else {
      this.end();
    }
  }

  protected override async disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
    args: DebugProtocol.DisconnectArguments,
  ): Promise<void> {
    const debuggee = this.debuggee;
    if (debuggee && !debuggee.exited) {
      if (args?.terminateDebuggee === false && this.agent && !this.agent.isClosed) {
        // Leave the program running without us: the agent removes its hooks and resumes all threads.
        this.ended = true;
        debuggee.removeAllListeners();
        debuggee.release();
        // Piped output has no reader once the adapter exits: the agent sends it to the null device.
        const detachOutput = !(debuggee instanceof TerminalDebuggee);
        await withTimeout(this.agent.request('disconnect', { terminateDebuggee: false, detachOutput }), KILL_GRACE_MS);
      } else {
        await withTimeout(debuggee.kill(), KILL_GRACE_MS * 2);
      }
    }
    this.agent?.close();
    this.sendResponse(response);
    this.shutdown();
  }

  private forward<C extends AgentCommand>(
    response: DebugProtocol.Response,
    command: C,
    args: AgentRequests[C][0],
    transform: (body: AgentRequests[C][1]) => unknown = (body) => body,
  ): void {
    this.agentReady
      .then((agent) => agent.request(command, args))
      .then(
        (body) => {
          response.body = transform(body);
          this.sendResponse(response);
        },
        (error) => this.fail(response, error, ErrorCodes.AgentRequestFailed),
      );
  }

  private fail(response: DebugProtocol.Response, error: unknown, fallback = ErrorCodes.AgentRequestFailed): void {
    const code = error instanceof UserError ? error.code : fallback;
    const message = error instanceof Error ? error.message : String(error);
    this.sendErrorResponse(response, { id: code, format: message, showUser: error instanceof UserError });
  }

  private watchDebuggee(debuggee: Debuggee): void {
    this.debuggee = debuggee;
    debuggee.on('output', (category, text) => this.sendEvent(new OutputEvent(text, category)));
    debuggee.on('exit', (status) => {
      const code = status.code ?? this.programExitCode;
      if (code !== undefined) {
        const how = status.signal ? ` (killed by ${status.signal})` : '';
        this.console(`Process exited with code ${code}${how}`);
      } else {
        this.console('Process exited');
      }
      this.end(code);
    });
  }

  private watchAgent(agent: AgentConnection): void {
    for (const name of FORWARDED_EVENTS) {
      agent.on(name, (body) => this.sendEvent(new Event(name, body)));
    }
    agent.on('records', (body) => this.tasks.onAgentRecords(body));
    agent.on('stopped', (body) => this.tasks.forwardStopped(body));
    agent.on('continued', (body) => {
      this.tasks.onResumed(body.threadId);
      this.sendEvent(new Event('continued', body));
    });
    agent.on('output', (body) => this.sendEvent(new OutputEvent(ensureNewline(body.output), body.category)));
    agent.on('programExit', ({ exitCode }) => {
      this.programExitCode = exitCode;
      if (this.debuggee instanceof TerminalDebuggee) {
        this.debuggee.setExitCode(exitCode);
      }
    });
    agent.on('programError', (body) => this.console(body.message));
    agent.onClose(() => {
      const debuggee = this.debuggee;
      if (this.ended || !debuggee || debuggee.exited || this.programExitCode !== undefined) {
        return;
      }
      // os._exit and signals close the connection a moment before the process status is known.
      setTimeout(() => {
        if (!this.ended && !debuggee.exited) {
          this.console('Lost the connection to the debugger agent while the program was running; stopping it.');
          void debuggee.kill();
        }
      }, LOST_CONNECTION_GRACE_MS);
    });
  }

  private end(exitCode?: number): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.tasks.onEnded();
    this.tasks.dispose();
    this.debuggee?.reap();
    this.agent?.close();
    if (exitCode !== undefined) {
      this.sendEvent(new Event('exited', { exitCode }));
    }
    this.sendEvent(new Event('terminated'));
  }

  private console(text: string): void {
    this.sendEvent(new OutputEvent(ensureNewline(text), 'console'));
  }
}
