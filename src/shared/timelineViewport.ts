/**
 * The visible window onto the timeline: which time sits at the left edge, how many nanoseconds a
 * CSS pixel spans, and how far the lanes are scrolled. Pure functions so zoom and pan are tested
 * without a DOM.
 */
export interface Viewport {
  /** Time (ns, trace origin) at x = 0. */
  start: number;
  nsPerPx: number;
  /** Vertical scroll of the lanes, in CSS pixels. */
  scrollTop: number;
}

export interface Bounds {
  startTime: number;
  endTime: number;
  /** Width of the drawing area and height of the lanes area, CSS pixels. */
  width: number;
  height: number;
  /** Total height of all visible lanes. */
  contentHeight: number;
}

/** A nanosecond over 100 pixels is as far as zooming in makes sense. */
export const MIN_NS_PER_PX = 0.01;

export function fit(b: Bounds, scrollTop = 0): Viewport {
  const range = Math.max(1, b.endTime - b.startTime);
  // A little air on both sides so the first and last steps are not glued to the edges.
  const pad = range * 0.02;
  return clamp({ start: b.startTime - pad, nsPerPx: (range + 2 * pad) / Math.max(1, b.width), scrollTop }, b);
}

export function zoomAt(vp: Viewport, factor: number, x: number, b: Bounds): Viewport {
  const t = vp.start + x * vp.nsPerPx;
  const nsPerPx = vp.nsPerPx / factor;
  return clamp({ ...vp, nsPerPx, start: t - x * nsPerPx }, b);
}

export function panBy(vp: Viewport, dx: number, dy: number, b: Bounds): Viewport {
  return clamp({ ...vp, start: vp.start - dx * vp.nsPerPx, scrollTop: vp.scrollTop - dy }, b);
}

/** Shows exactly [t0, t1] across the width (shift-drag selection). */
export function zoomToRange(vp: Viewport, t0: number, t1: number, b: Bounds): Viewport {
  const lo = Math.min(t0, t1);
  const hi = Math.max(t0, t1);
  return clamp({ ...vp, start: lo, nsPerPx: Math.max(hi - lo, 1) / Math.max(1, b.width) }, b);
}

/** Share of the width left free right of the tail when the view jumps to it. */
const TAIL_AIR = 0.02;

/** True when the right edge of the view is at or past the end of the trace: a live tail is in view. */
export function atTail(vp: Viewport, b: Bounds): boolean {
  return vp.start + b.width * vp.nsPerPx >= b.endTime - vp.nsPerPx;
}

/** Moves the view (same scale) so the end of the trace sits just left of the right edge. */
export function toTail(vp: Viewport, b: Bounds): Viewport {
  const visible = vp.nsPerPx * Math.max(1, b.width);
  return clamp({ ...vp, start: b.endTime - visible * (1 - TAIL_AIR) }, b);
}

/**
 * Keeps a view that follows a live session on the tail after the trace grew from `previousEnd`
 * to `b.endTime`: a view showing the whole trace keeps showing all of it (the scale shrinks so the
 * tail stays on its pixel); a zoomed-in view slides along at its scale.
 */
export function followTail(vp: Viewport, previousEnd: number, b: Bounds): Viewport {
  const grown = b.endTime - previousEnd;
  if (!(grown > 0)) return vp;
  const tailX = (previousEnd - vp.start) / vp.nsPerPx;
  if (vp.start <= b.startTime && tailX >= 1) return clamp({ ...vp, nsPerPx: (b.endTime - vp.start) / tailX }, b);
  return clamp({ ...vp, start: vp.start + grown }, b);
}

export function timeAt(vp: Viewport, x: number): number {
  return vp.start + x * vp.nsPerPx;
}

export function xAt(vp: Viewport, t: number): number {
  return (t - vp.start) / vp.nsPerPx;
}

export function clamp(vp: Viewport, b: Bounds): Viewport {
  const range = Math.max(1, b.endTime - b.startTime);
  const width = Math.max(1, b.width);
  const maxNsPerPx = (range * 4) / width;
  const nsPerPx = Math.min(Math.max(vp.nsPerPx, MIN_NS_PER_PX), maxNsPerPx);
  const visible = nsPerPx * width;
  // Keep at least half a screen of the trace in view whichever way one pans.
  const minStart = b.startTime - visible / 2;
  const maxStart = b.endTime - visible / 2;
  const start = Math.min(Math.max(vp.start, minStart), Math.max(minStart, maxStart));
  const maxScroll = Math.max(0, b.contentHeight - b.height);
  const scrollTop = Math.min(Math.max(0, vp.scrollTop), maxScroll);
  return { start, nsPerPx, scrollTop };
}

/** Steps for the time axis: a round tick interval giving ticks at least `minPx` apart. */
export function tickStep(nsPerPx: number, minPx = 80): number {
  const raw = nsPerPx * minPx;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function formatDuration(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${trim(ns / 1e9)} s`;
  if (a >= 1e6) return `${trim(ns / 1e6)} ms`;
  if (a >= 1e3) return `${trim(ns / 1e3)} µs`;
  return `${trim(ns)} ns`;
}

/** An axis label: the unit follows the time, the decimals follow the tick step so neighbours differ. */
export function formatTick(t: number, step: number): string {
  const a = Math.max(Math.abs(t), step);
  const [unit, name] = a >= 1e9 ? [1e9, 's'] : a >= 1e6 ? [1e6, 'ms'] : a >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
  const decimals = Math.min(9, Math.max(0, Math.ceil(-Math.log10(step / unit) - 1e-9)));
  return `${(t / unit).toFixed(decimals)} ${name}`;
}

function trim(v: number): string {
  return String(Number(v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)));
}
