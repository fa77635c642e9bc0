/**
 * One page showing the timeline: the editor panel or the view in the panel area. Both run the same
 * webview bundle and handshake: the page says `ready` (again after every time it was hidden, since
 * its context is not retained), and only then does the host post to it.
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { HostToWebview, WebviewToHost, isWebviewToHost } from '../shared/timelineProtocol';
import { timelineHtml } from './timelineHtml';

export interface PageHost {
  readonly extensionUri: vscode.Uri;
  onMessage(page: TimelinePage, message: WebviewToHost): void;
  onDidShow(page: TimelinePage): void;
}

export function pageOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

export class TimelinePage implements vscode.Disposable {
  /** True from the page's `ready` until it is hidden or disposed. */
  ready = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly isVisible: () => boolean,
    onDidChangeVisibility: vscode.Event<unknown>,
    host: PageHost,
  ) {
    this.subscriptions.push(
      webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) host.onMessage(this, m);
      }),
      onDidChangeVisibility(() => {
        // Hidden means the page is gone; it says `ready` again once visible.
        if (!this.isVisible()) this.ready = false;
        else host.onDidShow(this);
      }),
    );
    webview.options = pageOptions(host.extensionUri);
    webview.html = timelineHtml({
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview', 'timeline.js'))
        .toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(host.extensionUri, 'media', 'timeline.css')).toString(),
      nonce: crypto.randomBytes(16).toString('base64'),
    });
  }

  get visible(): boolean {
    return this.isVisible();
  }

  post(message: HostToWebview): void {
    if (this.ready) void this.webview.postMessage(message);
  }

  dispose(): void {
    this.ready = false;
    for (const d of this.subscriptions) d.dispose();
  }
}
