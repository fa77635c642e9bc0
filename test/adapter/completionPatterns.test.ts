/**
 * Completion breakpoints by pattern: function breakpoints `done:`/`result:`/`exception:`/`cancelled:`
 * followed by a glob on task names or coroutines, with conditions, hit counts and the option to stop
 * where the awaiter resumes, on every interpreter.
 */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { TestSession, useSession } from './support/session';

const APP = fixture('completion_patterns.py');
const OUTPUT = "late 9\nresults [100, 'ValueError', 300] 7\n";

/** Launches with function breakpoints set before the program starts; returns the first stop. */
async function launchWith(
  s: TestSession,
  functionBreakpoints: DebugProtocol.FunctionBreakpoint[],
  extra: Record<string, unknown> = {},
): Promise<DebugProtocol.StoppedEvent> {
  return s.stopAfter(() => s.launch({ program: APP, ...extra }, { functionBreakpoints }));
}

async function continueToStop(s: TestSession, threadId: number) {
  const stopped = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
  return { stopped, top: await s.topFrame(stopped.body.threadId!) };
}

async function finish(s: TestSession, threadId: number): Promise<void> {
  await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
  assert.strictEqual(s.exitCode(), 0);
  assert.strictEqual(s.outputText('stdout'), OUTPUT);
}

