// `npm run test:e2e`: install tools → package the VSIX → extension-host tests → browser UI tests.
// Prints one line per test and, last, exactly `N passed, N failed`.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');
// A safety net for a hung browser or session, not a performance assertion.
const GLOBAL_TIMEOUT_MS = 15 * 60_000;

const outcomes = [];
function record(title, state, error) {
  outcomes.push({ title, state, error });
  console.log(`${state === 'passed' ? '✓' : '✗'} ${title}`);
  if (error) console.log(indent(error));
}

function indent(text) {
  return String(text)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

// The README's pictures come from a green run, never from hand: screenshot → docs/images.
const README_IMAGES = {
  'after-step-over.png': 'debugging.png',
  'tasks.png': 'tasks.png',
  'timeline.png': 'timeline.png',
};

function publishReadmeImages() {
  for (const [from, to] of Object.entries(README_IMAGES)) {
    const source = path.join(ARTIFACTS, from);
    if (fs.existsSync(source)) fs.copyFileSync(source, path.join(ROOT, 'docs', 'images', to));
  }
}

function finish() {
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  const failed = outcomes.length - passed;
  if (failed === 0 && passed > 0 && !process.env.CI) publishReadmeImages();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

async function step(title, fn) {
  const started = Date.now();
  console.log(`── ${title}`);
  try {
    const result = await fn();
    console.log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (e) {
    record(title, 'failed', e.stack ?? e);
    return undefined;
  }
}

async function main() {
  // Screenshots from an earlier run must not pass for this one's.
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const timer = setTimeout(() => {
    record('whole run', 'failed', `did not finish within ${GLOBAL_TIMEOUT_MS / 60_000} minutes`);
    finish(); // process exit stops code-server through codeServer.js's exit handler
  }, GLOBAL_TIMEOUT_MS);
  timer.unref();

  const { ensureTools } = require('./install');
  if (!(await step('install tools', () => ensureTools()))) return finish();

  const packaged = await step('package', () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package.js')], { cwd: ROOT, stdio: 'pipe' });
    return require('../../scripts/package').VSIX;
  });
  if (packaged) record('package: the VSIX ships the adapter, extension and agent, and no sources or tests', 'passed');

  // The extension-host suite loads the working tree, whose dist/ the package step just rebuilt.
  await step('extension-host tests (code-server + mocha)', async () => {
    const { runExtensionHostTests } = require('./extensionHostTests');
    const log = [];
    const { outcomes: hostOutcomes, exitCode } = await runExtensionHostTests({ onLog: (l) => log.push(l) });
    fs.writeFileSync(path.join(ARTIFACTS, 'extension-host.log'), log.join('\n'));
    for (const o of hostOutcomes) record(`extension host: ${o.title}`, o.state, o.error);
    if (hostOutcomes.length === 0) record('extension host: suite', 'failed', `no results (exit ${exitCode})`);
  });

  if (packaged) {
    await step('UI tests (VSIX in code-server + Chromium)', async () => {
      const { runUiTests } = require('./uiTests');
      for (const o of await runUiTests(packaged)) record(`UI: ${o.title}`, o.state, o.error);
    });
  }
  finish();
}

main().catch((e) => {
  record('runner', 'failed', e.stack ?? e);
  finish();
});
