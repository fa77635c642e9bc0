/**
 * The index behind "loop busy" in the timeline header: every step's start and end, sorted by
 * start, with a running total of busy time. Built once by sorting; after that, live appends merge
 * in only at the tail (steps arrive roughly in time order), so a delta of k steps costs
 * O(k log k + steps after the earliest new one) instead of a re-sort of a million.
 */
export class BusyIndex {
  private n = 0;
  private starts = new Float64Array(16);
  private ends = new Float64Array(16);
  /** cum[i] = total duration of the first i steps (by start). */
  private cum = new Float64Array(17);

  get count(): number {
    return this.n;
  }

  /** Adds steps given as parallel start/end arrays, in any order. */
  add(starts: ArrayLike<number>, ends: ArrayLike<number>): void {
    const k = starts.length;
    if (k === 0) return;
    const order = new Uint32Array(k);
    for (let i = 0; i < k; i++) order[i] = i;
    order.sort((a, b) => starts[a] - starts[b]);
    this.reserve(this.n + k);
    // Everything before the earliest new start stays where it is; only the tail is merged.
    const first = starts[order[0]];
    const p = this.upperBound(first);
    const tailLength = this.n - p;
    const oldS = this.starts.slice(p, this.n);
    const oldE = this.ends.slice(p, this.n);
    let a = 0;
    let b = 0;
    let w = p;
    while (a < tailLength || b < k) {
      // Ties keep the older step first, as a stable sort would.
      if (b >= k || (a < tailLength && oldS[a] <= starts[order[b]])) {
        this.starts[w] = oldS[a];
        this.ends[w] = oldE[a++];
      } else {
        this.starts[w] = starts[order[b]];
        this.ends[w] = ends[order[b++]];
      }
      this.cum[w + 1] = this.cum[w] + (this.ends[w] - this.starts[w]);
      w++;
    }
    this.n = w;
  }

  /** Busy time (summed over loops) from the first step up to time t. */
  busyUpTo(t: number): number {
    const lo = this.lowerBound(t);
    // Steps of one loop never overlap, so only the last one started can still be running at t.
    return lo === 0 ? 0 : this.cum[lo] - Math.max(0, this.ends[lo - 1] - t);
  }

  /** First index whose start is >= t. */
  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose start is > t. */
  private upperBound(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private reserve(size: number): void {
    if (size <= this.starts.length) return;
    let cap = this.starts.length;
    while (cap < size) cap *= 2;
    const grow = (a: Float64Array, n: number) => {
      const b = new Float64Array(n);
      b.set(a.subarray(0, Math.min(a.length, n)));
      return b;
    };
    this.starts = grow(this.starts, cap);
    this.ends = grow(this.ends, cap);
    this.cum = grow(this.cum, cap + 1);
  }
}
