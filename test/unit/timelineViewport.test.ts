import * as assert from 'assert';
import {
  Bounds,
  Viewport,
  atTail,
  fit,
  followTail,
  formatDuration,
  formatTick,
  panBy,
  tickStep,
  timeAt,
  toTail,
  zoomAt,
  zoomToRange,
} from '../../src/shared/timelineViewport';

const B: Bounds = { startTime: 0, endTime: 1_000_000, width: 1000, height: 200, contentHeight: 1000 };

describe('viewport', () => {
  it('fit shows the whole trace with a little air', () => {
    const vp = fit(B);
    assert.ok(timeAt(vp, 0) < 0 && timeAt(vp, 1000) > 1_000_000);
    assert.ok(vp.nsPerPx < 1100);
  });

  it('zooming keeps the time under the pointer where it is', () => {
    const vp = zoomAt(fit(B), 4, 300, B);
    const before = timeAt(fit(B), 300);
    assert.ok(Math.abs(timeAt(vp, 300) - before) < 1e-6);
    assert.ok(Math.abs(vp.nsPerPx - fit(B).nsPerPx / 4) < 1e-9);
  });

  it('zoom, pan and scroll are clamped to the trace', () => {
    assert.ok(zoomAt(fit(B), 1e-6, 0, B).nsPerPx <= 4000);
    assert.ok(zoomAt(fit(B), 1e12, 0, B).nsPerPx >= 0.01);
    const far = panBy(fit(B), -1e9, -1e9, B);
    assert.ok(timeAt(far, 0) <= 1_000_000);
    assert.strictEqual(far.scrollTop, 800);
  });

  it('a selection becomes the whole width', () => {
    const vp = zoomToRange(fit(B), 5000, 3000, B);
    assert.strictEqual(timeAt(vp, 0), 3000);
    assert.strictEqual(timeAt(vp, 1000), 5000);
  });

  it('axis ticks are round and readable', () => {
    assert.strictEqual(tickStep(1000), 100_000);
    assert.strictEqual(tickStep(3), 500);
    assert.strictEqual(formatDuration(1_500_000), '1.5 ms');
    assert.strictEqual(formatDuration(250), '250 ns');
    assert.strictEqual(formatDuration(2e9), '2 s');
    assert.strictEqual(formatTick(21_550_000_000, 50_000_000), '21.55 s');
    assert.strictEqual(formatTick(21_600_000_000, 50_000_000), '21.60 s');
    assert.strictEqual(formatTick(1_500, 500), '1.5 µs');
    assert.strictEqual(formatTick(0, 200), '0 ns');
  });

  it('a live view on the tail follows it as the trace grows, until the user scrolls back', () => {
    // Zoomed in on the last tenth, then ten appends of 50 µs each: the right edge moves with the end.
    let b: Bounds = { ...B };
    let vp = toTail({ start: 0, nsPerPx: 100, scrollTop: 0 }, b);
    assert.ok(atTail(vp, b));
    const right = (v: Viewport) => timeAt(v, b.width);
    for (let i = 0; i < 10; i++) {
      const previousEnd = b.endTime;
      b = { ...b, endTime: b.endTime + 50_000 };
      const before = right(vp);
      vp = followTail(vp, previousEnd, b);
      assert.strictEqual(vp.nsPerPx, 100);
      assert.strictEqual(right(vp) - before, 50_000);
      assert.ok(atTail(vp, b));
    }
    // Scrolled back a tenth of the width: no longer on the tail, so appends leave the view alone.
    const back = panBy(vp, 100, 0, b);
    assert.ok(!atTail(back, b));
    // Back at the end (the End key): following again.
    assert.ok(atTail(toTail(back, b), b));
  });

  it('a view of the whole live trace keeps all of it in view as it grows', () => {
    const vp = fit(B);
    const grown: Bounds = { ...B, endTime: 2_000_000 };
    const next = followTail(vp, B.endTime, grown);
    assert.strictEqual(next.start, vp.start);
    assert.ok(timeAt(next, 0) < 0 && timeAt(next, 1000) >= 2_000_000);
    assert.ok(atTail(next, grown));
    // Nothing new: nothing moves.
    assert.deepStrictEqual(followTail(next, 2_000_000, grown), next);
  });
});
