import * as assert from 'assert';
import { BusyIndex } from '../../src/shared/timelineBusy';
import { TimelineModel } from '../../src/shared/timelineModel';
import { SpanRow, delta, task, trace } from './traceBuilder';

/** Busy time up to t straight from the definition, for steps of one loop (never overlapping). */
function busyUpTo(steps: [number, number][], t: number): number {
  let sum = 0;
  for (const [s, e] of steps) if (s < t) sum += Math.min(e, t) - s;
  return sum;
}

/** Back-to-back steps with gaps, from a fixed seed: [start, end] in time order. */
function steps(count: number, seed = 7): [number, number][] {
  const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
  const out: [number, number][] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    const start = t + Math.floor(rnd() * 10);
    const end = start + 1 + Math.floor(rnd() * 10);
    out.push([start, end]);
    t = end;
  }
  return out;
}

describe('BusyIndex', () => {
  it('answers busy time up to any instant, whatever the order and batching of the steps', () => {
    const all = steps(500);
    const shuffled = [...all].sort((a, b) => ((a[0] * 7919) % 101) - ((b[0] * 7919) % 101));
    for (const batches of [[all], [all.slice(0, 400), all.slice(400)], [shuffled.slice(0, 250), shuffled.slice(250)]]) {
      const index = new BusyIndex();
      for (const batch of batches) {
        // Several small deltas, as a live session sends them.
        for (let i = 0; i < batch.length; i += 37) {
          const part = batch.slice(i, i + 37);
          index.add(
            part.map((s) => s[0]),
            part.map((s) => s[1]),
          );
        }
      }
      assert.strictEqual(index.count, all.length);
      const end = all[all.length - 1][1];
      for (let t = -5; t <= end + 5; t += 3) assert.strictEqual(index.busyUpTo(t), busyUpTo(all, t), `at ${t}`);
    }
  });

  it('a late step that belongs early in time is merged into place', () => {
    const index = new BusyIndex();
    index.add([0, 20, 40], [10, 30, 50]);
    index.add([60, 12], [70, 15]);
    assert.strictEqual(index.busyUpTo(16), 13);
    assert.strictEqual(index.busyUpTo(100), 43);
  });
});

describe('TimelineModel utilisation under live appends', () => {
  it('after many appends equals a model loaded with the whole trace at once', () => {
    const all = steps(2000, 11);
    const rows: SpanRow[] = all.map(([s, e], i) => [1 + (i % 3), s, e]);
    const tasks = [task(1), task(2), task(3)];
    const whole = TimelineModel.fromNative(trace(tasks, rows));
    const live = TimelineModel.fromNative(trace(tasks, rows.slice(0, 100)));
    // The header has read the index before the session goes on: appends must keep it current.
    assert.ok(live.utilisationBetween(0, 100) > 0);
    for (let i = 100; i < rows.length; i += 50) live.append(delta([], rows.slice(i, i + 50)));
    const end = all[all.length - 1][1];
    for (let t = 0; t < end; t += Math.ceil(end / 97)) {
      assert.strictEqual(live.utilisationBetween(t, t + 40), whole.utilisationBetween(t, t + 40), `at ${t}`);
    }
  });
});
