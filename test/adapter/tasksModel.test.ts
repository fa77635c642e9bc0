/** The adapter's task model and its event throttling, fed with hand-made agent `tasks` events. */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EVALUATE_TASK_NAME } from '../../src/shared/agentProtocol';
import type { TasksChangedBody } from '../../src/shared/dapCustom';
import { TaskBridge } from '../../src/adapter/taskBridge';
import { TaskModel } from '../../src/adapter/taskModel';
import { SpanStore } from '../../src/adapter/taskSpans';
import { body, record, spans } from './support/modelFeed';

describe('task model', () => {
  it('derives activity and awaits from the last span, and exact states while paused', () => {
    const model = new TaskModel();
    model.apply(
      body({
        tasks: [record(1), record(2, { parent: 1 }), record(3, { parent: 1 })],
        spans: spans([
          [1, 100, 110, 'task', 2],
          [2, 105, 120, 'queue', 40],
          [3, 106, 107, 'yield', 0],
        ]),
        edges: [['parent', 1, 2, 20]],
      }),
    );
    const t1 = model.task(1)!;
    assert.strictEqual(t1.activity, 'awaiting');
    assert.deepStrictEqual(t1.awaits, { kind: 'task', id: 2, name: 't2', since: 110 });
    assert.strictEqual(model.task(3)!.activity, 'ready');
    assert.strictEqual(model.task(2)!.parent, 1);

    model.apply(
      body({
        paused: {
          threadId: 1,
          running: 3,
          tasks: [
            { id: 1, activity: 'awaiting', threadId: 1_000_001 },
            { id: 3, activity: 'running', threadId: 1_000_003 },
          ],
        },
      }),
    );
    model.stoppedOn(1);
    const changed = model.takeChanges(true)!;
    assert.strictEqual(changed.stopped, true);
    assert.strictEqual(model.task(3)!.activity, 'running');
    assert.strictEqual(model.task(3)!.threadId, 1_000_003);
    assert.strictEqual(model.osThreadOf(1_000_003), 1);

    model.resume(1_000_003);
    assert.strictEqual(model.stopped, false);
    assert.strictEqual(model.task(3)!.threadId, null);
    assert.strictEqual(model.task(3)!.activity, 'ready');
  });

  it("leaves out the debugger's own evaluation task, its spans, edges and task thread", () => {
    const model = new TaskModel();
    model.takeChanges();
    model.apply(
      body({
        tasks: [
          record(1),
          record(2, { name: EVALUATE_TASK_NAME, coroutine: '<module>' }),
          record(3, { parent: 2 }),
          record(4, { name: 'asyncio-debugger: evaluate' }),
          record(5, { name: `${EVALUATE_TASK_NAME} ` }),
        ],
        spans: spans([
          [1, 100, 110, 'task', 2],
          [2, 105, 120, 'task', 3],
          [3, 106, 107, '', 0],
        ]),
        edges: [
          ['parent', 1, 4, 20],
          ['parent', 2, 3, 30],
          ['await', 1, 2, 110],
        ],
        paused: {
          threadId: 1,
          running: 2,
          tasks: [
            { id: 1, activity: 'awaiting', threadId: 1_000_001 },
            { id: 2, activity: 'running', threadId: 1_000_002 },
          ],
        },
      }),
    );
    model.stoppedOn(1);
    assert.deepStrictEqual(
      model.tasksBody().tasks.map((t) => [t.id, t.parent]),
      [
        [1, null],
        [3, null],
        [4, null],
        [5, null],
      ],
    );
    assert.strictEqual(model.task(2), undefined);
    assert.deepStrictEqual(model.taskThreadsOf(1), [1_000_001]);
    const timeline = model.timeline();
    assert.deepStrictEqual(timeline.spans.task, [1, 3]);
    assert.deepStrictEqual(timeline.edges, [['parent', 1, 4, 20]]);
    assert.deepStrictEqual(
      model.takeChanges()!.tasks.map((t) => t.id),
      [1, 3, 4, 5],
    );
    // A task shown before it took that name (set_name) goes, and says so.
    model.apply(body({ tasks: [record(4, { name: EVALUATE_TASK_NAME, state: 'ok', ended: 200 })] }));
    assert.deepStrictEqual(model.takeChanges()!.removed, [4]);
    assert.deepStrictEqual(
      model.tasksBody().tasks.map((t) => t.id),
      [1, 3, 5],
    );
  });

  it('forgets the oldest finished tasks beyond its retention and reports their ids', () => {
    const model = new TaskModel(2);
    model.apply(body({ tasks: [1, 2, 3, 4].map((id) => record(id)) }));
    model.takeChanges();
    model.apply(body({ tasks: [1, 2, 3].map((id) => record(id, { state: 'ok', ended: 500 + id })) }));
    const changed = model.takeChanges()!;
    assert.deepStrictEqual(changed.removed, [1]);
    assert.deepStrictEqual(
      changed.tasks.map((t) => t.id),
      [2, 3],
    );
    assert.deepStrictEqual(
      model.tasksBody(false).tasks.map((t) => t.id),
      [4],
    );
    assert.strictEqual(model.tasksBody().tasks.length, 3);
    assert.strictEqual(changed.seq + 1, model.takeChanges(true)!.seq);
  });

  it('answers timeline windows with the spans, tasks and edges inside them', () => {
    const model = new TaskModel();
    model.apply(
      body({
        tasks: [record(1, { created: 0 }), record(2, { created: 50, ended: 90, state: 'ok' })],
        spans: spans([
          [1, 0, 10, 'sleep', 7],
          [2, 50, 60, '', 0],
          [1, 200, 210, 'sleep', 8],
        ]),
        edges: [
          ['parent', 1, 2, 50],
          ['wake', 7, 1, 200],
        ],
      }),
    );
    const early = model.timeline({ from: 40, to: 100 });
    assert.deepStrictEqual(early.spans.task, [2]);
    assert.deepStrictEqual(
      early.tasks.map((t) => t.id),
      [1, 2],
    );
    assert.deepStrictEqual(early.edges, [['parent', 1, 2, 50]]);
    const late = model.timeline({ from: 150, taskIds: [1] });
    assert.deepStrictEqual(late.spans.start, [200]);
    assert.deepStrictEqual(late.spans.awaits_kind, ['sleep']);
    assert.deepStrictEqual(
      late.tasks.map((t) => t.id),
      [1],
    );
  });

  it('keeps spans in growing columns and drops the oldest past its bound', () => {
    const store = new SpanStore(3000);
    for (let i = 0; i < 5; i++) {
      const rows: Array<[number, number, number, string, number]> = [];
      for (let j = 0; j < 1000; j++) {
        rows.push([1, i * 1000 + j, i * 1000 + j + 1, j % 2 ? 'queue' : 'sleep', 0]);
      }
      store.append(spans(rows));
    }
    assert.ok(store.length <= 3000);
    assert.strictEqual(store.length + store.dropped, 5000);
    const all = store.query(0, Number.MAX_SAFE_INTEGER);
    assert.strictEqual(all.start[all.start.length - 1], 4999);
    assert.strictEqual(all.awaits_kind[all.awaits_kind.length - 1], 'queue');
  });

  it("keeps each step's line through growth and drops; an agent that sends none gives 0", () => {
    const store = new SpanStore(3000);
    for (let i = 0; i < 5; i++) {
      const rows: Array<[number, number, number, string, number]> = [];
      for (let j = 0; j < 1000; j++) rows.push([1, i * 1000 + j, i * 1000 + j + 1, 'queue', 0]);
      store.append({ ...spans(rows), line: rows.map((r) => 100 + (r[1] % 50)) });
    }
    store.append(spans([[2, 6000, 6001, 'sleep', 0]]));
    const all = store.query(0, Number.MAX_SAFE_INTEGER);
    const n = all.task.length;
    assert.strictEqual(all.line!.length, n);
    for (let i = 0; i < n - 1; i++) assert.strictEqual(all.line![i], 100 + (all.start[i] % 50), `span ${i}`);
    assert.strictEqual(all.line![n - 1], 0);
    assert.deepStrictEqual(store.since(store.appended - 2).line, [100 + (4999 % 50), 0]);
  });

  it('hands a live view only the spans it has not seen, across drops', () => {
    const store = new SpanStore(3000);
    const batch = (from: number) => {
      const rows: Array<[number, number, number, string, number]> = [];
      for (let j = 0; j < 1000; j++) rows.push([1, from + j, from + j + 1, 'sleep', 0]);
      return spans(rows);
    };
    store.append(batch(0));
    assert.strictEqual(store.appended, 1000);
    assert.deepStrictEqual(store.since(990).start, [990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
    for (let i = 1; i < 5; i++) store.append(batch(i * 1000));
    assert.strictEqual(store.appended, 5000);
    // Some of what the view had not seen yet was dropped: it gets what is left, in order.
    const tail = store.since(1500);
    assert.strictEqual(tail.start[0], 5000 - store.length);
    assert.strictEqual(tail.start[tail.start.length - 1], 4999);
    assert.strictEqual(store.since(5000).start.length, 0);
  });
});

describe('task bridge', () => {
  it('batches tasksChanged while running and sends one at once on a stop', async () => {
    const sent: TasksChangedBody[] = [];
    let arrived: () => void = () => undefined;
    const stops: DebugProtocol.Event[] = [];
    const bridge = new TaskBridge((event) => {
      if (event.event === 'asyncio/tasksChanged') {
        sent.push(event.body);
        arrived();
      } else {
        stops.push(event);
      }
    });
    bridge.taskThreadEvents = true;
    bridge.onAgentTasks(body({ tasks: [record(1)] }));
    bridge.onAgentTasks(body({ tasks: [record(2)] }));
    assert.strictEqual(sent.length, 0, 'not sent synchronously');
    await new Promise<void>((resolve) => (arrived = resolve));
    assert.strictEqual(sent.length, 1, 'two deltas in one event');
    assert.deepStrictEqual(
      sent[0].tasks.map((t) => t.id),
      [1, 2],
    );
    bridge.onAgentTasks(
      body({ paused: { threadId: 1, running: 1, tasks: [{ id: 1, activity: 'running', threadId: 1_000_001 }] } }),
    );
    bridge.forwardStopped({ reason: 'breakpoint', threadId: 1 });
    assert.strictEqual(sent.length, 2, 'sent with the stop');
    assert.deepStrictEqual(
      stops.map((e) => [e.event, e.body.threadId]),
      [
        ['stopped', 1],
        ['stopped', 1_000_001],
      ],
    );
    bridge.onResumed(1);
    assert.deepStrictEqual(stops[2].event, 'continued');
    assert.deepStrictEqual(stops[2].body.threadId, 1_000_001);
    assert.strictEqual(sent[1].stopped, true);
    assert.strictEqual(sent[1].tasks[0].activity, 'running');
    bridge.onEnded();
    assert.strictEqual(sent[2].stopped, false);
    assert.strictEqual(sent[2].tasks[0].threadId, null);
    assert.strictEqual(sent[2].tasks[0].activity, 'ready');
    const after = (await bridge.request('asyncio/tasks', {}, undefined)) as { tasks: unknown[] };
    assert.strictEqual(after.tasks.length, 2, 'post-mortem queries still answer');
    await assert.rejects(bridge.request('asyncio/cancelTask', { taskId: 1 }, undefined), /ended/);
    bridge.dispose();
  });
});
