import * as assert from 'assert';
import {
  Bounds,
  fit,
  formatDuration,
  formatTick,
  panBy,
  tickStep,
  timeAt,
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
});
