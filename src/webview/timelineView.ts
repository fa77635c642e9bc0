/**
 * The timeline page's controller: owns the model, the viewport, the selection and the arrows
 * toggle, and redraws at most once per animation frame after any of them changed.
 */
import { hitTest } from '../shared/timelineHitTest';
import { Row, TimelineModel } from '../shared/timelineModel';
import { LiveState, TimelineViewState } from '../shared/timelineProtocol';
import {
  Bounds,
  Viewport,
  atTail,
  clamp,
  fit,
  followTail,
  formatTick,
  panBy,
  tickStep,
  toTail,
  xAt,
  zoomAt,
  zoomToRange,
} from '../shared/timelineViewport';
import { attachCanvasInput } from './canvasInput';
import { CanvasRenderer } from './canvasRenderer';
import { LaneLabels } from './laneLabels';
import { Palette, readPalette, watchTheme } from './theme';
import { describeHit } from './tooltip';

export const LANE_HEIGHT = 22;
/** Frame times kept for the benchmark and for diagnosing a slow trace. */
const FRAME_SAMPLES = 2000;

export interface ViewElements {
  header: HTMLCanvasElement;
  lanes: HTMLCanvasElement;
  labels: HTMLElement;
  tooltip: HTMLElement;
  band: HTMLElement;
  /** The "paused" badge over the header, at the now cursor. */
  now: HTMLElement;
}

export interface ViewEvents {
  select(taskId: number, span: number): void;
  stateChanged(): void;
  /** Following the live tail started or stopped (by a scroll, the End key or the Follow button). */
  followChanged(follow: boolean): void;
}

export class TimelineView {
  readonly frameTimes: number[] = [];
  private model = new TimelineModel();
  private rows: readonly Row[] = [];
  private rowIndex = new Map<number, number>();
  private vp: Viewport = { start: 0, nsPerPx: 1, scrollTop: 0 };
  private size = { width: 1, height: 1, headerHeight: 1 };
  private selected: number | undefined;
  private hoverRow: number | undefined;
  private arrows = false;
  /** Set while a live session is shown; `follow` keeps the tail in view as the model grows. */
  private live: LiveState | undefined;
  private follow = false;
  private shownEnd = -Infinity;
  private palette: Palette;
  private pending = 0;
  private readonly renderer: CanvasRenderer;
  private readonly labels: LaneLabels;

