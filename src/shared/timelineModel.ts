/**
 * What the timeline shows: tasks, their steps and who spawned or woke whom, loaded from a native
 * trace file and appended to by live deltas (same tables). Pure TypeScript: it runs in the
 * extension host, in the webview and in unit tests.
 */
import { BusyIndex } from './timelineBusy';
import { SpanColumns } from './timelineSpans';
import {
  NATIVE_FORMAT,
  NATIVE_VERSION,
  NativeEdge,
  NativeFuture,
  NativeMetadata,
  NativeSpans,
  NativeTask,
  NativeTrace,
  TimelineDelta,
  emptySpans,
} from './timelineTrace';

export interface Row {
  readonly id: number;
  readonly depth: number;
  readonly hasChildren: boolean;
  readonly collapsed: boolean;
}

/** [from task, to task, time]: a creation or a hand-over from a finished task to the one it woke. */
export type Arrow = readonly [number, number, number];

export class TimelineModel {
  readonly tasks = new Map<number, NativeTask>();
  readonly futures = new Map<number, NativeFuture>();
  readonly lanes = new Map<number, SpanColumns>();
  /** Interned `awaits_kind` strings; index 0 is "" (the task finished). */
  readonly kinds: string[] = [''];
  readonly wakes: Arrow[] = [];
  metadata: NativeMetadata = {};
  spanCount = 0;
  startTime = Infinity;
  endTime = -Infinity;
  /** The session's clock at its last answer (live sessions only). */
  now: number | undefined;
  /** Bumped on every change of what is drawn; the renderer redraws when it moves. */
  revision = 0;

  private readonly kindIndex = new Map<string, number>([['', 0]]);
  private readonly collapsed = new Set<number>();
  private readonly extraEdges: NativeEdge[] = [];
  private rowsCache: Row[] | undefined;
  private loops: number | undefined;
  private childrenCache: Map<number | null, number[]> | undefined;
  /** Built on first use, then kept up to date by appends. */
  private busy: BusyIndex | undefined;

  static fromNative(trace: NativeTrace): TimelineModel {
    const model = new TimelineModel();
    model.metadata = trace.metadata ?? {};
    model.append({ tasks: trace.tasks, futures: trace.futures, spans: trace.spans, edges: trace.edges });
    if (typeof model.metadata.duration_ns === 'number') {
      model.extend(model.metadata.duration_ns);
      if (model.metadata.live === true) model.now = model.metadata.duration_ns;
    }
    return model;
  }

  append(delta: TimelineDelta): void {
    for (const task of delta.tasks ?? []) this.upsertTask(task);
    for (const future of delta.futures ?? []) this.futures.set(future.id, future);
    if (delta.spans) this.appendSpans(delta.spans);
    for (const edge of delta.edges ?? []) {
      if (edge[0] === 'wake') this.wakes.push([edge[1], edge[2], edge[3]]);
      else if (edge[0] !== 'parent') this.extraEdges.push(edge);
      this.extend(edge[3]);
    }
    if (typeof delta.now === 'number') {
      this.extend(delta.now);
      this.now = Math.max(this.now ?? -Infinity, delta.now);
    }
    this.revision++;
  }

  /** Creation arrows: parent → child at the child's creation time. */
  spawns(): Arrow[] {
    const out: Arrow[] = [];
    for (const t of this.tasks.values()) {
      if (t.parent !== null && this.tasks.has(t.parent) && t.created !== null) out.push([t.parent, t.id, t.created]);
    }
    return out;
  }

  kindOf(index: number): string {
    return this.kinds[index] ?? '';
  }

  // ── tree of lanes ────────────────────────────────────────────────────────────────────────────

  /** Tasks whose parent is `id` (null: the top level), in creation order. */
  childrenOf(id: number | null): readonly number[] {
    return this.children().get(id) ?? [];
  }

