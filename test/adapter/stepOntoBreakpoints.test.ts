/** A step that lands on a line whose breakpoint does not stop (false condition, logpoint) still stops there. */
import * as assert from 'assert';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS } from './support/pythons';
import { TestSession, useSession } from './support/session';

const APP = fixture('step_onto_breakpoints.py');
const line = (marker: string) => markerLine(APP, marker);

async function next(s: TestSession, threadId: number): Promise<number> {
  const stopped = await s.stopAfter(() => s.dc.nextRequest({ threadId }));
  assert.strictEqual(stopped.body.reason, 'step');
  return (await s.topFrame(stopped.body.threadId!)).line;
}

for (const python of INTERPRETERS) {
  describe(`steps onto breakpoints that do not stop (Python ${python.version})`, () => {
    const session = useSession(python);

    for (const [where, prefix] of [
      ['a coroutine', ''],
      ['a plain function', 'plain_'],
    ]) {
      it(`stops a step on a false-condition line and on a logpoint line in ${where}`, async () => {
        const s = session();
        const stopped = await s.stopAfter(() =>
          s.launch(
            { program: APP },
            {
              breakpoints: [
                {
                  path: APP,
                  breakpoints: [
                    { line: line(`${prefix}start`) },
                    { line: line(`${prefix}cond`), condition: 'a == 42' },
                    { line: line(`${prefix}log`), logMessage: 'logpoint b={b}' },
                  ],
                },
              ],
            },
          ),
        );
        const threadId = stopped.body.threadId!;
        assert.strictEqual((await s.topFrame(threadId)).line, line(`${prefix}start`));
        assert.strictEqual(await next(s, threadId), line(`${prefix}cond`));
        assert.strictEqual(await next(s, threadId), line(`${prefix}log`));
        await s.waitForOutput('logpoint b=2', 'console');
        assert.strictEqual(await next(s, threadId), line(`${prefix}after`));
        await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
        assert.match(s.outputText('stdout'), /done 4 4/);
      });
    }
  });
}
