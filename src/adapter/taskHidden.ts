/**
 * The debugger's own tasks in the agent's task records: an `await` in evaluate runs as a task named
 * EVALUATE_TASK_NAME (agentProtocol.ts). They are not the program's, so the task model never sees
 * them, nor their spans and edges; a task they created hangs at the top instead of under them.
 */
import { EVALUATE_TASK_NAME } from '../shared/agentProtocol';
import type { AgentPausedTasks, AgentTasksBody } from '../shared/agentProtocol';
import type { SpanColumns } from '../shared/dapCustom';

export function isOwnTask(record: { name: string }): boolean {
  return record.name === EVALUATE_TASK_NAME;
}

export class HiddenTasks {
  private readonly ids = new Set<number>();
  /** Ids hidden by the last `filter` that were not hidden before. */
  fresh: number[] = [];

  has(id: number | null): boolean {
    return id !== null && this.ids.has(id);
  }

  /** `body` without the debugger's tasks, their spans and edges (the same object when it has none). */
  filter(body: AgentTasksBody): AgentTasksBody {
    this.fresh = [];
    for (const record of body.tasks) {
      if (isOwnTask(record) && !this.ids.has(record.id)) {
        this.ids.add(record.id);
        this.fresh.push(record.id);
      }
    }
    if (this.ids.size === 0) {
      return body;
    }
    const ids = this.ids;
    const tasks = body.tasks.filter((r) => !ids.has(r.id));
    const spans = body.spans.task.some((id) => ids.has(id)) ? withoutSpans(body.spans, ids) : body.spans;
    const edges = body.edges.filter((e) => !ids.has(e[1]) && !ids.has(e[2]));
    const out: AgentTasksBody = { ...body, tasks, spans, edges };
    if (body.paused) {
      out.paused = withoutPaused(body.paused, ids);
    }
    return out;
  }
}

function withoutSpans(spans: SpanColumns, ids: Set<number>): SpanColumns {
  const keep: number[] = [];
  spans.task.forEach((id, i) => {
    if (!ids.has(id)) keep.push(i);
  });
  const pick = <T>(column: T[]): T[] => keep.map((i) => column[i]);
  const out: SpanColumns = {
    task: pick(spans.task),
    start: pick(spans.start),
    end: pick(spans.end),
    scheduled: pick(spans.scheduled),
    woken_by: pick(spans.woken_by),
    awaits_kind: pick(spans.awaits_kind),
    awaits_id: pick(spans.awaits_id),
  };
  if (spans.line) {
    out.line = pick(spans.line);
  }
  return out;
}

function withoutPaused(paused: AgentPausedTasks, ids: Set<number>): AgentPausedTasks {
  return {
    ...paused,
    running: paused.running !== null && ids.has(paused.running) ? null : paused.running,
    tasks: paused.tasks.filter((t) => !ids.has(t.id)),
  };
}
