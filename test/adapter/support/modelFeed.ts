/** Hand-made agent `tasks` events for the adapter's task model and bridge, stating only what a test is about. */
import type { AgentTaskRecord, AgentTasksBody } from '../../../src/shared/agentProtocol';
import type { SpanColumns } from '../../../src/shared/dapCustom';

/** A pending task record `t<id>` running `work`, created at `id * 10`. */
export function record(id: number, extra: Partial<AgentTaskRecord> = {}): AgentTaskRecord {
  return {
    id,
    name: `t${id}`,
    coroutine: 'work',
    site: null,
    parent: null,
    group: null,
    loop: 1,
    thread: 1,
    created: id * 10,
    ended: null,
    state: 'pending',
    type: null,
    error: null,
    cancelled_by: null,
    reports: [],
    eager: false,
    late: false,
    steps: 0,
    busy: 0,
    ...extra,
  };
}

/** Span columns from rows of (task, start, end, awaits kind, awaits id); none scheduled or woken. */
export function spans(rows: Array<[task: number, start: number, end: number, kind: string, on: number]>): SpanColumns {
  return {
    task: rows.map((r) => r[0]),
    start: rows.map((r) => r[1]),
    end: rows.map((r) => r[2]),
    scheduled: rows.map(() => null),
    woken_by: rows.map(() => 0),
    awaits_kind: rows.map((r) => r[3]),
    awaits_id: rows.map((r) => r[4]),
  };
}

/** A `tasks` event body: no tasks, spans or edges unless given. */
export function body(parts: Partial<AgentTasksBody>): AgentTasksBody {
  return { t0: 0, now: 1000, tasks: [], spans: spans([]), edges: [], dropped: { records: 0, objects: 0 }, ...parts };
}
