// The timeline of a running program, as a person watches it: it follows the end while the program
// runs, stays where the user scrolled back to, marks "now" when the program pauses, also lives in
// the panel area, and reads in a high-contrast theme.
//
//   node test/e2e/uiTimelineLive.js [path.vsix]   (default: the VSIX that npm run package built)
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { Workbench } = require('./ui/workbench');

const EXTENSION = 'extensionId=asyncio-debugger.asyncio-debugger';
const LONG = 60_000;
const PYTHON = process.env.E2E_PYTHON ?? '/usr/bin/python3';

/** Three workers that never finish: the session grows until the test stops it. */
const TICKER = `import asyncio


async def worker(n: int) -> None:
    while True:
        await asyncio.sleep(0.01 * (n + 1))


async def main() -> None:
    await asyncio.gather(*(asyncio.create_task(worker(n), name=f"worker-{n}") for n in range(3)))


asyncio.run(main())
`;

/** The editor panel's page and the panel-area view's page (VS Code marks the latter's frame). */
function editorPage(page) {
  return page
    .frameLocator(`iframe.webview.ready[src*="${EXTENSION}"]:not([src*="purpose=webviewView"])`)
    .frameLocator('#active-frame');
}

function viewPage(page) {
  return page
    .frameLocator(`iframe.webview.ready[src*="${EXTENSION}"][src*="purpose=webviewView"]`)
    .frameLocator('#active-frame');
}

/** What the page shows right now: viewport edges, model end, follow and live state, step count. */
function snapshot(frame) {
  return frame.locator('body').evaluate(
    () => {
      const view = window.asyncioTimeline.view;
      const { viewport, follow } = view.state();
      const width = document.getElementById('lanes').clientWidth;
      return {
        start: viewport.start,
        right: viewport.start + width * viewport.nsPerPx,
        end: view.current.endTime,
        now: view.current.now,
        steps: view.current.spanCount,
        follow,
        following: document.body.dataset.follow,
        live: document.body.dataset.live,
      };
    },
    undefined,
    { timeout: 5000 },
  );
}

