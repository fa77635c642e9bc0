import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { Panels } from './contributionIds';

/**
 * Placeholder for the timeline webview: it opens, follows the theme and says what is coming. The
 * canvas timeline replaces the body once the adapter streams task spans.
 */
export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    this.panel = vscode.window.createWebviewPanel(Panels.Timeline, 'Asyncio Timeline', vscode.ViewColumn.Active, {
      enableScripts: false,
      localResourceRoots: [],
    });
    this.panel.webview.html = placeholderHtml(this.panel.webview);
    this.panel.onDidDispose(() => (this.panel = undefined));
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function placeholderHtml(webview: vscode.Webview): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}' ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Asyncio Timeline</title>
<style nonce="${nonce}">
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background);
         font-family: var(--vscode-font-family); padding: 2em; }
  .badge { display: inline-block; padding: 0 .5em; border-radius: 3px;
           background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
</style>
</head>
<body>
  <h1>Asyncio Timeline <span class="badge">preview</span></h1>
  <p id="placeholder">The timeline arrives with task tracking: one lane per task, its steps and awaits over time.</p>
  <p>Meanwhile, debug with the <b>Python asyncio</b> configuration: breakpoints, stepping and variables work as usual.</p>
</body>
</html>`;
}
