/** `await` in the Debug Console (and watch, when enabled) runs on the paused program's own event loop. */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
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

    it('explains how to turn await on in watch expressions', async () => {
      const s = session();
      const { threadId, frameId } = await stopInMain(s);
      assert.match(await evaluateError(s, frameId, 'await asyncio.sleep(0)', 'watch'), /"awaitInWatch": true/);
      await continueToEnd(s, threadId);
    });
  });
}
