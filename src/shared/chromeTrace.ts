/**
 * The shown model as Chrome Trace Event JSON (Perfetto, chrome://tracing), in the shape the agent's
 * `record --format chrome` writes (src/agent/asyncio_debugger/tasks/chrome.py): one process per
 * event loop, one track per task, steps as complete events, spawn and wake as flow events.
 */
import { TimelineModel } from './timelineModel';
import { NativeSite } from './timelineTrace';

export interface ChromeEvent {
  ph: 'M' | 'X' | 'i' | 's' | 'f';
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 't';
  id?: number;
  bp?: 'e';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  displayTimeUnit: 'ms';
  otherData: Record<string, unknown>;
  traceEvents: ChromeEvent[];
}

const PID_BASE = 1;
/** Flow ids for wakes start above any task id (spawn flows use the child's task id). */
const WAKE_FLOW_BASE = 2 ** 40;

/** Microseconds with the nanosecond precision the agent keeps (3 decimals). */
function us(ns: number): number {
  return Math.round(ns) / 1000;
}

function site(s: NativeSite | null | undefined): string | null {
  return s ? `${s.file}:${s.line}` : null;
}

export function toChromeTrace(model: TimelineModel): ChromeTrace {
  const events: ChromeEvent[] = [];
  const named = new Set<number>();
  const pidOf = (id: number) => PID_BASE + (model.tasks.get(id)?.loop ?? 0);
  for (const task of model.tasks.values()) {
    const pid = pidOf(task.id);
    if (!named.has(pid)) {
      named.add(pid);
      const label = task.loop ? `event loop ${task.loop} (thread ${task.thread ?? null})` : 'tasks';
      events.push({ ph: 'M', name: 'process_name', pid, tid: 0, args: { name: label } });
    }
    const name = task.name || `Task #${task.id}`;
    events.push({
      ph: 'M',
      name: 'thread_name',
      pid,
      tid: task.id,
      args: { name: task.coroutine ? `${name} (${task.coroutine})` : name },
    });
    events.push({ ph: 'M', name: 'thread_sort_index', pid, tid: task.id, args: { sort_index: task.id } });
    if (task.created !== null) {
      const args = {
        task: task.id,
        parent: task.parent,
        group: task.group ?? null,
        coroutine: task.coroutine,
        site: site(task.site),
      };
      const ts = us(task.created);
      events.push({ ph: 'i', s: 't', name: 'created', cat: 'task', pid, tid: task.id, ts, args });
      const parent = task.parent !== null ? model.tasks.get(task.parent) : undefined;
      if (parent) {
        const flow = { name: 'spawn', cat: 'parent', id: task.id, ts };
        events.push({ ...flow, ph: 's', pid: pidOf(parent.id), tid: parent.id });
        events.push({ ...flow, ph: 'f', bp: 'e', pid, tid: task.id });
      }
    }
    if (task.ended !== null) {
      const done: Record<string, unknown> = { outcome: task.state, type: task.type ?? null };
      if (task.error) done.error = task.error;
      if (task.cancelled_by) {
        done.cancelled_by = task.cancelled_by.task;
        done.cancel_site = site(task.cancelled_by.site);
      }
      if (task.reports?.length) done.reports = task.reports;
      events.push({
        ph: 'i',
        s: 't',
        name: task.state,
        cat: 'task',
        pid,
        tid: task.id,
        ts: us(task.ended),
        args: done,
      });
    }
  }
  let flowId = WAKE_FLOW_BASE;
  for (const [id, lane] of model.lanes) {
    const task = model.tasks.get(id);
    const pid = pidOf(id);
    for (let i = 0; i < lane.count; i++) {
      const start = lane.starts[i];
      const sched = lane.scheduled[i];
      const args: Record<string, unknown> = { delay_us: sched === sched && sched ? us(start - sched) : null };
      const kind = model.kindOf(lane.awaitsKind[i]);
      if (kind) {
        args.awaits = kind;
        if (lane.awaitsId[i]) args.awaits_id = lane.awaitsId[i];
      }
      const step = model.stepSite(id, i);
      if (step) args.site = site({ ...step, function: '' });
      events.push({
        ph: 'X',
        name: task?.coroutine || 'step',
        cat: 'step',
        pid,
        tid: id,
        ts: us(start),
        dur: us(lane.ends[i] - start),
        args,
      });
      const waker = model.tasks.get(lane.wokenBy[i]);
      if (waker && waker.ended !== null) {
        // A finished task woke this one (await task, gather): draw the hand-over.
        const flow = { name: 'wake', cat: 'await', id: ++flowId };
        events.push({ ...flow, ph: 's', pid: pidOf(waker.id), tid: waker.id, ts: us(waker.ended) });
        events.push({ ...flow, ph: 'f', bp: 'e', pid, tid: id, ts: us(start) });
      }
    }
  }
  return { displayTimeUnit: 'ms', otherData: { ...model.metadata }, traceEvents: events };
}

/** Serialises event by event, one per line like the agent, so a large trace never needs a second copy as a string. */
export function* chromeTraceChunks(trace: ChromeTrace): Generator<string> {
  yield `{"displayTimeUnit":"ms","otherData":${JSON.stringify(trace.otherData)},"traceEvents":[`;
  let first = true;
  for (const e of trace.traceEvents) {
    yield (first ? '\n' : ',\n') + JSON.stringify(e);
    first = false;
  }
  yield '\n]}\n';
}
