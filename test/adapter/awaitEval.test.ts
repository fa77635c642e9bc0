/** `await` in the Debug Console (and watch, when enabled) runs on the paused program's own event loop. */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EVALUATE_TASK_NAME } from '../../src/shared/agentProtocol';
import type { TasksResponseBody, TimelineResponseBody } from '../../src/shared/dapCustom';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS } from './support/pythons';
import { TestSession, useSession } from './support/session';

const APP = fixture('await_console.py');
const line = (marker: string) => markerLine(APP, marker);

/** Launches await_console.py stopped in main(); returns its thread and top frame. */
async function stopInMain(
  s: TestSession,
  extra: Record<string, unknown> = {},
  lines: DebugProtocol.SourceBreakpoint[] = [],
): Promise<{ threadId: number; frameId: number }> {
  const stopped = await s.stopAfter(() =>
    s.launch(
      { program: APP, ...extra },
      { breakpoints: [{ path: APP, breakpoints: [{ line: line('stop') }, ...lines] }] },
    ),
  );
  const threadId = stopped.body.threadId!;
  const top = await s.topFrame(threadId);
  assert.strictEqual(top.line, line('stop'));
  return { threadId, frameId: top.id };
}

async function evaluate(s: TestSession, frameId: number, expression: string, context = 'repl'): Promise<string> {
  const response = await s.dc.evaluateRequest({ expression, frameId, context });
  return response.body.result;
}

async function evaluateError(s: TestSession, frameId: number, expression: string, context = 'repl'): Promise<string> {
  try {
    await s.dc.evaluateRequest({ expression, frameId, context });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`evaluating ${expression} succeeded`);
}

async function continueToEnd(s: TestSession, threadId: number): Promise<string> {
  await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
  assert.strictEqual(s.exitCode(), 0);
  return s.outputText('stdout');
}

