#!/usr/bin/env node
// `npm run bench`: every benchmark in bench/, each printing ratios against plain python and debugpy.
// Pass --quick for smaller workloads. Budgets live here, never in tests.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const quick = process.argv.includes('--quick') ? ['--quick'] : [];
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const benches = ['debugger/bench.py', 'debugger/adapter_bench.py', 'tasks_bench.py'].filter((b) =>
  fs.existsSync(path.join(__dirname, b)),
);
let failed = 0;
for (const b of benches) {
  console.log(`\n=== bench/${b}`);
  const r = spawnSync(python, [path.join(__dirname, b), ...quick], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
