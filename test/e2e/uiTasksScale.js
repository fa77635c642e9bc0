// The "Asyncio Tasks" view with more tasks than it loads: 12,000 parked tasks at a breakpoint. The
// view holds 10,000 of them, says how many it shows of how many, and its rows still work.
//
//   node test/e2e/uiTasksScale.js [path.vsix]   (default: the VSIX that npm run package built)
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { Workbench, lineOf } = require('./ui/workbench');

const LONG = 60_000;
const PYTHON = process.env.E2E_PYTHON ?? '/usr/bin/python3';

const PROGRAM = `import asyncio


async def parked(gate, i):
    await gate.wait()
    return i


async def main():
    gate = asyncio.Event()
    tasks = [asyncio.create_task(parked(gate, i), name=f"parked-{i}") for i in range(12_000)]
    await asyncio.sleep(0)
    gate.set()  # stop here
    print("sum", sum(await asyncio.gather(*tasks)))


asyncio.run(main())
`;

function tasksPane(page) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Asyncio Tasks' }) });
}

const tests = [
  {
    name: 'a session with more tasks than the view loads says how many it shows, and the rows still work',
    async run(ctx) {
      const workspace = ctx.workspace('examples');
      const dir = path.join(workspace, '.vscode');
      fs.mkdirSync(dir, { recursive: true });
      const config = { type: 'asyncio', request: 'launch', name: 'Many', program: '${file}', python: PYTHON };
      fs.writeFileSync(path.join(dir, 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [config] }));
      const program = path.join(workspace, 'many_tasks.py');
      fs.writeFileSync(program, PROGRAM);
      const wb = new Workbench(await ctx.newPage());
      await wb.open(ctx.folderUrl(workspace));
      await wb.quickOpen('many_tasks.py');
      await wb.toggleBreakpoint(lineOf(program, '# stop here'));
      await wb.page.keyboard.press('F5');
      await wb.page
        .locator('.debug-call-stack .monaco-list-row', { hasText: /paused on breakpoint/i })
        .first()
        .waitFor({ timeout: LONG });
      await wb.expandView('Asyncio Tasks');
      // Room for the tree: fold the views above it.
      for (const title of ['Variables', 'Watch', 'Call Stack', 'Breakpoints']) {
        const header = wb.page.locator('.pane-header', { hasText: title }).first();
        if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
      }
      const message = tasksPane(wb.page).locator('.tree-explorer-viewlet-tree-view > .message');
      await message.filter({ hasText: /Showing 10,000 of 12,00\d tasks/ }).waitFor({ timeout: LONG });
      assert.match(await message.innerText(), /live ones first.*counted, not lost/s);
      const session = tasksPane(wb.page).locator('.pane-body .monaco-list-row', { hasText: 'Many' }).first();
      await session.filter({ hasText: /10000 live \/ 10000 tasks \(of 12,00\d\)/ }).waitFor({ timeout: LONG });
      // main() holds the parked tasks; identical siblings fold into one row that still opens.
      const fold = tasksPane(wb.page)
        .locator('.pane-body .monaco-list-row', { hasText: /parked\(\) ×\d+/ })
        .first();
      await fold.waitFor({ timeout: LONG });
      await wb.screenshot(ctx.artifact('tasks-truncated.png'));
      await wb.page.locator('.debug-toolbar .codicon-debug-stop').click();
      await wb.waitForSessionEnd();
    },
  },
];

module.exports = { tests };

if (require.main === module) require('./uiTests').runAsMain(tests);
