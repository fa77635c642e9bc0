// Route 2: the packaged VSIX installed into code-server like a user would, driven through Chromium.
const fs = require('fs');
const path = require('path');
const { ROOT } = require('./install');
const { startCodeServer, stopCodeServer, installVsix } = require('./codeServer');
const { launchBrowser } = require('./browser');

const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');
const EXAMPLES = path.join(ROOT, 'examples');

function slug(name) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/**
 * @param {string} vsix path of the package to test
 * @param {(line: string) => void} [report] called with each test's result line
 */
async function runUiTests(vsix, { report = () => undefined, only, tests = allTests() } = {}) {
  const server = await startCodeServer({
    keepLogAs: path.join(ARTIFACTS, 'code-server-ui.log'),
    beforeStart: (s) => installVsix(vsix, s.extensionsDir, s.runDir),
  });
  const { context, close } = await launchBrowser();
  const outcomes = [];
  let workspaces = 0;
  try {
    for (const t of tests.filter((t) => !only || t.name.includes(only))) {
      const pages = [];
      const ctx = {
        newPage: async () => {
          const page = await context.newPage();
          pages.push(page);
          return page;
        },
        /** A fresh copy of examples/, so runs never write into the repository. */
        workspace: (_name, { withoutLaunchJson = false } = {}) => {
          const dir = path.join(server.runDir, `workspace-${++workspaces}`, 'examples');
          fs.cpSync(EXAMPLES, dir, { recursive: true });
          if (withoutLaunchJson) fs.rmSync(path.join(dir, '.vscode'), { recursive: true, force: true });
          return dir;
        },
        folderUrl: (dir) => `${server.url}/?folder=${encodeURIComponent(dir)}`,
        artifact: (file) => path.join(ARTIFACTS, file),
      };
      try {
        await t.run(ctx);
        outcomes.push({ title: t.name, state: 'passed' });
      } catch (e) {
        const shot = path.join(ARTIFACTS, `failed-${slug(t.name)}.png`);
        await pages
          .at(-1)
          ?.screenshot({ path: shot })
          .catch(() => undefined);
        outcomes.push({ title: t.name, state: 'failed', error: `${e.stack ?? e}\n(screenshot: ${shot})` });
      } finally {
        for (const page of pages) await page.close().catch(() => undefined);
      }
      const last = outcomes.at(-1);
      report(`${last.state === 'passed' ? '✓' : '✗'} UI: ${last.title}${last.error ? `\n${last.error}` : ''}`);
    }
  } finally {
    await close();
    stopCodeServer(server);
  }
  return outcomes;
}

/** Every browser UI test, run in one code-server and one browser. */
function allTests() {
  return [
    ...require('./ui/debugging.ui').tests,
    ...require('./uiTimeline').tests,
    ...require('./uiTimelineLive').tests,
    ...require('./uiTasks').tests,
    ...require('./uiTasksScale').tests,
    ...require('./ui/completion.ui').tests,
  ];
}

/**
 * Runs `tests` (every UI test by default) as a script: `node <file> [path.vsix]`, the VSIX that
 * `npm run package` built by default; E2E_ONLY picks tests by name. Exits 1 when one fails.
 */
function runAsMain(tests = allTests()) {
  const vsix = process.argv[2] ?? require('../../scripts/package').VSIX;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  runUiTests(vsix, { tests, report: console.log, only: process.env.E2E_ONLY }).then((outcomes) =>
    process.exit(outcomes.every((o) => o.state === 'passed') ? 0 : 1),
  );
}

module.exports = { runUiTests, runAsMain };

if (require.main === module) runAsMain();
