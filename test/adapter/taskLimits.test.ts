/** Bounded `asyncio/tasks`, `asyncio/timeline` and `asyncio/tasksChanged` (dapCustom.ts limits), on hand-made events. */
import * as assert from 'assert';
import { TaskModel } from '../../src/adapter/taskModel';
import { body, record } from './support/modelFeed';

const done = (id: number, ended: number) => record(id, { state: 'ok', ended });

describe('task answer limits', () => {
  it('answers pending tasks first (a stopped thread own ones before all), then the latest finished', () => {
    const model = new TaskModel();
    model.apply(body({ tasks: [done(1, 50), done(2, 70), done(3, 60), record(4), record(5), record(6)] }));
    model.apply(
      body({
        paused: {
          threadId: 1,
          running: 6,
          tasks: [
            { id: 4, activity: 'ready', threadId: null },
            { id: 5, activity: 'awaiting', threadId: null },
            { id: 6, activity: 'running', threadId: 1001 },
          ],
        },
      }),
    );
    const two = model.tasksBody(true, 2);
    assert.deepStrictEqual(
      two.tasks.map((t) => t.id),
      [4, 6],
    );
    assert.strictEqual(two.total, 6);
    assert.strictEqual(two.truncated, true);
    // Finished ones in the order they finished (the model's), newest first: 3 was reported last.
    assert.deepStrictEqual(
      model.tasksBody(true, 4).tasks.map((t) => t.id),
      [3, 4, 5, 6],
    );
    const live = model.tasksBody(false, 10);
    assert.deepStrictEqual(
      live.tasks.map((t) => t.id),
      [4, 5, 6],
    );
    assert.strictEqual(live.truncated, false);
    assert.strictEqual(live.total, 3);
  });

  it('answers the most recent spans of a timeline, their tasks first, edges among the tasks kept', () => {
    const model = new TaskModel();
    const ids = [1, 2, 3, 4, 5];
    model.apply(
      body({
        tasks: ids.map((id) => record(id)),
        spans: {
          task: [1, 2, 3, 4],
          start: [100, 200, 300, 400],
          end: [150, 250, 350, 450],
          scheduled: [null, null, null, null],
          woken_by: [0, 0, 0, 0],
          awaits_kind: ['', '', '', ''],
          awaits_id: [0, 0, 0, 0],
        },
        edges: [
          ['parent', 1, 2, 20],
          ['parent', 3, 4, 40],
          ['await', 4, 99, 450],
        ],
      }),
    );
    const all = model.timeline({});
    assert.strictEqual(all.truncated, false);
    assert.deepStrictEqual(all.total, { tasks: 5, spans: 4, edges: 3 });
    const small = model.timeline({ limit: 2, taskLimit: 2 });
    assert.deepStrictEqual(small.spans.task, [3, 4]);
    assert.deepStrictEqual(
      small.tasks.map((t) => t.id),
      [3, 4],
    );
    assert.deepStrictEqual(small.edges, [
      ['parent', 3, 4, 40],
      ['await', 4, 99, 450],
    ]);
    assert.strictEqual(small.truncated, true);
    assert.strictEqual(small.spanCount, 4, 'a tail request still continues after every span');
  });

  it('sends a resync event instead of more changed tasks than one event carries', () => {
    const model = new TaskModel();
    model.apply(body({ tasks: [1, 2, 3].map((id) => record(id)) }));
    const over = model.takeChanges(false, 2)!;
    assert.strictEqual(over.resync, true);
    assert.deepStrictEqual(over.tasks, []);
    assert.strictEqual(over.total, 3);
    model.apply(body({ tasks: [record(2, { state: 'ok', ended: 500 })] }));
    const next = model.takeChanges(false, 2)!;
    assert.strictEqual(next.resync, undefined);
    assert.deepStrictEqual(
      next.tasks.map((t) => t.id),
      [2],
    );
  });
});
