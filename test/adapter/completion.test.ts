/**
 * Breakpoints on completion through DAP: data breakpoints on variables holding a Future or Task,
 * Break When Done (`asyncio/breakWhenDone`), on every interpreter.
 */
import * as assert from 'assert';
import type { TaskInfo, TasksResponseBody } from '../../src/shared/dapCustom';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { TestSession, useSession } from './support/session';

const APP = fixture('completion_app.py');
const FILTERS = fixture('completion_filters.py');
const NEVER_RETRIEVED = fixture('never_retrieved.py');

/** Runs the fixture to its `breakpoint()` call, where every future and task is still pending. */
async function stopAtArmed(s: TestSession, exceptionFilters: string[] = []): Promise<number> {
  const stopped = await s.stopAfter(() => s.launch({ program: APP }, { exceptionFilters }));
  assert.strictEqual(stopped.body.description, 'breakpoint()');
  return stopped.body.threadId!;
}

async function localsRef(s: TestSession, threadId: number): Promise<number> {
  const frame = await s.topFrame(threadId);
  const scopes = await s.dc.scopesRequest({ frameId: frame.id });
  return scopes.body.scopes.find((scope) => scope.name === 'Locals')!.variablesReference;
}

async function continueToStop(s: TestSession, threadId: number) {
  const stopped = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
  return { stopped, top: await s.topFrame(threadId) };
}

async function finish(s: TestSession, threadId: number): Promise<void> {
  await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
  assert.strictEqual(s.exitCode(), 0);
}

