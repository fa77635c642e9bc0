/**
 * The timeline page. No `vscode` import, so the benchmark serves the very same page outside VS Code.
 * Strict CSP: nothing but our own stylesheet and the one script carrying the nonce.
 */
export interface TimelinePageResources {
  /** `webview.cspSource` */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function timelineHtml(r: TimelinePageResources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${r.cspSource}; style-src ${r.cspSource}; font-src ${r.cspSource}; script-src 'nonce-${r.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${r.styleUri}">
<title>Asyncio Timeline</title>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="Timeline">
  <button id="open" title="Open a trace recorded with: python -m asyncio_debugger record -o trace.json -- program.py">Open Trace File…</button>
  <button id="fit" title="Zoom to fit (0)">Fit</button>
  <button id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
  <button id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button>
  <button id="follow" aria-pressed="false" hidden title="Keep the end of the running program in view (End)">Follow</button>
  <button id="arrows" aria-pressed="false" title="Show which task created and which woke which">Arrows</button>
  <button id="export" title="Save as Chrome Trace Event JSON (Perfetto, chrome://tracing)">Export Chrome Trace…</button>
  <span id="source"></span>
  <span id="live" role="status" hidden></span>
  <span class="spacer"></span>
  <span id="error" role="alert"></span>
  <span id="stats"></span>
</div>
<div id="empty">
  <p id="empty-message"></p>
  <p>Record a program with <code>python -m asyncio_debugger record -o trace.json -- program.py</code>, then open the file here.</p>
  <button id="empty-open" class="primary">Open Trace File…</button>
</div>
<div id="timeline" hidden>
  <div id="corner">Tasks</div>
  <div class="canvas-box" id="header-box"><canvas id="header" aria-label="Event loop utilisation and time axis"></canvas><span id="now" role="status" hidden></span></div>
  <div id="labels"></div>
  <div class="canvas-box">
    <canvas id="lanes" tabindex="0" aria-label="Task steps over time. Wheel or + and - zoom, drag or arrows pan, shift-drag zooms to a range, 0 fits, End follows the live end."></canvas>
  </div>
</div>
<div id="tooltip" role="tooltip" hidden></div>
<div id="selection" hidden></div>
<script nonce="${r.nonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}
