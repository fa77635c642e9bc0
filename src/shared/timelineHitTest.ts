/**
 * What is under the pointer: a lane, and in it a step (running or waiting to run), the wait after
 * a step, or nothing. A few pixels of slack make sub-pixel steps clickable.
 */
import { Row, TimelineModel } from './timelineModel';
import { Viewport } from './timelineViewport';

export type HitRegion = 'run' | 'delay' | 'wait' | 'lane';

export interface Hit {
  row: number;
  taskId: number;
  /** The step hit, or for a wait the step after which the task waited; -1 when none. */
  span: number;
  region: HitRegion;
}

export const HIT_SLOP_PX = 3;

export function hitTest(
  model: TimelineModel,
  rows: readonly Row[],
  vp: Viewport,
  laneHeight: number,
  x: number,
  y: number,
): Hit | undefined {
  const row = Math.floor((y + vp.scrollTop) / laneHeight);
  if (row < 0 || row >= rows.length) return undefined;
  const taskId = rows[row].id;
  const lane = model.lanes.get(taskId);
  const task = model.tasks.get(taskId);
  if (!lane || !task) return undefined;
  const t = vp.start + x * vp.nsPerPx;
  const slop = HIT_SLOP_PX * vp.nsPerPx;
  const none: Hit = { row, taskId, span: -1, region: 'lane' };

  let i = lane.firstEndingAtOrAfter(t - slop);
  if (i < lane.count && lane.starts[i] - slop <= t) {
    // Several steps may lie within the slop: take the one nearest the pointer.
    let best = i;
    let bestDist = distance(t, lane.starts[i], lane.ends[i]);
    for (let k = i + 1; k < lane.count && lane.starts[k] - slop <= t; k++) {
      const d = distance(t, lane.starts[k], lane.ends[k]);
      if (d < bestDist) [best, bestDist] = [k, d];
    }
    return { row, taskId, span: best, region: 'run' };
  }
  if (i < lane.count) {
    const sched = lane.scheduled[i];
    if (sched === sched && sched <= t && t < lane.starts[i]) return { row, taskId, span: i, region: 'delay' };
  }
  i = Math.min(i, lane.count);
  const born = task.created ?? (lane.count ? lane.starts[0] : Infinity);
  const died = task.ended ?? model.endTime;
  if (t < born - slop || t > died + slop) return none;
  return i > 0 ? { row, taskId, span: i - 1, region: 'wait' } : none;
}

function distance(t: number, s: number, e: number): number {
  return t < s ? s - t : t > e ? t - e : 0;
}
