/**
 * Contract [A]: the adapter ⇄ Python agent protocol (see docs/protocol.md).
 * Mirrored in src/agent/asyncio_debugger/protocol.py. Bump PROTOCOL_VERSION in both on change.
 * This file must not import `vscode`.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export const PROTOCOL_VERSION = 1;
/** Environment variable that carries the connect-back token to the agent. */
export const TOKEN_ENV = 'ASYNCIO_DEBUGGER_TOKEN';
/** Environment variable that carries the user's own PYTHONPATH (absent if the user had none). */
export const USER_PYTHONPATH_ENV = 'ASYNCIO_DEBUGGER_USER_PYTHONPATH';

export interface AgentRequest<C extends string = string, A = unknown> {
  type: 'request';
  seq: number;
  command: C;
  arguments: A;
}

export interface AgentResponse<B = unknown> {
  type: 'response';
  request_seq: number;
  command: string;
  success: boolean;
  message?: string;
  body?: B;
}

export interface HelloBody {
  token: string;
  protocol: number;
  pid: number;
  python: string;
  executable: string;
  platform: string;
}

export interface ProgramExitBody {
  exitCode: number;
}

export interface ProgramErrorBody {
  kind: 'missing' | 'syntax' | 'import';
  message: string;
}

export interface AgentOutputBody {
  category: 'console' | 'important';
  output: string;
}

/** Every event the agent sends, as a discriminated union on `event`. */
export type AgentEvent =
  | { type: 'event'; event: 'hello'; body: HelloBody }
  | { type: 'event'; event: 'stopped'; body: DebugProtocol.StoppedEvent['body'] }
  | { type: 'event'; event: 'continued'; body: DebugProtocol.ContinuedEvent['body'] }
  | { type: 'event'; event: 'breakpoint'; body: DebugProtocol.BreakpointEvent['body'] }
  | { type: 'event'; event: 'output'; body: AgentOutputBody }
  | { type: 'event'; event: 'thread'; body: DebugProtocol.ThreadEvent['body'] }
  | { type: 'event'; event: 'programExit'; body: ProgramExitBody }
  | { type: 'event'; event: 'programError'; body: ProgramErrorBody };

export type AgentEventName = AgentEvent['event'];

export interface InitializeAgentArguments {
  justMyCode: boolean;
  stopOnEntry: boolean;
  maxReprLength?: number;
}

/** Request name → [arguments, response body]. */
export interface AgentRequests {
  initialize: [InitializeAgentArguments, Record<string, never>];
  setBreakpoints: [DebugProtocol.SetBreakpointsArguments, DebugProtocol.SetBreakpointsResponse['body']];
  setFunctionBreakpoints: [
    DebugProtocol.SetFunctionBreakpointsArguments,
    DebugProtocol.SetFunctionBreakpointsResponse['body'],
  ];
  setExceptionBreakpoints: [
    DebugProtocol.SetExceptionBreakpointsArguments,
    DebugProtocol.SetExceptionBreakpointsResponse['body'],
  ];
  configurationDone: [Record<string, never>, Record<string, never>];
  threads: [Record<string, never>, DebugProtocol.ThreadsResponse['body']];
  stackTrace: [DebugProtocol.StackTraceArguments, DebugProtocol.StackTraceResponse['body']];
  scopes: [DebugProtocol.ScopesArguments, DebugProtocol.ScopesResponse['body']];
  variables: [DebugProtocol.VariablesArguments, DebugProtocol.VariablesResponse['body']];
  setVariable: [DebugProtocol.SetVariableArguments, DebugProtocol.SetVariableResponse['body']];
  evaluate: [DebugProtocol.EvaluateArguments, DebugProtocol.EvaluateResponse['body']];
  continue: [DebugProtocol.ContinueArguments, DebugProtocol.ContinueResponse['body']];
  next: [DebugProtocol.NextArguments, Record<string, never>];
  stepIn: [DebugProtocol.StepInArguments, Record<string, never>];
  stepOut: [DebugProtocol.StepOutArguments, Record<string, never>];
  pause: [DebugProtocol.PauseArguments, Record<string, never>];
  exceptionInfo: [DebugProtocol.ExceptionInfoArguments, DebugProtocol.ExceptionInfoResponse['body']];
  disconnect: [{ terminateDebuggee: boolean }, Record<string, never>];
}

export type AgentCommand = keyof AgentRequests;

/** Exception filters the agent understands (ids shared with the adapter's capabilities). */
export const EXCEPTION_FILTERS = [
  { filter: 'raised', label: 'Raised Exceptions', default: false, supportsCondition: true },
  { filter: 'uncaught', label: 'Uncaught Exceptions', default: true, supportsCondition: true },
  { filter: 'userUnhandled', label: 'User Uncaught Exceptions', default: false, supportsCondition: true },
] as const;
