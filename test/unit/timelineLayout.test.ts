import * as assert from 'assert';
import { DrawList, Style, layout, layoutLane, visibleRows } from '../../src/shared/timelineLayout';
import { TimelineModel } from '../../src/shared/timelineModel';
import { Viewport } from '../../src/shared/timelineViewport';
import { SpanRow, regularSteps, task, trace } from './traceBuilder';

const GEOMETRY = { laneHeight: 20, width: 1000, height: 400 };

function draw(model: TimelineModel, id: number, vp: Viewport): DrawList {
  const out = new DrawList();
  layoutLane(model, id, 0, vp, GEOMETRY, out);
  return out;
}

function rects(out: DrawList, style: Style): [number, number, number, number][] {
  const list: [number, number, number, number][] = [];
  const a = out.rects[style];
  for (let i = 0; i < out.counts[style]; i++) list.push([a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3]]);
  return list;
}

function dense(out: DrawList): number {
  return out.counts[Style.Dense1] + out.counts[Style.Dense2] + out.counts[Style.Dense3] + out.counts[Style.Dense4];
}

describe('layout and level of detail', () => {
  // 1,000 steps of 10 ns every 100 ns: 100 µs of a task that is busy 10 % of the time.
  const model = TimelineModel.fromNative(
    trace([task(1, { created: 0, ended: 100_000, state: 'ok' })], regularSteps(1, 1000, 100, 10)),
  );

  it('zoomed in, every step wider than a pixel is its own rectangle at its place', () => {
    const out = draw(model, 1, { start: 0, nsPerPx: 1, scrollTop: 0 });
    const runs = rects(out, Style.Run);
    // 1,000 px show 1,000 ns: steps 0..9, each 10 px wide, 100 px apart.
    assert.strictEqual(runs.length, 10);
    assert.deepStrictEqual(runs[3], [300, 3, 10, 14]);
    assert.strictEqual(dense(out), 0);
  });

  it('zoomed out, sub-pixel steps merge into one rectangle per busy stretch, shaded by how busy it was', () => {
    const out = draw(model, 1, { start: 0, nsPerPx: 200, scrollTop: 0 });
    assert.strictEqual(out.counts[Style.Run], 0);
    // Two steps fall in each 200 ns column and every column is busy: one merged stretch of 500 px.
    assert.strictEqual(dense(out), 1);
    const [x, , w] = rects(out, Style.Dense1)[0];
    assert.strictEqual(x, 0);
    assert.strictEqual(w, 500);
  });

  it('merging splits where the task idles for more than a pixel, and keeps dense and sparse apart', () => {
    const rows: SpanRow[] = [...regularSteps(2, 100, 2, 1, 0), ...regularSteps(2, 100, 2, 1, 5_000)];
    const m = TimelineModel.fromNative(trace([task(2)], rows));
    const out = draw(m, 2, { start: 0, nsPerPx: 10, scrollTop: 0 });
    // Half of every column is busy.
    const merged = rects(out, Style.Dense3);
    assert.strictEqual(dense(out), 2);
    assert.deepStrictEqual(
      merged.map(([x, , w]) => [x, w]),
      [
        [0, 20],
        [500, 20],
      ],
    );
  });

  it('work per lane is bounded by pixels, not by steps', () => {
    const many = TimelineModel.fromNative(trace([task(3)], regularSteps(3, 200_000, 5, 2)));
    const out = draw(many, 3, { start: 0, nsPerPx: 1000, scrollTop: 0 });
    assert.ok(out.total() < 20, `drew ${out.total()} rectangles`);
  });

  it('draws scheduling delay before a step, a wait line for the life of the task and its outcome', () => {
    const m = TimelineModel.fromNative(
      trace(
        [task(4, { created: 0, ended: 900, state: 'error' })],
        [
          [4, 100, 200, 50, 'queue', 9],
          [4, 600, 700, 600],
        ],
      ),
    );
    const out = draw(m, 4, { start: 0, nsPerPx: 1, scrollTop: 0 });
    assert.deepStrictEqual(rects(out, Style.Delay)[0].slice(0, 1).concat(rects(out, Style.Delay)[0][2]), [50, 50]);
    assert.deepStrictEqual(rects(out, Style.Wait)[0][0], 0);
    assert.deepStrictEqual(rects(out, Style.Wait)[0][2], 900);
    assert.strictEqual(out.counts[Style.Error], 1);
    assert.strictEqual(out.counts[Style.Ok], 0);
    // The 400 px wait after the first step is labelled with what it awaited.
    assert.deepStrictEqual(out.labels, [{ x: 204, y: 0, text: 'queue' }]);
  });

  it('nothing is drawn for a lane outside the visible time range', () => {
    const out = draw(model, 1, { start: 500_000, nsPerPx: 1, scrollTop: 0 });
    assert.strictEqual(out.total(), 0);
  });

  it('only the lanes in view are laid out', () => {
    const tasks = Array.from({ length: 100 }, (_, i) => task(i + 1, { created: i }));
    const m = TimelineModel.fromNative(
      trace(
        tasks,
        tasks.map((t): SpanRow => [t.id, 10, 20]),
      ),
    );
    assert.deepStrictEqual(visibleRows(100, { start: 0, nsPerPx: 1, scrollTop: 210 }, GEOMETRY), [10, 31]);
    const out = new DrawList();
    layout(m, m.rows(), { start: 0, nsPerPx: 1, scrollTop: 210 }, GEOMETRY, out);
    assert.strictEqual(out.counts[Style.Run], 21);
    assert.strictEqual(rects(out, Style.Run)[0][1], 10 * 20 - 210 + 3);
  });
});
