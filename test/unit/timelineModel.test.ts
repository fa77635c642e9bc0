import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TimelineModel } from '../../src/shared/timelineModel';
import { asNativeTrace } from '../../src/shared/timelineTrace';
import { delta, task, trace } from './traceBuilder';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'traces', 'taskgroup_pipeline.json');

function rowIds(model: TimelineModel): number[] {
  return model.rows().map((r) => r.id);
}

describe('TimelineModel', () => {
  it('loads a recorded trace: every task has a lane, every step is kept, children under their parent', () => {
    const native = asNativeTrace(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
    const model = TimelineModel.fromNative(native);
    assert.strictEqual(model.tasks.size, native.tasks.length);
    assert.strictEqual(model.spanCount, native.spans.task.length);
    let steps = 0;
    for (const lane of model.lanes.values()) steps += lane.count;
    assert.strictEqual(steps, native.spans.task.length);
    const names = model.rows().map((r) => `${'  '.repeat(r.depth)}${model.tasks.get(r.id)!.name}`);
    assert.deepStrictEqual(names.slice(0, 4), ['Task-2', '  fetch', '  parse', '  store']);
    assert.ok(model.endTime >= (native.metadata.duration_ns as number));
    assert.deepStrictEqual([...model.kinds].sort(), ['', 'queue', 'sleep', 'taskgroup']);
  });

  it('rejects what is not a native trace, naming the Chrome format when it sees one', () => {
    assert.throws(() => asNativeTrace({ traceEvents: [] }), /Chrome trace/);
    assert.throws(() => asNativeTrace({ format: 'asyncio-debugger-trace', version: 9, tasks: [] }), /version 9/);
    const short = trace([task(1)], [[1, 0, 5]]);
    short.spans.end.pop();
    assert.throws(() => asNativeTrace(short), /column end/);
  });

  it('orders lanes depth first, siblings by creation time, whatever the order of the records', () => {
    const model = TimelineModel.fromNative(
      trace([
        task(5, { parent: 1, created: 50 }),
        task(1, { created: 0 }),
        task(3, { parent: 1, created: 30 }),
        task(4, { parent: 3, created: 40 }),
        task(2, { created: 10 }),
        task(9, { parent: 77, created: 5 }), // parent not in the trace: top level
      ]),
    );
    assert.deepStrictEqual(rowIds(model), [1, 3, 4, 5, 9, 2]);
    assert.deepStrictEqual(
      model.rows().map((r) => r.depth),
      [0, 1, 2, 1, 0, 0],
    );
    assert.deepStrictEqual(model.childrenOf(1), [3, 5]);
  });

  it('collapsing a lane hides its whole subtree; reveal expands the ancestors again', () => {
    const model = TimelineModel.fromNative(
      trace([task(1), task(2, { parent: 1, created: 1 }), task(3, { parent: 2, created: 2 }), task(4, { created: 3 })]),
    );
    model.setCollapsed(1, true);
    assert.deepStrictEqual(rowIds(model), [1, 4]);
    assert.deepStrictEqual(model.rows()[0], { id: 1, depth: 0, hasChildren: true, collapsed: true });
    assert.deepStrictEqual(model.collapsedIds(), [1]);
    assert.strictEqual(model.reveal(3), 2);
    assert.deepStrictEqual(rowIds(model), [1, 2, 3, 4]);
  });

  it('a deep chain of spawns does not overflow the stack', () => {
    const tasks = [task(1)];
    for (let i = 2; i <= 20000; i++) tasks.push(task(i, { parent: i - 1, created: i }));
    const rows = TimelineModel.fromNative(trace(tasks)).rows();
    assert.strictEqual(rows.length, 20000);
    assert.strictEqual(rows[19999].depth, 19999);
  });

  it('append adds tasks and steps, updates a task that ended, and keeps steps ordered', () => {
    const model = TimelineModel.fromNative(trace([task(1)], [[1, 0, 10, 0, 'sleep', 7]]));
    const before = model.revision;
    model.append(
      delta(
        [task(2, { parent: 1, created: 15 })],
        [
          [2, 20, 30, 15, '', 0],
          [1, 40, 45, 38, 'task', 2, 2],
        ],
      ),
    );
    model.append(delta([task(1, { ended: 50, state: 'ok', type: 'int' })], [[1, 12, 14, 11, 'yield']]));
    assert.ok(model.revision > before);
    assert.deepStrictEqual(rowIds(model), [1, 2]);
    assert.strictEqual(model.tasks.get(1)!.state, 'ok');
    const lane = model.lanes.get(1)!;
    assert.deepStrictEqual([...lane.starts.subarray(0, lane.count)], [0, 12, 40]);
    assert.deepStrictEqual([...lane.cum.subarray(0, lane.count + 1)], [0, 10, 12, 17]);
    assert.strictEqual(model.kindOf(lane.awaitsKind[1]), 'yield');
    assert.strictEqual(model.endTime, 50);
    assert.strictEqual(model.spanCount, 4);
  });

  it('a step that arrives before its task record gets a placeholder lane, filled in later', () => {
    const model = TimelineModel.fromNative(trace([]));
    model.append(delta([], [[8, 5, 6]]));
    assert.strictEqual(model.tasks.get(8)!.name, 'Task #8');
    model.append(delta([task(8, { name: 'late', created: 1 })]));
    assert.strictEqual(model.tasks.get(8)!.name, 'late');
    assert.strictEqual(model.lanes.get(8)!.count, 1);
  });

  it('keeps wake edges and derives spawn arrows from parents', () => {
    const model = TimelineModel.fromNative(
      trace([task(1), task(2, { parent: 1, created: 4 })], [], {
        edges: [
          ['parent', 1, 2, 4],
          ['wake', 2, 1, 9],
        ],
      }),
    );
    assert.deepStrictEqual(model.spawns(), [[1, 2, 4]]);
    assert.deepStrictEqual(model.wakes, [[2, 1, 9]]);
  });

  it('loop utilisation is the busy fraction of a window', () => {
    const model = TimelineModel.fromNative(
      trace(
        [task(1), task(2)],
        [
          [1, 0, 10],
          [2, 10, 20],
          [1, 50, 100],
        ],
      ),
    );
    assert.strictEqual(model.utilisationBetween(0, 20), 1);
    assert.strictEqual(model.utilisationBetween(0, 40), 0.5);
    assert.strictEqual(model.utilisationBetween(20, 50), 0);
    assert.strictEqual(model.utilisationBetween(75, 100), 1);
    assert.strictEqual(model.utilisationBetween(5, 15), 1);
    model.append(delta([], [[2, 200, 210]]));
    assert.strictEqual(model.utilisationBetween(200, 220), 0.5);
  });

  it('a live model keeps the session clock, through appends and toNative', () => {
    const model = TimelineModel.fromNative({
      ...trace([task(1)], [[1, 0, 10]]),
      metadata: { duration_ns: 50, live: true },
    });
    assert.strictEqual(model.now, 50);
    model.append(delta([], [[1, 60, 70]], { now: 90 }));
    assert.strictEqual(model.now, 90);
    assert.strictEqual(model.endTime, 90);
    assert.strictEqual(TimelineModel.fromNative(model.toNative()).now, 90);
    // A recorded file has no clock of its own.
    assert.strictEqual(TimelineModel.fromNative(trace([task(1)], [[1, 0, 10]])).now, undefined);
  });

  it('round-trips through toNative', () => {
    const native = asNativeTrace(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
    const again = TimelineModel.fromNative(TimelineModel.fromNative(native).toNative());
    const model = TimelineModel.fromNative(native);
    assert.strictEqual(again.spanCount, model.spanCount);
    assert.deepStrictEqual(rowIds(again), rowIds(model));
    assert.deepStrictEqual(again.wakes, model.wakes);
  });

  it('knows where each step suspended: its line in the coroutine file, kept out of order and through toNative', () => {
    const coro = { coroutine_file: '/ws/worker.py' };
    const model = TimelineModel.fromNative(
      trace(
        [task(1, coro), task(2)],
        [
          [1, 20, 25, null, 'sleep', 0, 0, 14],
          [1, 0, 5, null, 'queue', 0, 0, 12], // out of order: sorted in with its line
          [1, 30, 31, null, '', 0, 0, 0], // finished the task: no line
          [2, 0, 1, null, 'sleep', 0, 0, 40], // no coroutine file: no site
        ],
      ),
    );
    assert.deepStrictEqual(model.stepSite(1, 0), { file: '/ws/worker.py', line: 12 });
    assert.deepStrictEqual(model.stepSite(1, 1), { file: '/ws/worker.py', line: 14 });
    assert.strictEqual(model.stepSite(1, 2), null);
    assert.strictEqual(model.stepSite(1, 3), null);
    assert.strictEqual(model.stepSite(2, 0), null);
    model.append(delta([], [[1, 40, 41, 35, 'lock', 0, 0, 16]]));
    assert.deepStrictEqual(model.stepSite(1, 3), { file: '/ws/worker.py', line: 16 });
    const again = TimelineModel.fromNative(model.toNative());
    assert.deepStrictEqual(again.toNative().spans.line, model.toNative().spans.line);
    assert.deepStrictEqual(again.stepSite(1, 1), { file: '/ws/worker.py', line: 14 });
  });

  it('opens a trace written before steps had lines: no step site, nothing else lost', () => {
    const native = asNativeTrace(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
    assert.strictEqual(native.spans.line, undefined);
    const model = TimelineModel.fromNative(native);
    const [id, lane] = [...model.lanes].find(([, l]) => l.count > 0)!;
    assert.strictEqual(model.stepSite(id, 0), null);
    assert.strictEqual(lane.lines[0], 0);
    // A short line column is dropped rather than misattributing lines.
    const short = trace([task(1, { coroutine_file: '/ws/a.py' })], [[1, 0, 5, null, 'sleep', 0, 0, 3]]);
    short.spans.line!.pop();
    assert.strictEqual(TimelineModel.fromNative(asNativeTrace(short)).stepSite(1, 0), null);
  });
});
