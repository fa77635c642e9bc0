// The "Asyncio Tasks" view as a person uses it: a breakpoint inside a pipeline stage, F5, read the
// task rows while paused, "Go to Creation Site" from a row's context menu, "Cancel Task" on a stage
// and watch it end up cancelled once the program runs on.
//
//   node test/e2e/uiTasks.js [path.vsix]   (default: the VSIX that npm run package built)
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { Workbench, lineOf } = require('./ui/workbench');

const LONG = 60_000;
// TaskGroup needs 3.11+: Debian's interpreter (the one CI installs) unless E2E_PYTHON says otherwise.
const PYTHON = process.env.E2E_PYTHON ?? '/usr/bin/python3';

function tasksPane(page) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Asyncio Tasks' }) });
}

function taskRow(page, name) {
  // A row reads "<name> <coroutine>() · <status>"; match the name at the start of the label.
  return tasksPane(page)
    .locator('.pane-body .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
}

/** Each row as "<label> <description>". */
async function rowTexts(page) {
  return tasksPane(page)
    .locator('.pane-body .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((row) =>
        ['.label-name', '.label-description']
          .map((s) => row.querySelector(s)?.textContent?.trim() ?? '')
          .join(' ')
          .trim(),
      ),
    );
}

/** The selected row of the Call Stack and the thread row above it, as texts. */
async function callStackSelection(page) {
  return page.locator('.debug-call-stack .monaco-list-row').evaluateAll((rows) => {
    const at = rows.findIndex((r) => r.classList.contains('selected'));
    const thread = rows
      .slice(0, at + 1)
      .reverse()
      .find((r) => r.querySelector('.thread'));
    const text = (r) => r?.innerText.replace(/\s+/g, ' ').trim() ?? '';
    return { selected: text(rows[at]), thread: text(thread), expanded: thread?.getAttribute('aria-expanded') };
  });
}

/** Right-click `row` and pick `action` from its context menu. */
async function contextAction(page, row, action) {
  // A tooltip left open by an earlier hover would sit over the menu.
  await page.keyboard.press('Escape');
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .action-item', { hasText: action }).first();
  await item.waitFor({ timeout: LONG });
  // The menu ignores a click that comes too soon after it opened; a hovered item takes Enter at any time.
  await item.hover();
  await page.locator('.context-view .action-item.focused', { hasText: action }).waitFor({ timeout: LONG });
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached', timeout: LONG });
}

/** launch.json for this run: Debian's Python, output in the Debug Console. */
function writeLaunchJson(workspace) {
  const dir = path.join(workspace, '.vscode');
  fs.mkdirSync(dir, { recursive: true });
  const config = {
    version: '0.2.0',
    configurations: [
      {
        type: 'asyncio',
        request: 'launch',
        name: 'Pipeline',
        program: '${file}',
        python: PYTHON,
        console: 'internalConsole',
      },
    ],
  };
  fs.writeFileSync(path.join(dir, 'launch.json'), JSON.stringify(config, null, 2));
}

