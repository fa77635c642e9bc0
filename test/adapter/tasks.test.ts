/**
 * Live tasks: asyncio tasks listed as threads while stopped (with their own stacks and
 * variables), the task model behind `asyncio/tasks` / `asyncio/timeline`, `asyncio/tasksChanged`
 * while running and on every stop, cancelTask and taskStacks.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TASK_THREAD_BASE } from '../../src/shared/agentProtocol';
import type { TasksChangedBody, TimelineResponseBody } from '../../src/shared/dapCustom';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { TestSession, useSession } from './support/session';
import { allTasks, named } from './support/taskQueries';

const PIPELINE = fixture('live_pipeline.py');
const GATHER = fixture('live_gather.py');
const CANCEL = fixture('live_cancel.py');
const EAGER = fixture('live_eager.py');
const THREAD_LOOP = fixture('live_thread_loop.py');
const UVLOOP = fixture('live_uvloop.py');
const DEBIAN_PYTHON = '/usr/bin/python3';

type Seen = Array<{ event: string; body: TasksChangedBody }>;

/** Records `stopped` and `asyncio/tasksChanged` in arrival order (attach before launch). */
function recordTaskEvents(s: TestSession): Seen {
  const seen: Seen = [];
  for (const name of ['stopped', 'asyncio/tasksChanged']) {
    s.dc.on(name, (event: DebugProtocol.Event) => seen.push({ event: name, body: event.body }));
  }
  return seen;
}

async function threads(s: TestSession): Promise<DebugProtocol.Thread[]> {
  return (await s.dc.threadsRequest()).body.threads;
}

function taskThread(all: DebugProtocol.Thread[], prefix: string): DebugProtocol.Thread {
  const found = all.find((t) => t.id >= TASK_THREAD_BASE && t.name.startsWith(prefix));
  assert.ok(found, `no task thread "${prefix}..." in ${all.map((t) => t.name).join(', ')}`);
  return found;
}

/** A thread's frames that come from `file`, innermost first. */
async function framesIn(s: TestSession, threadId: number, file: string): Promise<DebugProtocol.StackFrame[]> {
  const trace = await s.dc.stackTraceRequest({ threadId, startFrame: 0, levels: 50 });
  return trace.body.stackFrames.filter((f) => f.source?.path === file);
}

function minor(python: Interpreter): number {
  return Number(python.version.split('.')[1]);
}

async function stopAt(
  s: TestSession,
  file: string,
  marker: string,
  extra: Record<string, unknown> = {},
  initialize: Partial<DebugProtocol.InitializeRequestArguments> = {},
) {
  return s.stopAfter(() =>
    s.launch(
      { program: file, ...extra },
      { breakpoints: [{ path: file, breakpoints: [{ line: markerLine(file, marker) }] }], initialize },
    ),
  );
}

async function finish(s: TestSession, threadId: number): Promise<void> {
  await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
}

