/**
 * Completion breakpoints by pattern on eagerly started tasks (3.12+ `asyncio.eager_task_factory`):
 * a task that finishes inside `create_task`, one that suspends there, one that fails there. On 3.10
 * and 3.11 the same program runs them as ordinary tasks.
 */
import * as assert from 'assert';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { TestSession, useSession } from './support/session';

const APP = fixture('completion_eager.py');
const line = (marker: string) => markerLine(APP, marker);

async function continueToStop(s: TestSession, threadId: number) {
  const stopped = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
  return { stopped, top: await s.topFrame(stopped.body.threadId!) };
}

async function finish(s: TestSession, threadId: number): Promise<void> {
  await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
  assert.strictEqual(s.exitCode(), 0);
  assert.strictEqual(s.outputText('stdout'), '42 KeyError\n');
}

function suite(python: Interpreter): void {
  const session = useSession(python);
  const eager = Number(python.version.split('.')[1]) >= 12;

  it('matches a task that finishes in its eager first step, and one that suspended there', async () => {
    const s = session();
    let stopped = await s.stopAfter(() =>
      s.launch({ program: APP }, { functionBreakpoints: [{ name: 'result:eager-*' }] }),
    );
    const threadId = stopped.body.threadId!;
    const id = s.setFunctionBreakpointsResponse!.body.breakpoints[0].id;
    assert.strictEqual(stopped.body.reason, 'function breakpoint');
    assert.strictEqual(stopped.body.description, 'Task eager-done finished: result 40');
    assert.deepStrictEqual(stopped.body.hitBreakpointIds, [id]);
    let top = await s.topFrame(threadId);
    // Finished inside create_task: its coroutine frame is gone, the stop is where it ran.
    assert.deepStrictEqual(
      [top.name, top.line],
      eager ? ['main', line('create_instant')] : ['instant', line('instant_return')],
    );
    ({ stopped, top } = await continueToStop(s, threadId));
    assert.strictEqual(stopped.body.description, 'Task eager-suspends finished: result 2');
    assert.deepStrictEqual([top.name, top.line], ['suspends', line('suspends_return')]);
    await finish(s, threadId);
    assert.strictEqual(s.events.filter((e) => e.event === 'stopped').length, 2);
  });

  if (eager) {
    it('steps over from the create_task line of a task that finished eagerly (justMyCode off)', async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch({ program: APP, justMyCode: false }, { functionBreakpoints: [{ name: 'done:eager-done' }] }),
      );
      const threadId = stopped.body.threadId!;
      assert.strictEqual((await s.topFrame(threadId)).line, line('create_instant'));
      const stepped = await s.stopAfter(() => s.dc.nextRequest({ threadId }));
      assert.strictEqual(stepped.body.reason, 'step');
      const top = await s.topFrame(threadId);
      assert.deepStrictEqual([top.name, top.line], ['main', line('create_instant') + 1]);
      await finish(s, threadId);
    });
  }

  it('shows where an eager task failed, with a condition on the exception', async () => {
    const s = session();
    const stopped = await s.stopAfter(() =>
      s.launch(
        { program: APP },
        { functionBreakpoints: [{ name: 'exception:__main__.*', condition: 'isinstance(exception, KeyError)' }] },
      ),
    );
    const threadId = stopped.body.threadId!;
    assert.strictEqual(stopped.body.description, "Task eager-fails failed: KeyError: 'eager'");
    const top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['fails', line('fails_raise')]);
    await finish(s, threadId);
  });
}

for (const python of INTERPRETERS) {
  describe(`completion breakpoints on eager tasks (Python ${python.version})`, () => suite(python));
}
