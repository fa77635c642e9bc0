#!/usr/bin/env node
// Task tree benchmark: the pure logic behind the "Asyncio Tasks" view (TaskModel + TaskTree) fed a
// snapshot of 10,000 live tasks, then a stream of deltas like the adapter's (≤10 per second, each
// changing, adding and forgetting tasks). After every delta it does what the view does on a
// refresh: finds the containers the delta touched and recomputes the rows VS Code would ask for
// (the expanded ones). Prints the time per delta and per refresh (median, p95, max).
//
//   node bench/tree/bench.js [--tasks N] [--deltas N] [--changes N] [--supervisors N] [--mode tree|state|coroutine]
const esbuild = require('esbuild');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const TASKS = Number(arg('tasks', 10_000));
const DELTAS = Number(arg('deltas', 300));
const CHANGES = Number(arg('changes', 200));
const MODE = arg('mode', 'tree');

/** The TypeScript sources bundled in memory, so the benchmark runs what the extension ships. */
function load() {
  const out = esbuild.buildSync({
    stdin: {
      contents:
        "export { TaskModel } from './src/extension/tasksModel';\nexport { TaskTree } from './src/shared/taskTree';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
  return mod.exports;
}

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (list) => list[Math.floor(random() * list.length)];

const S = 1e9;
const COROUTINES = ['worker', 'fetch', 'parse', 'handle_client', 'heartbeat'];
const ACTIVITIES = ['running', 'ready', 'awaiting', 'awaiting', 'awaiting'];

function task(id, parent, group, now) {
  const activity = pick(ACTIVITIES);
  return {
    id,
    name: `Task-${id}`,
    coroutine: parent === 1 ? 'supervisor' : pick(COROUTINES),
    site: { file: '/app/server.py', line: 10 + (id % 50), function: 'spawn' },
    parent,
    group,
    loop: 1,
    thread: 1,
    created: now,
    ended: null,
    state: 'pending',
    activity,
    awaits: activity === 'awaiting' ? { kind: pick(['queue', 'sleep', 'socket', 'task']), id: 0, since: now } : null,
    type: null,
    error: null,
    cancelledBy: null,
    reports: [],
    eager: false,
    steps: 1,
    busy: 1000,
    threadId: null,
  };
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${sorted.at(-1).toFixed(2)} ms`;
}

function main() {
  const { TaskModel, TaskTree } = load();
  // main() → 100 supervisors (each holding a TaskGroup) → workers.
  const supervisors = Number(arg('supervisors', 100));
  const tasks = [task(1, null, null, 0)];
  for (let s = 0; s < supervisors; s++) tasks.push(task(2 + s, 1, null, 0));
  let next = 2 + supervisors;
  while (tasks.length < TASKS) {
    const parent = 2 + Math.floor(random() * supervisors);
    tasks.push(task(next++, parent, random() < 0.5 ? parent : null, 0));
  }
  const model = new TaskModel();
  const tree = new TaskTree(model, { groupBy: MODE, showFinished: true, filter: '', collapseMin: 3 });

  let t = performance.now();
  model.reset({ seq: 0, now: 0, stopped: false, tasks, dropped: { records: 0, objects: 0 } });
  const expanded = new Map(); // node id → node, like the rows a user has open
  const open = (node) => {
    const children = tree.children(node);
    expanded.set(node?.id ?? '', node);
    for (const c of children) tree.hasChildren(c);
    return children;
  };
  const top = open(undefined);
  // Expand main, a few supervisors and their TaskGroups, and one fold.
  const firstLevel = top[0] ? open(top[0]) : [];
  for (const node of firstLevel.slice(0, 5)) for (const child of open(node)) if (child.kind !== 'task') open(child);
  const snapshotMs = performance.now() - t;

  const live = tasks.map((x) => x.id);
  const applyTimes = [];
  const refreshTimes = [];
  let rows = 0;
  for (let d = 1; d <= DELTAS; d++) {
    const now = (d / 10) * S;
    const changed = [];
    for (let i = 0; i < CHANGES; i++) {
      const old = model.get(pick(live));
      if (!old || old.id === 1) continue;
      const activity = pick(ACTIVITIES);
      changed.push({
        ...old,
        activity,
        awaits: activity === 'awaiting' ? { kind: 'queue', id: 0, since: now } : null,
        steps: old.steps + 1,
      });
    }
    // Ten workers finish and ten start; the model forgets ten finished ones.
    const removed = [];
    for (let i = 0; i < 10; i++) {
      const id = live.splice(Math.floor(random() * (live.length - supervisors - 1)) + supervisors + 1, 1)[0];
      removed.push(id);
      const parent = 2 + Math.floor(random() * supervisors);
      const fresh = task(next++, parent, random() < 0.5 ? parent : null, now);
      live.push(fresh.id);
      changed.push(fresh);
    }
    t = performance.now();
    const result = model.apply({
      seq: d,
      now,
      stopped: false,
      tasks: changed,
      removed,
      dropped: { records: 0, objects: 0 },
    });
    const containers = tree.affected(result.changed, result.removed, result.added);
    applyTimes.push(performance.now() - t);

    t = performance.now();
    // VS Code re-asks the refreshed containers that are expanded, then every expanded row below them.
    for (const id of containers) {
      if (!expanded.has(id ?? '')) continue;
      rows += open(expanded.get(id ?? '')).length;
    }
    refreshTimes.push(performance.now() - t);
  }

  console.log(
    `task tree, ${TASKS} live tasks, mode ${MODE}, ${DELTAS} deltas of ${CHANGES} changes + 10 new + 10 removed`,
  );
  console.log(`snapshot + first expansion: ${snapshotMs.toFixed(1)} ms`);
  console.log(`apply delta + find containers: ${stats(applyTimes)}`);
  console.log(`refresh (rows recomputed): ${stats(refreshTimes)}; ${(rows / DELTAS).toFixed(0)} rows per refresh`);
}

main();
