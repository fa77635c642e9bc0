/**
 * The adapter's task fold against the agent's own model: real programs recorded under the hooks on
 * every interpreter, their batches encoded by tasks/wire.py over several `records` bodies, folded
 * by TaskFold, and compared with tasks/model.py fed the same batches (support/fold_parity.py).
 * Then what only the live stream has: late names, `alive` after drops, `paused`, and pruning.
 */
import * as assert from 'assert';
import * as path from 'path';
import type { AgentRecordsBody, AgentTaskRecord, AgentTasksBody } from '../../src/shared/agentProtocol';
import type { Edge, SpanColumns } from '../../src/shared/dapCustom';
import { TaskFold } from '../../src/adapter/taskFold';
import { emptySpans } from '../../src/shared/timelineTrace';
import { recordsBody, runPython, SUPPORT } from './support/agentPython';
import { INTERPRETERS } from './support/pythons';

const PARITY = path.join(SUPPORT, 'fold_parity.py');

interface Fixture {
  name: string;
  records: number;
  bodies: AgentRecordsBody[];
  expected?: { tasks: AgentTaskRecord[]; spans: Required<SpanColumns>; edges: Edge[] };
}

function recordFixtures(executable: string, names: string[] = []): Fixture[] {
  return (JSON.parse(runPython(executable, [PARITY, ...names])) as { fixtures: Fixture[] }).fixtures;
}

/** What the adapter ends up with: the last record of every task, all spans and edges in order. */
class Merged {
  readonly tasks = new Map<number, AgentTaskRecord>();
  readonly spans = emptySpans() as Required<SpanColumns>;
  readonly edges: Edge[] = [];

  add(delta: AgentTasksBody): void {
    for (const record of delta.tasks) {
      this.tasks.set(record.id, record);
    }
    for (const key of Object.keys(this.spans) as (keyof SpanColumns)[]) {
      (this.spans[key] as unknown[]).push(...(delta.spans[key] ?? []));
    }
    this.edges.push(...delta.edges);
  }

  sortedTasks(): AgentTaskRecord[] {
    return [...this.tasks.values()].sort((a, b) => a.id - b.id);
  }
}

function fold(bodies: AgentRecordsBody[], fold = new TaskFold()): Merged {
  const merged = new Merged();
  for (const body of bodies) {
    merged.add(fold.apply(body));
  }
  return merged;
}

// Hand-made records (tasks/codes.py layouts), marshalled by the interpreter under test.
const T = 1_000_000;
function create(t: number, raw: number, name: string | null, parent = 0): unknown[] {
  return [1, t, raw, parent, 7, 9, 0, 0, 'work', 0, 0, name, 0];
}
function step(t: number, raw: number, waitingOn = 0): unknown[] {
  return [2, t, raw, t + 10, t - 5, 0, waitingOn, waitingOn ? 0 : -1, 0, 0, -1];
}
function done(t: number, raw: number, name: string): unknown[] {
  return [3, t, raw, 0, 0, name, null];
}

