// Completion breakpoints as a person sets them: "Break on Value Change" on a task in the Variables
// view, and a `exception:<glob>` function breakpoint typed into the Breakpoints view.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { Workbench, lineOf } = require('./workbench');

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'ui_completion.py');
const LONG = 60_000;

const tests = [];
const test = (name, run) => tests.push({ name, run });

/** The paused thread's row in the Call Stack, which shows the stop's description as its state. */
async function pausedOn(wb, text) {
  const row = wb.page.locator('.debug-call-stack .monaco-list-row', { hasText: new RegExp(text, 'i') }).first();
  await row.waitFor({ timeout: LONG });
  return (await row.innerText()).replace(/\s+/g, ' ');
}

test('a completion breakpoint set from the Variables view, then an exception: pattern, stop where the task ends', async (ctx) => {
  const workspace = ctx.workspace('examples');
  const program = path.join(workspace, 'ui_completion.py');
  fs.copyFileSync(FIXTURE, program);
  const pauseLine = lineOf(program, '# pause here');
  const wb = new Workbench(await ctx.newPage());
  await wb.open(ctx.folderUrl(workspace));
  await wb.quickOpen('ui_completion.py');
  await wb.toggleBreakpoint(pauseLine);
  await wb.page.keyboard.press('F5');
  await wb.waitForPause();
  assert.strictEqual(await wb.topFrameLine(), pauseLine);

  // Right-click `t` in Variables: VS Code offers data breakpoints as "Break on Value Change".
  await wb.variables();
  const row = wb.page.locator('.debug-variables .monaco-list-row', { hasText: /^t\s*[=:]/ }).first();
  await row.click({ button: 'right' });
  const item = wb.page.locator('.context-view .action-label', { hasText: 'Break on Value Change' });
  await item.waitFor({ timeout: LONG });
  await wb.screenshot(ctx.artifact('completion-context-menu.png'));
  await item.click();
  const breakpoints = await wb.expandView('Breakpoints');
  await wb.page
    .locator('.debug-breakpoints .monaco-list-row', { hasText: 'Break when t completes' })
    .waitFor({ timeout: LONG });
  assert.ok(breakpoints);

  await wb.page.keyboard.press('F5');
  const thread = await pausedOn(wb, 'Task fetch-3 finished: result 200');
  assert.match(thread, /MainThread Task fetch-3 finished: result 200/i);
  await wb.waitForTopFrameToLeave(pauseLine);
  assert.strictEqual(await wb.topFrameLine(), lineOf(program, '# completes here'));
  assert.match(await wb.topFrame(), /fetch/);
  // The editor shows the current line there too.
  await wb.page.locator('.editor-instance .debug-top-stack-frame-line').first().waitFor({ timeout: LONG });
  await wb.screenshot(ctx.artifact('completion-data-breakpoint.png'));

  // "Add Function Breakpoint" (+) in the Breakpoints view, with a pattern.
  const header = wb.page.locator('.pane-header', { hasText: 'Breakpoints' });
  await header.hover();
  await header.locator('.action-label[aria-label="Add Function Breakpoint"]').click();
  const input = wb.page.locator('.debug-breakpoints .monaco-inputbox input').first();
  await input.waitFor({ timeout: LONG });
  await input.fill('exception:*fail*');
  await wb.page.keyboard.press('Enter');
  await wb.page
    .locator('.debug-breakpoints .monaco-list-row', { hasText: 'exception:*fail*' })
    .waitFor({ timeout: LONG });

  await wb.page.keyboard.press('F5');
  const failed = await pausedOn(wb, 'Task will-fail failed: ValueError: boom');
  assert.match(failed, /MainThread Task will-fail failed: ValueError: boom/i);
  await wb.page.waitForFunction(
    ({ selector, line }) => {
      const badge = document.querySelector(selector);
      return badge !== null && Number(badge.textContent.split(':')[0]) === line;
    },
    { selector: '.debug-call-stack .monaco-list-row .stack-frame .line-number', line: lineOf(program, '# fails here') },
    { timeout: LONG },
  );
  await wb.screenshot(ctx.artifact('completion-pattern-breakpoint.png'));

  await wb.page.keyboard.press('F5');
  await wb.waitForSessionEnd();
  assert.match(await wb.debugConsoleText(), /status 200/);
});

module.exports = { tests };