function suite(python: Interpreter): void {
  const session = useSession(python);

  it('lists parked tasks as threads with their await chains, variables and edges', async () => {
    const s = session();
    const seen = recordTaskEvents(s);
    const marker = minor(python) >= 11 ? 'parked' : 'parked_310';
    const stopped = await stopAt(s, PIPELINE, marker);
    const line = (m: string) => markerLine(PIPELINE, m);

    // Updates streamed while the program ran, and an exact one came right before the stop.
    const stopIndex = seen.findIndex((e) => e.event === 'stopped');
    assert.ok(
      seen.slice(0, stopIndex).some((e) => e.event === 'asyncio/tasksChanged' && !e.body.stopped),
      'a tasksChanged while running',
    );
    const beforeStop = seen[stopIndex - 1];
    assert.strictEqual(beforeStop?.event, 'asyncio/tasksChanged');
    assert.strictEqual(beforeStop.body.stopped, true);

    const list = await threads(s);
    assert.ok(list.some((t) => t.id === stopped.body.threadId && t.name === 'MainThread'));
    const mainTask = taskThread(list, 'Task Task-');
    assert.match(mainTask.name, / · main\(\)$/);
    const worker = taskThread(list, 'Task worker-0 · worker()');
    taskThread(list, 'Task worker-1 · worker()');

    const running = await framesIn(s, mainTask.id, PIPELINE);
    assert.deepStrictEqual(
      running.map((f) => [f.name, f.line]),
      [['main', line(marker)]],
    );
    const chain = await framesIn(s, worker.id, PIPELINE);
    assert.deepStrictEqual(
      chain.map((f) => [f.name, f.line]),
      [
        ['leaf', line('leaf_wait')],
        ['middle', line('middle_await')],
        ['worker', line('worker_await')],
      ],
    );
    const leafLocals = await s.variables(chain[0].id);
    assert.strictEqual(leafLocals.get('depth')?.value, '100');
    const item = await s.dc.evaluateRequest({ expression: 'item * 7', frameId: chain[2].id, context: 'watch' });
    assert.strictEqual(item.body.result, '0');

    const all = await allTasks(s);
    const main = all.find((t) => t.coroutine === 'main')!;
    const w0 = named(all, 'worker-0');
    assert.strictEqual(main.activity, 'running');
    assert.strictEqual(main.threadId, mainTask.id);
    assert.strictEqual(w0.parent, main.id);
    assert.strictEqual(w0.threadId, worker.id);
    assert.strictEqual(w0.activity, 'awaiting');
    assert.strictEqual(w0.awaits?.kind, 'event');
    if (minor(python) >= 11) {
      assert.ok(w0.group !== null, 'TaskGroup children carry their group');
    }

    await finish(s, stopped.body.threadId!);
    assert.strictEqual(s.exitCode(), 0);
    // The model outlives the program.
    const after = await allTasks(s);
    assert.strictEqual(named(after, 'worker-0').state, 'ok');
    assert.strictEqual(named(after, 'worker-0').threadId, null);
  });

  it('shows nested gathers as parent and await edges', async () => {
    const s = session();
    const stopped = await stopAt(s, GATHER, 'gathered');
    const all = await allTasks(s);
    const outer = named(all, 'outer');
    assert.strictEqual(outer.awaits?.kind, 'gather');
    const inners = all.filter((t) => t.coroutine === 'inner');
    const leaves = all.filter((t) => t.coroutine === 'leaf');
    assert.strictEqual(inners.length, 2);
    assert.strictEqual(leaves.length, 4);
    for (const inner of inners) {
      assert.strictEqual(inner.parent, outer.id);
      assert.strictEqual(inner.awaits?.kind, 'gather');
    }
    for (const leaf of leaves) {
      assert.ok(
        inners.some((i) => i.id === leaf.parent),
        `leaf ${leaf.id} has an inner parent`,
      );
      assert.strictEqual(leaf.awaits?.kind, 'event');
      assert.strictEqual(leaf.activity, 'awaiting');
    }
    const timeline = (await s.dc.customRequest('asyncio/timeline', {})).body as TimelineResponseBody;
    assert.ok(timeline.edges.some((e) => e[0] === 'parent' && e[1] === outer.id && e[2] === inners[0].id));
    assert.ok(timeline.edges.some((e) => e[0] === 'await' && e[1] === outer.id));
    assert.ok(timeline.spans.task.includes(outer.id));
    const leafThread = taskThread(await threads(s), `Task ${leaves[0].name} · leaf()`);
    const frames = await framesIn(s, leafThread.id, GATHER);
    assert.deepStrictEqual(
      frames.map((f) => [f.name, f.line]),
      [['leaf', markerLine(GATHER, 'leaf')]],
    );
    await finish(s, stopped.body.threadId!);
    assert.match(s.outputText('stdout'), /result \[\[0, 1\], \[10, 11\]\]/);
  });

  it('knows who cancelled a task, shows task stacks and cancels a task on request', async () => {
    const s = session();
    const stopped = await stopAt(s, CANCEL, 'sleeping');
    const all = await allTasks(s);
    const victim = named(all, 'victim');
    const canceller = named(all, 'canceller');
    assert.strictEqual(victim.state, 'cancelled');
    assert.strictEqual(victim.cancelledBy?.task, canceller.id);
    assert.strictEqual(victim.cancelledBy?.site?.line, markerLine(CANCEL, 'cancel_site'));

    const sleeper = named(all, 'sleeper');
    const stacks = (await s.dc.customRequest('asyncio/taskStacks', { taskId: sleeper.id })).body;
    assert.strictEqual(stacks.creation[0].function, 'main');
    assert.ok(stacks.awaiting.some((f: { function: string }) => f.function === 'sleeper'));

    const cancelled = await s.dc.customRequest('asyncio/cancelTask', { taskId: sleeper.id });
    assert.strictEqual(cancelled.body.deferred, true, 'the loop thread is stopped: cancelled on resume');
    await finish(s, stopped.body.threadId!);
    assert.match(s.outputText('stdout'), /sleeper cancelled/);
    assert.strictEqual(named(await allTasks(s), 'sleeper').state, 'cancelled');
    await assert.rejects(s.dc.customRequest('asyncio/cancelTask', { taskId: sleeper.id }), /ended/);
  });

  it('lists only the tasks of the stopped thread’s loop', async () => {
    const s = session();
    const stopped = await stopAt(s, THREAD_LOOP, 'thread_stop');
    assert.notStrictEqual(stopped.body.threadId, 1);
    const list = await threads(s);
    const child = taskThread(list, 'Task thread-child · thread_child()');
    taskThread(list, 'Task thread-waiter');
    assert.ok(!list.some((t) => t.name.includes('main-sleeper')), 'the running loop’s tasks are not threads');
    const running = taskThread(list, 'Task Task-');
    const frames = await framesIn(s, running.id, THREAD_LOOP);
    assert.strictEqual(frames[0].name, 'in_thread');
    const marker = await s.dc.evaluateRequest({ expression: 'local_marker', frameId: frames[0].id, context: 'watch' });
    assert.strictEqual(marker.body.result, "'in thread'");
    assert.deepStrictEqual(
      (await framesIn(s, child.id, THREAD_LOOP)).map((f) => f.name),
      ['thread_child'],
    );
    const all = await allTasks(s);
    const sleeper = named(all, 'main-sleeper');
    const threadChild = named(all, 'thread-child');
    assert.strictEqual(sleeper.threadId, null);
    assert.notStrictEqual(sleeper.thread, threadChild.thread);
    assert.notStrictEqual(sleeper.loop, threadChild.loop);
    await finish(s, stopped.body.threadId!);
    assert.strictEqual(s.exitCode(), 0);
  });

  it('tells VS Code that task threads stop and continue with their thread', async () => {
    const s = session();
    const continued: number[] = [];
    s.dc.on('continued', (e: DebugProtocol.Event) => continued.push(e.body.threadId));
    const stopped = await stopAt(s, GATHER, 'gathered', {}, { clientID: 'vscode' });
    const taskThreads = (await threads(s)).filter((t) => t.id >= TASK_THREAD_BASE).map((t) => t.id);
    assert.strictEqual(taskThreads.length, 8);
    const taskStops = await s.waitUntil('a stopped event per task thread', () => {
      const stops = s.events
        .filter((e) => e.event === 'stopped')
        .map((e) => e.body as DebugProtocol.StoppedEvent['body']);
      return stops.length > taskThreads.length ? stops : undefined;
    });
    assert.strictEqual(taskStops[0].threadId, stopped.body.threadId);
    assert.deepStrictEqual(
      taskStops
        .slice(1)
        .map((b) => b.threadId)
        .sort(),
      [...taskThreads].sort(),
    );
    assert.ok(taskStops.slice(1).every((b) => b.reason === 'task' && b.preserveFocusHint === true));
    await finish(s, stopped.body.threadId!);
    assert.deepStrictEqual([...continued].sort(), [...taskThreads].sort());
  });

  it('caps the task threads with maxTaskThreads', async () => {
    const s = session();
    const stopped = await stopAt(s, GATHER, 'gathered', { maxTaskThreads: 2 });
    const list = await threads(s);
    assert.strictEqual(list.filter((t) => t.id >= TASK_THREAD_BASE).length, 2);
    const listed = (await allTasks(s)).filter((t) => t.threadId !== null);
    assert.strictEqual(listed.length, 2);
    await finish(s, stopped.body.threadId!);
  });

  if (minor(python) >= 12) {
    it('tracks eager tasks', async () => {
      const s = session();
      const stopped = await stopAt(s, EAGER, 'created');
      const all = await allTasks(s);
      const done = named(all, 'eager-done');
      const suspended = named(all, 'eager-suspends');
      assert.strictEqual(done.state, 'ok');
      assert.strictEqual(done.eager, true);
      assert.strictEqual(suspended.state, 'pending');
      assert.strictEqual(suspended.eager, true);
      const thread = taskThread(await threads(s), 'Task eager-suspends · suspends()');
      assert.deepStrictEqual(
        (await framesIn(s, thread.id, EAGER)).map((f) => [f.name, f.line]),
        [['suspends', markerLine(EAGER, 'suspended')]],
      );
      await finish(s, stopped.body.threadId!);
      assert.match(s.outputText('stdout'), /sum 3/);
    });
  }
}

