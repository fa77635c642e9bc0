/**
 * A disconnect while the program floods task tracking (100,000 tasks created at a time): the
 * adapter answers it and the program ends (or runs on, detached) instead of the session hanging.
 */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS } from './support/pythons';
import { isAlive, TestSession, useSession } from './support/session';

const BUSY = fixture('robust_busy_tasks.py');
const MANY = fixture('robust_many_tasks.py');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(pid: number): Promise<void> {
  // Condition, not time: mocha's timeout fails the test if the process never goes.
  while (isAlive(pid)) {
    await pause(20);
  }
}

/** Launches the flood and returns its PID once task deltas are arriving. */
async function flooding(s: TestSession): Promise<number> {
  let tasksSeen = 0;
  const busy = new Promise<void>((resolve) =>
    s.dc.on('asyncio/tasksChanged', (e: DebugProtocol.Event) => {
      // A `resync` event (more changes than one event carries) lists no task, only the total.
      const body = e.body as { tasks: unknown[]; total?: number; resync?: boolean };
      tasksSeen = body.resync ? Math.max(tasksSeen, body.total ?? 0) : tasksSeen + body.tasks.length;
      if (tasksSeen > 20_000) resolve();
    }),
  );
  await s.launch({ program: BUSY });
  const pid = Number(/PID (\d+)/.exec(await s.waitForOutput(/PID \d+/, 'stdout'))?.[1]);
  await busy;
  return pid;
}

for (const python of INTERPRETERS) {
  describe(`disconnect while busy (Python ${python.version})`, () => {
    const session = useSession(python);

    it('answers a disconnect right after resuming 100,000 parked tasks', async function () {
      this.timeout(300_000);
      const s = session();
      s.dc.defaultTimeout = 120_000;
      const line = markerLine(MANY, 'parked');
      const stopped = await s.stopAfter(() =>
        s.launch({ program: MANY }, { breakpoints: [{ path: MANY, breakpoints: [{ line }] }] }),
      );
      await s.dc.continueRequest({ threadId: stopped.body.threadId! });
      const t = Date.now();
      await s.dc.disconnectRequest({ terminateDebuggee: true });
      console.log(`      [${python.version}] disconnect after resuming answered in ${Date.now() - t} ms`);
      await s.waitForTerminated();
    });

    // Killing the program does not involve the agent; leaving it running asks the agent to let go.
    it('answers a disconnect that leaves the program running while tasks flood in', async function () {
      this.timeout(120_000);
      const s = session();
      s.dc.defaultTimeout = 60_000;
      const pid = await flooding(s);
      const t = Date.now();
      await s.dc.disconnectRequest({ terminateDebuggee: false });
      console.log(`      [${python.version}] disconnect answered in ${Date.now() - t} ms`);
      assert.ok(isAlive(pid), 'the program runs on without the debugger');
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid);
    });
  });
}
