/** Small native traces written by hand, so each test states exactly the steps it is about. */
import { NativeTask, NativeTrace, TimelineDelta, emptySpans } from '../../src/shared/timelineTrace';

export function task(id: number, fields: Partial<NativeTask> = {}): NativeTask {
  return {
    id,
    name: `t${id}`,
    coroutine: `coro${id}`,
    site: { file: '/ws/app.py', line: 10 + id, function: 'main' },
    parent: null,
    created: 0,
    ended: null,
    state: 'pending',
    ...fields,
  };
}

/** [task, start, end, scheduled?, awaitsKind?, awaitsId?, wokenBy?, line?] */
export type SpanRow = [number, number, number, (number | null)?, string?, number?, number?, number?];

export function spansOf(rows: SpanRow[]): NativeTrace['spans'] {
  const s = emptySpans();
  for (const [t, start, end, sched = null, kind = '', awaitsId = 0, woken = 0, line = 0] of rows) {
    s.task.push(t);
    s.start.push(start);
    s.end.push(end);
    s.scheduled.push(sched);
    s.awaits_kind.push(kind);
    s.awaits_id.push(awaitsId);
    s.woken_by.push(woken);
    s.line!.push(line);
  }
  return s;
}

export function trace(tasks: NativeTask[], spans: SpanRow[] = [], extra: Partial<NativeTrace> = {}): NativeTrace {
  return {
    format: 'asyncio-debugger-trace',
    version: 1,
    metadata: {},
    tasks,
    futures: [],
    spans: spansOf(spans),
    edges: [],
    ...extra,
  };
}

export function delta(tasks: NativeTask[], spans: SpanRow[] = [], extra: Partial<TimelineDelta> = {}): TimelineDelta {
  return { tasks, spans: spansOf(spans), ...extra };
}

/** One task with `n` steps of `dur` ns every `every` ns, starting at `from`. */
export function regularSteps(id: number, n: number, every: number, dur: number, from = 0): SpanRow[] {
  const rows: SpanRow[] = [];
  for (let i = 0; i < n; i++)
    rows.push([id, from + i * every, from + i * every + dur, from + i * every, 'sleep', 1000 + i]);
  return rows;
}
