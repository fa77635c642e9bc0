/**
 * Contract [C]: the extension host ⇄ timeline webview messages, discriminated on `type`. The
 * webview speaks first (`ready`, carrying the protocol version); the host sends data only after it.
 * This file must not import `vscode`.
 */
import { NativeTrace, TimelineDelta } from './timelineTrace';

export const TIMELINE_PROTOCOL_VERSION = 1;

/** Where the shown model comes from; kept in the webview state so a reload can reopen it. */
export type TimelineSource =
  { kind: 'file'; path: string; label: string } | { kind: 'session'; sessionId: string; label: string };

/** Where a live session is: running (the page follows the tail), paused (a cursor marks "now"), ended. */
export type LiveState = 'running' | 'paused' | 'ended';

/** What the webview keeps with `setState`, and the host gets back from the panel serializer. */
export interface TimelineViewState {
  version: number;
  source?: TimelineSource;
  viewport?: { start: number; nsPerPx: number; scrollTop: number };
  collapsed?: number[];
  selected?: number;
  arrows?: boolean;
  /** The view follows the live tail (it was at the end and the user did not scroll back). */
  follow?: boolean;
}

export type HostToWebview =
  /** Replaces whatever is shown. */
  | { type: 'load'; source: TimelineSource; trace: NativeTrace }
  /** More of the same source (live sessions). */
  | { type: 'append'; delta: TimelineDelta }
  /** The live session ran on, paused (the model's `now` is exact then) or ended. */
  | { type: 'live'; state: LiveState }
  /** Nothing to show: the page offers to open a trace file. */
  | { type: 'empty'; message: string }
  /** Selects and scrolls to a task (e.g. chosen in the task tree). */
  | { type: 'reveal'; taskId: number }
  /** The host could not load or save something. */
  | { type: 'error'; message: string };

export type WebviewToHost =
  | { type: 'ready'; version: number; state?: TimelineViewState }
  /** A lane (span = -1) or a step was chosen. */
  | { type: 'select'; taskId: number; span: number }
  | { type: 'openTrace' }
  | { type: 'exportChrome' };

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; taskId?: unknown; span?: unknown; version?: unknown };
  switch (m.type) {
    case 'ready':
      return typeof m.version === 'number';
    case 'select':
      return typeof m.taskId === 'number' && typeof m.span === 'number';
    case 'openTrace':
    case 'exportChrome':
      return true;
    default:
      return false;
  }
}
