// `npm run e2e:electron`: the same extension-host suite in desktop VS Code through
// @vscode/test-electron. Needs a VS Code executable (VSCODE_EXECUTABLE_PATH) or internet access to
// download one; on offline machines use `npm run test:e2e` (code-server) instead.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');
const { buildSuite } = require('./extensionHostTests');

const ROOT = path.resolve(__dirname, '..', '..');

async function main() {
  require('child_process').execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const suite = await buildSuite();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-electron-'));
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  const results = path.join(runDir, 'results.json');
  let exitCode = 1;
  try {
    exitCode = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      version: process.env.VSCODE_VERSION || undefined,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      extensionTestsEnv: { E2E_RESULTS: results },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${runDir}/ud`],
    });
  } catch (e) {
    console.error(`VS Code did not run the suite: ${e.message ?? e}`);
  }
  const outcomes = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : [];
  for (const o of outcomes)
    console.log(`${o.state === 'passed' ? '✓' : '✗'} ${o.title}${o.error ? `\n${o.error}` : ''}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  const failed = outcomes.length - passed + (outcomes.length === 0 ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(exitCode === 0 && failed === 0 ? 0 : 1);
}

main();
