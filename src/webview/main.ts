/**
 * Entry of the timeline webview bundle (browser, no Node, no `vscode`). Sends `ready`, then shows
 * what the host sends; keeps viewport, collapsed lanes and source in the webview state so the
 * panel comes back as it was after being hidden or reloaded.
 */
import { TimelineModel } from '../shared/timelineModel';
import {
  HostToWebview,
  LiveState,
  TIMELINE_PROTOCOL_VERSION,
  TimelineSource,
  TimelineViewState,
  WebviewToHost,
} from '../shared/timelineProtocol';
import { formatDuration } from '../shared/timelineViewport';
import { TimelineView } from './timelineView';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): TimelineViewState | undefined;
  setState(state: TimelineViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let source: TimelineSource | undefined = vscode.getState()?.source;

const view = new TimelineView(
  {
    header: byId('header'),
    lanes: byId('lanes'),
    labels: byId('labels'),
    tooltip: byId('tooltip'),
    band: byId('selection'),
    now: byId('now'),
  },
  {
    select: (taskId, span) => vscode.postMessage({ type: 'select', taskId, span }),
    stateChanged: () => saveState(),
    followChanged: () => showLive(),
  },
);

const LIVE_TEXT: Record<LiveState, string> = { running: 'live', paused: 'paused', ended: 'ended' };
let live: LiveState | undefined;

/** The live badge and the Follow toggle; both hidden for a trace file. */
function showLive(): void {
  const follow = byId<HTMLButtonElement>('follow');
  follow.hidden = live === undefined || live === 'ended';
  follow.setAttribute('aria-pressed', String(view.following));
  const badge = byId('live');
  badge.hidden = live === undefined;
  badge.textContent = live ? LIVE_TEXT[live] : '';
  badge.className = live ?? '';
  document.body.dataset.live = live ?? '';
  document.body.dataset.follow = String(view.following);
}

/** The state is a few numbers and the collapsed ids: cheap enough to write on every change. */
function saveState(): void {
  vscode.setState({ version: TIMELINE_PROTOCOL_VERSION, source, ...view.state() });
}

function showTimeline(visible: boolean, emptyMessage = ''): void {
  byId('timeline').hidden = !visible;
  byId('empty').hidden = visible;
  byId('empty-message').textContent = emptyMessage;
  for (const id of ['fit', 'zoom-in', 'zoom-out', 'follow', 'arrows', 'export'])
    byId<HTMLButtonElement>(id).disabled = !visible;
}

function showStats(model: TimelineModel): void {
  const span = Number.isFinite(model.startTime) ? model.endTime - model.startTime : 0;
  byId('stats').textContent = `${model.tasks.size} tasks · ${model.spanCount} steps · ${formatDuration(span)}`;
}

function onMessage(m: HostToWebview): void {
  switch (m.type) {
    case 'load': {
      const previous = vscode.getState();
      const model = TimelineModel.fromNative(m.trace);
      // Coming back to the same source (hidden panel, reload): restore the view as it was.
      const same = previous?.source && JSON.stringify(previous.source) === JSON.stringify(m.source);
      source = m.source;
      byId('source').textContent = m.source.label;
      byId('error').textContent = '';
      showTimeline(true);
      // A session is live (the host says right after whether it runs, paused or ended); a file never is.
      live = m.source.kind === 'session' ? 'running' : undefined;
      view.setLive(live);
      view.load(model, same ? previous : { version: TIMELINE_PROTOCOL_VERSION, arrows: previous?.arrows });
      byId('arrows').setAttribute('aria-pressed', String(view.state().arrows));
      showStats(model);
      showLive();
      saveState();
      break;
    }
    case 'live':
      live = m.state;
      view.setLive(live);
      showLive();
      break;
    case 'append':
      view.current.append(m.delta);
      view.modelChanged();
      showStats(view.current);
      break;
    case 'empty':
      showTimeline(false, m.message);
      break;
    case 'reveal':
      view.reveal(m.taskId);
      break;
    case 'error':
      byId('error').textContent = m.message;
      break;
  }
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => onMessage(e.data));
byId('open').addEventListener('click', () => vscode.postMessage({ type: 'openTrace' }));
byId('empty-open').addEventListener('click', () => vscode.postMessage({ type: 'openTrace' }));
byId('export').addEventListener('click', () => vscode.postMessage({ type: 'exportChrome' }));
byId('fit').addEventListener('click', () => view.fit());
byId('zoom-in').addEventListener('click', () => view.zoom(1.5));
byId('zoom-out').addEventListener('click', () => view.zoom(1 / 1.5));
byId('follow').addEventListener('click', () => {
  if (view.following) view.unfollow();
  else view.goToTail();
  showLive();
});
byId('arrows').addEventListener('click', (e) => {
  const on = (e.currentTarget as HTMLElement).getAttribute('aria-pressed') !== 'true';
  (e.currentTarget as HTMLElement).setAttribute('aria-pressed', String(on));
  view.setArrows(on);
});
showTimeline(false);

// Benchmarks and tests read frame times from here; nothing else uses it.
(window as unknown as { asyncioTimeline: unknown }).asyncioTimeline = { frameTimes: view.frameTimes, view };

vscode.postMessage({ type: 'ready', version: TIMELINE_PROTOCOL_VERSION, state: vscode.getState() });
