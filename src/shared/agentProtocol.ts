/**
 * Contract [A]: the adapter ⇄ Python agent protocol (see docs/protocol.md).
 * Mirrored in src/agent/asyncio_debugger/protocol.py. Bump PROTOCOL_VERSION in both on change.
 * This file must not import `vscode`.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DroppedCounts, Edge, SpanColumns } from './dapCustom';

export const PROTOCOL_VERSION = 2;
/** Environment variable that carries the connect-back token to the agent. */
export const TOKEN_ENV = 'ASYNCIO_DEBUGGER_TOKEN';
/** Environment variable that carries the user's own PYTHONPATH (absent if the user had none). */
export const USER_PYTHONPATH_ENV = 'ASYNCIO_DEBUGGER_USER_PYTHONPATH';
/** Thread ids at or above this are asyncio tasks shown as threads while their loop's thread is stopped. */
export const TASK_THREAD_BASE = 1_000_000;

/**
 * The name of the task an `await` in evaluate runs as (protocol.py). It is the debugger's own: the
 * task model leaves tasks with exactly this name (and their spans and edges) out of what it shows.
 */
export const EVALUATE_TASK_NAME = '<asyncio-debugger evaluate>';
/** The span columns of a `tasks` event (protocol.py SPAN_COLUMNS); `line` is optional (older agents). */
export const SPAN_COLUMNS = [
  'task',
  'start',
  'end',
  'scheduled',
  'woken_by',
  'awaits_kind',
  'awaits_id',
  'line',
] as const;
/** The agent sends `tasks` events at most this often while the program runs. */
export const TASKS_EVENT_INTERVAL_MS = 100;

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

/** A task as the native trace format writes it (docs/trace-format.md); times relative to `t0`. */
export interface AgentTaskRecord {
  id: number;
  name: string;
  coroutine: string;
  site: { file: string; line: number; function: string } | null;
  /** The file of the task's coroutine: its spans' `line` column points into it. */
  coroutine_file?: string | null;
  parent: number | null;
  group: number | null;
  loop: number;
  thread: number;
  created: number | null;
  ended: number | null;
  /** `unknown`: finished, but the records of its end were dropped (see `dropped`). */
  state: 'pending' | 'ok' | 'error' | 'cancelled' | 'unknown';
  type: string | null;
  error: string | null;
  cancelled_by: {
    task: number | null;
    site: { file: string; line: number; function: string } | null;
    stack: { file: string; line: number; function: string }[];
    via: number | null;
    while: 'waiting' | 'scheduled' | null;
  } | null;
  reports: string[];
  eager: boolean;
  late: boolean;
  steps: number;
  busy: number;
}

/** Exact state of one stopped thread's loop, sent with the `tasks` event that precedes `stopped`. */
export interface AgentPausedTasks {
  /** The OS thread (DAP id) that stopped. */
  threadId: number;
  /** Trace id of the task whose step contains the stop, if any. */
  running: number | null;
  tasks: { id: number; activity: 'running' | 'ready' | 'awaiting'; threadId: number | null }[];
}

/** Task tracking deltas: tasks new or changed since the last event, and the spans and edges since then. */
export interface AgentTasksBody {
  /** The agent's clock (perf_counter_ns) at time 0; every other time is relative to it. */
  t0: number;
  now: number;
  tasks: AgentTaskRecord[];
  spans: SpanColumns;
  edges: Edge[];
  dropped: DroppedCounts;
  paused?: AgentPausedTasks;
}

/** A code object the records refer to by key (tasks/wire.py `describe_code`), described once. */
export interface AgentCodeInfo {
  key: number;
  file: string;
  /** co_qualname (co_name before 3.11). */
  name: string;
  firstLine: number;
  /** co_lines() flattened: start, end, line (-1 for none), ... */
  lines: number[];
  /** kinds.future_kind / resolver_kind of this code: what a future it creates / completes waits on. */
  futureKind: string;
  resolverKind: string;
  /** The agent's own code: left out of cancellation stacks. */
  agent: boolean;
}

/** A type the records refer to by key (tasks/wire.py `describe_type`). */
export interface AgentTypeInfo {
  key: number;
  name: string;
  /** An asyncio Task class (awaiting it means waiting for a task). */
  task: boolean;
  /** gather's `_GatheringFuture`. */
  gather: boolean;
}

/**
 * The hooks' raw records, folded by the adapter (src/adapter/taskFold.ts) into what a `tasks`
 * event says. Times are perf_counter_ns values (absolute) inside `data` and `objects`.
 */
