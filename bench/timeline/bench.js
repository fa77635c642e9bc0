#!/usr/bin/env node
// Timeline frame-time benchmark: the built webview bundle, in the same page the extension serves
// (same HTML and CSP), loaded in headless Chromium with a synthetic trace of 10,000 tasks and
// 1,000,000 steps; zoom and pan are driven with the wheel, drags and keys; the page measures each
// render (performance.now around it). Prints median and p95 frame times.
//
// Then live appends: --appends deltas of --append-spans steps each (10 Hz of a busy session), each
// handed to the page's message handler like the host's `append`; prints the time from the message
// to the end of the frame it caused.
//
//   node bench/timeline/bench.js [--tasks N] [--spans N] [--frames N] [--appends N] [--append-spans N]
//                                [--arrows] [--headed]
const esbuild = require('esbuild');
const fs = require('fs');
const http = require('http');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const PLAYWRIGHT = path.join(ROOT, '.vscode-test', 'tools', 'node_modules', 'playwright-core');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const TASKS = arg('tasks', 10_000);
const SPANS = arg('spans', 1_000_000);
const FRAMES = arg('frames', 300);
const APPENDS = arg('appends', 100);
const APPEND_SPANS = arg('append-spans', 1000);

/** The page's HTML from the extension's own template (bundled on the fly: no tsc step needed). */
function pageHtml(origin, nonce) {
  const out = esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'src', 'extension', 'timelineHtml.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
  });
  const mod = { exports: {} };
  new Function('module', 'exports', out.outputFiles[0].text)(mod, mod.exports);
  const html = mod.exports.timelineHtml({
    cspSource: origin,
    scriptUri: `${origin}/timeline.js`,
    styleUri: `${origin}/timeline.css`,
    nonce,
  });
  // Stands in for VS Code: the API object, and the theme variables VS Code would inject.
  const stub = `<script nonce="${nonce}" src="${origin}/stub.js"></script>`;
  return html.replace('<script nonce', `${stub}\n<script nonce`);
}

/** Runs in the page: a fake `acquireVsCodeApi` that answers `ready` with a synthetic trace. */
function stubSource(tasks, spans) {
  return `
document.documentElement.style.cssText = '--vscode-font-family: sans-serif; --vscode-foreground: #ccc; --vscode-editor-background: #1e1e1e;';
document.documentElement.style.background = '#1e1e1e';
window.benchLoad = { started: 0, loaded: 0 };
function synthesize(taskCount, spanCount) {
  // A deterministic tree (main → 100 workers → their children) over 60 s, steps evenly spread.
  let seed = 42;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  const DURATION = 60e9;
  const kinds = ['sleep', 'queue', 'lock', 'task', 'gather', 'yield', 'socket'];
  const states = ['ok', 'ok', 'ok', 'error', 'cancelled', 'pending'];
  const tasks = [];
  const per = Math.floor(spanCount / taskCount);
  const s = { task: [], start: [], end: [], scheduled: [], woken_by: [], awaits_kind: [], awaits_id: [] };
  const edges = [];
  for (let id = 1; id <= taskCount; id++) {
    const parent = id === 1 ? null : id <= 101 ? 1 : 2 + ((id - 102) % 100);
    const created = id === 1 ? 0 : Math.floor(rnd() * DURATION * 0.5);
    const life = Math.floor((DURATION - created) * (0.3 + 0.7 * rnd()));
    const state = id === 1 ? 'ok' : states[id % states.length];
    const ended = state === 'pending' ? null : created + life;
    tasks.push({ id, name: 'task-' + id, coroutine: 'worker_' + (id % 37), site: { file: '/bench/app.py', line: 1 + (id % 300), function: 'spawn' },
      parent, group: null, loop: 1, thread: 1, created, ended, state, type: state === 'error' ? 'ValueError' : 'int', error: null });
    if (parent !== null) edges.push(['parent', parent, id, created]);
    const n = id === taskCount ? spanCount - per * (taskCount - 1) : per;
    const slot = life / n;
    for (let k = 0; k < n; k++) {
      const sched = created + k * slot + rnd() * slot * 0.3;
      const start = sched + rnd() * slot * 0.1;
      const end = start + Math.max(1000, rnd() * slot * 0.4);
      s.task.push(id); s.scheduled.push(Math.floor(sched)); s.start.push(Math.floor(start)); s.end.push(Math.floor(end));
      s.woken_by.push(0); s.awaits_kind.push(k === n - 1 ? '' : kinds[(id + k) % kinds.length]); s.awaits_id.push(k === n - 1 ? 0 : taskCount + k);
    }
  }
  return { format: 'asyncio-debugger-trace', version: 1, metadata: { duration_ns: DURATION }, tasks, futures: [], spans: s, edges, reports: [] };
}
/** Delta number k of a session that goes on after the trace: steps of the pending tasks, in order. */
window.benchDelta = (k, size) => {
  const DURATION = 60e9;
  const pending = [];
  for (let id = 2; id <= ${tasks}; id++) if (id % 6 === 5) pending.push(id);
  const slot = 1e8 / size;
  const s = { task: [], start: [], end: [], scheduled: [], woken_by: [], awaits_kind: [], awaits_id: [] };
  for (let i = 0; i < size; i++) {
    const start = DURATION + k * 1e8 + i * slot;
    s.task.push(pending[(k * size + i) % pending.length]); s.scheduled.push(Math.floor(start - slot / 4));
    s.start.push(Math.floor(start)); s.end.push(Math.floor(start + slot / 2));
    s.woken_by.push(0); s.awaits_kind.push('sleep'); s.awaits_id.push(0);
  }
  return { tasks: [], spans: s, edges: [], now: DURATION + (k + 1) * 1e8 };
};
window.acquireVsCodeApi = () => ({
  getState: () => undefined,
  setState: () => undefined,
  postMessage: (m) => {
    if (m.type !== 'ready') return;
    setTimeout(() => {
      const trace = synthesize(${tasks}, ${spans});
      window.benchLoad.started = performance.now();
      window.postMessage({ type: 'load', source: { kind: 'file', path: '/bench/synthetic.json', label: 'synthetic' }, trace }, '*');
    }, 0);
  },
});
`;
}

