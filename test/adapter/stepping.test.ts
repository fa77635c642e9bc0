/** Stepping (including over `await` and out of a coroutine), pause, and exception breakpoints. */
import * as assert from 'assert';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS } from './support/pythons';
import { TestSession, useSession } from './support/session';

const STEPPING = fixture('stepping.py');
const EXCEPTIONS = fixture('exceptions.py');
const line = (marker: string) => markerLine(STEPPING, marker);

/** Launches stepping.py stopped at a marker; returns the thread that stopped. */
async function stopAt(s: TestSession, marker: string): Promise<number> {
  const stopped = await s.stopAfter(() =>
    s.launch({ program: STEPPING }, { breakpoints: [{ path: STEPPING, breakpoints: [{ line: line(marker) }] }] }),
  );
  // Only that breakpoint: later steps must not stop at it again by accident.
  await s.dc.setBreakpointsRequest({ source: { path: STEPPING }, breakpoints: [] });
  return stopped.body.threadId!;
}

async function step(s: TestSession, kind: 'next' | 'stepIn' | 'stepOut', threadId: number): Promise<number> {
  const stopped = await s.stopAfter(() => s.dc.customRequest(kind, { threadId }));
  assert.strictEqual(stopped.body.reason, 'step');
  return (await s.topFrame(stopped.body.threadId!)).line;
}

for (const python of INTERPRETERS) {
  describe(`stepping (Python ${python.version})`, () => {
    const session = useSession(python);

    it('steps over a call', async () => {
      const s = session();
      const thread = await stopAt(s, 'call_inner');
      assert.strictEqual(await step(s, 'next', thread), line('after_inner'));
    });

    it('steps into a call and out again', async () => {
      const s = session();
      const thread = await stopAt(s, 'call_inner');
      assert.strictEqual(await step(s, 'stepIn', thread), line('inner_first'));
      const back = await step(s, 'stepOut', thread);
      assert.ok([line('call_inner'), line('after_inner')].includes(back), `stepped out to line ${back}`);
    });

    it('steps over an await to the next line of the same task while others run', async () => {
      const s = session();
      const thread = await stopAt(s, 'await');
      assert.strictEqual(await step(s, 'next', thread), line('after_await'));
      const top = await s.topFrame(thread);
      assert.strictEqual(top.name, 'worker');
    });

    it('steps out of a coroutine to its awaiter', async () => {
      const s = session();
      const thread = await stopAt(s, 'helper_first');
      const back = await step(s, 'stepOut', thread);
      assert.ok([line('call_helper'), line('after_helper')].includes(back), `stepped out to line ${back}`);
      assert.strictEqual((await s.topFrame(thread)).name, 'worker');
    });

    it('pauses a busy loop', async () => {
      const s = session();
      const busy = fixture('busy.py');
      await s.launch({ program: busy });
      await s.waitForOutput('spinning', 'stdout');
      const threads = await s.dc.threadsRequest();
      assert.ok(threads.body.threads.length >= 1);
      const threadId = threads.body.threads[0].id;
      const stopped = await s.stopAfter(() => s.dc.pauseRequest({ threadId }));
      assert.strictEqual(stopped.body.reason, 'pause');
      const top = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(top.name, 'spin');
      assert.ok([markerLine(busy, 'while'), markerLine(busy, 'spin')].includes(top.line), `paused at ${top.line}`);
      await Promise.all([s.waitForTerminated(), s.dc.terminateRequest({})]);
    });
  });

  describe(`exception breakpoints (Python ${python.version})`, () => {
    const session = useSession(python);

    it('stops on raised exceptions and describes them', async () => {
      const s = session();
      const stopped = await s.stopAfter(() => s.launch({ program: EXCEPTIONS }, { exceptionFilters: ['raised'] }));
      assert.strictEqual(stopped.body.reason, 'exception');
      const threadId = stopped.body.threadId!;
      assert.strictEqual((await s.topFrame(threadId)).line, markerLine(EXCEPTIONS, 'raise_caught'));
      const info = await s.dc.exceptionInfoRequest({ threadId });
      assert.match(info.body.exceptionId, /ValueError/);
      assert.match(info.body.description ?? '', /caught one/);
    });

    it('stops only where the condition holds', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch(
          { program: EXCEPTIONS },
          {
            exceptionFilters: ['raised'],
            exceptionFilterOptions: [{ filterId: 'raised', condition: 'isinstance(exception, KeyError)' }],
          },
        ),
      );
      const info = await s.dc.exceptionInfoRequest({ threadId: stopped.body.threadId! });
      assert.match(info.body.exceptionId, /KeyError/);
    });

    it('stops on an uncaught exception, then the program exits with 1', async () => {
      const s = session();
      const stopped = await s.stopAfter(() => s.launch({ program: EXCEPTIONS }, { exceptionFilters: ['uncaught'] }));
      assert.strictEqual(stopped.body.reason, 'exception');
      const threadId = stopped.body.threadId!;
      const info = await s.dc.exceptionInfoRequest({ threadId });
      assert.match(info.body.exceptionId, /KeyError/);
      assert.match(info.body.description ?? '', /boom/);
      await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
      assert.strictEqual(s.exitCode(), 1);
      assert.match(s.outputText('stderr'), /KeyError: 'boom'/);
    });

    it('runs through when no filter is set', async () => {
      const s = session();
      await s.launch({ program: EXCEPTIONS }, { exceptionFilters: [] });
      await s.waitForTerminated();
      assert.ok(!s.events.some((e) => e.event === 'stopped'));
      assert.strictEqual(s.exitCode(), 1);
    });
  });
}
