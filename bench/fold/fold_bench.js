#!/usr/bin/env node
// The adapter's task fold (src/adapter/taskFold.ts) on a recorded step-heavy stream: the agent's
// cost to encode each record (tasks/wire.py, measured in Python by record_stream.py, next to what
// folding it in Python costs) and the adapter's records per second to decode and fold them.
//
//   node bench/fold/fold_bench.js [--python PATH] [--steps N] [--runs N]
const { spawnSync } = require('child_process');
const esbuild = require('esbuild');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const python = arg('python', fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const steps = Number(arg('steps', 200_000));
const runs = Number(arg('runs', 5));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fold-bench-'));
try {
  const stream = path.join(dir, 'stream.json');
  const recorded = spawnSync(python, [path.join(__dirname, 'record_stream.py'), stream, String(steps)], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'src', 'agent') },
  });
  if (recorded.status !== 0) {
    throw new Error(`record_stream.py failed: ${recorded.stderr}`);
  }
  const agent = JSON.parse(recorded.stdout);
  const bundle = path.join(dir, 'taskFold.js');
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'src', 'adapter', 'taskFold.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
  });
  const { TaskFold } = require(bundle);
  const { records, bodies } = JSON.parse(fs.readFileSync(stream, 'utf8'));
  const times = [];
  let spans = 0;
  for (let run = 0; run < runs; run++) {
    const fold = new TaskFold();
    spans = 0;
    const start = process.hrtime.bigint();
    for (const body of bodies) {
      spans += fold.apply(body).spans.task.length;
    }
    times.push(Number(process.hrtime.bigint() - start));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    JSON.stringify({
      ...agent,
      node: process.version,
      spans,
      fold_ms_median: Math.round(median / 1e6),
      fold_records_per_s: Math.round(records / (median / 1e9)),
      fold_us_per_record: Number((median / records / 1000).toFixed(3)),
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
