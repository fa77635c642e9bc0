/** The tree's model holds a bounded part of a huge session and says how much it leaves out. */
import * as assert from 'assert';
import { TaskModel } from '../../src/extension/tasksModel';
import { delta, task } from './tasksFixture';

const DROPPED = { records: 0, objects: 0 };

describe('task model limit', () => {
  it('counts what a truncated answer left out, and keeps updating the tasks it holds', () => {
    const model = new TaskModel(3);
    model.reset({ seq: 1, now: 0, stopped: true, tasks: [task(1), task(2), task(3)], dropped: DROPPED, total: 10 });
    assert.strictEqual(model.truncated, true);
    assert.strictEqual(model.total, 10);
    const result = model.apply({ ...delta(2, [task(2, { state: 'ok', activity: 'done' }), task(11)]), total: 11 });
    assert.strictEqual(model.get(2)?.state, 'ok', 'a held task is updated');
    assert.strictEqual(model.get(11), undefined, 'no room for a new one');
    assert.deepStrictEqual(result.changed, [2]);
    assert.strictEqual(result.gap, false);
    assert.strictEqual(model.total, 11);
  });

  it('re-reads when told too much changed, or when room frees up while tasks are left out', () => {
    const model = new TaskModel(4);
    model.reset({
      seq: 1,
      now: 0,
      stopped: false,
      tasks: [1, 2, 3, 4].map((i) => task(i)),
      dropped: DROPPED,
      total: 9,
    });
    assert.strictEqual(model.apply({ ...delta(2, []), resync: true, total: 9 }).gap, true);
    assert.strictEqual(model.apply({ ...delta(3, [], [1, 2, 3]), total: 6 }).gap, true, 'one left of four, 6 known');
    assert.strictEqual(model.apply({ ...delta(4, [task(20)]), total: 6 }).gap, false, 'half of four held: enough');
  });

  it('is not truncated while it holds everything', () => {
    const model = new TaskModel(5);
    model.reset({ seq: 1, now: 0, stopped: false, tasks: [task(1)], dropped: DROPPED, total: 1 });
    const result = model.apply({ ...delta(2, [task(2)]), total: 2 });
    assert.strictEqual(model.truncated, false);
    assert.strictEqual(result.gap, false);
    assert.deepStrictEqual([...result.added], [2]);
  });
});
