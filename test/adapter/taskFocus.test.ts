/**
 * Focusing task threads: `asyncio/focusTask` (a focusing `stopped` event for a task's thread,
 * pausing a running program first on request) and the stop VS Code gets once more when its views
 * ask for scopes, so that it expands the paused thread among the task threads.
 */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TASK_THREAD_BASE } from '../../src/shared/agentProtocol';
import type { FocusTaskResponseBody, TaskInfo } from '../../src/shared/dapCustom';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { TestSession, useSession } from './support/session';
import { allTasks } from './support/taskQueries';
import { TaskBridge } from '../../src/adapter/taskBridge';
import { body, record } from './support/modelFeed';

const GATHER = fixture('live_gather.py');
const FOCUS = fixture('focus_pause.py');

type StoppedBody = DebugProtocol.StoppedEvent['body'];

function stops(s: TestSession): StoppedBody[] {
  return s.events.filter((e) => e.event === 'stopped').map((e) => e.body as StoppedBody);
}

async function focusTask(s: TestSession, args: Record<string, unknown>): Promise<FocusTaskResponseBody> {
  return (await s.dc.customRequest('asyncio/focusTask', args)).body as FocusTaskResponseBody;
}

async function refusal(s: TestSession, args: Record<string, unknown>): Promise<string> {
  return focusTask(s, args).then(
    (body) => assert.fail(`focusTask ${JSON.stringify(args)} answered ${JSON.stringify(body)}`),
    (error: Error) => error.message,
  );
}

function suite(python: Interpreter): void {
  const session = useSession(python);

  it('repeats the stop once for the views, then focuses a task thread on request', async () => {
    const s = session();
    const file = GATHER;
    const stopped = await s.stopAfter(() =>
      s.launch(
        { program: file },
        {
          breakpoints: [{ path: file, breakpoints: [{ line: markerLine(file, 'gathered') }] }],
          initialize: { clientID: 'vscode' },
        },
      ),
    );
    const osThread = stopped.body.threadId!;
    const leaves = (await allTasks(s)).filter((t) => t.coroutine.endsWith('leaf'));
    assert.strictEqual(leaves.length, 4, JSON.stringify(leaves));
    // The program's stop and one per task thread (main, outer, two inners, four leaves).
    const taskThreads = (await s.dc.threadsRequest()).body.threads.filter((t) => t.id >= TASK_THREAD_BASE);
    assert.strictEqual(taskThreads.length, 8);
    const n = taskThreads.length + 1;
    const first = await s.waitUntil('the task threads’ stops', () => (stops(s).length === n ? stops(s) : undefined));

    // The client's views ask for scopes: the program's stop comes once more, and only once.
    const frame = await s.topFrame(osThread);
    await s.dc.scopesRequest({ frameId: frame.id });
    await s.dc.scopesRequest({ frameId: frame.id });
    const again = await s.waitUntil('the repeated stop', () => (stops(s).length > n ? stops(s).slice(n) : undefined));
    assert.deepStrictEqual(again, [first[0]]);

    const leaf = leaves[1];
    assert.ok(leaf.threadId !== null && leaf.threadId >= TASK_THREAD_BASE);
    assert.deepStrictEqual(await focusTask(s, { taskId: leaf.id }), { threadId: leaf.threadId });
    const focus = await s.waitUntil('the focusing stop', () => stops(s)[n + 1]);
    assert.strictEqual(focus.threadId, leaf.threadId);
    assert.strictEqual(focus.preserveFocusHint, false);
    assert.strictEqual(focus.reason, 'task');
    // VS Code forgets the thread's previous stack (else its Call Stack rows keep stale frames).
    const order = s.events
      .filter((e) => e.body?.threadId === leaf.threadId && ['thread', 'stopped'].includes(e.event))
      .map((e) => `${e.event} ${e.body.reason}`);
    assert.deepStrictEqual(order, ['stopped task', 'thread exited', 'stopped task']);
    // Once a task has the focus, scopes do not hand it back to the program's thread.
    await s.dc.scopesRequest({ frameId: frame.id });
    assert.strictEqual(stops(s).length, n + 2);

    assert.match(await refusal(s, { taskId: 999_999 }), /Unknown task 999999/);
    assert.match(await refusal(s, {}), /numeric taskId/);
    await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: osThread })]);
    assert.match(await refusal(s, { taskId: leaf.id }), /has finished \(ok\)/);
  });

  it('while running: refuses without pause, pauses and focuses the task with pause', async () => {
    const s = session();
    await s.launch({ program: FOCUS });
    await s.waitForOutput('running', 'stdout');
    let task: TaskInfo | undefined;
    while (!task) {
      task = (await allTasks(s)).find((t) => t.name === 'worker');
    }
    assert.match(await refusal(s, { taskId: task.id }), /not paused: pause it/);
    assert.strictEqual(stops(s).length, 0);

    const focused = await focusTask(s, { taskId: task.id, pause: true });
    const [osStop, taskStop] = await s.waitUntil('the pause and the focus', () =>
      stops(s).length >= 2 ? stops(s) : undefined,
    );
    assert.strictEqual(osStop.reason, 'pause');
    assert.strictEqual(osStop.preserveFocusHint, true);
    assert.strictEqual(taskStop.threadId, focused.threadId);
    assert.strictEqual(taskStop.preserveFocusHint, false);
    const top = await s.topFrame(focused.threadId);
    const mine = (await s.dc.stackTraceRequest({ threadId: focused.threadId, levels: 20 })).body.stackFrames.find(
      (f) => f.source?.path === FOCUS,
    );
    assert.ok(top, 'the task thread has frames');
    assert.strictEqual(mine?.line, markerLine(FOCUS, 'worker_wait'));
    assert.strictEqual(mine?.name, 'worker');
    // The client saw the task's thread stop, so it sees it continue too.
    await s.dc.continueRequest({ threadId: osStop.threadId! });
    await s.waitUntil('the task thread continuing', () =>
      s.events.find((e) => e.event === 'continued' && e.body.threadId === focused.threadId),
    );
  });
}

for (const python of INTERPRETERS) {
  describe(`focusing tasks (Python ${python.version})`, () => suite(python));
}

describe('task bridge: the repeated stop', () => {
  const paused = () =>
    body({
      tasks: [record(7, { name: 'worker', created: 1 })],
      paused: { threadId: 1, running: 0, tasks: [{ id: 7, activity: 'awaiting', threadId: TASK_THREAD_BASE + 7 }] },
    });

  it('comes on the first scopes request of a session only, and not after a resume', () => {
    const events: DebugProtocol.Event[] = [];
    const bridge = new TaskBridge((event) => events.push(event));
    bridge.taskThreadEvents = true;
    const stops = () => events.filter((e) => e.event === 'stopped').map((e) => e.body.threadId);
    const stop = (): void => {
      bridge.onAgentTasks(paused());
      bridge.forwardStopped({ reason: 'breakpoint', threadId: 1 });
    };
    const task = TASK_THREAD_BASE + 7;
    stop();
    bridge.onResumed(1);
    stop();
    assert.deepStrictEqual(stops(), [1, task, 1, task], 'nothing repeated without a scopes request');
    bridge.onScopes();
    bridge.onScopes();
    assert.deepStrictEqual(stops(), [1, task, 1, task, 1], 'repeated once');
    bridge.onResumed(1);
    stop();
    bridge.onScopes();
    assert.deepStrictEqual(stops(), [1, task, 1, task, 1, 1, task], 'the views are up: no repeat');
    bridge.dispose();
  });
});
