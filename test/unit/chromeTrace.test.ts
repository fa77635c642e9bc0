import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { chromeTraceChunks, toChromeTrace } from '../../src/shared/chromeTrace';
import { TimelineModel } from '../../src/shared/timelineModel';
import { asNativeTrace } from '../../src/shared/timelineTrace';
import { task, trace } from './traceBuilder';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'traces', 'taskgroup_pipeline.json');

describe('Chrome trace export', () => {
  const model = TimelineModel.fromNative(
    trace(
      [
        task(1, {
          name: 'main',
          coroutine: 'main',
          created: 0,
          ended: 9_000,
          state: 'ok',
          type: 'NoneType',
          loop: 1,
          thread: 1,
        }),
        task(2, {
          name: 'child',
          coroutine: 'work',
          parent: 1,
          created: 1_000,
          ended: 5_000,
          state: 'cancelled',
          loop: 1,
          thread: 1,
          coroutine_file: '/ws/work.py',
          cancelled_by: { task: 1, site: { file: '/ws/app.py', line: 7, function: 'main' } },
        }),
      ],
      [
        [1, 500, 1_500, 0, 'task', 2],
        [2, 2_000, 2_250, 1_000, 'sleep', 10, 0, 21],
        [1, 6_000, 6_500, 5_500, '', 0, 2],
      ],
    ),
  );
  const events = toChromeTrace(model).traceEvents;

  it('names one process per loop and one track per task, like the agent', () => {
    assert.deepStrictEqual(
      events.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args!.name]),
      [[2, 'event loop 1 (thread 1)']],
    );
    assert.deepStrictEqual(
      events.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args!.name]),
      [
        [1, 'main (main)'],
        [2, 'child (work)'],
      ],
    );
  });

  it('writes each step as a complete event in microseconds with its delay and what it awaited', () => {
    const steps = events.filter((e) => e.ph === 'X');
    assert.strictEqual(steps.length, 3);
    const child = steps.find((e) => e.tid === 2)!;
    assert.deepStrictEqual(
      { name: child.name, ts: child.ts, dur: child.dur, args: child.args },
      {
        name: 'work',
        ts: 2,
        dur: 0.25,
        args: { delay_us: 1, awaits: 'sleep', awaits_id: 10, site: '/ws/work.py:21' },
      },
    );
    assert.deepStrictEqual(steps.find((e) => e.ts === 6)!.args, { delay_us: 0.5 });
  });

  it('marks creation and the outcome, with who cancelled', () => {
    const cancelled = events.find((e) => e.ph === 'i' && e.name === 'cancelled')!;
    assert.deepStrictEqual(cancelled.args, {
      outcome: 'cancelled',
      type: null,
      cancelled_by: 1,
      cancel_site: '/ws/app.py:7',
    });
    assert.strictEqual(events.filter((e) => e.ph === 'i' && e.name === 'created').length, 2);
  });

  it('draws spawn and wake as flow events between the two tracks', () => {
    const flows = events.filter((e) => e.ph === 's' || e.ph === 'f').map((e) => [e.name, e.ph, e.tid, e.ts]);
    assert.deepStrictEqual(flows, [
      ['spawn', 's', 1, 1],
      ['spawn', 'f', 2, 1],
      ['wake', 's', 2, 5],
      ['wake', 'f', 1, 6],
    ]);
  });

  it('a recorded trace exports to valid JSON with one complete event per step', () => {
    const native = asNativeTrace(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
    const exported = toChromeTrace(TimelineModel.fromNative(native));
    const parsed = JSON.parse([...chromeTraceChunks(exported)].join(''));
    assert.strictEqual(parsed.displayTimeUnit, 'ms');
    assert.strictEqual(parsed.otherData.python, native.metadata.python);
    assert.strictEqual(parsed.traceEvents.filter((e: { ph: string }) => e.ph === 'X').length, native.spans.task.length);
    assert.deepStrictEqual(parsed, JSON.parse(JSON.stringify(exported)));
  });
});
