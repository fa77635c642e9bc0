/**
 * Level of detail: turns the lanes in view into a bounded list of rectangles. Steps wider than a
 * pixel are drawn one by one; runs of sub-pixel steps are merged per lane into one rectangle whose
 * shade says how busy those pixel columns were. Work per lane is O(pixels × log steps), however
 * many million steps the trace holds, because a merged column skips ahead by binary search.
 */
import { Row, TimelineModel } from './timelineModel';
import { SpanColumns } from './timelineSpans';
import { Viewport } from './timelineViewport';

export const enum Style {
  /** The task exists and waits: a thin line through the lane. */
  Wait = 0,
  /** Scheduled but not yet running (loop delay). */
  Delay = 1,
  /** A step running. */
  Run = 2,
  /** Merged sub-pixel steps, by busy fraction: <25 %, <50 %, <75 %, more. */
  Dense1 = 3,
  Dense2 = 4,
  Dense3 = 5,
  Dense4 = 6,
  /** Outcome markers at the task's end. */
  Ok = 7,
  Error = 8,
  Cancelled = 9,
  /** Tick at creation. */
  Created = 10,
}
export const STYLE_COUNT = 11;

/** Rectangles per style in flat typed arrays, reused frame after frame. */
export class DrawList {
  readonly counts = new Uint32Array(STYLE_COUNT);
  rects: Float32Array[] = Array.from({ length: STYLE_COUNT }, () => new Float32Array(4 * 256));
  labels: { x: number; y: number; text: string }[] = [];

  clear(): void {
    this.counts.fill(0);
    this.labels.length = 0;
  }

  add(style: Style, x: number, y: number, w: number, h: number): void {
    const n = this.counts[style];
    let a = this.rects[style];
    if (4 * (n + 1) > a.length) {
      const b = new Float32Array(a.length * 2);
      b.set(a);
      this.rects[style] = a = b;
    }
    a[4 * n] = x;
    a[4 * n + 1] = y;
    a[4 * n + 2] = w;
    a[4 * n + 3] = h;
    this.counts[style] = n + 1;
  }

  total(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }
}

export interface LaneGeometry {
  laneHeight: number;
  /** Width of the drawing area, CSS pixels. */
  width: number;
  /** Height of the lanes area, CSS pixels. */
  height: number;
}

/** Narrowest merged rectangle drawn. */
const MIN_MERGED_PX = 2;
/** Gaps narrower than this carry no "awaits …" label. */
const LABEL_MIN_PX = 56;

/** Index range of the rows (lanes) intersecting the lanes area. */
export function visibleRows(rowCount: number, vp: Viewport, g: LaneGeometry): [number, number] {
  const first = Math.max(0, Math.floor(vp.scrollTop / g.laneHeight));
  const last = Math.min(rowCount, Math.ceil((vp.scrollTop + g.height) / g.laneHeight));
  return [first, last];
}

export function layout(model: TimelineModel, rows: readonly Row[], vp: Viewport, g: LaneGeometry, out: DrawList): void {
  out.clear();
  const [first, last] = visibleRows(rows.length, vp, g);
  for (let r = first; r < last; r++) layoutLane(model, rows[r].id, r * g.laneHeight - vp.scrollTop, vp, g, out);
}

