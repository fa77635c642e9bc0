// Drives the VS Code workbench in a browser page the way a person does: keyboard shortcuts, the
// quick input, the gutter, the Run and Debug views. Selectors are VS Code's own DOM classes.
const fs = require('fs');

const LONG = 60_000;
const TOP_FRAME_LINE = '.debug-call-stack .monaco-list-row .stack-frame .line-number';

class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
  }

  async open(url) {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: LONG });
    // The explorer lists the folder once the remote file system is ready.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: LONG });
  }

  async quickOpen(fileName) {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(fileName);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor();
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor();
  }

  /** Runs a command from the palette (F1) by its title. */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  async goToLine(line) {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** F9 on `line`, then waits for the red dot in the gutter. */
  async toggleBreakpoint(line) {
    const before = await this.breakpointGlyphs().count();
    await this.goToLine(line);
    await this.page.keyboard.press('F9');
    await this.page.waitForFunction(
      (n) => document.querySelectorAll('.editor-instance .codicon-debug-breakpoint').length > n,
      before,
    );
  }

  breakpointGlyphs() {
    return this.page.locator('.editor-instance .codicon-debug-breakpoint');
  }

  /** Rows of the Call Stack view once the program is paused (a row with a file and line). */
  async waitForPause() {
    // With asyncio tasks listed as threads the Call Stack shows a row per thread; VS Code expands
    // the paused one by itself, and its frames show without a click.
    await this.page.locator('.debug-call-stack .monaco-list-row .stack-frame').first().waitFor({ timeout: LONG });
    return this.callStack();
  }

  async callStack() {
    return this.page.locator('.debug-call-stack .monaco-list-row').allInnerTexts();
  }

  /** The first stack frame's "file line:col" text, to notice when a step moved. */
  async topFrame() {
    return (await this.page.locator('.debug-call-stack .monaco-list-row .stack-frame').first().innerText()).trim();
  }

  /** Rows of the Variables view with the first scope (Locals) expanded. */
  /** The line of the top stack frame, from its "line:col" badge. */
  async topFrameLine() {
    const text = await this.page.locator(TOP_FRAME_LINE).first().innerText();
    return Number(text.split(':')[0]);
  }

  /** Waits until the top frame is on another line than `line` (after a step). */
  async waitForTopFrameToLeave(line) {
    await this.page.waitForFunction(
      ({ selector, from }) => {
        const badge = document.querySelector(selector);
        return badge !== null && Number(badge.textContent.split(':')[0]) !== from;
      },
      { selector: TOP_FRAME_LINE, from: line },
      { timeout: LONG },
    );
  }

  async variables() {
    const rows = this.page.locator('.debug-variables .monaco-list-row');
    await rows.first().waitFor({ timeout: LONG });
    // VS Code expands the first scope itself, unless the view rendered before the scopes arrived.
    if ((await rows.first().getAttribute('aria-expanded')) === 'false') await rows.first().click();
    await rows.nth(2).waitFor({ timeout: LONG });
    return rows.allInnerTexts();
  }

  /** Expands the view titled `title` in the side bar; resolves with its first tree row. */
  async expandView(title) {
    const header = this.page.locator('.pane-header', { hasText: title });
    await header.waitFor({ timeout: LONG });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const row = this.page.locator('.pane', { has: header }).locator('.pane-body .monaco-list-row').first();
    await row.waitFor({ timeout: LONG });
    return row;
  }

  async waitForSessionEnd() {
    await this.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: LONG });
  }

  async debugConsoleText() {
    await this.runCommand('Debug Console: Focus on Debug Console View');
    await this.page.locator('.repl .monaco-list-row').first().waitFor({ timeout: LONG });
    return (await this.page.locator('.repl .monaco-list-row').allInnerTexts()).join('\n');
  }

  async screenshot(file) {
    fs.mkdirSync(require('path').dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
  }
}

/** 1-based number of the first line of `file` containing `text` (tests never hard-code lines). */
function lineOf(file, text) {
  const index = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`"${text}" not found in ${file}`);
  return index + 1;
}

module.exports = { Workbench, lineOf };
