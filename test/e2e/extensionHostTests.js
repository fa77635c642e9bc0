// Route 1: the mocha suite in test/e2e/suite runs inside code-server's real extension host, with
// this repository loaded as the extension under development (see TESTING.md).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { ROOT } = require('./install');
const { startCodeServer, stopCodeServer } = require('./codeServer');
const { launchBrowser } = require('./browser');

const SUITE_OUT = path.join(ROOT, 'out', 'e2e', 'suite', 'index.js');
const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');

/** Bundles the suite with mocha inside, so it loads in any extension host's module system. */
async function buildSuite() {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'test', 'e2e', 'suite', 'index.ts')],
    outfile: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    // mocha's parallel mode resolves worker files at run time; the suite runs serially.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return SUITE_OUT;
}

function copyWorkspace(runDir) {
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  return workspace;
}

/**
 * @returns {Promise<{ outcomes: {title: string, state: string, error?: string}[], exitCode: number }>}
 */
async function runExtensionHostTests({ onLog = () => undefined } = {}) {
  const suite = await buildSuite();
  const keepLogAs = path.join(ARTIFACTS, 'code-server-extension-host.log');
  const server = await startCodeServer({ smokeTestDriver: true, keepLogAs });
  const { context, close } = await launchBrowser();
  const results = path.join(server.runDir, 'results.json');
  try {
    const workspace = copyWorkspace(server.runDir);
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(suite)],
      ['extensionEnvironment', JSON.stringify({ E2E_RESULTS: results })],
    ];
    const page = await context.newPage();
    // The workbench calls these (the contract @vscode/test-web uses) with the suite's log and exit code.
    const exitCode = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => onLog(`[${type}] ${args.join(' ')}`));
    page.on('console', (m) => onLog(`[browser ${m.type()}] ${m.text()}`));
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const code = await exitCode;
    await page.screenshot({ path: path.join(ARTIFACTS, 'extension-host.png') }).catch(() => {});
    const outcomes = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : [];
    if (code !== 0 && outcomes.every((o) => o.state === 'passed')) {
      outcomes.push({
        title: 'extension-host suite',
        state: 'failed',
        error: `exit code ${code}; see ${keepLogAs}`,
      });
    }
    return { outcomes, exitCode: code };
  } finally {
    await close();
    stopCodeServer(server);
  }
}

module.exports = { runExtensionHostTests, buildSuite };

if (require.main === module) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  runExtensionHostTests({ onLog: (l) => console.log(l) }).then(({ outcomes, exitCode }) => {
    for (const o of outcomes)
      console.log(`${o.state === 'passed' ? '✓' : '✗'} ${o.title}${o.error ? `\n${o.error}` : ''}`);
    process.exit(exitCode === 0 ? 0 : 1);
  });
}