function serve(files) {
  const server = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const body = files[req.url === '/' ? '/index.html' : req.url];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = req.url.endsWith('.js') ? 'text/javascript' : req.url.endsWith('.css') ? 'text/css' : 'text/html';
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  if (!fs.existsSync(PLAYWRIGHT))
    throw new Error(`playwright-core not found at ${PLAYWRIGHT}: run npm run e2e:install`);
  // Measure the code as it is now, built the way it ships.
  require('child_process').execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production'], {
    cwd: ROOT,
  });
  const files = {
    '/timeline.js': fs.readFileSync(path.join(ROOT, 'dist', 'webview', 'timeline.js')),
    '/timeline.css': fs.readFileSync(path.join(ROOT, 'media', 'timeline.css')),
    '/stub.js': stubSource(TASKS, SPANS),
  };
  const server = await serve(files);
  const origin = `http://127.0.0.1:${server.address().port}`;
  files['/index.html'] = pageHtml(origin, 'bench-nonce');

  const { chromium } = require(PLAYWRIGHT);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.argv.includes('--headed'),
    args: FLAGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(origin);
    await page.locator('.lane-label').first().waitFor({ timeout: 120_000 });
    const loadMs = await page.evaluate(() => performance.now() - window.benchLoad.started);
    const stats = await page.locator('#stats').innerText();
    const frames = () => page.evaluate(() => Number(document.body.dataset.frames ?? 0));
    const canvas = page.locator('#lanes');
    const box = await canvas.boundingBox();
    if (process.argv.includes('--arrows')) await page.locator('#arrows').click();
    await canvas.focus();
    await page.evaluate(() => (window.asyncioTimeline.frameTimes.length = 0));

    // One input, then wait for the frame it caused, so every sample is one render.
    const step = async (action) => {
      const before = await frames();
      await action();
      await page.waitForFunction((n) => Number(document.body.dataset.frames ?? 0) > n, before);
    };
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    let done = 0;
    while (done < FRAMES) {
      // Zoom in from "fit" to sub-millisecond detail, pan around, zoom back out.
      for (let i = 0; i < 12 && done < FRAMES; i++, done++) {
        await page.mouse.move(box.x + box.width * (0.3 + 0.04 * i), cy);
        await step(() => page.mouse.wheel(0, -240));
      }
      for (let i = 0; i < 10 && done < FRAMES; i++, done++) {
        await step(async () => {
          await page.mouse.move(cx, cy);
          await page.mouse.down();
          await page.mouse.move(cx - 60, cy - 40);
          await page.mouse.up();
        });
      }
      for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'PageDown', '+', '-', 'ArrowUp', 'PageUp']) {
        if (done++ >= FRAMES) break;
        await step(() => page.keyboard.press(key));
      }
      for (let i = 0; i < 12 && done < FRAMES; i++, done++) await step(() => page.mouse.wheel(0, 240));
      if (done++ < FRAMES) await step(() => page.keyboard.press('0'));
    }
    // The canvases once grew the page until the toolbar scrolled away: keep an eye on the layout.
    const toolbarTop = await page.evaluate(() => document.getElementById('toolbar').getBoundingClientRect().top);
    if (toolbarTop !== 0) errors.push(`the page scrolled: toolbar at ${toolbarTop}px`);
    const times = await page.evaluate(() => [...window.asyncioTimeline.frameTimes]);
    const appendTimes = [];
    for (let k = 0; k < APPENDS; k++) {
      const before = await frames();
      // Dispatched synchronously, so the page's own handler and the frame it asks for are timed.
      const handled = await page.evaluate(
        ({ k, size }) => {
          const delta = window.benchDelta(k, size);
          const t0 = performance.now();
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'append', delta } }));
          return performance.now() - t0;
        },
        { k, size: APPEND_SPANS },
      );
      await page.waitForFunction((n) => Number(document.body.dataset.frames ?? 0) > n, before);
      // The message's own work plus the render it caused (not the wait for the next vsync).
      appendTimes.push(handled + (await page.evaluate(() => window.asyncioTimeline.frameTimes.at(-1))));
    }
    const sorted = [...times].sort((a, b) => a - b);
    const fmt = (v) => `${v.toFixed(2)} ms`;
    console.log(`trace: ${stats}; first render after load message: ${loadMs.toFixed(0)} ms`);
    console.log(`frames: ${sorted.length}`);
    console.log(`median frame: ${fmt(percentile(sorted, 50))}`);
    console.log(`p95 frame:    ${fmt(percentile(sorted, 95))}`);
    console.log(`max frame:    ${fmt(sorted[sorted.length - 1])}`);
    if (appendTimes.length) {
      const a = [...appendTimes].sort((x, y) => x - y);
      console.log(
        `appends: ${a.length} × ${APPEND_SPANS} steps; trace now: ${await page.locator('#stats').innerText()}`,
      );
      console.log(
        `append + its frame median: ${fmt(percentile(a, 50))}, p95: ${fmt(percentile(a, 95))}, max: ${fmt(a[a.length - 1])}`,
      );
    }
    if (errors.length) console.log(`page errors:\n  ${errors.join('\n  ')}`);
    const shot = path.join(ROOT, 'test-results', 'bench-timeline.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${path.relative(ROOT, shot)}`);
    process.exitCode = errors.length ? 1 : 0;
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