  constructor(
    private readonly el: ViewElements,
    private readonly events: ViewEvents,
  ) {
    this.renderer = new CanvasRenderer(el.header, el.lanes);
    this.palette = readPalette();
    watchTheme(() => {
      this.palette = readPalette();
      this.invalidate();
    });
    this.labels = new LaneLabels(el.labels, {
      select: (id) => this.select(id, -1),
      toggle: (id) => this.toggle(id),
      focusRow: (row) => this.focusRow(row),
    });
    el.labels.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.setViewport(panBy(this.vp, 0, -e.deltaY * (e.deltaMode === 1 ? 16 : 1), this.bounds()));
      },
      { passive: false },
    );
    attachCanvasInput(el.lanes, el.band, {
      zoomAt: (factor, x) => this.setViewport(zoomAt(this.vp, factor, x, this.bounds())),
      pan: (dx, dy) => this.setViewport(panBy(this.vp, dx, dy, this.bounds())),
      fit: () => this.fit(),
      end: () => this.goToTail(),
      zoomToPixels: (x0, x1) =>
        this.setViewport(
          zoomToRange(
            this.vp,
            this.vp.start + x0 * this.vp.nsPerPx,
            this.vp.start + x1 * this.vp.nsPerPx,
            this.bounds(),
          ),
        ),
      click: (x, y) => {
        const hit = hitTest(this.model, this.rows, this.vp, LANE_HEIGHT, x, y);
        if (hit) this.select(hit.taskId, hit.region === 'lane' ? -1 : hit.span);
      },
      hover: (x, y, cx, cy) => this.hover(x, y, cx, cy),
      leave: () => this.hover(-1, -1, 0, 0),
      laneHeight: () => LANE_HEIGHT,
      width: () => this.size.width,
    });
    new ResizeObserver(() => this.invalidate()).observe(el.lanes);
  }

  get current(): TimelineModel {
    return this.model;
  }

  /** Shows a new model; restores viewport and collapsed lanes from `state` when given. */
  load(model: TimelineModel, state?: TimelineViewState): void {
    this.model = model;
    for (const id of state?.collapsed ?? []) model.setCollapsed(id, true);
    this.selected = state?.selected;
    this.arrows = state?.arrows ?? this.arrows;
    this.refreshRows();
    this.size = this.renderer.resize();
    const b = this.bounds();
    this.vp = state?.viewport ? clamp(state.viewport, b) : fit(b);
    // A page rebuilt while following comes back on the tail, wherever it has got to meanwhile.
    this.follow = state?.viewport ? state.follow === true : true;
    if (this.follow && state?.viewport)
      this.vp = this.vp.start <= b.startTime ? fit(b, this.vp.scrollTop) : toTail(this.vp, b);
    this.shownEnd = b.endTime;
    this.invalidate();
  }

  /** Called after the model grew (live sessions): a view following the tail moves with it. */
  modelChanged(): void {
    this.refreshRows();
    const b = this.bounds();
    if (this.follow && this.live) {
      this.vp = followTail(this.vp, this.shownEnd, b);
      this.events.stateChanged();
    }
    this.shownEnd = b.endTime;
    this.invalidate();
  }

  /** A live session's state; undefined for a trace file (nothing to follow, no cursor). */
  setLive(live: LiveState | undefined): void {
    this.live = live;
    this.invalidate();
  }

  get following(): boolean {
    return this.live !== undefined && this.follow;
  }

  /** Jumps to the live tail and follows it again (End key, Follow button). */
  goToTail(): void {
    this.setViewport(toTail(this.vp, this.bounds()));
    this.setFollow(true);
  }

  /** Stops following without moving (Follow button off). */
  unfollow(): void {
    this.setFollow(false);
  }

  state(): Pick<TimelineViewState, 'viewport' | 'collapsed' | 'selected' | 'arrows' | 'follow'> {
    return {
      viewport: this.vp,
      collapsed: this.model.collapsedIds(),
      selected: this.selected,
      arrows: this.arrows,
      follow: this.follow,
    };
  }

  fit(): void {
    this.setViewport(fit(this.bounds(), this.vp.scrollTop));
  }

  zoom(factor: number): void {
    this.setViewport(zoomAt(this.vp, factor, this.size.width / 2, this.bounds()));
  }

  setArrows(on: boolean): void {
    this.arrows = on;
    this.invalidate();
    this.events.stateChanged();
  }

  reveal(taskId: number): void {
    const row = this.model.reveal(taskId);
    this.refreshRows();
    if (row < 0) return;
    this.selected = taskId;
    this.scrollToRow(row);
    this.invalidate();
  }

  private select(taskId: number, span: number): void {
    this.selected = taskId;
    const row = this.rowIndex.get(taskId);
    if (row !== undefined) this.labels.setFocusedRow(row);
    this.invalidate();
    this.events.select(taskId, span);
    this.events.stateChanged();
  }

  private toggle(taskId: number): void {
    this.model.setCollapsed(taskId, !this.model.isCollapsed(taskId));
    this.refreshRows();
    this.setViewport(clamp(this.vp, this.bounds()));
  }

  private focusRow(row: number): void {
    const r = Math.max(0, Math.min(this.rows.length - 1, row));
    this.labels.setFocusedRow(r);
    this.scrollToRow(r);
    this.invalidate();
  }

  private scrollToRow(row: number): void {
    const top = row * LANE_HEIGHT;
    let scrollTop = this.vp.scrollTop;
    if (top < scrollTop) scrollTop = top;
    else if (top + LANE_HEIGHT > scrollTop + this.size.height) scrollTop = top + LANE_HEIGHT - this.size.height;
    this.vp = clamp({ ...this.vp, scrollTop }, this.bounds());
  }

  private hover(x: number, y: number, clientX: number, clientY: number): void {
    const hit = x < 0 ? undefined : hitTest(this.model, this.rows, this.vp, LANE_HEIGHT, x, y);
    const tip = this.el.tooltip;
    if (hit?.row !== this.hoverRow) {
      this.hoverRow = hit?.row;
      this.invalidate();
    }
    if (!hit) {
      tip.hidden = true;
      return;
    }
    const { title, lines } = describeHit(this.model, hit);
    const b = document.createElement('b');
    b.textContent = title;
    tip.replaceChildren(b, document.createTextNode(`\n${lines.join('\n')}`));
    tip.hidden = false;
    const left = Math.min(clientX + 14, window.innerWidth - tip.offsetWidth - 4);
    const top = clientY + 18 + tip.offsetHeight > window.innerHeight ? clientY - tip.offsetHeight - 8 : clientY + 18;
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, top)}px`;
  }

  /** Every viewport change the user makes: at the tail it follows, scrolled back it stays put. */
  private setViewport(vp: Viewport): void {
    // Scrolling lanes up and down leaves following as it is (the Follow button may have turned it off).
    const moved = vp.start !== this.vp.start || vp.nsPerPx !== this.vp.nsPerPx;
    this.vp = vp;
    if (moved) this.setFollow(atTail(vp, this.bounds()));
    this.invalidate();
    this.events.stateChanged();
  }

  private setFollow(follow: boolean): void {
    if (follow === this.follow) return;
    this.follow = follow;
    this.events.followChanged(follow);
    this.events.stateChanged();
  }

  private refreshRows(): void {
    this.rows = this.model.rows();
    this.rowIndex = new Map(this.rows.map((r, i) => [r.id, i]));
  }

  private bounds(): Bounds {
    const empty = !Number.isFinite(this.model.startTime);
    return {
      startTime: empty ? 0 : this.model.startTime,
      endTime: empty ? 1 : this.model.endTime,
      width: this.size.width,
      height: this.size.height,
      contentHeight: this.rows.length * LANE_HEIGHT,
    };
  }

  /** "Now" is exact only while paused: the loop stands still and the model holds everything up to it. */
  private cursor(): number | undefined {
    return this.live === 'paused' ? this.model.now : undefined;
  }

  private placeNowBadge(): void {
    const badge = this.el.now;
    const t = this.cursor();
    const x = t === undefined ? NaN : xAt(this.vp, t);
    badge.hidden = !(x >= 0 && x <= this.size.width);
    if (badge.hidden || t === undefined) return;
    badge.textContent = `paused · ${formatTick(t, tickStep(this.vp.nsPerPx) / 10)}`;
    // Right of the line, or left of it near the right edge.
    const left = x + 4 + badge.offsetWidth > this.size.width ? x - 4 - badge.offsetWidth : x + 4;
    badge.style.left = `${Math.max(0, left)}px`;
    badge.dataset.x = String(Math.round(x));
  }

  private invalidate(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.draw();
    });
  }

  private draw(): void {
    const t0 = performance.now();
    const size = this.renderer.resize();
    if (size.width !== this.size.width || size.height !== this.size.height) {
      this.size = size;
      this.vp = clamp(this.vp, this.bounds());
    }
    const geometry = { laneHeight: LANE_HEIGHT, width: this.size.width, height: this.size.height };
    this.renderer.render(
      {
        model: this.model,
        rows: this.rows,
        rowIndex: this.rowIndex,
        vp: this.vp,
        geometry,
        selected: this.selected,
        hoverRow: this.hoverRow,
        arrows: this.arrows,
        cursor: this.cursor(),
      },
      this.palette,
    );
    this.placeNowBadge();
    this.labels.render(this.model, this.rows, this.vp.scrollTop, LANE_HEIGHT, this.selected);
    const took = performance.now() - t0;
    if (this.frameTimes.length >= FRAME_SAMPLES) this.frameTimes.shift();
    this.frameTimes.push(took);
    document.body.dataset.frames = String(Number(document.body.dataset.frames ?? 0) + 1);
  }
}
