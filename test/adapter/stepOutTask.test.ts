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
