/**
 * Step spans (one per task step) as growing typed-array columns: a million steps take ~50 MB
 * instead of the ~250 MB of objects. The oldest half is dropped (and counted) past `maxSpans`.
 */
import type { SpanColumns } from '../shared/dapCustom';
import { emptySpans } from '../shared/timelineTrace';

const INITIAL_CAPACITY = 1024;

/** What the agent sends: the same columns as contract [B]'s spans. */
export type SpanBatch = SpanColumns;

export class SpanStore {
  private capacity = INITIAL_CAPACITY;
  private task = new Float64Array(INITIAL_CAPACITY);
  private start = new Float64Array(INITIAL_CAPACITY);
  private end = new Float64Array(INITIAL_CAPACITY);
  /** NaN stands for "not scheduled" (a first step run eagerly, or unknown). */
  private scheduled = new Float64Array(INITIAL_CAPACITY);
  private wokenBy = new Float64Array(INITIAL_CAPACITY);
  private awaitsId = new Float64Array(INITIAL_CAPACITY);
  private awaitsKind = new Uint16Array(INITIAL_CAPACITY);
  /** The line each step suspended on (0: unknown). */
  private line = new Uint32Array(INITIAL_CAPACITY);
  private readonly kinds: string[] = [];
  private readonly kindIndex = new Map<string, number>();
  length = 0;
  /** Spans forgotten to stay within `maxSpans`. */
  dropped = 0;

  /** Every span ever appended, kept or dropped: the sequence number of the next one. */
  get appended(): number {
    return this.dropped + this.length;
  }

  /** Spans whose sequence number is `seq` or later (those still kept), in arrival order. */
  since(seq: number, tasks?: Set<number>): SpanColumns {
    return this.collect(Math.max(0, seq - this.dropped), () => true, tasks);
  }

  constructor(private readonly maxSpans = 2_000_000) {}

  append(batch: SpanBatch): void {
    const n = batch.task.length;
    if (n === 0) {
      return;
    }
    if (this.length + n > this.maxSpans) {
      this.dropOldest(Math.max(this.length + n - this.maxSpans, Math.floor(this.maxSpans / 2)));
    }
    this.reserve(this.length + n);
    for (let i = 0; i < n; i++) {
      const j = this.length + i;
      this.task[j] = batch.task[i];
      this.start[j] = batch.start[i];
      this.end[j] = batch.end[i];
      const scheduled = batch.scheduled[i];
      this.scheduled[j] = scheduled === null ? NaN : scheduled;
      this.wokenBy[j] = batch.woken_by[i];
      this.awaitsId[j] = batch.awaits_id[i];
      this.awaitsKind[j] = this.kindOf(batch.awaits_kind[i]);
      this.line[j] = batch.line?.[i] ?? 0;
    }
    this.length += n;
  }

  /** Spans that overlap [from, to], optionally only of some tasks, in arrival order. */
  query(from: number, to: number, tasks?: Set<number>): SpanColumns {
    return this.collect(0, (i) => !(this.end[i] < from || this.start[i] > to), tasks);
  }

  private collect(first: number, keep: (i: number) => boolean, tasks?: Set<number>): SpanColumns {
    const out: SpanColumns = emptySpans();
    for (let i = first; i < this.length; i++) {
      if (!keep(i) || (tasks && !tasks.has(this.task[i]))) {
        continue;
      }
      out.task.push(this.task[i]);
      out.start.push(this.start[i]);
      out.end.push(this.end[i]);
      out.scheduled.push(Number.isNaN(this.scheduled[i]) ? null : this.scheduled[i]);
      out.woken_by.push(this.wokenBy[i]);
      out.awaits_kind.push(this.kinds[this.awaitsKind[i]]);
      out.awaits_id.push(this.awaitsId[i]);
      out.line!.push(this.line[i]);
    }
    return out;
  }

  private kindOf(kind: string): number {
    let index = this.kindIndex.get(kind);
    if (index === undefined) {
      index = this.kinds.length;
      this.kinds.push(kind);
      this.kindIndex.set(kind, index);
    }
    return index;
  }

  private reserve(size: number): void {
    if (size <= this.capacity) {
      return;
    }
    let capacity = this.capacity;
    while (capacity < size) {
      capacity *= 2;
    }
    const grow = <T extends Float64Array | Uint16Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.length) as never);
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.task = grow(this.task, f64);
    this.start = grow(this.start, f64);
    this.end = grow(this.end, f64);
    this.scheduled = grow(this.scheduled, f64);
    this.wokenBy = grow(this.wokenBy, f64);
    this.awaitsId = grow(this.awaitsId, f64);
    this.awaitsKind = grow(this.awaitsKind, (n) => new Uint16Array(n));
    this.line = grow(this.line, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }

  private dropOldest(count: number): void {
    const n = Math.min(count, this.length);
    for (const column of [
      this.task,
      this.start,
      this.end,
      this.scheduled,
      this.wokenBy,
      this.awaitsId,
      this.awaitsKind,
      this.line,
    ]) {
      column.copyWithin(0, n, this.length);
    }
    this.length -= n;
    this.dropped += n;
  }
}
