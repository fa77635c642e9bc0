/**
 * `"trackTasks": "lifecycle"`: tasks created and finished, without per-step records. The task
 * tree still has every task with its state and parent, the task threads at a stop their await
 * stacks (read from the live tasks); the timeline has lanes but no spans.
 */
import * as assert from 'assert';
import { TASK_THREAD_BASE } from '../../src/shared/agentProtocol';
import type { TimelineResponseBody } from '../../src/shared/dapCustom';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { TestSession, useSession } from './support/session';
import { allTasks, named } from './support/taskQueries';

const PIPELINE = fixture('live_pipeline.py');
const CANCEL = fixture('live_cancel.py');
const FILTERS = fixture('completion_filters.py');
const PATTERNS = fixture('completion_patterns.py');

function minor(python: Interpreter): number {
  return Number(python.version.split('.')[1]);
}

async function stopAt(s: TestSession, file: string, marker: string) {
  return s.stopAfter(() =>
    s.launch(
      { program: file, trackTasks: 'lifecycle' },
      { breakpoints: [{ path: file, breakpoints: [{ line: markerLine(file, marker) }] }] },
    ),
  );
}

async function finish(s: TestSession, threadId: number): Promise<void> {
  await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
}

function suite(python: Interpreter): void {
  const session = useSession(python);

  it('lists tasks with states, parents and task threads, and no timeline spans', async () => {
    const s = session();
    const marker = minor(python) >= 11 ? 'parked' : 'parked_310';
    const stopped = await stopAt(s, PIPELINE, marker);
    const line = (m: string) => markerLine(PIPELINE, m);

    const threads = (await s.dc.threadsRequest()).body.threads;
    const worker = threads.find((t) => t.id >= TASK_THREAD_BASE && t.name.startsWith('Task worker-0 · worker()'));
    assert.ok(worker, `no worker-0 task thread in ${threads.map((t) => t.name).join(', ')}`);
    const frames = (await s.dc.stackTraceRequest({ threadId: worker.id, startFrame: 0, levels: 50 })).body.stackFrames;
    assert.deepStrictEqual(
      frames.filter((f) => f.source?.path === PIPELINE).map((f) => [f.name, f.line]),
      [
        ['leaf', line('leaf_wait')],
        ['middle', line('middle_await')],
        ['worker', line('worker_await')],
      ],
    );

    const all = await allTasks(s);
    const main = all.find((t) => t.coroutine === 'main')!;
    const w0 = named(all, 'worker-0');
    assert.strictEqual(main.state, 'pending');
    assert.strictEqual(main.activity, 'running');
    assert.strictEqual(w0.state, 'pending');
    assert.strictEqual(w0.parent, main.id);
    assert.strictEqual(w0.threadId, worker.id);
    assert.strictEqual(w0.activity, 'awaiting');
    const timeline = (await s.dc.customRequest('asyncio/timeline', {})).body as TimelineResponseBody;
    assert.ok(
      timeline.tasks.some((t) => t.id === w0.id),
      'the worker has a lane',
    );
    assert.strictEqual(timeline.spans.task.length, 0);

    await finish(s, stopped.body.threadId!);
    assert.strictEqual(s.exitCode(), 0);
    const after = await allTasks(s);
    assert.strictEqual(named(after, 'worker-0').state, 'ok');
    assert.strictEqual(named(after, 'worker-1').state, 'ok');
    assert.strictEqual(after.find((t) => t.coroutine === 'main')!.state, 'ok');
  });

  it('shows cancelled and finished tasks', async () => {
    const s = session();
    const stopped = await stopAt(s, CANCEL, 'sleeping');
    const all = await allTasks(s);
    const main = all.find((t) => t.coroutine === 'main')!;
    assert.strictEqual(named(all, 'victim').state, 'cancelled');
    assert.strictEqual(named(all, 'victim').parent, main.id);
    assert.strictEqual(named(all, 'canceller').state, 'ok');
    const sleeper = named(all, 'sleeper');
    assert.strictEqual(sleeper.state, 'pending');
    await s.dc.customRequest('asyncio/cancelTask', { taskId: sleeper.id });
    await finish(s, stopped.body.threadId!);
    assert.match(s.outputText('stdout'), /sleeper cancelled/);
    assert.strictEqual(named(await allTasks(s), 'sleeper').state, 'cancelled');
  });

  it('stops for completion patterns as with steps (they carry their own done callbacks)', async () => {
    const s = session();
    const stopped = await s.stopAfter(() =>
      s.launch(
        { program: PATTERNS, trackTasks: 'lifecycle' },
        { functionBreakpoints: [{ name: 'exception:fetch-*' }, { name: 'cancelled:__main__.sleep*' }] },
      ),
    );
    const threadId = stopped.body.threadId!;
    assert.strictEqual(stopped.body.description, 'Task fetch-2 failed: ValueError: boom');
    let top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['Crawler.fetch', markerLine(PATTERNS, 'crawler_raise')]);
    const next = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
    assert.match(next.body.description!, /^Task slow cancelled by Task Task-\d+$/);
    top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['sleeper', markerLine(PATTERNS, 'parked')]);
    await finish(s, threadId);
    assert.strictEqual(s.exitCode(), 0);
  });

  it('taskException stops where the task raised; taskCancelled says where cancel() was called needs steps', async () => {
    const s = session();
    const first = await s.stopAfter(() =>
      s.launch({ program: FILTERS, trackTasks: 'lifecycle' }, { exceptionFilters: ['taskException', 'taskCancelled'] }),
    );
    const threadId = first.body.threadId!;
    assert.strictEqual(first.body.description, 'Task bad failed: ValueError: boom');
    const top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['failing', markerLine(FILTERS, 'raise')]);
    const second = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
    assert.strictEqual(second.body.reason, 'exception');
    assert.strictEqual(
      second.body.description,
      'Task slow cancelled (where cancel() was called needs "trackTasks": "steps")',
    );
    await finish(s, threadId);
    assert.strictEqual(s.exitCode(), 0);
  });

  it('refuses an unknown level with a clear message', async () => {
    const s = session();
    await assert.rejects(s.launch({ program: PIPELINE, trackTasks: 'everything' }), {
      message: '"trackTasks" must be true, false, "steps" or "lifecycle" (got "everything"); fix it in launch.json.',
    });
  });
}

for (const python of INTERPRETERS) {
  describe(`lifecycle task tracking (Python ${python.version})`, () => suite(python));
}