for (const python of INTERPRETERS) {
  describe(`live tasks (Python ${python.version})`, () => suite(python));
}

const hasUvloop = (() => {
  try {
    return (
      fs.existsSync(DEBIAN_PYTHON) &&
      require('child_process').spawnSync(DEBIAN_PYTHON, ['-c', 'import uvloop']).status === 0
    );
  } catch {
    return false;
  }
})();

if (hasUvloop) {
  describe('live tasks under uvloop (Debian python3)', () => {
    const session = useSession({ version: 'debian', executable: DEBIAN_PYTHON });

    it('lists uvloop tasks as threads with their stacks', async () => {
      const s = session();
      const stopped = await stopAt(s, UVLOOP, 'parked');
      const list = await threads(s);
      const uv = taskThread(list, 'Task uv-1 · leaf()');
      const frames = await framesIn(s, uv.id, UVLOOP);
      assert.deepStrictEqual(
        frames.map((f) => [f.name, f.line]),
        [['leaf', markerLine(UVLOOP, 'leaf')]],
      );
      assert.strictEqual((await s.variables(frames[0].id)).get('n')?.value, '1');
      const all = await allTasks(s);
      assert.strictEqual(named(all, 'uv-0').parent, all.find((t) => t.coroutine === 'main')!.id);
      await finish(s, stopped.body.threadId!);
      assert.match(s.outputText('stdout'), /sum 1/);
    });
  });
}
