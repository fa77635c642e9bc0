/** Line breakpoints and what a stop shows: stack, scopes, variables, evaluate, setVariable. */
import * as assert from 'assert';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS } from './support/pythons';
import { isAlive, useSession } from './support/session';

const APP = fixture('debug_app.py');
const line = (marker: string) => markerLine(APP, marker);

for (const python of INTERPRETERS) {
  describe(`breakpoints (Python ${python.version})`, () => {
    const session = useSession(python);

    it('stops at a line breakpoint and shows stack, scopes, variables and evaluate', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch({ program: APP }, { breakpoints: [{ path: APP, breakpoints: [{ line: line('main') }] }] }),
      );
      assert.strictEqual(stopped.body.reason, 'breakpoint');
      const trace = await s.dc.stackTraceRequest({ threadId: stopped.body.threadId!, startFrame: 0, levels: 20 });
      const top = trace.body.stackFrames[0];
      assert.strictEqual(top.line, line('main'));
      assert.strictEqual(top.source?.path, APP);
      assert.strictEqual(top.name, 'main');
      const locals = await s.variables(top.id);
      assert.strictEqual(locals.get('greeting')?.value, "'hello'");
      const numbers = locals.get('numbers');
      assert.ok(numbers && numbers.variablesReference > 0, 'a list can be expanded');
      const items = await s.dc.variablesRequest({ variablesReference: numbers.variablesReference });
      assert.deepStrictEqual(
        items.body.variables.filter((v) => /^\d+$/.test(v.name)).map((v) => v.value),
        ['1', '2', '3'],
      );
      const sum = await s.dc.evaluateRequest({ expression: 'sum(numbers) * 2', frameId: top.id, context: 'watch' });
      assert.strictEqual(sum.body.result, '12');
      const hover = await s.dc.evaluateRequest({ expression: 'greeting', frameId: top.id, context: 'hover' });
      assert.strictEqual(hover.body.result, "'hello'");
      await assert.rejects(
        s.dc.evaluateRequest({ expression: 'no_such_name', frameId: top.id, context: 'repl' }),
        /NameError/,
      );
      await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: stopped.body.threadId! })]);
      assert.strictEqual(s.exitCode(), 0);
    });

    it('terminate ends a program stopped at a breakpoint', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch({ program: APP }, { breakpoints: [{ path: APP, breakpoints: [{ line: line('main') }] }] }),
      );
      const top = await s.topFrame(stopped.body.threadId!);
      const pid = Number(
        (await s.dc.evaluateRequest({ expression: '__import__("os").getpid()', frameId: top.id, context: 'repl' })).body
          .result,
      );
      assert.ok(isAlive(pid));
      await Promise.all([s.waitForTerminated(), s.dc.terminateRequest({})]);
      assert.strictEqual(isAlive(pid), false, `process ${pid} is still running`);
    });

    it('setVariable changes what the program sees', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch({ program: APP }, { breakpoints: [{ path: APP, breakpoints: [{ line: line('main') }] }] }),
      );
      const top = await s.topFrame(stopped.body.threadId!);
      const scopes = await s.dc.scopesRequest({ frameId: top.id });
      const locals = scopes.body.scopes.find((scope) => scope.name === 'Locals')!;
      const set = await s.dc.setVariableRequest({
        variablesReference: locals.variablesReference,
        name: 'greeting',
        value: "'changed'",
      });
      assert.strictEqual(set.body.value, "'changed'");
      await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: stopped.body.threadId! })]);
      assert.match(s.outputText('stdout'), /greeting=changed/);
    });

    it('moves a breakpoint on a comment to the next line with code, and leaves one past the end unverified', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch(
          { program: APP },
          { breakpoints: [{ path: APP, breakpoints: [{ line: line('comment') }, { line: 10_000 }] }] },
        ),
      );
      const [moved, beyond] = s.setBreakpointsResponses[0].body.breakpoints;
      assert.strictEqual(moved.verified, true);
      assert.strictEqual(moved.line, line('comment') + 1);
      assert.strictEqual(beyond.verified, false);
      assert.ok(beyond.message, 'an unverified breakpoint says why');
      assert.strictEqual((await s.topFrame(stopped.body.threadId!)).line, line('comment') + 1);
    });

    it('honours a condition', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch(
          { program: APP },
          { breakpoints: [{ path: APP, breakpoints: [{ line: line('loop'), condition: 'i == 3' }] }] },
        ),
      );
      const top = await s.topFrame(stopped.body.threadId!);
      const i = await s.dc.evaluateRequest({ expression: 'i', frameId: top.id, context: 'watch' });
      assert.strictEqual(i.body.result, '3');
      await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: stopped.body.threadId! })]);
    });

    it('honours a hit count', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch(
          { program: APP },
          { breakpoints: [{ path: APP, breakpoints: [{ line: line('loop'), hitCondition: '2' }] }] },
        ),
      );
      const top = await s.topFrame(stopped.body.threadId!);
      const i = await s.dc.evaluateRequest({ expression: 'i', frameId: top.id, context: 'watch' });
      assert.strictEqual(i.body.result, '1');
    });

    it('prints log points without stopping', async () => {
      const s = session();
      await s.launch(
        { program: APP },
        { breakpoints: [{ path: APP, breakpoints: [{ line: line('loop'), logMessage: 'i is {i}, total {total}' }] }] },
      );
      await s.waitForTerminated();
      assert.ok(!s.events.some((e) => e.event === 'stopped'), 'a log point never stops');
      const logged = s
        .outputText()
        .split('\n')
        .filter((l) => l.startsWith('i is'));
      assert.deepStrictEqual(logged, [
        'i is 0, total 0',
        'i is 1, total 0',
        'i is 2, total 1',
        'i is 3, total 3',
        'i is 4, total 6',
      ]);
    });

    it('stops on entry when asked', async () => {
      const s = session();
      const stopped = await s.stopAfter(() => s.launch({ program: APP, stopOnEntry: true }));
      assert.strictEqual(stopped.body.reason, 'entry');
      const top = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(top.source?.path, APP);
      await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: stopped.body.threadId! })]);
      assert.strictEqual(s.exitCode(), 0);
    });

    it('stops at breakpoint()', async () => {
      const s = session();
      const file = fixture('builtin_breakpoint.py');
      const stopped = await s.stopAfter(() => s.launch({ program: file }));
      const top = await s.topFrame(stopped.body.threadId!);
      assert.ok([markerLine(file, 'call'), markerLine(file, 'next')].includes(top.line), `stopped at line ${top.line}`);
      const marker = await s.dc.evaluateRequest({ expression: 'marker', frameId: top.id, context: 'watch' });
      assert.strictEqual(marker.body.result, "'before'");
      await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: stopped.body.threadId! })]);
      assert.match(s.outputText('stdout'), /marker after/);
    });

    it('applies breakpoints changed while the program runs', async () => {
      const s = session();
      const file = fixture('ticking.py');
      await s.launch({ program: file });
      await s.waitForOutput('ready', 'stdout');
      const first = await s.stopAfter(() =>
        s.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: markerLine(file, 'tick') }] }),
      );
      const threadId = first.body.threadId!;
      assert.strictEqual((await s.topFrame(threadId)).line, markerLine(file, 'tick'));
      await s.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: markerLine(file, 'other') }] });
      await s.stopAfter(() => s.dc.continueRequest({ threadId }));
      assert.strictEqual((await s.topFrame(threadId)).line, markerLine(file, 'other'));
      await Promise.all([s.waitForTerminated(), s.dc.terminateRequest({})]);
    });

    it('stops in a file imported after the program started', async () => {
      const s = session();
      const late = fixture('late_module.py');
      const stopped = await s.stopAfter(() =>
        s.launch(
          { program: fixture('late_import.py') },
          { breakpoints: [{ path: late, breakpoints: [{ line: markerLine(late, 'late') }] }] },
        ),
      );
      const top = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(top.source?.path, late);
      assert.strictEqual(top.line, markerLine(late, 'late'));
      await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: stopped.body.threadId! })]);
      assert.match(s.outputText('stdout'), /result 16/);
    });
  });
}
