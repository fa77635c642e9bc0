// The timeline as a person uses it: record a program with the agent, open the trace from the
// command palette, read the lanes in the webview, click one and land on the line that created it,
// click a step and land on the await it suspended on.
//
//   node test/e2e/uiTimeline.js [path.vsix]   (default: the VSIX that npm run package built)
const assert = require('assert');
const { execFileSync } = require('child_process');
const path = require('path');
const { ROOT } = require('./install');
const { Workbench, lineOf } = require('./ui/workbench');

const EXTENSION_ID = 'asyncio-debugger.asyncio-debugger';
const LONG = 60_000;
// Debian's interpreter is 3.11: TaskGroup is there, and the CI installs it.
const PYTHON = process.env.E2E_PYTHON ?? '/usr/bin/python3';

function webview(page) {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
}

/** Runs the example under the agent's recorder; the trace's sites point into `workspace`. */
function record(workspace) {
  const out = path.join(workspace, 'pipeline.trace.json');
  execFileSync(PYTHON, ['-m', 'asyncio_debugger', 'record', '-o', out, '--', 'taskgroup_pipeline.py'], {
    cwd: workspace,
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'src', 'agent') },
    stdio: 'pipe',
  });
  return out;
}

/** Runs a palette command once the extension's contributions are registered (just after load they may not be). */
async function runCommandWhenListed(page, title) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + LONG;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 3000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * Answers VS Code's own open dialog (the simple one code-server shows) as a person does: type the
 * file's folder, click the file in the list, accept. The dialog rewrites its box when it has read
 * a folder, so every step is checked and the whole answer is retried until it sticks.
 */
