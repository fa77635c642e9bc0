#!/usr/bin/env node
// Runs every test layer in order and prints one closing line `N passed, N failed` for all of them.
// Layers: static checks, unit tests (no Python, no VS Code), agent (Python unittest on 3.10-3.13), transparency
// (CPython's test_asyncio with and without the hooks, 3.12), adapter (DAP against real Python),
// e2e (real VS Code through code-server + Playwright). `--skip-e2e` leaves the last one out.
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const skipE2e = process.argv.includes('--skip-e2e');

const layers = [
  { name: 'build', cmd: 'npm', args: ['run', 'build'] },
  { name: 'typecheck', cmd: 'npm', args: ['run', 'typecheck'] },
  { name: 'lint', cmd: 'npm', args: ['run', 'lint'] },
  { name: 'unit', cmd: 'npm', args: ['run', 'test:unit'] },
  { name: 'agent', cmd: 'npm', args: ['run', 'test:agent'] },
  // CPython's own test_asyncio (a quick subset of modules) plain and under `record`: no test may
  // fail only with the hooks on. One interpreter keeps it near 1.5 minutes.
  {
    name: 'transparency',
    cmd: 'python3',
    args: ['test/transparency/run_test_asyncio.py', '3.12', '--quick', '--jobs', '2'],
  },
  { name: 'adapter', cmd: 'npm', args: ['run', 'test:adapter'] },
];
if (!skipE2e) layers.push({ name: 'e2e', cmd: 'npm', args: ['run', 'test:e2e'] });

/** Reads the counts a layer printed: our own `N passed, N failed` line, or mocha's summary. */
function counts(output) {
  const lines = output.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\s*(\d+) passed, (\d+) failed/.exec(lines[i]);
    if (m) return { passed: Number(m[1]), failed: Number(m[2]) };
  }
  const passing = /(\d+) passing/.exec(output);
  if (passing) {
    const failing = /(\d+) failing/.exec(output);
    return { passed: Number(passing[1]), failed: failing ? Number(failing[1]) : 0 };
  }
  return null;
}

function run(layer) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${layer.name}: ${layer.cmd} ${layer.args.join(' ')}`);
    const child = spawn(layer.cmd, layer.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

async function main() {
  let passed = 0;
  let failed = 0;
  const summary = [];
  for (const layer of layers) {
    const { code, out, seconds } = await run(layer);
    const c = counts(out);
    // A check without its own counts (build, lint) is one test; a runner that died without a
    // summary counts as one failure so it can never look green.
    const p = c ? c.passed : code === 0 ? 1 : 0;
    const f = c ? c.failed + (code !== 0 && c.failed === 0 ? 1 : 0) : code === 0 ? 0 : 1;
    passed += p;
    failed += f;
    summary.push(`${layer.name.padEnd(10)} exit ${code}  ${p} passed, ${f} failed  (${seconds.toFixed(1)} s)`);
  }
  console.log('\n=== summary');
  for (const s of summary) console.log(s);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
