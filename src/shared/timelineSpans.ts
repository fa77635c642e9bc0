/**
 * The steps of one task in growable typed arrays, ordered by start. Typed arrays keep a million
 * spans at a few tens of megabytes and let the renderer binary-search them every frame.
 */
export class SpanColumns {
  count = 0;
  starts = new Float64Array(8);
  ends = new Float64Array(8);
  /** NaN when the agent did not see the step being scheduled. */
  scheduled = new Float64Array(8);
  /** Running total of step durations before each index (cum[i] = busy time of spans < i). */
  cum = new Float64Array(9);
  /** Index into the model's interned kind strings. */
  awaitsKind = new Uint16Array(8);
  awaitsId = new Int32Array(8);
  wokenBy = new Int32Array(8);
  /** The line (in the task's coroutine file) of the await the step suspended on; 0 when unknown. */
  lines = new Uint32Array(8);

  push(start: number, end: number, scheduled: number, kind: number, awaitsId: number, wokenBy: number, line = 0): void {
    if (this.count === this.starts.length) this.grow();
    let i = this.count;
    // Live deltas arrive in order; a trace file could in principle list a task's steps out of
    // order, so keep the columns sorted with an insertion step that is free in the common case.
    while (i > 0 && this.starts[i - 1] > start) i--;
    if (i < this.count) this.shiftRight(i);
    this.starts[i] = start;
    this.ends[i] = end;
    this.scheduled[i] = scheduled;
    this.awaitsKind[i] = kind;
    this.awaitsId[i] = awaitsId;
    this.wokenBy[i] = wokenBy;
    this.lines[i] = line;
    this.count++;
    this.recomputeCum(i);
  }

  /** Index of the first span whose end is at or after `t` (count when none). */
  firstEndingAtOrAfter(t: number, from = 0): number {
    let lo = from;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first span whose start is at or after `t` (count when none). */
  firstStartingAtOrAfter(t: number, from = 0): number {
    let lo = from;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Total running time of spans [from, to). */
  busy(from: number, to: number): number {
    return this.cum[to] - this.cum[from];
  }

  private recomputeCum(from: number): void {
    for (let i = from; i < this.count; i++) this.cum[i + 1] = this.cum[i] + (this.ends[i] - this.starts[i]);
  }

  private shiftRight(at: number): void {
    const n = this.count;
    for (const a of [this.starts, this.ends, this.scheduled] as Float64Array[]) a.copyWithin(at + 1, at, n);
    this.awaitsKind.copyWithin(at + 1, at, n);
    this.awaitsId.copyWithin(at + 1, at, n);
    this.wokenBy.copyWithin(at + 1, at, n);
    this.lines.copyWithin(at + 1, at, n);
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const f64 = (a: Float64Array, n = size) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.starts = f64(this.starts);
    this.ends = f64(this.ends);
    this.scheduled = f64(this.scheduled);
    this.cum = f64(this.cum, size + 1);
    const k = new Uint16Array(size);
    k.set(this.awaitsKind);
    this.awaitsKind = k;
    const a = new Int32Array(size);
    a.set(this.awaitsId);
    this.awaitsId = a;
    const w = new Int32Array(size);
    w.set(this.wokenBy);
    this.wokenBy = w;
    const l = new Uint32Array(size);
    l.set(this.lines);
    this.lines = l;
  }
}
