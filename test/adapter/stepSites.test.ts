/**
 * Every step in `asyncio/timeline` carries where it ran: the line of the await its task's
 * coroutine suspended on, in the task's `coroutineFile`.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import type { TaskInfo, TasksResponseBody, TimelineResponseBody } from '../../src/shared/dapCustom';
import { fixture, markerLine } from './support/fixtures';
import { INTERPRETERS, Interpreter } from './support/pythons';
import { useSession } from './support/session';

const SITES = fixture('live_step_sites.py');
const DEBIAN_PYTHON = '/usr/bin/python3';

function suite(python: Interpreter, args: string[] = []): void {
  const session = useSession(python);

  it('gives each step the line of the await it suspended on', async () => {
    const s = session();
    const line = (m: string) => markerLine(SITES, m);
    const stopped = await s.stopAfter(() =>
      s.launch({ program: SITES, args }, { breakpoints: [{ path: SITES, breakpoints: [{ line: line('parked') }] }] }),
    );
    const all = ((await s.dc.customRequest('asyncio/tasks', { includeFinished: true })).body as TasksResponseBody)
      .tasks;
    const worker = all.find((t) => t.name === 'worker') as TaskInfo;
    assert.ok(worker, `a worker task in ${all.map((t) => t.name).join(', ')}`);
    assert.strictEqual(worker.coroutineFile, SITES);
    // The creation site stays the task's own, apart from its steps.
    assert.strictEqual(worker.site?.line, line('created'));

    const timeline = (await s.dc.customRequest('asyncio/timeline', {})).body as TimelineResponseBody;
    const spans = timeline.spans;
    assert.strictEqual(spans.line?.length, spans.task.length);
    const lines = spans.task.flatMap((id, i) => (id === worker.id ? [spans.line![i]] : []));
    assert.deepStrictEqual(lines, [line('first_await'), line('second_await'), line('third_await')]);
    // The tail a live view asks for carries them too.
    const tail = (await s.dc.customRequest('asyncio/timeline', { afterSpan: 0, taskIds: [worker.id] }))
      .body as TimelineResponseBody;
    assert.deepStrictEqual(tail.spans.line, lines);

    await Promise.all([s.waitForTerminated(), s.dc.continueRequest({ threadId: stopped.body.threadId! })]);
    assert.match(s.outputText('stdout'), /result 1/);
  });
}

for (const python of INTERPRETERS) {
  describe(`step sites (Python ${python.version})`, () => suite(python));
}

const hasUvloop = (() => {
  try {
    return (
      fs.existsSync(DEBIAN_PYTHON) &&
      require('child_process').spawnSync(DEBIAN_PYTHON, ['-c', 'import uvloop']).status === 0
    );
  } catch {
    return false;
  }
})();

if (hasUvloop) {
  describe('step sites under uvloop (Debian python3)', () =>
    suite({ version: 'debian', executable: DEBIAN_PYTHON }, ['--uvloop']));
}