/** Polls the page until `check(snapshot)` holds; fails with the last snapshot after LONG. */
async function until(frame, what, check) {
  const deadline = Date.now() + LONG;
  let last;
  for (;;) {
    // A page being rebuilt (shown again after it was hidden) has no view for a moment.
    last = await snapshot(frame).catch((e) => ({ error: String(e).split('\n')[0] }));
    if (!last.error && check(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Clicks the quick-input row that `row` picks out once `filter` is typed. */
async function pickRow(wb, filter, row) {
  const input = wb.page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(filter);
  await row.first().click({ timeout: LONG });
}

/** Switches the colour theme from the palette; returns the name of the theme it replaced. */
async function switchTheme(wb, name) {
  const rows = wb.page.locator('.quick-input-list .monaco-list-row');
  await wb.page.keyboard.press('F1');
  // "Preferences: Browse Color Themes in Marketplace" comes first in the list: pick by text.
  await pickRow(wb, '>Preferences: Color Theme', rows.filter({ hasText: 'Preferences: Color Theme' }));
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const target = rows.filter({ has: wb.page.locator('.label-name', { hasText: exact }) });
  // In the theme list, the focused row is the current theme.
  await wb.page.locator('.quick-input-widget input[placeholder^="Select Color Theme"]').waitFor({ timeout: LONG });
  const previous = (
    await wb.page.locator('.quick-input-list .monaco-list-row.focused .label-name').textContent()
  ).trim();
  await pickRow(wb, name, target);
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  return previous;
}

const tests = [
  {
    name: 'timeline: follows a running program until scrolled back, marks now when paused, opens in the panel area, reads in high contrast',
    async run(ctx) {
      const workspace = ctx.workspace('examples');
      fs.writeFileSync(path.join(workspace, 'ticker.py'), TICKER);
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(
        path.join(workspace, '.vscode', 'launch.json'),
        JSON.stringify({
          version: '0.2.0',
          configurations: [
            {
              type: 'asyncio',
              request: 'launch',
              name: 'Ticker',
              program: '${file}',
              python: PYTHON,
              console: 'internalConsole',
            },
          ],
        }),
      );
      const wb = new Workbench(await ctx.newPage());
      await wb.open(ctx.folderUrl(workspace));
      await wb.quickOpen('ticker.py');
      await wb.page.keyboard.press('F5');
      await wb.page.locator('.debug-toolbar .codicon-debug-pause').waitFor({ timeout: LONG });

      await wb.runCommand('Asyncio: Show Timeline');
      const editor = editorPage(wb.page);
      for (const name of ['worker-0', 'worker-1', 'worker-2']) {
        await editor.locator('[role="treeitem"]', { hasText: name }).first().waitFor({ timeout: LONG });
      }
      assert.strictEqual(await editor.locator('#live').innerText(), 'live');
      assert.strictEqual(await editor.locator('#follow').getAttribute('aria-pressed'), 'true');

      // Running: each append moves the right edge of the view with the end of the trace.
      const first = await until(editor, 'a first append', (s) => s.live === 'running' && s.steps > 0);
      assert.ok(first.follow && first.right >= first.end, JSON.stringify(first));
      let prev = first;
      for (let i = 0; i < 3; i++) {
        const next = await until(
          editor,
          'the view to move with the tail',
          (s) => s.steps > prev.steps && s.end > prev.end,
        );
        assert.ok(next.follow, JSON.stringify(next));
        assert.ok(
          next.right > prev.right && next.right >= next.end,
          `${JSON.stringify(prev)} → ${JSON.stringify(next)}`,
        );
        prev = next;
      }

      // The user scrolls back: the view stays where it is while the trace grows on.
      await editor.locator('#lanes').focus();
      for (let i = 0; i < 3; i++) await wb.page.keyboard.press('ArrowLeft');
      const back = await until(editor, 'following to stop', (s) => s.following === 'false');
      assert.ok(!back.follow && back.right < back.end, JSON.stringify(back));
      assert.strictEqual(await editor.locator('#follow').getAttribute('aria-pressed'), 'false');
      const later = await until(editor, 'more steps', (s) => s.steps > back.steps + 10 && s.end > back.end);
      assert.strictEqual(later.start, back.start, `${JSON.stringify(back)} → ${JSON.stringify(later)}`);

      // End goes back to the tail and follows it again.
      await wb.page.keyboard.press('End');
      const again = await until(editor, 'following again', (s) => s.following === 'true');
      const moved = await until(
        editor,
        'the view to move again',
        (s) => s.steps > again.steps && s.right > again.right,
      );
      assert.ok(moved.right >= moved.end, JSON.stringify(moved));

      // The view in the panel area: the same model, its own page.
      await wb.runCommand('Asyncio: Open Timeline in Panel Area');
      const view = viewPage(wb.page);
      await view.locator('[role="treeitem"]', { hasText: 'worker-2' }).first().waitFor({ timeout: LONG });
      await until(view, 'the panel view to run live', (s) => s.live === 'running' && s.steps > 0);

      // Paused: the tail is fetched at once and a cursor marks "now" in both pages. VS Code opens
      // where the program stopped, maybe over the timeline's tab: bring it back (its page is
      // rebuilt from its saved state, still following).
      await wb.page.locator('.debug-toolbar .codicon-debug-pause').click();
      await wb.page.locator('.debug-toolbar .codicon-debug-continue').waitFor({ timeout: LONG });
      await wb.page.locator('.tabs-container .tab', { hasText: 'Asyncio Timeline' }).click();
      for (const frame of [editor, view]) {
        const paused = await until(frame, 'the paused state', (s) => s.live === 'paused');
        assert.ok(Number.isFinite(paused.now) && paused.now >= paused.end - 1e6, JSON.stringify(paused));
        await frame.locator('#now:not([hidden])').waitFor({ timeout: LONG });
        assert.match(await frame.locator('#now').innerText(), /^paused · [\d.]+ (s|ms)$/);
        assert.strictEqual(await frame.locator('#live').innerText(), 'paused');
      }
      await wb.screenshot(ctx.artifact('timeline-paused.png'));

      // High contrast: borders from the theme's contrast colours, a visible focus outline.
      const theme = await switchTheme(wb, 'Dark High Contrast');
      try {
        await editor.locator('body.vscode-high-contrast').waitFor({ timeout: LONG });
        // The keyboard moves the focus down the lanes: the focused one carries the focus border.
        await editor.locator('.lane-label[tabindex="0"]').focus();
        await wb.page.keyboard.press('ArrowDown');
        const look = await editor.locator('body').evaluate(() => {
          const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
          return {
            button: css('#fit', 'borderTopColor'),
            contrast: getComputedStyle(document.documentElement).getPropertyValue('--vscode-contrastBorder').trim(),
            focus: document.activeElement.classList.contains('lane-label')
              ? getComputedStyle(document.activeElement).outlineStyle
              : `focus on ${document.activeElement.tagName}#${document.activeElement.id}`,
          };
        });
        assert.ok(look.contrast, JSON.stringify(look));
        assert.notStrictEqual(look.button, 'rgba(0, 0, 0, 0)', JSON.stringify(look));
        assert.strictEqual(look.focus, 'solid', JSON.stringify(look));
        await wb.screenshot(ctx.artifact('timeline-high-contrast.png'));
      } finally {
        await switchTheme(wb, theme);
      }
      await wb.page.locator('.debug-toolbar .codicon-debug-stop').click();
      await wb.waitForSessionEnd();
      await editor.locator('#live', { hasText: 'ended' }).waitFor({ timeout: LONG });
      assert.ok(await editor.locator('#now').isHidden());
    },
  },
];

module.exports = { tests };

if (require.main === module) require('./uiTests').runAsMain(tests);
