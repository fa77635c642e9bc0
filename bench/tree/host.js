#!/usr/bin/env node
// Extension host cost of a 10,000-task program in real VS Code (code-server + headless Chromium):
// churn10k.py keeps N workers alive, each ending after a few seconds and replaced at once, under
// an `asyncio` debug session. The benchmark reads the extension host's CPU time (utime + stime of
// its /proc/<pid>/stat; the debug adapter runs inline in it) per second of program time in four
// phases: the Asyncio Tasks view hidden (Explorer shown), open with the workers' fold collapsed,
// open with the fold and its first page (1,000 rows) expanded, and hidden again. It also times,
// from the browser, expands of the 10k-task fold and of its first page: from the click until the
// first child row is on screen. Prints the figures.
//
//   node bench/tree/host.js [--tasks N] [--seconds S] [--lifetime S] [--expands N] [--python PATH]
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const { startCodeServer, stopCodeServer, linkExtension } = require(path.join(ROOT, 'test/e2e/codeServer'));
const { launchBrowser } = require(path.join(ROOT, 'test/e2e/browser'));
const { ensureTools } = require(path.join(ROOT, 'test/e2e/install'));
const { Workbench } = require(path.join(ROOT, 'test/e2e/ui/workbench'));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const TASKS = Number(arg('tasks', 10_000));
const PHASE_S = Number(arg('seconds', 15));
const LIFETIME_S = Number(arg('lifetime', 5));
const EXPANDS = Number(arg('expands', 5));
const PYTHON = arg('python', fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const LONG = 120_000;
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** The extension host: a descendant of code-server whose command line says so. */
function extensionHostPid(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift();
    for (const child of children.get(pid) ?? []) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (/extensionHost/i.test(cmdline)) return child;
      queue.push(child);
    }
  }
  return undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function phase(name, pid, results) {
  const cpu0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  await sleep(PHASE_S * 1000);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const perSecond = (cpuSeconds(pid) - cpu0) / wall;
  results.push({ phase: name, perSecond });
  console.log(`  ${name.padEnd(44)} ${(perSecond * 1000).toFixed(0).padStart(5)} ms CPU per s (${wall.toFixed(1)} s)`);
}

