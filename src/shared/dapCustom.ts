/**
 * Contract [B]: custom DAP events and requests between the adapter and the extension (or any DAP
 * client) for asyncio tasks. Declared once here; the adapter implements them, the extension's
 * task tree and timeline consume them. Must not import `vscode`.
 *
 * Times are integer nanoseconds since the session's `t0` (the agent's first record), so they fit
 * a JS number for 104 days. Task ids are the agent's trace ids (stable for the session).
 */

export const enum CustomEvents {
  /** Batched task deltas while the program runs (at most 10 per second) and once on every stop. */
  TasksChanged = 'asyncio/tasksChanged',
}

export const enum CustomRequests {
  /** Every task the model holds (live ones, plus finished ones unless excluded). */
  Tasks = 'asyncio/tasks',
  /** Tasks, spans and edges in a time window, in the native trace format's shapes. */
  Timeline = 'asyncio/timeline',
  /** Ask the program to cancel a task (works while running and while stopped). */
  CancelTask = 'asyncio/cancelTask',
  /** The creation stack and the current await stack of one task. */
  TaskStacks = 'asyncio/taskStacks',
  /** Stop the program (like a breakpoint) when the task finishes, whatever its outcome. */
  BreakWhenDone = 'asyncio/breakWhenDone',
  /**
   * Make the client focus a task's thread: the adapter sends a `stopped` event for it without
   * `preserveFocusHint` (VS Code then selects it in the Call Stack and opens its top frame).
   */
  FocusTask = 'asyncio/focusTask',
}

/**
 * Answers and events stay a few MB however many tasks the program has: at most this many tasks in
 * an `asyncio/tasks` answer or a `asyncio/tasksChanged` event unless the client asks otherwise.
 */
export const DEFAULT_TASKS_LIMIT = 10_000;
/** At most this many spans (the most recent), tasks and edges in an `asyncio/timeline` answer by default. */
export const DEFAULT_TIMELINE_SPANS = 20_000;
export const DEFAULT_TIMELINE_TASKS = 5_000;
export const DEFAULT_TIMELINE_EDGES = 40_000;

export interface SourceSite {
  file: string;
  line: number;
  function: string;
}

/** `unknown`: the task finished, but the records of its end were dropped (outcome not recorded). */
export type TaskOutcome = 'pending' | 'ok' | 'error' | 'cancelled' | 'unknown';

/** What a pending task is doing right now. */
export type TaskActivity = 'running' | 'ready' | 'awaiting' | 'done';

export interface AwaitInfo {
  /** `task`, `gather`, `queue`, `sleep`, `lock`, `event`, `future`, `yield`, ... */
  kind: string;
  /** Id of the awaited task or future (0 when none). */
  id: number;
  /** For an awaited task: its name. */
  name?: string;
  /** When the task started waiting. */
  since: number;
}

export interface CancelInfo {
  task: number | null;
  site: SourceSite | null;
  stack: SourceSite[];
  via: number | null;
  while: 'waiting' | 'scheduled' | null;
}

export interface TaskInfo {
  id: number;
  name: string;
  coroutine: string;
  site: SourceSite | null;
  /** The file of the task's coroutine, where its steps' `line`s are (null when unknown). */
  coroutineFile?: string | null;
  parent: number | null;
  group: number | null;
  loop: number;
  thread: number;
  created: number | null;
  ended: number | null;
  state: TaskOutcome;
  activity: TaskActivity;
  awaits: AwaitInfo | null;
  /** Result type (ok) or exception type (error). */
  type: string | null;
  error: string | null;
  cancelledBy: CancelInfo | null;
  reports: string[];
  eager: boolean;
  steps: number;
  /** Total time spent running its steps, ns. */
  busy: number;
  /** DAP thread id under which this task's frames can be read while the program is stopped. */
  threadId: number | null;
}

export interface DroppedCounts {
  records: number;
  objects: number;
}

export interface TasksChangedBody {
  /** Increases by one per event; a gap means the client should re-read `asyncio/tasks`. */
  seq: number;
  now: number;
  /** True while the program is stopped: the tasks are frozen and exact. */
  stopped: boolean;
  /** New or changed tasks. */
  tasks: TaskInfo[];
  /** Ids the model forgot (retention of finished tasks). */
  removed: number[];
  dropped: DroppedCounts;
  /** How many tasks the adapter holds now (live and kept finished ones). */
  total?: number;
  /**
   * More tasks changed than one event carries (DEFAULT_TASKS_LIMIT): `tasks` is empty and the
   * client should re-read `asyncio/tasks`, as after a gap.
   */
  resync?: boolean;
}

export interface TasksArguments {
  includeFinished?: boolean;
  /** At most this many tasks (default DEFAULT_TASKS_LIMIT): pending ones first, then the most recently finished. */
  limit?: number;
}

export interface TasksResponseBody {
  seq: number;
  now: number;
  stopped: boolean;
  tasks: TaskInfo[];
  dropped: DroppedCounts;
  /** How many tasks matched (`tasks` holds at most `limit` of them). */
  total?: number;
  /** True when `tasks` holds fewer than `total`. */
  truncated?: boolean;
}

export interface TimelineArguments {
  from?: number;
  to?: number;
  taskIds?: number[];
  /**
   * Tail mode for live views: only the spans that arrived after the first `afterSpan` spans of the
   * session (`from`/`to` then do not filter spans). The response's `spanCount` is the next value.
   */
  afterSpan?: number;
  /** At most this many spans, the most recent (default DEFAULT_TIMELINE_SPANS). */
  limit?: number;
  /**
   * At most this many tasks (default DEFAULT_TIMELINE_TASKS): those with spans in the answer first,
   * then those created or ended in the window, then the others alive in it.
   */
  taskLimit?: number;
}

/** Columnar spans, one entry per step (see docs/trace-format.md). */
export interface SpanColumns {
  task: number[];
  start: number[];
  end: number[];
  scheduled: (number | null)[];
  woken_by: number[];
  awaits_kind: string[];
  awaits_id: number[];
  /**
   * Where each step suspended: the line, in its task's `coroutineFile`, of the await the task then
   * waited on; 0 when unknown (the step finished the task). Absent from traces written before it.
   */
  line?: number[];
}

export type EdgeKind = 'parent' | 'await' | 'wake';
export type Edge = [EdgeKind, number, number, number];

export interface TimelineResponseBody {
  now: number;
  tasks: TaskInfo[];
  spans: SpanColumns;
  edges: Edge[];
  dropped: DroppedCounts;
  /** How many spans the session has produced so far (pass as `afterSpan` to get only newer ones). */
  spanCount?: number;
  /** How many tasks, spans and edges matched before the limits. */
  total?: { tasks: number; spans: number; edges: number };
  /** True when the answer holds fewer tasks, spans or edges than `total`. */
  truncated?: boolean;
}

export interface CancelTaskArguments {
  taskId: number;
  message?: string;
}

export interface TaskStacksArguments {
  taskId: number;
}

export interface BreakWhenDoneArguments {
  taskId: number;
}

export interface TaskStacksResponseBody {
  creation: SourceSite[];
  awaiting: SourceSite[];
}

export interface FocusTaskArguments {
  taskId: number;
  /** While the program runs: pause the task's thread first (otherwise the request fails). */
  pause?: boolean;
}

export interface FocusTaskResponseBody {
  /** The task's thread, now focused. */
  threadId: number;
}
