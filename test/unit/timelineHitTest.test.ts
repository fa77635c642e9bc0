import * as assert from 'assert';
import { hitTest } from '../../src/shared/timelineHitTest';
import { TimelineModel } from '../../src/shared/timelineModel';
import { task, trace } from './traceBuilder';

describe('hit testing', () => {
  const model = TimelineModel.fromNative(
    trace(
      [
        task(1, { created: 0, ended: 1000, state: 'ok' }),
        task(2, { parent: 1, created: 10, ended: 500, state: 'cancelled' }),
      ],
      [
        [1, 100, 200, 50, 'task', 2],
        [1, 600, 601, 590, ''],
        [2, 20, 30, 10, 'sleep', 5],
      ],
    ),
  );
  const rows = model.rows();
  const vp = { start: 0, nsPerPx: 1, scrollTop: 0 };
  const at = (x: number, y: number) => hitTest(model, rows, vp, 20, x, y);

  it('finds the step under the pointer in the lane under the pointer', () => {
    assert.deepStrictEqual(at(150, 5), { row: 0, taskId: 1, span: 0, region: 'run' });
    assert.deepStrictEqual(at(25, 25), { row: 1, taskId: 2, span: 0, region: 'run' });
  });

  it('a step narrower than a pixel is still hit within a few pixels', () => {
    assert.deepStrictEqual(at(603, 5), { row: 0, taskId: 1, span: 1, region: 'run' });
  });

  it('tells scheduling delay from waiting, and waiting refers to the step it followed', () => {
    assert.deepStrictEqual(at(70, 5), { row: 0, taskId: 1, span: 0, region: 'delay' });
    assert.deepStrictEqual(at(400, 5), { row: 0, taskId: 1, span: 0, region: 'wait' });
  });

  it('outside the life of a task only the lane is hit; below the last lane nothing', () => {
    assert.deepStrictEqual(at(800, 25), { row: 1, taskId: 2, span: -1, region: 'lane' });
    assert.strictEqual(at(10, 45), undefined);
  });

  it('follows the vertical scroll and the zoom', () => {
    assert.deepStrictEqual(hitTest(model, rows, { start: 0, nsPerPx: 10, scrollTop: 20 }, 20, 2.5, 5)?.taskId, 2);
  });
});