export interface AgentRecordsBody {
  t0: number;
  /** Relative to `t0`. */
  now: number;
  /** base64 of marshal.dumps(list of record tuples), in stream order (tasks/codes.py layouts). */
  data: string;
  /** Side objects: [kind (CANCEL_STACK), t, raw, [[codeKey, lasti], ...]]. */
  objects: [number, number, number, [number, number][]][];
  /** [records, objects] per recorder batch, in order (side objects merge by time within their batch); absent: one batch. */
  batches?: [number, number][];
  /** Registry keys not described before. */
  codes: AgentCodeInfo[];
  types: AgentTypeInfo[];
  /** [raw, name] of tasks named after their CREATE record (asyncio.create_task names them late). */
  names?: [number, string][];
  /** [raw, name, coroutine qualname] of every task of every open loop, after records were dropped. */
  alive?: [number, string, string][];
  dropped: DroppedCounts;
  /** As AgentPausedTasks, with raw ids (`id()`) instead of trace ids. */
  paused?: {
    threadId: number;
    running: number | null;
    tasks: { raw: number; activity: 'running' | 'ready' | 'awaiting'; threadId: number | null }[];
  };
}

export interface CancelTaskBody {
  taskId: number;
  /** True when the task's thread is stopped: the cancellation happens when it resumes. */
  deferred: boolean;
  message: string;
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
  | { type: 'event'; event: 'programError'; body: ProgramErrorBody }
  | { type: 'event'; event: 'records'; body: AgentRecordsBody };

export type AgentEventName = AgentEvent['event'];

export interface InitializeAgentArguments {
  justMyCode: boolean;
  stopOnEntry: boolean;
  maxReprLength?: number;
  /** How many tasks a stopped thread lists as DAP threads (default 100). */
  maxTaskThreads?: number;
  /**
   * Install the task hooks and stream task records (default true, the same as "steps": every
   * step); "lifecycle": only task creation and completion; false: no task tracking.
   */
  trackTasks?: boolean | 'steps' | 'lifecycle';
  /** Seconds an evaluated `await` may take (default 5). */
  awaitTimeout?: number;
  /** Other tasks of the paused loop run during an evaluated `await` (default false). */
  awaitRunsOtherTasks?: boolean;
  /** `await` in watch expressions (default false). */
  awaitInWatch?: boolean;
  /** Completion breakpoints stop where the future completed (default) or where its awaiter resumes. */
  completionStopAt?: 'completer' | 'awaiter';
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
  /** `detachOutput`: the program's stdout/stderr are pipes to the adapter, which is going away. */
  disconnect: [{ terminateDebuggee: boolean; detachOutput?: boolean }, Record<string, never>];
  cancelTask: [{ taskId: number; raw: number; message?: string }, CancelTaskBody];
  breakOnCompletion: [{ taskId: number; raw: number }, { taskId: number }];
  dataBreakpointInfo: [DebugProtocol.DataBreakpointInfoArguments, DebugProtocol.DataBreakpointInfoResponse['body']];
  setDataBreakpoints: [DebugProtocol.SetDataBreakpointsArguments, DebugProtocol.SetDataBreakpointsResponse['body']];
  taskStacks: [
    { taskId: number; raw: number },
    {
      creation: { file: string; line: number; function: string }[];
      awaiting: { file: string; line: number; function: string }[];
    },
  ];
}

export type AgentCommand = keyof AgentRequests;

/** Exception filters the agent understands (ids shared with the adapter's capabilities). */
export const EXCEPTION_FILTERS = [
  { filter: 'raised', label: 'Raised Exceptions', default: false, supportsCondition: true },
  { filter: 'uncaught', label: 'Uncaught Exceptions', default: true, supportsCondition: true },
  { filter: 'userUnhandled', label: 'User Uncaught Exceptions', default: false, supportsCondition: true },
  {
    filter: 'taskException',
    label: 'Exception raised inside a task',
    description: 'Stop where an exception that finishes an asyncio task was raised',
    default: false,
    supportsCondition: true,
  },
  {
    filter: 'taskCancelled',
    label: 'Task cancelled',
    description: 'Stop where cancel() is called on a waiting asyncio task (or when a task ends cancelled)',
    default: false,
    supportsCondition: false,
  },
  {
    filter: 'taskNeverRetrieved',
    label: 'Task exception never retrieved',
    description:
      'Stop where asyncio reports a failed task that was garbage collected before its exception was retrieved',
    default: false,
    supportsCondition: true,
  },
] as const;