function writeWorkspace(dir) {
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'churn10k.py'), path.join(dir, 'churn10k.py'));
  const seconds = PHASE_S * 4 + 120 + EXPANDS * 10;
  const config = {
    version: '0.2.0',
    configurations: [
      {
        type: 'asyncio',
        request: 'launch',
        name: 'Churn',
        program: '${workspaceFolder}/churn10k.py',
        args: [String(TASKS), String(seconds), String(LIFETIME_S)],
        python: PYTHON,
        console: 'internalConsole',
      },
    ],
  };
  fs.writeFileSync(path.join(dir, '.vscode', 'launch.json'), JSON.stringify(config, null, 2));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  ensureTools();
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-bench-tree-'));
  const extensionsDir = path.join(runDir, 'ext');
  linkExtension(extensionsDir, ROOT);
  const workspace = path.join(runDir, 'workspace');
  writeWorkspace(workspace);
  const server = await startCodeServer({ runDir, extensionsDir });
  const { context, close } = await launchBrowser();
  let wb;
  try {
    wb = new Workbench(await context.newPage());
    const page = wb.page;
    await wb.open(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await wb.quickOpen('churn10k.py');
    const pid = extensionHostPid(server.child.pid);
    if (!pid) throw new Error('no extension host process under code-server');
    console.log(
      `${TASKS} live tasks, mean lifetime ${LIFETIME_S} s (~${Math.round(TASKS / LIFETIME_S)} end and start per s)`,
    );
    console.log(`extension host pid ${pid}; ${PHASE_S} s per phase`);

    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ timeout: LONG });
    const tasksPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Asyncio Tasks' }) });
    const rows = tasksPane.locator('.pane-body .monaco-list-row');
    // Live workers fold into one "worker() ×N awaiting" row (finished ones into another).
    const fold = rows.filter({ hasText: /worker\(\) ×\d{4,}\s*awaiting/ }).first();
    // The session row counts the live tasks: wait until all workers are known.
    await wb.runCommand('View: Show Run and Debug');
    await wb.expandView('Asyncio Tasks');
    // Room for the tree, as someone watching 10k tasks would make: fold the views above it.
    for (const title of ['Variables', 'Watch', 'Call Stack', 'Breakpoints']) {
      const header = page.locator('.pane-header', { hasText: title }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const session = rows.filter({ hasText: / live \/ / }).first();
    for (let live = 0; live < TASKS * 0.95; await sleep(250)) {
      await session.waitFor({ timeout: LONG });
      live = Number(/(\d+) live/.exec(await session.innerText())?.[1] ?? 0);
    }
    await fold.waitFor({ timeout: LONG });
    const results = [];
    /** Clicks `row` open EXPANDS times; each time from the click until a child row matches `child`. */
    const timeExpands = async (what, row, child) => {
      const times = [];
      const hostCpu = [];
      for (let i = 0; i < EXPANDS; i++) {
        const level = Number(await row.getAttribute('aria-level'));
        if ((await row.getAttribute('aria-expanded')) === 'true') {
          await row.locator('.monaco-tl-twistie').click();
          await page.waitForFunction(
            (l) => !document.querySelector(`.pane-body .monaco-list-row[aria-level="${l + 1}"] .label-name`),
            level,
          );
        }
        // Collapsed for a second, the rows go stale (the tree refreshes ten times a second): the
        // expand fetches all children again, as it does for someone coming back to the node.
        await sleep(1000);
        const cpu0 = cpuSeconds(pid);
        const started = await page.evaluate(() => performance.now());
        await row.locator('.monaco-tl-twistie').click();
        const shown = await page.waitForFunction(
          ({ l, source }) => {
            const rows = [...document.querySelectorAll(`.monaco-list-row[aria-level="${l + 1}"]`)];
            return rows.some((r) => new RegExp(source).test(r.textContent ?? '')) ? performance.now() : false;
          },
          { l: level, source: child.source },
          { polling: 'raf', timeout: LONG },
        );
        times.push((await shown.jsonValue()) - started);
        hostCpu.push((cpuSeconds(pid) - cpu0) * 1000);
      }
      const list = (values) => values.map((t) => t.toFixed(0)).join(', ');
      console.log(
        `  expand of ${what}: median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms` +
          ` (${list(times)}); extension host CPU meanwhile ${list(hostCpu)} ms`,
      );
    };

    await wb.runCommand('View: Show Explorer');
    await tasksPane.waitFor({ state: 'hidden' });
    await phase('view hidden (Explorer shown)', pid, results);

    await wb.runCommand('View: Show Run and Debug');
    await fold.waitFor({ timeout: LONG });
    await phase('view open, worker fold collapsed', pid, results);

    // Expand the fold (its rows: pages of 1,000 tasks), then its first page (1,000 task rows).
    const firstPage = rows.filter({ hasText: /worker\(\) 1–\d+\s*awaiting/ }).first();
    await timeExpands(`the ${TASKS}-task fold`, fold, /worker\(\) \d+–\d+|worker-\d+/);
    await timeExpands('its first page', firstPage, /worker-\d+/);
    await phase('view open, fold and its first page expanded', pid, results);

    await wb.runCommand('View: Show Explorer');
    await tasksPane.waitFor({ state: 'hidden' });
    await phase('view hidden again', pid, results);

    await page.locator('.debug-toolbar .codicon-debug-stop').click();
    await wb.waitForSessionEnd();
    return results;
  } catch (e) {
    await wb?.screenshot(path.join(ROOT, 'test-results', 'bench-tree-host-failed.png')).catch(() => undefined);
    throw e;
  } finally {
    await close();
    stopCodeServer(server);
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
