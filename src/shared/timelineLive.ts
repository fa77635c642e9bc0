/**
 * Turns the adapter's `asyncio/timeline` answers (contract [B]) into the timeline's native trace
 * tables, so a live session feeds the same model a trace file does. Must not import `vscode`.
 */
import type { Edge, TaskInfo, TimelineResponseBody } from './dapCustom';
import { NATIVE_FORMAT, NATIVE_VERSION, NativeEdge, NativeTask, NativeTrace, TimelineDelta } from './timelineTrace';

export function nativeTask(t: TaskInfo): NativeTask {
  return {
    id: t.id,
    name: t.name,
    coroutine: t.coroutine,
    site: t.site,
    coroutine_file: t.coroutineFile ?? null,
    parent: t.parent,
    group: t.group,
    loop: t.loop,
    thread: t.thread,
    created: t.created,
    ended: t.ended,
    state: t.state,
    type: t.type,
    error: t.error,
    cancelled_by: t.cancelledBy
      ? {
          task: t.cancelledBy.task,
          site: t.cancelledBy.site,
          stack: t.cancelledBy.stack,
          via: t.cancelledBy.via,
          while: t.cancelledBy.while,
        }
      : null,
    reports: t.reports,
    eager: t.eager,
    steps: t.steps,
    busy: t.busy,
  };
}

function nativeEdges(edges: Edge[]): NativeEdge[] {
  return edges.map((e) => [e[0], e[1], e[2], e[3]] as NativeEdge);
}

/** The first answer of a session: a whole trace. */
export function traceFromTimeline(body: TimelineResponseBody, label: string): NativeTrace {
  return {
    format: NATIVE_FORMAT,
    version: NATIVE_VERSION,
    metadata: { argv: [label], duration_ns: body.now, dropped: body.dropped, live: true },
    tasks: body.tasks.map(nativeTask),
    futures: [],
    spans: body.spans,
    edges: nativeEdges(body.edges),
  };
}

/**
 * A later answer, asked with `from` = the previous `now` and `afterSpan` = the previous
 * `spanCount`: the tasks alive since then (records refreshed), the new spans and the new edges.
 */
export function deltaFromTimeline(body: TimelineResponseBody): TimelineDelta {
  return { tasks: body.tasks.map(nativeTask), spans: body.spans, edges: nativeEdges(body.edges), now: body.now };
}