export function layoutLane(
  model: TimelineModel,
  id: number,
  y: number,
  vp: Viewport,
  g: LaneGeometry,
  out: DrawList,
): void {
  const task = model.tasks.get(id);
  const lane = model.lanes.get(id);
  if (!task || !lane) return;
  const { nsPerPx, start: t0 } = vp;
  const tRight = t0 + g.width * nsPerPx;
  const h = g.laneHeight;
  const barY = y + 3;
  const barH = h - 6;
  const x = (t: number) => (t - t0) / nsPerPx;

  const born = task.created ?? (lane.count ? lane.scheduled[0] || lane.starts[0] : model.startTime);
  const died = task.ended ?? model.endTime;
  if (died < t0 || born > tRight) return;
  const lifeX0 = Math.max(-1, x(born));
  const lifeX1 = Math.min(g.width + 1, x(died));
  out.add(Style.Wait, lifeX0, y + h / 2 - 1, Math.max(1, lifeX1 - lifeX0), 2);
  if (task.created !== null && born >= t0) out.add(Style.Created, x(born), barY, 1, barH);

  let pendX0 = 0;
  let pendX1 = -Infinity;
  let pendBusy = 0;
  const flush = () => {
    if (pendX1 === -Infinity) return;
    const w = pendX1 - pendX0;
    const density = pendBusy / (w * nsPerPx);
    const style =
      density < 0.25 ? Style.Dense1 : density < 0.5 ? Style.Dense2 : density < 0.75 ? Style.Dense3 : Style.Dense4;
    // A lone one-pixel column is hard to see; two pixels read as "something ran here".
    out.add(style, pendX0, barY, Math.max(w, MIN_MERGED_PX), barH);
    pendX1 = -Infinity;
    pendBusy = 0;
  };

  let labelled = -1;
  const label = (k: number) => {
    if (k !== labelled) labelGap(model, lane, k, x, y, out, g.width);
    labelled = k;
  };
  let i = lane.firstEndingAtOrAfter(t0);
  label(i);
  while (i < lane.count && lane.starts[i] < tRight) {
    const s = lane.starts[i];
    const e = lane.ends[i];
    const x0 = x(s);
    const x1 = x(e);
    if (x1 - x0 >= 1) {
      flush();
      const sched = lane.scheduled[i];
      if (sched === sched && x0 - x(sched) >= 1) {
        const d0 = Math.max(-1, x(sched));
        out.add(Style.Delay, d0, barY + barH / 4, x0 - d0, barH / 2);
      }
      const c0 = Math.max(-1, x0);
      out.add(Style.Run, c0, barY, Math.min(g.width + 1, x1) - c0, barH);
      i++;
      label(i);
      continue;
    }
    const col = Math.floor(x0);
    if (col > pendX1) {
      flush();
      label(i);
      pendX0 = col;
      pendX1 = col + 1;
    }
    // Every span starting in this pixel column but the last ends before the next one starts, so
    // inside the column: take their busy time from the running totals and jump over them.
    const j = lane.firstStartingAtOrAfter(t0 + (col + 1) * nsPerPx, i + 1);
    if (j - 1 > i) {
      pendBusy += lane.busy(i, j - 1);
      i = j - 1;
      continue;
    }
    pendBusy += e - s;
    pendX1 = Math.max(pendX1, Math.ceil(x1), col + 1);
    i++;
  }
  flush();
  label(i);

  if (task.ended !== null && task.ended >= t0 && task.ended <= tRight) {
    const style = task.state === 'error' ? Style.Error : task.state === 'cancelled' ? Style.Cancelled : Style.Ok;
    out.add(style, x(task.ended) - 1, y + 2, 3, h - 4);
  }
}

/** Names what the task awaited in the gap before span `i` when the gap is wide enough to read. */
function labelGap(
  model: TimelineModel,
  lane: SpanColumns,
  i: number,
  x: (t: number) => number,
  y: number,
  out: DrawList,
  width: number,
): void {
  if (i === 0 || i > lane.count) return;
  const kind = model.kindOf(lane.awaitsKind[i - 1]);
  if (!kind) return;
  const gx0 = x(lane.ends[i - 1]);
  const next = i < lane.count ? (lane.scheduled[i] === lane.scheduled[i] ? lane.scheduled[i] : lane.starts[i]) : NaN;
  const gx1 = next === next ? x(next) : width;
  const left = Math.max(0, gx0);
  const right = Math.min(width, gx1);
  if (right - left >= LABEL_MIN_PX) out.labels.push({ x: left + 4, y, text: kind });
}
