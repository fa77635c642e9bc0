/**
 * completionStopAt "awaiter" through gather, asyncio.wait, asyncio.wait_for, shield, TaskGroup and
 * asyncio.as_completed: the stop is
 * where the awaiting coroutine resumes; a gather still waiting on other tasks says so and stops where
 * the task completed.
 */
import * as assert from 'assert';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { TestSession, useSession } from './support/session';

const APP = fixture('completion_chain.py');
const line = (marker: string) => markerLine(APP, marker);

async function finish(s: TestSession, threadId: number): Promise<void> {
  await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId })]);
  assert.strictEqual(s.exitCode(), 0);
  assert.strictEqual(s.outputText('stdout'), '3 1 4 5 6 15\n');
}

function suite(python: Interpreter): void {
  const session = useSession(python);

  it('through a gather: says who resumes later, then stops where the gather returns', async () => {
    const s = session();
    let stopped = await s.stopAfter(() =>
      s.launch({ program: APP, completionStopAt: 'awaiter' }, { functionBreakpoints: [{ name: 'done:g-*' }] }),
    );
    const threadId = stopped.body.threadId!;
    assert.match(
      stopped.body.description!,
      /^Task g-fast finished: result 1 \(Task Task-\d+ resumes when the gather completes: stopped where it completed\)$/,
    );
    let top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['job', line('job_return')]);
    stopped = await s.stopAfter(() => s.dc.continueRequest({ threadId }));
    assert.strictEqual(stopped.body.reason, 'function breakpoint');
    assert.strictEqual(stopped.body.description, 'Task g-slow finished: result 2');
    top = await s.topFrame(threadId);
    assert.deepStrictEqual([top.name, top.line], ['gathered', line('after_gather')]);
    assert.strictEqual((await s.variables(top.id)).get('values')?.value, '[1, 2]');
    await finish(s, threadId);
  });

  const chains = [
    ['w-first', 'after_wait', 'waited', 3],
    ['wf-task', 'after_wait_for', 'timed', 4],
    ['sh-task', 'after_shield', 'shielded', 5],
    ['ac-first', 'after_as_completed', 'completed', 7],
    ['ac-second', 'after_as_completed', 'completed', 8],
  ] as const;
  // TaskGroup exists from 3.11 on.
  const groups =
    Number(python.version.split('.')[1]) >= 11 ? ([['tg-task', 'after_group', 'grouped', 6]] as const) : [];
  for (const [task, where, name, result] of [...chains, ...groups]) {
    it(`through ${name}() (${task}): stops where the awaiting coroutine resumes`, async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch({ program: APP, completionStopAt: 'awaiter' }, { functionBreakpoints: [{ name: `done:${task}` }] }),
      );
      const threadId = stopped.body.threadId!;
      assert.strictEqual(stopped.body.reason, 'function breakpoint');
      assert.strictEqual(stopped.body.description, `Task ${task} finished: result ${result}`);
      const top = await s.topFrame(threadId);
      assert.deepStrictEqual([top.name, top.line], [name, line(where)]);
      if (name !== 'waited' && name !== 'grouped') {
        // Resumed with this task's result, not another one's.
        assert.strictEqual((await s.variables(top.id)).get('value')?.value, String(result));
      }
      await finish(s, threadId);
    });
  }
}

for (const python of INTERPRETERS) {
  describe(`completionStopAt "awaiter" through gather, wait, wait_for, shield, TaskGroup, as_completed (Python ${python.version})`, () =>
    suite(python));
}
