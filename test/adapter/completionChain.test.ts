/**
 * completionStopAt "awaiter" through gather, asyncio.wait, asyncio.wait_for and shield: the stop is
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
  assert.strictEqual(s.outputText('stdout'), '3 1 4 5\n');
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

  for (const [task, where, name] of [
    ['w-first', 'after_wait', 'waited'],
    ['wf-task', 'after_wait_for', 'timed'],
    ['sh-task', 'after_shield', 'shielded'],
  ]) {
    it(`through ${name}(): stops where the awaiting coroutine resumes`, async () => {
      const s = session();
      const stopped = await s.stopAfter(() =>
        s.launch({ program: APP, completionStopAt: 'awaiter' }, { functionBreakpoints: [{ name: `done:${task}` }] }),
      );
      const threadId = stopped.body.threadId!;
      assert.strictEqual(stopped.body.reason, 'function breakpoint');
      assert.strictEqual(
        stopped.body.description,
        `Task ${task} finished: result ${task === 'w-first' ? 3 : task === 'wf-task' ? 4 : 5}`,
      );
      const top = await s.topFrame(threadId);
      assert.deepStrictEqual([top.name, top.line], [name, line(where)]);
      await finish(s, threadId);
    });
  }
}

for (const python of INTERPRETERS) {
  describe(`completionStopAt "awaiter" through gather, wait, wait_for and shield (Python ${python.version})`, () =>
    suite(python));
}
