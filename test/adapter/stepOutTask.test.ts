/** Step Out of a coroutine that runs as its own task stops in the coroutine awaiting that task. */
import * as assert from 'assert';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS } from './support/pythons';
import { useSession } from './support/session';

const APP = fixture('step_out_task.py');
const line = (marker: string) => markerLine(APP, marker);

for (const python of INTERPRETERS) {
  describe(`step out of a task's coroutine (Python ${python.version})`, () => {
    const session = useSession(python);

    for (const [start, kind, justMyCode] of [
      ['child_first', 'stepOut', true],
      ['child_last', 'next', true],
      ['child_first', 'stepOut', false],
    ] as const) {
      it(`${kind} from ${start} lands in the awaiter of the task while another task runs (justMyCode ${justMyCode})`, async () => {
        const s = session();
        const stopped = await s.stopAfter(() =>
          s.launch(
            { program: APP, justMyCode },
            { breakpoints: [{ path: APP, breakpoints: [{ line: line(start) }] }] },
          ),
        );
        const threadId = stopped.body.threadId!;
        await s.dc.setBreakpointsRequest({ source: { path: APP }, breakpoints: [] });
        const stepped = await s.stopAfter(() => s.dc.customRequest(kind, { threadId }));
        assert.strictEqual(stepped.body.reason, 'step');
        const top = await s.topFrame(stepped.body.threadId!);
        assert.strictEqual(top.name, 'parent');
        assert.ok([line('await_task'), line('after_await_task')].includes(top.line), `stopped at line ${top.line}`);
        await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
        assert.match(s.outputText('stdout'), /value 2\ndone\n/);
      });
    }
  });
}

const CHAIN = fixture('completion_chain.py');

for (const python of INTERPRETERS) {
  describe(`step out of a task's coroutine awaited through gather, wait, wait_for, shield, TaskGroup, as_completed (Python ${python.version})`, () => {
    const session = useSession(python);

    const chains = [
      [1, 'gathered', 'gather_await', 'after_gather'],
      [3, 'waited', 'wait_await', 'after_wait'],
      [4, 'timed', 'wait_for_await', 'after_wait_for'],
      [5, 'shielded', 'shield_await', 'after_shield'],
      [7, 'completed', 'as_completed_await', 'after_as_completed'],
      [8, 'completed', 'as_completed_await', 'after_as_completed'],
    ] as const;
    // TaskGroup exists from 3.11 on.
    const groups =
      Number(python.version.split('.')[1]) >= 11 ? ([[6, 'grouped', 'group_with', 'after_group']] as const) : [];
    for (const [n, awaiter, awaitLine, afterLine] of [...chains, ...groups]) {
      it(`stepOut from job(${n}) lands in ${awaiter}() when it resumes`, async () => {
        const s = session();
        const at = markerLine(CHAIN, 'job_return');
        const stopped = await s.stopAfter(() =>
          s.launch(
            { program: CHAIN },
            { breakpoints: [{ path: CHAIN, breakpoints: [{ line: at, condition: `n == ${n}` }] }] },
          ),
        );
        const threadId = stopped.body.threadId!;
        assert.strictEqual((await s.topFrame(threadId)).name, 'job');
        await s.dc.setBreakpointsRequest({ source: { path: CHAIN }, breakpoints: [] });
        const stepped = await s.stopAfter(() => s.dc.stepOutRequest({ threadId }));
        assert.strictEqual(stepped.body.reason, 'step');
        const top = await s.topFrame(stepped.body.threadId!);
        const lines = [markerLine(CHAIN, awaitLine), markerLine(CHAIN, afterLine)];
        assert.deepStrictEqual([top.name, lines.includes(top.line)], [awaiter, true], `stopped at line ${top.line}`);
        await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
        assert.strictEqual(s.outputText('stdout'), '3 1 4 5 6 15\n');
      });
    }
  });
}