const tests = [
  {
    name: 'the task tree shows the pipeline while paused, opens a creation site and cancels a task; the timeline follows the session',
    async run(ctx) {
      const workspace = ctx.workspace('examples');
      writeLaunchJson(workspace);
      const program = path.join(workspace, 'taskgroup_pipeline.py');
      const bpLine = lineOf(program, 'words = len(body.split())');
      const wb = new Workbench(await ctx.newPage());
      await wb.open(ctx.folderUrl(workspace));
      await wb.quickOpen('taskgroup_pipeline.py');
      await wb.toggleBreakpoint(bpLine);

      await wb.page.keyboard.press('F5');
      // Each task has its own row in the Call Stack now; the stopped one says why it paused.
      await wb.page
        .locator('.debug-call-stack .monaco-list-row', { hasText: /paused on breakpoint/i })
        .first()
        .waitFor({ timeout: LONG });
      await wb.expandView('Asyncio Tasks');
      await taskRow(wb.page, 'store').waitFor({ timeout: LONG });
      const rows = await rowTexts(wb.page);
      assert.match(rows[0], /Pipeline.*paused/, JSON.stringify(rows));
      const find = (name) => rows.find((r) => r.startsWith(`${name} `));
      // asyncio.run's task (its number depends on the Python version) holds the TaskGroup.
      assert.match(rows[1], /^Task-\d+ main\(\) · awaiting TaskGroup/, JSON.stringify(rows));
      assert.match(rows[2], /^TaskGroup \d+ 3 tasks$/, JSON.stringify(rows));
      assert.match(find('parse') ?? '', /parse\(\) · running/, JSON.stringify(rows));
      assert.match(find('fetch') ?? '', /fetch\(\) · (awaiting|ready)/, JSON.stringify(rows));
      assert.match(find('store') ?? '', /store\(\) · (awaiting|ready)/, JSON.stringify(rows));
      // Room for the tree in the screenshot: fold the views above it, then hover a row for its tooltip.
      for (const title of ['Variables', 'Watch', 'Breakpoints']) {
        const header = wb.page.locator('.pane-header', { hasText: title }).first();
        if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
      }
      await taskRow(wb.page, 'store').hover();
      await wb.page.locator('.monaco-hover', { hasText: 'Created at' }).first().waitFor({ timeout: LONG });
      await wb.screenshot(ctx.artifact('tasks.png'));

      await contextAction(wb.page, taskRow(wb.page, 'fetch'), 'Go to Creation Site');
      const status = wb.page.locator('.statusbar-item[id="status.editor.selection"]');
      await status.filter({ hasText: `Ln ${lineOf(program, 'tg.create_task(fetch(')},` }).waitFor({ timeout: LONG });

      // Show Await Stack selects the task's own thread in the Call Stack and opens where it waits.
      const storeWaits = lineOf(program, 'while (item := await inp.get())');
      await contextAction(wb.page, taskRow(wb.page, 'store'), 'Show Await Stack');
      await status.filter({ hasText: `Ln ${storeWaits},` }).waitFor({ timeout: LONG });
      await wb.page
        .locator('.debug-call-stack .monaco-list-row.selected .stack-frame', { hasText: `${storeWaits}:` })
        .waitFor({ timeout: LONG });
      const selection = await callStackSelection(wb.page);
      assert.match(selection.thread, /^Task store · store\(\)/, JSON.stringify(selection));
      assert.strictEqual(selection.expanded, 'true', JSON.stringify(selection));
      assert.match(
        selection.selected,
        new RegExp(`^store .*taskgroup_pipeline\\.py ${storeWaits}:`),
        JSON.stringify(selection),
      );
      await wb.screenshot(ctx.artifact('tasks-await-stack.png'));

      // The breakpoint would stop the program again; without it, the cancel shows while it runs.
      await contextAction(wb.page, taskRow(wb.page, 'store'), 'Cancel Task');
      await wb.goToLine(bpLine);
      await wb.page.keyboard.press('F9');
      await wb.breakpointGlyphs().first().waitFor({ state: 'detached' });
      await wb.page.keyboard.press('F5');
      await taskRow(wb.page, 'store').filter({ hasText: 'cancelled' }).waitFor({ timeout: LONG });
      await wb.screenshot(ctx.artifact('tasks-cancelled.png'));
      // The timeline follows the same live session: a lane per task, the pipeline's stages among them.
      await wb.runCommand('Asyncio: Show Timeline');
      const timeline = wb.page
        .frameLocator('iframe.webview.ready[src*="extensionId=asyncio-debugger.asyncio-debugger"]')
        .frameLocator('#active-frame');
      const lanes = timeline.locator('[role="treeitem"]');
      for (const stage of ['fetch', 'parse', 'store']) {
        await lanes.filter({ hasText: stage }).first().waitFor({ timeout: LONG });
      }
      // Running again: the page says so and follows the end of the session.
      await timeline.locator('#live', { hasText: 'live' }).waitFor({ timeout: LONG });
      assert.strictEqual(await timeline.locator('#follow').getAttribute('aria-pressed'), 'true');
      await wb.screenshot(ctx.artifact('timeline-live.png'));
      // Nothing drains the queues any more: stop the program; the tree stays for the post-mortem.
      await wb.page.locator('.debug-toolbar .codicon-debug-stop').click();
      await wb.waitForSessionEnd();
      await tasksPane(wb.page)
        .locator('.pane-body .monaco-list-row', { hasText: 'ended' })
        .first()
        .waitFor({ timeout: LONG });
      assert.match((await rowTexts(wb.page)).find((r) => r.startsWith('store ')) ?? '', /cancelled/);
    },
  },
];

module.exports = { tests };

if (require.main === module) require('./uiTests').runAsMain(tests);