function suite(python: Interpreter): void {
  const session = useSession(python);

  it('answers pattern breakpoints with what they stop on, and rejects bad ones clearly', async () => {
    const s = session();
    const stopped = await launchWith(s, [
      { name: 'exception:fetch-*' },
      { name: 'main' },
      { name: 'finished:fetch-*' },
      { name: 'done:' },
      { name: 'result:Crawler.fetch', condition: 'result >' },
      { name: 'done:nothing-matches-*' },
    ]);
    const body = s.setFunctionBreakpointsResponse!.body.breakpoints;
    assert.deepStrictEqual(
      body.map((bp) => [bp.verified, bp.message]),
      [
        [true, 'Stops when a task matching fetch-* ends with an exception.'],
        [true, undefined],
        [false, "Unknown prefix 'finished:': use done:, result:, exception: or cancelled: followed by a glob."],
        [false, 'done: needs a glob without spaces that matches task names or coroutines, e.g. done:fetch-*'],
        [false, 'Invalid condition: invalid syntax'],
        [true, 'Stops when a task matching nothing-matches-* ends.'],
      ],
    );
    // The plain function breakpoint `main` still stops where main() starts.
    assert.strictEqual(stopped.body.reason, 'function breakpoint');
    assert.strictEqual((await s.topFrame(stopped.body.threadId!)).name, 'main');
    const next = await continueToStop(s, stopped.body.threadId!);
    assert.strictEqual(next.stopped.body.description, 'Task fetch-2 failed: ValueError: boom');
    assert.deepStrictEqual(next.stopped.body.hitBreakpointIds, [body[0].id]);
    await finish(s, stopped.body.threadId!);
  });

  it('stops on the first task when the pattern is set before launch (done:, task name)', async () => {
    const s = session();
    const stopped = await launchWith(s, [{ name: 'done:first' }]);
    const id = s.setFunctionBreakpointsResponse!.body.breakpoints[0].id;
    assert.strictEqual(stopped.body.reason, 'function breakpoint');
    assert.strictEqual(stopped.body.description, 'Task first finished: result 7');
    assert.deepStrictEqual(stopped.body.hitBreakpointIds, [id]);
    const top = await s.topFrame(stopped.body.threadId!);
    assert.deepStrictEqual([top.name, top.line], ['worker', markerLine(APP, 'worker_return')]);
    await finish(s, stopped.body.threadId!);
  });

  it('filters by outcome: exception: on a name glob, cancelled: on module.qualname', async () => {
    const s = session();
    let stopped = await launchWith(s, [{ name: 'exception:fetch-*' }, { name: 'cancelled:__main__.sleep*' }]);
    const threadId = stopped.body.threadId!;
    assert.strictEqual(stopped.body.description, 'Task fetch-2 failed: ValueError: boom');
    let top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['Crawler.fetch', markerLine(APP, 'crawler_raise')]);
    ({ stopped, top } = await continueToStop(s, threadId));
    assert.match(stopped.body.description!, /^Task slow cancelled by Task Task-\d+$/);
    assert.deepStrictEqual([top.name, top.line], ['sleeper', markerLine(APP, 'parked')]);
    await finish(s, threadId);
  });

  it('honours a condition with `result` and `task` bound, on a coroutine glob', async () => {
    const s = session();
    const stopped = await launchWith(s, [
      { name: 'result:Crawler.fetch', condition: 'result > 100 and task.get_name() != "nope" and n == 3' },
    ]);
    const threadId = stopped.body.threadId!;
    assert.strictEqual(stopped.body.description, 'Task fetch-3 finished: result 300');
    const top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['Crawler.fetch', markerLine(APP, 'crawler_return')]);
    await finish(s, threadId);
  });

  it('honours a hit count', async () => {
    const s = session();
    const stopped = await launchWith(s, [{ name: 'result:fetch-*', hitCondition: '2' }]);
    assert.strictEqual(stopped.body.description, 'Task fetch-3 finished: result 300');
    await finish(s, stopped.body.threadId!);
  });

  it('never stops for a pattern nothing matches', async () => {
    const s = session();
    await Promise.all([
      s.waitForTerminated(),
      s.launch({ program: APP }, { functionBreakpoints: [{ name: 'done:nothing-*' }, { name: 'exception:late' }] }),
    ]);
    assert.strictEqual(s.exitCode(), 0);
    assert.strictEqual(s.outputText('stdout'), OUTPUT);
    assert.ok(!s.events.some((e) => e.event === 'stopped'));
  });

  it('matches tasks created before the pattern was set', async () => {
    const s = session();
    const created = await s.stopAfter(() =>
      s.launch({ program: APP }, { breakpoints: [{ path: APP, breakpoints: [{ line: markerLine(APP, 'created') }] }] }),
    );
    const threadId = created.body.threadId!;
    const set = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'done:late' }] });
    assert.ok(set.body.breakpoints[0].verified);
    const { stopped, top } = await continueToStop(s, threadId);
    assert.strictEqual(stopped.body.description, 'Task late finished: result 9');
    assert.deepStrictEqual([top.name, top.line], ['later', markerLine(APP, 'later_return')]);
    await finish(s, threadId);
  });

  it('stops once for a data breakpoint and a pattern on the same task; a replaced pattern is gone', async () => {
    const s = session();
    const created = await s.stopAfter(() =>
      s.launch({ program: APP }, { breakpoints: [{ path: APP, breakpoints: [{ line: markerLine(APP, 'created') }] }] }),
    );
    const threadId = created.body.threadId!;
    const frame = await s.topFrame(threadId);
    const info = await s.dc.dataBreakpointInfoRequest({ frameId: frame.id, name: 'late' });
    const data = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
    const replaced = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'exception:fetch-*' }] });
    assert.ok(replaced.body.breakpoints[0].verified);
    const set = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'done:late' }] });
    const { stopped, top } = await continueToStop(s, threadId);
    assert.strictEqual(stopped.body.reason, 'data breakpoint');
    assert.strictEqual(stopped.body.description, 'Task late finished: result 9');
    assert.deepStrictEqual(stopped.body.hitBreakpointIds, [data.body.breakpoints[0].id, set.body.breakpoints[0].id]);
    assert.strictEqual(top.line, markerLine(APP, 'later_return'));
    await finish(s, threadId);
    assert.strictEqual(s.events.filter((e) => e.event === 'stopped').length, 2);
  });

  it('says so when task tracking is off', async () => {
    const s = session();
    await Promise.all([
      s.waitForTerminated(),
      s.launch({ program: APP, trackTasks: false }, { functionBreakpoints: [{ name: 'done:first' }] }),
    ]);
    const [bp] = s.setFunctionBreakpointsResponse!.body.breakpoints;
    assert.deepStrictEqual(
      [bp.verified, bp.message],
      [false, 'Completion breakpoints need task tracking (the launch attribute trackTasks).'],
    );
  });

  it('with completionStopAt "awaiter", stops where the awaiting task resumes', async () => {
    const s = session();
    const stopped = await launchWith(s, [{ name: 'done:late' }], { completionStopAt: 'awaiter' });
    assert.strictEqual(stopped.body.reason, 'function breakpoint');
    assert.strictEqual(stopped.body.description, 'Task late finished: result 9');
    const top = await s.topFrame(stopped.body.threadId!);
    assert.deepStrictEqual([top.name, top.line], ['main', markerLine(APP, 'after_late')]);
    assert.strictEqual((await s.variables(top.id)).get('value')?.value, '9');
    await finish(s, stopped.body.threadId!);
  });

  it('with completionStopAt "awaiter" and nothing awaiting, stops where it completed and says so', async () => {
    const s = session();
    const stopped = await launchWith(s, [{ name: 'done:first' }], { completionStopAt: 'awaiter' });
    assert.strictEqual(
      stopped.body.description,
      'Task first finished: result 7 (nothing awaits it: stopped where it completed)',
    );
    const top = await s.topFrame(stopped.body.threadId!);
    assert.strictEqual(top.line, markerLine(APP, 'worker_return'));
    await finish(s, stopped.body.threadId!);
  });
}

for (const python of INTERPRETERS) {
  describe(`completion breakpoints by pattern (Python ${python.version})`, () => suite(python));
}
