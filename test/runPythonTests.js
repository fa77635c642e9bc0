#!/usr/bin/env node
// Runs the Python agent's unittest suite (test/agent) on every CPython 3.10-3.13 found under pyenv.
// Prints per-interpreter results; the last line is exactly "N passed, N failed" summed over all.
'use strict';

const { spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const wanted = ['3.10', '3.11', '3.12', '3.13'];

function pyenvRoot() {
  try {
    return execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return process.env.PYENV_ROOT || path.join(os.homedir(), '.pyenv');
  }
}

function interpreters() {
  const versionsDir = path.join(pyenvRoot(), 'versions');
  let entries = [];
  try {
    entries = fs.readdirSync(versionsDir);
  } catch {
    entries = [];
  }
  const found = [];
  for (const minor of wanted) {
    const matches = entries
      .filter((e) => e === minor || e.startsWith(minor + '.'))
      .filter((e) => /^\d+\.\d+(\.\d+)?$/.test(e))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const best = matches[matches.length - 1];
    const exe = best && path.join(versionsDir, best, 'bin', 'python3');
    if (exe && fs.existsSync(exe)) {
      found.push({ minor, version: best, exe });
    } else {
      console.log(`Python ${minor}: not installed under ${versionsDir} (not run)`);
    }
  }
  return found;
}

function parseCounts(output) {
  const ran = /^Ran (\d+) tests?/m.exec(output);
  const total = ran ? Number(ran[1]) : 0;
  const failedLine = /^FAILED \(([^)]*)\)/m.exec(output);
  let bad = 0;
  if (failedLine) {
    for (const part of failedLine[1].split(',')) {
      const m = /(failures|errors|unexpected successes)=(\d+)/.exec(part.trim());
      if (m) bad += Number(m[2]);
    }
  }
  const skipped = /skipped=(\d+)/.exec(output);
  const skip = skipped ? Number(skipped[1]) : 0;
  return { passed: Math.max(total - bad - skip, 0), failed: bad, skipped: skip, ran: Boolean(ran) };
}

const pythons = interpreters();
let passed = 0;
let failed = 0;
if (pythons.length === 0) {
  console.log('No Python 3.10-3.13 interpreter found.');
  failed += 1;
}
const filter = process.argv.slice(2);
for (const py of pythons) {
  const args = ['-m', 'unittest', 'discover', '-s', 'test/agent', '-t', 'test/agent', '-p', 'test*.py'];
  for (const f of filter) args.push('-k', f);
  const env = { ...process.env, PYTHONPATH: path.join(root, 'src', 'agent'), PYTHONDONTWRITEBYTECODE: '1' };
  const started = Date.now();
  const res = spawnSync(py.exe, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = (res.stdout || '') + (res.stderr || '');
  const counts = parseCounts(output);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!counts.ran || (res.status !== 0 && counts.failed === 0)) {
    counts.failed += 1;
  }
  if (counts.failed > 0) {
    process.stdout.write(output);
  }
  console.log(
    `Python ${py.version} (${py.exe}): ${counts.passed} passed, ${counts.failed} failed` +
      (counts.skipped ? `, ${counts.skipped} skipped` : '') +
      ` in ${seconds}s`,
  );
  passed += counts.passed;
  failed += counts.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
