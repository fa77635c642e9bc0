/**
 * Paints the header (loop utilisation and time axis) and the lanes from a DrawList. One fillStyle
 * per style per frame: the number of rectangles is bounded by the level-of-detail layout.
 */
import { DrawList, LaneGeometry, STYLE_COUNT, layout, visibleRows } from '../shared/timelineLayout';
import { Row, TimelineModel } from '../shared/timelineModel';
import { Viewport, formatTick, tickStep, xAt } from '../shared/timelineViewport';
import { Palette } from './theme';

export interface Frame {
  model: TimelineModel;
  rows: readonly Row[];
  rowIndex: ReadonlyMap<number, number>;
  vp: Viewport;
  geometry: LaneGeometry;
  selected: number | undefined;
  hoverRow: number | undefined;
  arrows: boolean;
  /** Time of the "now" cursor (a paused live session), if any. */
  cursor: number | undefined;
}

/** Pixels per utilisation sample in the header. */
const UTIL_STEP_PX = 2;
const MAX_ARROWS = 4000;
const STUB_PX = 12;

export class CanvasRenderer {
  private readonly list = new DrawList();

  constructor(
    private readonly header: HTMLCanvasElement,
    private readonly lanes: HTMLCanvasElement,
  ) {}

  /** Matches the backing stores to the CSS size and device pixel ratio; returns the CSS size. */
  resize(): { width: number; height: number; headerHeight: number } {
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.header, this.lanes]) {
      const w = Math.max(1, Math.round(c.clientWidth * dpr));
      const h = Math.max(1, Math.round(c.clientHeight * dpr));
      if (c.width !== w || c.height !== h) {
        c.width = w;
        c.height = h;
      }
    }
    return { width: this.lanes.clientWidth, height: this.lanes.clientHeight, headerHeight: this.header.clientHeight };
  }

  render(f: Frame, p: Palette): void {
    this.renderHeader(f, p);
    this.renderLanes(f, p);
  }

  private context(c: HTMLCanvasElement): CanvasRenderingContext2D {
    const ctx = c.getContext('2d', { alpha: true })!;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    return ctx;
  }

  private renderHeader(f: Frame, p: Palette): void {
    const ctx = this.context(this.header);
    const width = f.geometry.width;
    const height = this.header.clientHeight;
    const utilTop = 4;
    const utilH = height - 22;
    ctx.fillStyle = p.util;
    ctx.globalAlpha = 0.8;
    ctx.beginPath();
    for (let x = 0; x < width; x += UTIL_STEP_PX) {
      const t0 = f.vp.start + x * f.vp.nsPerPx;
      const u = f.model.utilisationBetween(t0, t0 + UTIL_STEP_PX * f.vp.nsPerPx);
      if (u > 0) ctx.rect(x, utilTop + utilH * (1 - u), UTIL_STEP_PX, utilH * u);
    }
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.font = p.font;
    ctx.fillStyle = p.dim;
    ctx.textBaseline = 'top';
    ctx.fillText('loop busy', 4, utilTop);
    const step = tickStep(f.vp.nsPerPx);
    const first = Math.ceil(f.vp.start / step) * step;
    ctx.strokeStyle = p.grid;
    ctx.beginPath();
    for (let t = first; xAt(f.vp, t) < width; t += step) {
      const x = Math.round(xAt(f.vp, t)) + 0.5;
      ctx.moveTo(x, height - 6);
      ctx.lineTo(x, height);
      ctx.fillText(formatTick(t, step), x + 3, height - 16);
    }
    ctx.stroke();
    this.renderCursor(ctx, f, p, height);
  }

  /** The paused session's "now": a line across header and lanes, outlined so it reads on any lane. */
  private renderCursor(ctx: CanvasRenderingContext2D, f: Frame, p: Palette, height: number): void {
    if (f.cursor === undefined) return;
    const x = Math.round(xAt(f.vp, f.cursor));
    if (x < -2 || x > f.geometry.width + 2) return;
    ctx.globalAlpha = 1;
    ctx.fillStyle = p.nowOutline;
    ctx.fillRect(x - 2, 0, 5, height);
    ctx.fillStyle = p.now;
    ctx.fillRect(x - 1, 0, 3, height);
  }

  private renderLanes(f: Frame, p: Palette): void {
    const ctx = this.context(this.lanes);
    const { laneHeight, width, height } = f.geometry;
    const [first, last] = visibleRows(f.rows.length, f.vp, f.geometry);
    for (const [row, colour] of [
      [f.hoverRow, p.hover],
      [f.selected === undefined ? undefined : f.rowIndex.get(f.selected), p.selection],
    ] as const) {
      if (row === undefined || row < first || row >= last) continue;
      ctx.fillStyle = colour;
      ctx.fillRect(0, row * laneHeight - f.vp.scrollTop, width, laneHeight);
    }
    // High-contrast themes draw the selection as a border, not a fill.
    const sel = f.selected === undefined ? undefined : f.rowIndex.get(f.selected);
    if (p.selectionBorder && sel !== undefined && sel >= first && sel < last) {
      ctx.strokeStyle = p.selectionBorder;
      ctx.lineWidth = 1;
      ctx.setLineDash([3, 2]);
      ctx.strokeRect(0.5, sel * laneHeight - f.vp.scrollTop + 0.5, width - 1, laneHeight - 1);
      ctx.setLineDash([]);
    }
    this.renderGrid(ctx, f, p, height);

    layout(f.model, f.rows, f.vp, f.geometry, this.list);
    for (let s = 0; s < STYLE_COUNT; s++) {
      const n = this.list.counts[s];
      if (n === 0) continue;
      const a = this.list.rects[s];
      ctx.fillStyle = p.styles[s];
      ctx.globalAlpha = p.alphas[s];
      ctx.beginPath();
      for (let i = 0; i < n; i++) ctx.rect(a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3]);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    ctx.font = p.font;
    ctx.fillStyle = p.dim;
    ctx.textBaseline = 'top';
    for (const l of this.list.labels) ctx.fillText(l.text, l.x, l.y + 2);
    if (f.arrows) this.renderArrows(ctx, f, p, first, last);
    this.renderCursor(ctx, f, p, height);
  }

  private renderGrid(ctx: CanvasRenderingContext2D, f: Frame, p: Palette, height: number): void {
    const step = tickStep(f.vp.nsPerPx);
    ctx.strokeStyle = p.grid;
    ctx.globalAlpha = 0.25;
    ctx.beginPath();
    for (let t = Math.ceil(f.vp.start / step) * step; xAt(f.vp, t) < f.geometry.width; t += step) {
      const x = Math.round(xAt(f.vp, t)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  /** Spawn and wake arrows touching a visible lane; the other end may be off screen. */
  private renderArrows(ctx: CanvasRenderingContext2D, f: Frame, p: Palette, first: number, last: number): void {
    const lh = f.geometry.laneHeight;
    const tRight = f.vp.start + f.geometry.width * f.vp.nsPerPx;
    const y = (row: number) => row * lh - f.vp.scrollTop + lh / 2;
    for (const [arrows, colour] of [
      [f.model.spawns(), p.spawn],
      [f.model.wakes, p.wake],
    ] as const) {
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1;
      let drawn = 0;
      for (const [from, to, t] of arrows) {
        if (t < f.vp.start || t > tRight) continue;
        const a = f.rowIndex.get(from);
        const b = f.rowIndex.get(to);
        if (a === undefined || b === undefined) continue;
        const seeA = a >= first && a < last;
        const seeB = b >= first && b < last;
        if (!seeA && !seeB) continue;
        const x = xAt(f.vp, t);
        // An end that is scrolled away becomes a short stub pointing its way, not a line across every lane.
        const y0 = seeA ? y(a) : y(b) + (a < b ? -STUB_PX : STUB_PX);
        const y1 = seeB ? y(b) : y0 + (b > a ? STUB_PX : -STUB_PX);
        ctx.beginPath();
        ctx.moveTo(x, y0);
        ctx.lineTo(x, y1);
        ctx.stroke();
        const dir = y1 > y0 ? 1 : -1;
        ctx.beginPath();
        ctx.moveTo(x, y1);
        ctx.lineTo(x - 3, y1 - 5 * dir);
        ctx.lineTo(x + 3, y1 - 5 * dir);
        ctx.fill();
        if (++drawn >= MAX_ARROWS) break;
      }
    }
  }
}