function suite(python: Interpreter): void {
  const session = useSession(python);

  it('advertises data breakpoints and the task filters, off by default', async () => {
    const s = session();
    const response = await s.dc.initializeRequest({ adapterID: 'asyncio', pathFormat: 'path' });
    assert.strictEqual(response.body?.supportsDataBreakpoints, true);
    const filters = response.body?.exceptionBreakpointFilters ?? [];
    for (const [id, label] of [
      ['taskException', 'Exception raised inside a task'],
      ['taskCancelled', 'Task cancelled'],
      ['taskNeverRetrieved', 'Task exception never retrieved'],
    ]) {
      const filter = filters.find((f) => f.filter === id);
      assert.strictEqual(filter?.label, label);
      assert.strictEqual(filter?.default, false);
    }
  });

  it('stops where a future is resolved, then where tasks fail and finish', async () => {
    const s = session();
    const threadId = await stopAtArmed(s);
    const ref = await localsRef(s, threadId);
    const infos = await Promise.all(
      ['fut', 'bad', 'fetcher'].map((name) => s.dc.dataBreakpointInfoRequest({ variablesReference: ref, name })),
    );
    assert.strictEqual(infos[0].body.description, 'Break when fut completes');
    assert.strictEqual(infos[0].body.accessTypes, undefined);
    const set = await s.dc.setDataBreakpointsRequest({
      breakpoints: infos.map((info) => ({ dataId: info.body.dataId! })),
    });
    const ids = set.body.breakpoints.map((bp) => bp.id);
    assert.ok(set.body.breakpoints.every((bp) => bp.verified));

    let { stopped, top } = await continueToStop(s, threadId);
    assert.strictEqual(stopped.body.reason, 'data breakpoint');
    assert.strictEqual(stopped.body.description, 'Future fut finished: result 200');
    assert.deepStrictEqual(stopped.body.hitBreakpointIds, [ids[0]]);
    assert.deepStrictEqual([top.name, top.line], ['resolver', markerLine(APP, 'resolve')]);

    ({ stopped, top } = await continueToStop(s, threadId));
    assert.strictEqual(stopped.body.description, 'Task bad failed: ValueError: boom');
    assert.deepStrictEqual(stopped.body.hitBreakpointIds, [ids[1]]);
    assert.deepStrictEqual([top.name, top.line], ['failing', markerLine(APP, 'raise')]);

    ({ stopped, top } = await continueToStop(s, threadId));
    assert.strictEqual(stopped.body.description, 'Task fetch-3 finished: result 200');
    assert.deepStrictEqual([top.name, top.line], ['fetch', markerLine(APP, 'fetch_return')]);
    assert.strictEqual((await s.variables(top.id)).get('value')?.value, '5');
    await finish(s, threadId);
  });

  it('stops when a cancelled task finishes, naming who cancelled it', async () => {
    const s = session();
    const threadId = await stopAtArmed(s);
    const info = await s.dc.dataBreakpointInfoRequest({
      variablesReference: await localsRef(s, threadId),
      name: 'slow',
    });
    await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
    const { stopped, top } = await continueToStop(s, threadId);
    assert.match(stopped.body.description ?? '', /^Task slow cancelled by Task Task-\d+$/);
    assert.deepStrictEqual([top.name, top.line], ['sleeper', markerLine(APP, 'parked')]);
    await finish(s, threadId);
  });

  it('answers a null dataId with the reason for a variable that is not a future', async () => {
    const s = session();
    const threadId = await stopAtArmed(s);
    const info = await s.dc.dataBreakpointInfoRequest({
      variablesReference: await localsRef(s, threadId),
      name: 'count',
    });
    assert.strictEqual(info.body.dataId, null);
    assert.strictEqual(info.body.description, 'Only asyncio futures and tasks can break on completion.');
    await finish(s, threadId);
  });

  it('taskException stops where the task raised; taskCancelled where cancel() was called', async () => {
    const s = session();
    const first = await s.stopAfter(() =>
      s.launch({ program: FILTERS }, { exceptionFilters: ['taskException', 'taskCancelled'] }),
    );
    const threadId = first.body.threadId!;
    assert.strictEqual(first.body.reason, 'exception');
    assert.strictEqual(first.body.description, 'Task bad failed: ValueError: boom');
    let top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['failing', markerLine(FILTERS, 'raise')]);
    const info = await s.dc.exceptionInfoRequest({ threadId });
    assert.strictEqual(info.body.exceptionId, 'ValueError');

    const second = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
    assert.strictEqual(second.body.reason, 'exception');
    assert.match(second.body.description ?? '', /^Task slow cancelled by Task Task-\d+$/);
    top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['main', markerLine(FILTERS, 'cancel')]);
    await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
    assert.strictEqual(s.exitCode(), 0);
    assert.match(s.outputText('stdout'), /done/);
  });

  it('breaks when a task from the task model is done (asyncio/breakWhenDone)', async () => {
    const s = session();
    const threadId = await stopAtArmed(s);
    const tasks = (await s.dc.customRequest('asyncio/tasks', { includeFinished: true })).body as TasksResponseBody;
    const fetcher = tasks.tasks.find((t: TaskInfo) => t.name === 'fetch-3');
    assert.ok(fetcher, `fetch-3 in ${tasks.tasks.map((t) => t.name).join(', ')}`);
    await s.dc.customRequest('asyncio/breakWhenDone', { taskId: fetcher.id });
    const { stopped, top } = await continueToStop(s, threadId);
    assert.strictEqual(stopped.body.reason, 'data breakpoint');
    assert.strictEqual(stopped.body.description, 'Task fetch-3 finished: result 200');
    assert.strictEqual(top.line, markerLine(APP, 'fetch_return'));
    await assert.rejects(s.dc.customRequest('asyncio/breakWhenDone', { taskId: fetcher.id }), /not pending/);
    await finish(s, threadId);
  });

  it('stops where asyncio reports a task exception that was never retrieved (taskNeverRetrieved)', async () => {
    const s = session();
    const stopped = await s.stopAfter(() =>
      s.launch({ program: NEVER_RETRIEVED }, { exceptionFilters: ['taskNeverRetrieved'] }),
    );
    const threadId = stopped.body.threadId!;
    assert.strictEqual(stopped.body.reason, 'exception');
    assert.strictEqual(stopped.body.description, "Task orphan exception was never retrieved: KeyError: 'gone'");
    // The report comes from the finalizer, run where the last reference went away.
    const trace = await s.dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
    const main = trace.body.stackFrames.find((frame) => frame.name === 'main');
    assert.ok(main && main.line >= markerLine(NEVER_RETRIEVED, 'drop'), JSON.stringify(trace.body.stackFrames));
    const info = await s.dc.exceptionInfoRequest({ threadId });
    assert.strictEqual(info.body.exceptionId, 'KeyError');
    await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
    assert.strictEqual(s.exitCode(), 0);
    assert.strictEqual(s.outputText('stdout'), 'done\n');
    assert.strictEqual(s.events.filter((e) => e.event === 'stopped').length, 1);
  });

  it('with completionStopAt "awaiter", a data breakpoint stops where the awaiting task resumes', async () => {
    const s = session();
    const stopped = await s.stopAfter(() => s.launch({ program: APP, completionStopAt: 'awaiter' }));
    const threadId = stopped.body.threadId!;
    const ref = await localsRef(s, threadId);
    const info = await s.dc.dataBreakpointInfoRequest({ variablesReference: ref, name: 'fut' });
    const set = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
    assert.ok(set.body.breakpoints[0].verified);
    const next = await continueToStop(s, threadId);
    assert.strictEqual(next.stopped.body.reason, 'data breakpoint');
    assert.strictEqual(next.stopped.body.description, 'Future fut finished: result 200');
    assert.deepStrictEqual([next.top.name, next.top.line], ['main', markerLine(APP, 'after_fut')]);
    await finish(s, threadId);
  });

  it('rejects an unknown completionStopAt clearly', async () => {
    const s = session();
    await assert.rejects(
      s.launch({ program: APP, completionStopAt: 'elsewhere' }),
      /completionStopAt must be "completer" or "awaiter", not 'elsewhere'/,
    );
  });
}

for (const python of INTERPRETERS) {
  describe(`completion breakpoints (Python ${python.version})`, () => suite(python));
}
