import * as assert from 'assert';
import type { TimelineResponseBody } from '../../src/shared/dapCustom';
import { deltaFromTimeline, traceFromTimeline } from '../../src/shared/timelineLive';
import { TimelineModel } from '../../src/shared/timelineModel';
import { MS, task } from './tasksFixture';

function body(fields: Partial<TimelineResponseBody>): TimelineResponseBody {
  return {
    now: 10 * MS,
    tasks: [],
    spans: { task: [], start: [], end: [], scheduled: [], woken_by: [], awaits_kind: [], awaits_id: [] },
    edges: [],
    dropped: { records: 0, objects: 0 },
    ...fields,
  };
}

describe('timeline fed by a live session', () => {
  it('turns the first answer into a trace the model opens, parents first', () => {
    const first = body({
      tasks: [
        task(1, { name: 'main' }),
        task(2, {
          name: 'fetch',
          parent: 1,
          state: 'cancelled',
          cancelledBy: { task: 1, site: null, stack: [], via: null, while: 'waiting' },
        }),
      ],
      spans: {
        task: [1, 2],
        start: [1 * MS, 2 * MS],
        end: [2 * MS, 3 * MS],
        scheduled: [null, 1.5 * MS],
        woken_by: [0, 0],
        awaits_kind: ['task', 'sleep'],
        awaits_id: [2, 0],
      },
      edges: [['parent', 1, 2, 2 * MS]],
      spanCount: 2,
    });
    const trace = traceFromTimeline(first, 'Pipeline');
    assert.strictEqual(trace.tasks[1].cancelled_by?.task, 1);
    const model = TimelineModel.fromNative(trace);
    const rows = model.rows().map((r) => `${r.depth}:${model.tasks.get(r.id)?.name}`);
    assert.deepStrictEqual(rows, ['0:main', '1:fetch']);
  });

  it('appends the tail: new spans and refreshed task records', () => {
    const model = TimelineModel.fromNative(traceFromTimeline(body({ tasks: [task(1, { name: 'main' })] }), 'x'));
    model.append(
      deltaFromTimeline(
        body({
          now: 20 * MS,
          tasks: [task(1, { name: 'main', state: 'ok', ended: 15 * MS })],
          spans: {
            task: [1],
            start: [11 * MS],
            end: [15 * MS],
            scheduled: [10 * MS],
            woken_by: [0],
            awaits_kind: [''],
            awaits_id: [0],
          },
        }),
      ),
    );
    assert.strictEqual(model.tasks.get(1)?.state, 'ok');
    assert.strictEqual(model.spanCount, 1);
  });
});