for (const python of INTERPRETERS) {
  describe(`task fold (python ${python.version})`, function () {
    this.timeout(120_000);

    it('folds real programs exactly as the agent model does, across bodies', function () {
      const fixtures = recordFixtures(python.executable);
      const minor = Number(python.version.split('.')[1]);
      for (const fixture of fixtures) {
        const expected = fixture.expected!;
        const merged = fold(fixture.bodies);
        assert.ok(fixture.bodies.length > 1, `${fixture.name}: spread over several bodies`);
        assert.deepStrictEqual(merged.sortedTasks(), expected.tasks, `${fixture.name}: tasks`);
        assert.deepStrictEqual(merged.spans, expected.spans, `${fixture.name}: spans`);
        assert.deepStrictEqual(merged.edges, expected.edges, `${fixture.name}: edges`);
      }
      // The comparison covers what the fixtures are about (a fold that lost them would still match an empty model).
      const all = (name: string) => fixtures.find((f) => f.name === name)!.expected!;
      const cancelled = all('cancellation').tasks.filter((t) => t.state === 'cancelled');
      assert.ok(cancelled.some((t) => t.cancelled_by?.task !== null && t.cancelled_by?.site !== null));
      assert.ok(cancelled.some((t) => t.cancelled_by !== null && t.cancelled_by.stack.length > 0));
      assert.ok(all('exceptions').tasks.some((t) => t.reports.includes('exception_never_retrieved')));
      assert.ok(all('exceptions').tasks.some((t) => t.state === 'error' && t.type === 'KeyError'));
      assert.ok(all('named_late').tasks.some((t) => t.name === 'renamed-later'));
      assert.ok(all('named_late').tasks.some((t) => t.name.endsWith('…') && t.name.length > 200));
      assert.strictEqual(all('eager').tasks.filter((t) => t.eager).length > 0, minor >= 12);
      const kinds = new Set(fixtures.flatMap((f) => f.expected!.spans.awaits_kind));
      for (const kind of ['queue', 'sleep', 'task', 'gather', 'future', 'event', 'lock', 'yield']) {
        assert.ok(kinds.has(kind), `some step awaits a ${kind}`);
      }
      assert.ok(fixtures.some((f) => f.expected!.spans.line.some((l) => l > 0)));
    });

    it('names a task that arrived without a name, and only such a task', function () {
      const f = new TaskFold();
      const first = f.apply(recordsBody(python.executable, [create(T, 11, null), create(T + 1, 12, 'kept')]));
      assert.deepStrictEqual(
        first.tasks.map((t) => t.name),
        ['Task #1', 'kept'],
      );
      const named = f.apply({
        ...recordsBody(python.executable, []),
        names: [
          [11, 'late'],
          [12, 'other'],
        ],
      });
      assert.deepStrictEqual(
        named.tasks.map((t) => [t.id, t.name]),
        [[1, 'late']],
      );
    });

    it('ends ghosts as unknown and adds alive tasks it never saw created', function () {
      const f = new TaskFold();
      f.apply(
        recordsBody(python.executable, [
          create(T, 11, 'a'),
          create(T + 1, 12, 'b'),
          create(T + 2, 14, 'old'),
          // The end of "old" was dropped and its id() went to a new task.
          create(T + 3, 14, 'new'),
          step(T + 4, 12),
        ]),
      );
      const body = recordsBody(python.executable, [], {
        now: 5_000_000,
        alive: [
          [12, 'b', 'work'],
          [14, 'new', 'work'],
          [15, 'unseen', 'serve'],
        ],
        dropped: { records: 3, objects: 0 },
      });
      const out = f.apply(body);
      const byName = new Map(out.tasks.map((t) => [t.name, t]));
      assert.deepStrictEqual(
        [...byName.keys()].sort(),
        ['a', 'old', 'unseen'],
        'the ghosts and the new task, nothing else',
      );
      for (const ghost of ['a', 'old']) {
        assert.strictEqual(byName.get(ghost)!.state, 'unknown');
        assert.strictEqual(byName.get(ghost)!.ended, body.now);
      }
      const unseen = byName.get('unseen')!;
      assert.deepStrictEqual(
        [unseen.id, unseen.state, unseen.coroutine, unseen.created, unseen.steps],
        [5, 'pending', 'serve', body.now, 0],
      );
      assert.strictEqual(out.dropped.records, 3);
      assert.strictEqual(f.taskIdOf(15), 5);
      assert.strictEqual(f.rawOf(5), 15);
      assert.strictEqual(f.taskIdOf(11), undefined, 'an ended task has no live id');
      // Its CREATE was only late (it came before the check): the same task, now complete.
      const late = f.apply(
        recordsBody(python.executable, [create(T + 5, 15, null, 12), step(T + 6, 15), done(T + 20, 15, 'unseen')]),
      );
      assert.deepStrictEqual(
        late.tasks.map((t) => [t.id, t.name, t.parent, t.state, t.steps]),
        [[5, 'unseen', 2, 'ok', 1]],
      );
      // A late end record still wins over `unknown`.
      const real = f.apply(recordsBody(python.executable, [done(T + 30, 11, 'a')]));
      assert.deepStrictEqual(
        real.tasks.map((t) => [t.id, t.state]),
        [[1, 'ok']],
      );
    });

    it('translates the paused state to trace ids, leaving out tasks it does not know', function () {
      const f = new TaskFold();
      const out = f.apply(
        recordsBody(python.executable, [create(T, 11, 'a'), create(T + 1, 12, 'b')], {
          paused: {
            threadId: 3,
            running: 12,
            tasks: [
              { raw: 12, activity: 'running', threadId: 1_000_002 },
              { raw: 11, activity: 'awaiting', threadId: null },
              { raw: 99, activity: 'ready', threadId: 1_000_099 },
            ],
          },
        }),
      );
      assert.deepStrictEqual(out.paused, {
        threadId: 3,
        running: 2,
        tasks: [
          { id: 2, activity: 'running', threadId: 1_000_002 },
          { id: 1, activity: 'awaiting', threadId: null },
        ],
      });
      const unknown = f.apply(recordsBody(python.executable, [], { paused: { threadId: 3, running: 99, tasks: [] } }));
      assert.deepStrictEqual(unknown.paused, { threadId: 3, running: null, tasks: [] });
    });

    it('stays bounded on 100,000 short tasks and reports every one finished', function () {
      const [churn] = recordFixtures(python.executable, ['churn']);
      const f = new TaskFold();
      const merged = new Merged();
      let most = 0;
      for (const body of churn.bodies) {
        merged.add(f.apply(body));
        const stats = f.stats();
        most = Math.max(most, stats.objects);
        assert.ok(stats.objects < stats.pruneAt, `${stats.objects} objects held`);
        assert.ok(stats.pending <= 1002, `${stats.pending} pending`);
        assert.strictEqual(stats.orphans, 0);
      }
      assert.ok(f.prunes > 0, 'pruned');
      assert.ok(most < 20_000, `at most ${most} objects held`);
      const shorts = [...merged.tasks.values()].filter((t) => t.coroutine === 'churn.<locals>.short');
      assert.strictEqual(shorts.length, 100_000);
      const states = new Set([...merged.tasks.values()].map((t) => t.state));
      assert.deepStrictEqual([...states], ['ok']);
      assert.strictEqual(
        merged.spans.task.length,
        [...merged.tasks.values()].reduce((n, t) => n + t.steps, 0),
      );
    });
  });
}
