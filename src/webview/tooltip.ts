/** What the hover card says about the lane or step under the pointer. Plain text lines only. */
import { Hit } from '../shared/timelineHitTest';
import { TimelineModel } from '../shared/timelineModel';
import { formatDuration } from '../shared/timelineViewport';

export function describeHit(model: TimelineModel, hit: Hit): { title: string; lines: string[] } {
  const task = model.tasks.get(hit.taskId)!;
  const lane = model.lanes.get(hit.taskId)!;
  const title = task.coroutine ? `${task.name} · ${task.coroutine}` : task.name;
  const lines: string[] = [];
  const i = hit.span;
  if (hit.region === 'run') {
    const dur = lane.ends[i] - lane.starts[i];
    lines.push(`step ${i + 1} of ${lane.count}: ran ${formatDuration(dur)} at ${formatDuration(lane.starts[i])}`);
    const sched = lane.scheduled[i];
    if (sched === sched) lines.push(`waited ${formatDuration(lane.starts[i] - sched)} for the loop (scheduling delay)`);
    lines.push(awaitText(model, lane.awaitsKind[i], lane.awaitsId[i], 'then awaited'));
    const site = model.stepSite(hit.taskId, i);
    if (site) lines.push(`suspended at ${site.file}:${site.line}`);
  } else if (hit.region === 'delay') {
    lines.push(`ready, waiting for the loop: ${formatDuration(lane.starts[i] - lane.scheduled[i])}`);
  } else if (hit.region === 'wait') {
    const next = i + 1 < lane.count ? lane.starts[i + 1] : (task.ended ?? model.endTime);
    lines.push(
      `${awaitText(model, lane.awaitsKind[i], lane.awaitsId[i], 'awaiting')} for ${formatDuration(next - lane.ends[i])}`,
    );
    const site = model.stepSite(hit.taskId, i);
    if (site) lines.push(`at ${site.file}:${site.line}`);
  }
  lines.push(outcomeText(model, hit.taskId));
  if (task.site) lines.push(`created at ${task.site.file}:${task.site.line} (${task.site.function})`);
  return { title, lines };
}

function awaitText(model: TimelineModel, kindIndex: number, id: number, verb: string): string {
  const kind = model.kindOf(kindIndex);
  if (!kind) return 'then finished';
  if (kind === 'yield') return `${verb} a bare yield (sleep(0))`;
  const target = model.tasks.get(id);
  if (kind === 'task' && target) return `${verb} task ${target.name}`;
  return `${verb} ${kind}${id ? ` #${id}` : ''}`;
}

function outcomeText(model: TimelineModel, id: number): string {
  const t = model.tasks.get(id)!;
  const lived = t.created !== null && t.ended !== null ? ` after ${formatDuration(t.ended - t.created)}` : '';
  switch (t.state) {
    case 'ok':
      return `returned ${t.type ?? 'a result'}${lived}`;
    case 'error':
      return `raised ${t.type ?? 'an exception'}${t.error ? `: ${t.error}` : ''}${lived}`;
    case 'cancelled': {
      const by = t.cancelled_by?.task != null ? model.tasks.get(t.cancelled_by.task)?.name : undefined;
      return `cancelled${by ? ` by ${by}` : ''}${lived}`;
    }
    default:
      return 'still running when the recording stopped';
  }
}
