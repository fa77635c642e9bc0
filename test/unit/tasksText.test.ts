import * as assert from 'assert';
import { formatDuration, stateOf, statusText } from '../../src/shared/taskDump';
import { TaskTree } from '../../src/shared/taskTree';
import { MS, S, modelOf, pipeline, task } from './tasksFixture';

describe('task text', () => {
  it('formats durations the way people read them', () => {
    assert.strictEqual(formatDuration(0), '0 ms');
    assert.strictEqual(formatDuration(850_000), '850 µs');
    assert.strictEqual(formatDuration(12 * MS), '12 ms');
    assert.strictEqual(formatDuration(2.34 * S), '2.3 s');
    assert.strictEqual(formatDuration(245 * S), '4m 05s');
    assert.strictEqual(formatDuration(3720 * S), '1h 02m');
  });

  it('maps outcome and activity to one state', () => {
    assert.strictEqual(stateOf(task(1, { activity: 'running' })), 'running');
    assert.strictEqual(stateOf(task(1, { activity: 'awaiting' })), 'awaiting');
    assert.strictEqual(stateOf(task(1, { state: 'ok', activity: 'done' })), 'done');
    assert.strictEqual(stateOf(task(1, { state: 'error', activity: 'done' })), 'failed');
    assert.strictEqual(stateOf(task(1, { state: 'cancelled', activity: 'done' })), 'cancelled');
  });

  it('says what a task awaits and for how long', () => {
    const now = 10 * S;
    const onQueue = task(1, { activity: 'awaiting', awaits: { kind: 'queue', id: 5, since: 7.7 * S } });
    assert.strictEqual(statusText(onQueue, now), 'awaiting Queue · 2.3 s');
    const onTask = task(1, { activity: 'awaiting', awaits: { kind: 'task', id: 7, name: 'fetch-7', since: now } });
    assert.strictEqual(statusText(onTask, now), 'awaiting Task fetch-7');
    const unnamed = task(1, { activity: 'awaiting', awaits: { kind: 'task', id: 7, since: now - 3 * MS } });
    assert.strictEqual(statusText(unnamed, now), 'awaiting Task #7 · 3 ms');
    assert.strictEqual(statusText(task(1, { state: 'error', type: 'ValueError' }), now), 'failed: ValueError');
    assert.strictEqual(statusText(task(1, { state: 'ok', type: 'int' }), now), 'done → int');
    assert.strictEqual(statusText(task(1, { state: 'cancelled' }), now), 'cancelled');
    const lost = task(1, { state: 'unknown', activity: 'done' });
    assert.strictEqual(stateOf(lost), 'done');
    assert.strictEqual(statusText(lost, now), 'done (outcome not recorded: records dropped)');
  });

  it('dumps the whole tree, TaskGroups included, nothing folded', () => {
    const model = modelOf([
      ...pipeline(3),
      task(30, { name: 'child', coroutine: 'helper', parent: 2, state: 'ok', type: 'NoneType' }),
      task(40, { name: 'orphan', coroutine: 'lonely', parent: 99, state: 'cancelled' }),
    ]);
    const tree = new TaskTree(model, { groupBy: 'state', showFinished: false, filter: 'zzz', collapseMin: 2 });
    assert.strictEqual(
      tree.dump('7 tasks'),
      [
        '7 tasks',
        'Task-1 (main) awaiting TaskGroup · 9.0 s',
        '  [TaskGroup 1]',
        '    fetch (fetch) awaiting sleep · 10 ms',
        '      child (helper) done → NoneType',
        '    parse (parse) running',
        '    store (store) awaiting Queue · 2.3 s',
        '  worker-0 (worker) awaiting Queue · 5.0 s',
        '  worker-1 (worker) awaiting Queue · 5.0 s',
        '  worker-2 (worker) awaiting Queue · 5.0 s',
        'orphan (lonely) cancelled',
        '',
      ].join('\n'),
    );
  });
});