for (const python of INTERPRETERS) {
  describe(`await in the Debug Console (Python ${python.version})`, () => {
    const session = useSession(python);

    it('awaits a sleep, a queue, a stream and an assignment, with the other task paused', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s);
      assert.strictEqual(await evaluate(s, frameId, 'await asyncio.sleep(0.1)'), 'None');
      assert.strictEqual(await evaluate(s, frameId, '(fut.done(), producer.done())'), '(False, False)');
      assert.strictEqual(await evaluate(s, frameId, 'notes'), '[]');
      assert.strictEqual(await evaluate(s, frameId, 'await drain(queue)'), '[0, 1, 2]');
      assert.strictEqual(await evaluate(s, frameId, "await echo(port, 'over a stream')"), "'echo over a stream'");
      await evaluate(s, frameId, 'total = await gathered()');
      assert.strictEqual(await evaluate(s, frameId, 'total'), '3');
      assert.match(
        await continueToEnd(s, threadId),
        /fut from producer 1\nqueue left 0\nnotes \['ready callback', 'timer'\]\ndone\n/,
      );
    });

    it('times out on a future only a paused task resolves, then the program runs on', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s, { awaitTimeout: 0.5 });
      const message = await evaluateError(s, frameId, 'await fut');
      assert.match(message, /await did not complete in 0\.5 s/);
      assert.match(message, /awaitRunsOtherTasks/);
      assert.match(
        await continueToEnd(s, threadId),
        /fut from producer 1\nqueue left 3\nnotes \['ready callback', 'timer'\]\ndone\n/,
      );
      assert.doesNotMatch(s.outputText('stderr'), /Traceback|never retrieved/);
    });

    it('lets other tasks run with awaitRunsOtherTasks', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s, { awaitRunsOtherTasks: true });
      assert.strictEqual(await evaluate(s, frameId, 'await fut'), "'from producer'");
      assert.match(await continueToEnd(s, threadId), /fut from producer 1\n/);
    });

    it('shows an exception raised by the awaited coroutine', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s);
      assert.strictEqual(await evaluateError(s, frameId, 'await fails()'), 'ValueError: awaited failure');
      await continueToEnd(s, threadId);
    });

    it('does not stop at breakpoints inside the awaited code; held callbacks stop after it', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s, {}, [{ line: line('in_drain') }, { line: line('in_note') }]);
      assert.strictEqual(await evaluate(s, frameId, 'await drain(queue)'), '[0, 1, 2]');
      assert.strictEqual(s.events.filter((e) => e.event === 'stopped').length, 1);
      const stopped = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
      assert.strictEqual(stopped.body.reason, 'breakpoint');
      assert.strictEqual((await s.topFrame(stopped.body.threadId!)).line, line('in_note'));
      await s.dc.setBreakpointsRequest({ source: { path: APP }, breakpoints: [] });
      assert.match(await continueToEnd(s, stopped.body.threadId!), /queue left 0\n/);
    });

    it('awaits in watch expressions only with awaitInWatch, never on hover', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s, { awaitInWatch: true });
      assert.strictEqual(await evaluate(s, frameId, 'await asyncio.sleep(0, result=7)', 'watch'), '7');
      assert.match(await evaluateError(s, frameId, 'await asyncio.sleep(0)', 'hover'), /await is evaluated only/);
      await continueToEnd(s, threadId);
    });

    it("keeps the evaluation's own task out of the tasks and the timeline, not the tasks it made", async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s, {}, [{ line: line('end') }]);
      assert.strictEqual(await evaluate(s, frameId, 'await gathered()'), '3');
      // A task of the program named like the debugger's (here made from the console) stays.
      const similar = "await asyncio.create_task(asyncio.sleep(0, result=5), name='asyncio-debugger: evaluate')";
      assert.strictEqual(await evaluate(s, frameId, similar), '5');
      const stopped = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
      assert.strictEqual((await s.topFrame(stopped.body.threadId!)).line, line('end'));
      const tasks = ((await s.dc.customRequest('asyncio/tasks', { includeFinished: true })).body as TasksResponseBody)
        .tasks;
      const timeline = (await s.dc.customRequest('asyncio/timeline', {})).body as TimelineResponseBody;
      for (const listed of [tasks, timeline.tasks]) {
        const names = listed.map((t) => t.name);
        assert.ok(!names.includes(EVALUATE_TASK_NAME), names.join(', '));
        assert.strictEqual(names.filter((n) => n === 'asyncio-debugger: evaluate').length, 1, names.join(', '));
        // gather's two tasks, made by the evaluation, hang at the top (their parent is not shown).
        const made = listed.filter((t) => t.coroutine.endsWith('sleep') && t.name !== 'asyncio-debugger: evaluate');
        assert.strictEqual(made.length, 2, names.join(', '));
        assert.deepStrictEqual(
          made.map((t) => t.parent),
          [null, null],
        );
      }
      const known = new Set(tasks.map((t) => t.id));
      assert.ok(timeline.spans.task.length > 0);
      assert.deepStrictEqual(
        timeline.spans.task.filter((id) => !known.has(id)),
        [],
        'no spans of a task not shown',
      );
      assert.deepStrictEqual(
        timeline.edges.filter((e) => e[0] === 'parent' && (!known.has(e[1]) || !known.has(e[2]))),
        [],
        'no parent edges to a task not shown (await and wake edges may point to futures)',
      );
      const threadNames = (await s.dc.threadsRequest()).body.threads.map((t) => t.name);
      assert.ok(!threadNames.some((n) => n.includes(EVALUATE_TASK_NAME)), threadNames.join(', '));
      assert.match(await continueToEnd(s, stopped.body.threadId!), /done\n/);
    });

    it('lists no task thread for an evaluation a timeout left running', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s, { awaitTimeout: 0.2 }, [{ line: line('in_note') }]);
      const stubborn = 'try:\n    await fut\nexcept asyncio.CancelledError:\n    await fut';
      assert.match(await evaluateError(s, frameId, stubborn), /has not finished/);
      // The held callback stops first; the evaluation still waits for the producer then.
      const stopped = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
      assert.strictEqual((await s.topFrame(stopped.body.threadId!)).line, line('in_note'));
      const threadNames = (await s.dc.threadsRequest()).body.threads.map((t) => t.name);
      assert.ok(threadNames.length > 1, threadNames.join(', '));
      assert.ok(!threadNames.some((n) => n.includes(EVALUATE_TASK_NAME)), threadNames.join(', '));
      const tasks = ((await s.dc.customRequest('asyncio/tasks', {})).body as TasksResponseBody).tasks;
      assert.ok(!tasks.some((t) => t.name === EVALUATE_TASK_NAME));
      await s.dc.setBreakpointsRequest({ source: { path: APP }, breakpoints: [] });
      assert.match(await continueToEnd(s, stopped.body.threadId!), /done\n/);
    });

    it('explains how to turn await on in watch expressions', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s);
      assert.match(await evaluateError(s, frameId, 'await asyncio.sleep(0)', 'watch'), /"awaitInWatch": true/);
      await continueToEnd(s, threadId);
    });
  });
}
