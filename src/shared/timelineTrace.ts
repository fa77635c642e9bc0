/**
 * The agent's native trace file (docs/trace-format.md), as TypeScript types, plus the incremental
 * delta a live session sends with the same tables. This file must not import `vscode`.
 */

import type { Edge, EdgeKind, SpanColumns } from './dapCustom';

export const NATIVE_FORMAT = 'asyncio-debugger-trace';
export const NATIVE_VERSION = 1;

export interface NativeSite {
  file: string;
  line: number;
  function: string;
}

export type TaskState = 'ok' | 'error' | 'cancelled' | 'pending' | 'unknown';

export interface NativeCancelledBy {
  task: number | null;
  site: NativeSite | null;
  stack?: NativeSite[];
  via?: number | null;
  while?: 'waiting' | 'scheduled' | null;
}

export interface NativeTask {
  id: number;
  name: string;
  coroutine: string | null;
  site: NativeSite | null;
  /** The file of the task's coroutine: its spans' `line` column points into it. */
  coroutine_file?: string | null;
  parent: number | null;
  group?: number | null;
  loop?: number | null;
  thread?: number | null;
  created: number | null;
  ended: number | null;
  state: TaskState;
  type?: string | null;
  error?: string | null;
  cancelled_by?: NativeCancelledBy | null;
  reports?: string[];
  eager?: boolean;
  late?: boolean;
  steps?: number;
  busy?: number;
}

export interface NativeFuture {
  id: number;
  kind: string;
  created: number | null;
  site: NativeSite | null;
  resolved: number | null;
  resolver: NativeSite | null;
  cancelled_by?: NativeCancelledBy | null;
}

/** One entry per step, columnar (every column has the same length): the shapes of contract [B]. */
export type NativeSpans = SpanColumns;
export type { EdgeKind };
export type NativeEdge = Edge;

export interface NativeMetadata {
  python?: string;
  pid?: number;
  argv?: string[];
  t0_ns?: number;
  duration_ns?: number;
  dropped?: { records: number; objects: number };
  [key: string]: unknown;
}

export interface NativeTrace {
  format: typeof NATIVE_FORMAT;
  version: number;
  metadata: NativeMetadata;
  tasks: NativeTask[];
  futures: NativeFuture[];
  spans: NativeSpans;
  edges: NativeEdge[];
  reports?: [string, number, number][];
}

/** What a live session adds: new or updated tasks (whole records), new spans, futures and edges. */
export interface TimelineDelta {
  tasks?: NativeTask[];
  futures?: NativeFuture[];
  spans?: NativeSpans;
  edges?: NativeEdge[];
  /** The session's clock: how far the recording has got (ns, same origin as the spans). */
  now?: number;
}

export function emptySpans(): NativeSpans {
  return { task: [], start: [], end: [], scheduled: [], woken_by: [], awaits_kind: [], awaits_id: [], line: [] };
}

/** Checks the parts of a parsed JSON value the timeline relies on; throws with a readable reason. */
export function asNativeTrace(value: unknown): NativeTrace {
  const fail = (why: string): never => {
    throw new Error(`Not an asyncio-debugger trace: ${why}.`);
  };
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const v = value as Partial<NativeTrace>;
  if (v.format !== NATIVE_FORMAT) {
    const chrome = 'traceEvents' in (value as object);
    return fail(chrome ? 'this is a Chrome trace (record with --format native)' : `format is ${String(v.format)}`);
  }
  if (v.version !== NATIVE_VERSION) fail(`version ${String(v.version)} is not supported (expected ${NATIVE_VERSION})`);
  if (!Array.isArray(v.tasks)) fail('no tasks table');
  const spans = v.spans;
  if (!spans || !Array.isArray(spans.task)) fail('no spans table');
  const n = spans!.task.length;
  for (const column of ['start', 'end', 'scheduled', 'woken_by', 'awaits_kind', 'awaits_id'] as const) {
    if (!Array.isArray(spans![column]) || spans![column].length !== n)
      fail(`spans column ${column} is missing or short`);
  }
  // `line` came later: a trace without it (or with a short one) opens with no step lines.
  if (spans!.line !== undefined && (!Array.isArray(spans!.line) || spans!.line.length !== n)) delete spans!.line;
  return {
    format: NATIVE_FORMAT,
    version: NATIVE_VERSION,
    metadata: v.metadata ?? {},
    tasks: v.tasks!,
    futures: Array.isArray(v.futures) ? v.futures : [],
    spans: spans!,
    edges: Array.isArray(v.edges) ? v.edges : [],
    reports: Array.isArray(v.reports) ? v.reports : [],
  };
}
