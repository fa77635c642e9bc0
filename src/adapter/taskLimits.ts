/**
 * Which tasks, spans and edges a bounded answer keeps (dapCustom.ts `limit`s): the DAP channel
 * never carries tens of MB at once, whatever the program's size. Tasks: the ones a stopped thread
 * shows first, then the pending ones, then the most recently finished. Timeline: the most recent
 * spans, the tasks they belong to, then the tasks that changed in the window, then the rest.
 */
import type { AgentTaskRecord } from '../shared/agentProtocol';
import type { Edge, SpanColumns } from '../shared/dapCustom';

export interface LimitedEntry {
  record: AgentTaskRecord;
  paused?: { activity: string; threadId: number | null };
}

export interface Picked<E> {
  entries: E[];
  total: number;
}

/** Stopped threads' own tasks (the running one, the task threads): never left out of an answer. */
function shown(e: LimitedEntry): boolean {
  return e.paused !== undefined && (e.paused.threadId !== null || e.paused.activity === 'running');
}

/**
 * Up to `limit` entries (id order): pending first (a stopped thread's own tasks before all), then
 * finished ones newest first. `finishedNewestFirst` lists finished ids, most recent end first.
 */
export function pickTasks<E extends LimitedEntry>(
  tasks: Map<number, E>,
  finishedNewestFirst: Iterable<number>,
  includeFinished: boolean,
  limit: number,
): Picked<E> {
  const first: E[] = [];
  const pending: E[] = [];
  let finished = 0;
  for (const e of tasks.values()) {
    if (e.record.state !== 'pending') finished++;
    else if (shown(e)) first.push(e);
    else pending.push(e);
  }
  const total = first.length + pending.length + (includeFinished ? finished : 0);
  if (total <= limit) {
    const all = includeFinished ? [...tasks.values()] : [...first, ...pending];
    return { entries: all.sort(byId), total };
  }
  const out = first.slice(0, limit);
  for (let i = 0; i < pending.length && out.length < limit; i++) out.push(pending[i]);
  if (includeFinished) {
    for (const id of finishedNewestFirst) {
      if (out.length >= limit) break;
      const e = tasks.get(id);
      if (e && e.record.state !== 'pending') out.push(e);
    }
  }
  return { entries: out.sort(byId), total };
}

function byId(a: LimitedEntry, b: LimitedEntry): number {
  return a.record.id - b.record.id;
}

/** The last `limit` spans (the most recent to arrive). */
export function lastSpans(spans: SpanColumns, limit: number): SpanColumns {
  const n = spans.task.length;
  if (n <= limit) return spans;
  const from = n - Math.max(0, limit);
  return {
    task: spans.task.slice(from),
    start: spans.start.slice(from),
    end: spans.end.slice(from),
    scheduled: spans.scheduled.slice(from),
    woken_by: spans.woken_by.slice(from),
    awaits_kind: spans.awaits_kind.slice(from),
    awaits_id: spans.awaits_id.slice(from),
  };
}

/**
 * Up to `limit` of the timeline's candidate tasks (id order): those with spans in the answer, then
 * those created or ended in [from, to], then the others.
 */
export function pickTimelineTasks<E extends LimitedEntry>(
  candidates: E[],
  withSpans: Set<number>,
  from: number,
  to: number,
  limit: number,
): E[] {
  if (candidates.length <= limit) return candidates;
  const tiers: E[][] = [[], [], []];
  for (const e of candidates) {
    const r = e.record;
    const changed = (r.created !== null && r.created >= from && r.created <= to) || (r.ended !== null && r.ended <= to);
    tiers[withSpans.has(r.id) || shown(e) ? 0 : changed ? 1 : 2].push(e);
  }
  const out: E[] = [];
  for (const tier of tiers) {
    for (let i = 0; i < tier.length && out.length < limit; i++) out.push(tier[i]);
  }
  return out.sort(byId);
}

/**
 * Up to `limit` edges, the most recent, that touch a kept task and no task left out (await and
 * wake edges have a future, not a task, at one end: ids are unique across tasks and futures).
 */
export function pickEdges(edges: Edge[], kept: Set<number>, isTask: (id: number) => boolean, limit: number): Edge[] {
  const out: Edge[] = [];
  for (let i = edges.length - 1; i >= 0 && out.length < limit; i--) {
    const e = edges[i];
    const a = kept.has(e[1]);
    const b = kept.has(e[2]);
    if ((a || b) && (a || !isTask(e[1])) && (b || !isTask(e[2]))) out.push(e);
  }
  return out.reverse();
}
