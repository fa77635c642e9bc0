// What a person sees: the examples workspace, a breakpoint set with F9, F5, the views, F10, F5.
const assert = require('assert');
const path = require('path');
const { Workbench, lineOf } = require('./workbench');

const tests = [];
const test = (name, run) => tests.push({ name, run });

test('F5 stops at a breakpoint in a coroutine, shows stack and variables, F10 steps, F5 runs to the end', async (ctx) => {
  const workspace = ctx.workspace('examples');
  const program = path.join(workspace, 'crawler_gather.py');
  const bpLine = lineOf(program, 'pages = dict(results)');
  const wb = new Workbench(await ctx.newPage());
  await wb.open(ctx.folderUrl(workspace));
  await wb.quickOpen('crawler_gather.py');
  await wb.toggleBreakpoint(bpLine);

  await wb.page.keyboard.press('F5');
  const stack = await wb.waitForPause();
  assert.match(await wb.topFrame(), /crawl/, `top frame is crawl: ${JSON.stringify(stack)}`);
  assert.strictEqual(await wb.topFrameLine(), bpLine);
  const variables = await wb.variables();
  assert.ok(
    variables.some((v) => /^limit\s*[=:][\s\S]*Semaphore/.test(v)),
    JSON.stringify(variables),
  );
  for (const name of ['limit', 'results', 'urls']) {
    // A row reads "name =\nvalue" (or "name: value" in older builds).
    assert.ok(
      variables.some((v) => new RegExp(`^${name}\\s*[=:]`).test(v)),
      `${name} in ${JSON.stringify(variables)}`,
    );
  }
  const session = await wb.expandView('Asyncio Tasks');
  assert.match((await session.innerText()).replace(/\s+/g, ' '), /Python asyncio: Current File.*paused/);
  await wb.screenshot(ctx.artifact('paused-at-breakpoint.png'));

  await wb.page.keyboard.press('F10');
  await wb.waitForTopFrameToLeave(bpLine);
  assert.strictEqual(await wb.topFrameLine(), bpLine + 1);
  assert.match(await wb.topFrame(), /crawler_gather\.py/);
  await session.filter({ hasText: 'paused' }).waitFor({ timeout: 60_000 });
  await wb.screenshot(ctx.artifact('after-step-over.png'));

  await wb.page.keyboard.press('F5');
  await wb.waitForSessionEnd();
  assert.match(await wb.debugConsoleText(), /crawled 12 pages/);
  await wb.screenshot(ctx.artifact('ran-to-end.png'));
});

test('F5 without launch.json debugs the active Python file with "Python asyncio"', async (ctx) => {
  const workspace = ctx.workspace('examples', { withoutLaunchJson: true });
  const wb = new Workbench(await ctx.newPage());
  await wb.open(ctx.folderUrl(workspace));
  await wb.quickOpen('producer_consumer.py');
  await wb.runCommand('View: Show Run and Debug');
  const welcome = wb.page.locator('.welcome-view-content', {
    hasText: 'Debug an asyncio program with "Python asyncio"',
  });
  await welcome.waitFor();
  await wb.screenshot(ctx.artifact('run-and-debug-welcome.png'));
  await wb.page.locator('.editor-instance .monaco-editor').first().click();
  await wb.page.keyboard.press('F5');
  // VS Code asks which debugger only when more than one handles Python files; the program may
  // also finish before the debug toolbar is ever seen, so wait for its output instead.
  const picker = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Python asyncio' }).first();
  const output = wb.page.locator('.repl .monaco-list-row').first();
  await picker.or(output).first().waitFor({ timeout: 60_000 });
  if (await picker.isVisible()) await picker.click();
  assert.match(await wb.debugConsoleText(), /consumed 10 items, sum of squares 385/);
  await wb.waitForSessionEnd();
  await wb.screenshot(ctx.artifact('f5-without-launch-json.png'));
});

test('"Asyncio: Show Timeline" from the command palette opens the timeline panel', async (ctx) => {
  const wb = new Workbench(await ctx.newPage());
  await wb.open(ctx.folderUrl(ctx.workspace('examples')));
  await wb.runCommand('Asyncio: Show Timeline');
  await wb.page.locator('.tabs-container .tab.active', { hasText: 'Asyncio Timeline' }).waitFor();
  const webview = wb.page
    .frameLocator('iframe.webview.ready[src*="extensionId=asyncio-debugger.asyncio-debugger"]')
    .frameLocator('#active-frame');
  await webview.locator('#empty-open').waitFor();
  assert.match(await webview.locator('#empty-message').innerText(), /Open a recorded trace file/);
  await wb.screenshot(ctx.artifact('timeline-panel.png'));
});

module.exports = { tests };