async function pickFile(page, file) {
  const dialog = page.locator('.quick-input-widget', { hasText: 'Open Asyncio Trace File' });
  await dialog.waitFor({ timeout: LONG });
  const input = page.locator('.quick-input-widget input');
  const name = path.basename(file);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  const deadline = Date.now() + LONG;
  for (;;) {
    try {
      await input.fill(path.dirname(file) + path.sep);
      await row.waitFor({ timeout: 5000 });
      await row.click();
      await page.waitForFunction((n) => document.querySelector('.quick-input-widget input')?.value.endsWith(n), name, {
        timeout: 5000,
      });
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

const tests = [
  {
    name: 'timeline: opens a recorded trace from the palette, nests lanes, a lane click opens its creation line, a step click the await it suspended on, survives hide and reload',
    async run(ctx) {
      const workspace = ctx.workspace('examples');
      const trace = record(workspace);
      const program = path.join(workspace, 'taskgroup_pipeline.py');
      const wb = new Workbench(await ctx.newPage());
      await wb.open(ctx.folderUrl(workspace));

      // With no session and no file, the panel says so and offers to open a trace.
      await runCommandWhenListed(wb.page, 'Asyncio: Show Timeline');
      const frame = webview(wb.page);
      await frame.locator('#empty-open').waitFor({ timeout: LONG });
      assert.match(await frame.locator('#empty-message').innerText(), /Open a recorded trace file/);

      await runCommandWhenListed(wb.page, 'Asyncio: Open Trace File…');
      await pickFile(wb.page, trace);
      const lanes = frame.locator('[role="treeitem"]');
      await lanes.filter({ hasText: 'parse' }).first().waitFor({ timeout: LONG });
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'Asyncio Timeline' }).waitFor();

      const labels = await lanes.evaluateAll((els) =>
        els.filter((e) => !e.hidden).map((e) => [e.getAttribute('aria-level'), e.getAttribute('aria-label')]),
      );
      const level = (name) => labels.find(([, label]) => label.startsWith(`${name}, `))?.[0];
      // main() is the root; its TaskGroup children sit one level below it.
      assert.strictEqual(level('Task-2') ?? labels[0][0], '1', JSON.stringify(labels));
      for (const stage of ['fetch', 'parse', 'store']) assert.strictEqual(level(stage), '2', JSON.stringify(labels));
      assert.match(labels.find(([, l]) => l.startsWith('parse, '))[1], /parse, parse, ok/);
      assert.match(await frame.locator('#stats').innerText(), /\d+ tasks · \d+ steps/);

      // Arrows on, a lane hovered: the screenshot shows spawn arrows and the details card.
      await frame.locator('#arrows').click();
      const canvas = frame.locator('#lanes');
      const box = await canvas.boundingBox();
      await canvas.hover({ position: { x: Math.round(box.width * 0.3), y: 33 } });
      await frame.locator('#tooltip:not([hidden])').waitFor();
      await wb.screenshot(ctx.artifact('timeline.png'));

      // Shift-drag over the start zooms to that range.
      const scale = () => canvas.evaluate(() => window.asyncioTimeline.view.state().viewport.nsPerPx);
      const before = await scale();
      await wb.page.keyboard.down('Shift');
      await wb.page.mouse.move(box.x + 5, box.y + 100);
      await wb.page.mouse.down();
      await wb.page.mouse.move(box.x + 150, box.y + 100, { steps: 5 });
      await wb.page.mouse.up();
      await wb.page.keyboard.up('Shift');
      const after = await scale();
      assert.ok(after < before / 4, `zoomed from ${before} to ${after} ns/px`);

      await lanes.filter({ hasText: 'parse' }).first().click();
      const line = lineOf(program, 'tg.create_task(parse(');
      await wb.page
        .locator('.tabs-container .tab.active', { hasText: 'taskgroup_pipeline.py' })
        .waitFor({ timeout: LONG });
      const status = wb.page.locator('.statusbar-item[id="status.editor.selection"]');
      await status.filter({ hasText: `Ln ${line},` }).waitFor({ timeout: LONG });
      await wb.screenshot(ctx.artifact('timeline-selected.png'));

      // A click on the parse lane while it waits opens the await its last step suspended on
      // (not the creation line), and the hover card names that line.
      await frame.locator('#fit').click();
      const point = await canvas.evaluate(() => {
        const view = window.asyncioTimeline.view;
        const model = view.current;
        const rows = model.rows();
        const row = rows.findIndex((r) => model.tasks.get(r.id).name === 'parse');
        const id = rows[row].id;
        const lane = model.lanes.get(id);
        let best = -1;
        for (let i = 0; i + 1 < lane.count; i++)
          if (best < 0 || lane.starts[i + 1] - lane.ends[i] > lane.starts[best + 1] - lane.ends[best]) best = i;
        const vp = view.state().viewport;
        const t = (lane.ends[best] + lane.starts[best + 1]) / 2;
        return { x: (t - vp.start) / vp.nsPerPx, y: row * 22 - vp.scrollTop + 11, site: model.stepSite(id, best) };
      });
      const awaits = [lineOf(program, 'await inp.get()'), lineOf(program, 'await out.put((name')];
      assert.ok(point.site && awaits.includes(point.site.line), JSON.stringify(point));
      assert.notStrictEqual(point.site.line, line);
      await canvas.click({ position: { x: Math.round(point.x), y: Math.round(point.y) } });
      await status.filter({ hasText: `Ln ${point.site.line},` }).waitFor({ timeout: LONG });
      await frame.locator('#labels').hover();
      await canvas.hover({ position: { x: Math.round(point.x), y: Math.round(point.y) } });
      const card = frame.locator('#tooltip:not([hidden])');
      await card.waitFor();
      assert.match(await card.innerText(), new RegExp(`taskgroup_pipeline\\.py:${point.site.line}\\b`));

      // Collapse main's lane, hide the panel behind another editor, show it again: the page is
      // rebuilt (no retainContextWhenHidden) and comes back from its saved state and the host.
      const main = lanes.filter({ has: frame.locator('.twistie:text("▾")') }).first();
      await main.locator('.twistie').click();
      await frame.locator('[role="treeitem"][aria-expanded="false"]').waitFor();
      assert.strictEqual(await lanes.filter({ hasText: 'fetch' }).count(), 0);
      await wb.page.locator('.tabs-container .tab', { hasText: 'Asyncio Timeline' }).click();
      await wb.quickOpen('README.md');
      await wb.page.locator('.tabs-container .tab', { hasText: 'Asyncio Timeline' }).click();
      const restored = webview(wb.page).locator('[role="treeitem"][aria-expanded="false"]');
      await restored.waitFor({ timeout: LONG });
      assert.match(await restored.getAttribute('aria-label'), /main/);
      assert.strictEqual(await webview(wb.page).locator('[role="treeitem"]', { hasText: 'fetch' }).count(), 0);

      // A window reload brings the panel back through its serializer, trace and collapsed lane included.
      await wb.page.reload();
      await wb.page.locator('.tabs-container .tab', { hasText: 'Asyncio Timeline' }).click({ timeout: LONG });
      const reloaded = webview(wb.page).locator('[role="treeitem"][aria-expanded="false"]');
      await reloaded.waitFor({ timeout: LONG });
      assert.match(await reloaded.getAttribute('aria-label'), /main/);
      assert.match(await webview(wb.page).locator('#source').innerText(), /pipeline\.trace\.json/);
    },
  },
];

module.exports = { tests };

if (require.main === module) require('./uiTests').runAsMain(tests);