  /** Lanes to draw, top to bottom: each task under its parent, skipping collapsed subtrees. */
  rows(): readonly Row[] {
    if (this.rowsCache) return this.rowsCache;
    const rows: Row[] = [];
    const children = this.children();
    // Iterative depth-first walk: parent chains can be thousands deep (recursive spawners).
    const stack: [number, number][] = [];
    const pushChildren = (parent: number | null, depth: number) => {
      const kids = children.get(parent) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth]);
    };
    pushChildren(null, 0);
    while (stack.length) {
      const [id, depth] = stack.pop()!;
      const hasChildren = (children.get(id)?.length ?? 0) > 0;
      const collapsed = hasChildren && this.collapsed.has(id);
      rows.push({ id, depth, hasChildren, collapsed });
      if (hasChildren && !collapsed) pushChildren(id, depth + 1);
    }
    this.rowsCache = rows;
    return rows;
  }

  isCollapsed(id: number): boolean {
    return this.collapsed.has(id);
  }

  setCollapsed(id: number, collapsed: boolean): void {
    if (collapsed === this.collapsed.has(id)) return;
    if (collapsed) this.collapsed.add(id);
    else this.collapsed.delete(id);
    this.rowsCache = undefined;
    this.revision++;
  }

  collapsedIds(): number[] {
    return [...this.collapsed];
  }

  /** Makes `id` visible by expanding its ancestors; returns its row index. */
  reveal(id: number): number {
    for (let p = this.tasks.get(id)?.parent ?? null; p !== null; p = this.tasks.get(p)?.parent ?? null) {
      this.setCollapsed(p, false);
    }
    return this.rows().findIndex((r) => r.id === id);
  }

  // ── loop utilisation ─────────────────────────────────────────────────────────────────────────

  /** Fraction of [t0, t1) during which some task was running, per event loop (0..1). */
  utilisationBetween(t0: number, t1: number): number {
    if (t1 <= t0) return 0;
    const u = this.busyIndex();
    const loops = Math.max(1, this.loopCount());
    return Math.min(1, (u.busyUpTo(t1) - u.busyUpTo(t0)) / ((t1 - t0) * loops));
  }

  /** Where step `span` of a task suspended (the await's file and line), or null when unknown. */
  stepSite(taskId: number, span: number): { file: string; line: number } | null {
    const lane = this.lanes.get(taskId);
    const file = this.tasks.get(taskId)?.coroutine_file;
    if (!lane || !file || span < 0 || span >= lane.count) return null;
    const line = lane.lines[span];
    return line > 0 ? { file, line } : null;
  }

  toNative(): NativeTrace {
    const spans = emptySpans();
    for (const [task, lane] of this.lanes) {
      for (let i = 0; i < lane.count; i++) {
        spans.task.push(task);
        spans.start.push(lane.starts[i]);
        spans.end.push(lane.ends[i]);
        spans.scheduled.push(Number.isNaN(lane.scheduled[i]) ? null : lane.scheduled[i]);
        spans.woken_by.push(lane.wokenBy[i]);
        spans.awaits_kind.push(this.kindOf(lane.awaitsKind[i]));
        spans.awaits_id.push(lane.awaitsId[i]);
        spans.line!.push(lane.lines[i]);
      }
    }
    const edges: NativeEdge[] = this.spawns().map(([a, b, t]) => ['parent', a, b, t]);
    edges.push(...this.extraEdges, ...this.wakes.map(([a, b, t]): NativeEdge => ['wake', a, b, t]));
    return {
      format: NATIVE_FORMAT,
      version: NATIVE_VERSION,
      // A live model's clock has moved on since its first answer: a page rebuilt from this needs it.
      metadata: this.now === undefined ? this.metadata : { ...this.metadata, duration_ns: this.now },
      tasks: [...this.tasks.values()],
      futures: [...this.futures.values()],
      spans,
      edges,
    };
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  private upsertTask(task: NativeTask): void {
    const before = this.tasks.get(task.id);
    this.tasks.set(task.id, task);
    this.loops = undefined;
    if (!before || before.parent !== task.parent || before.created !== task.created) {
      this.childrenCache = undefined;
      this.rowsCache = undefined;
    }
    if (!this.lanes.has(task.id)) this.lanes.set(task.id, new SpanColumns());
    if (task.created !== null) this.extend(task.created);
    if (task.ended !== null) this.extend(task.ended);
  }

  private appendSpans(spans: NativeSpans): void {
    const n = spans.task.length;
    for (let i = 0; i < n; i++) {
      const id = spans.task[i];
      let lane = this.lanes.get(id);
      if (!lane) {
        // A step of a task whose record has not arrived yet: give it a lane now.
        this.upsertTask(placeholderTask(id));
        lane = this.lanes.get(id)!;
      }
      const start = spans.start[i];
      const end = spans.end[i];
      const sched = spans.scheduled[i];
      lane.push(
        start,
        end,
        sched ?? NaN,
        this.intern(spans.awaits_kind[i] ?? ''),
        spans.awaits_id[i] ?? 0,
        spans.woken_by[i] ?? 0,
        spans.line?.[i] ?? 0,
      );
      this.extend(sched ?? start);
      this.extend(end);
    }
    this.spanCount += n;
    this.busy?.add(spans.start, spans.end);
  }

  private intern(kind: string): number {
    let index = this.kindIndex.get(kind);
    if (index === undefined) {
      index = this.kinds.length;
      this.kinds.push(kind);
      this.kindIndex.set(kind, index);
    }
    return index;
  }

  private extend(t: number): void {
    if (t < this.startTime) this.startTime = t;
    if (t > this.endTime) this.endTime = t;
  }

  private children(): Map<number | null, number[]> {
    if (this.childrenCache) return this.childrenCache;
    const map = new Map<number | null, number[]>();
    for (const t of this.tasks.values()) {
      // A parent that is not in the trace (dropped, or another thread's) makes a top-level lane.
      const parent = t.parent !== null && this.tasks.has(t.parent) && t.parent !== t.id ? t.parent : null;
      let list = map.get(parent);
      if (!list) map.set(parent, (list = []));
      list.push(t.id);
    }
    const key = (id: number) => this.tasks.get(id)?.created ?? this.lanes.get(id)?.starts[0] ?? Infinity;
    for (const list of map.values()) list.sort((a, b) => key(a) - key(b) || a - b);
    this.childrenCache = map;
    return map;
  }

  private loopCount(): number {
    if (this.loops === undefined) {
      const loops = new Set<number>();
      for (const t of this.tasks.values()) loops.add(t.loop ?? 0);
      this.loops = loops.size;
    }
    return this.loops;
  }

  private busyIndex(): BusyIndex {
    if (this.busy) return this.busy;
    const starts = new Float64Array(this.spanCount);
    const ends = new Float64Array(this.spanCount);
    let k = 0;
    for (const lane of this.lanes.values()) {
      starts.set(lane.starts.subarray(0, lane.count), k);
      ends.set(lane.ends.subarray(0, lane.count), k);
      k += lane.count;
    }
    this.busy = new BusyIndex();
    this.busy.add(starts.subarray(0, k), ends.subarray(0, k));
    return this.busy;
  }
}

function placeholderTask(id: number): NativeTask {
  return {
    id,
    name: `Task #${id}`,
    coroutine: null,
    site: null,
    parent: null,
    created: null,
    ended: null,
    state: 'pending',
  };
}
