/**
 * Canvas colours from the theme. The canvas cannot use CSS variables directly, so they are read
 * once per theme change from the --timeline-* variables in media/timeline.css.
 */
import { STYLE_COUNT, Style } from '../shared/timelineLayout';

export interface Palette {
  styles: string[];
  /** Alpha per style (dense shades are the run colour at rising opacity). */
  alphas: number[];
  util: string;
  spawn: string;
  wake: string;
  selection: string;
  hover: string;
  /** Outline of the selected lane; empty unless the theme asks for contrast borders. */
  selectionBorder: string;
  now: string;
  nowOutline: string;
  grid: string;
  text: string;
  dim: string;
  font: string;
}

export function readPalette(): Palette {
  // The body: VS Code sets the theme variables on the root and the theme kind as a class on the body.
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const styles = new Array<string>(STYLE_COUNT).fill('#888');
  const alphas = new Array<number>(STYLE_COUNT).fill(1);
  styles[Style.Wait] = v('--timeline-wait', '#555');
  styles[Style.Delay] = v('--timeline-delay', '#d18616');
  styles[Style.Run] = v('--timeline-run', '#3794ff');
  for (const [style, alpha] of [
    // Even a sparse pixel column must stay visible: the lowest shade is still clearly there.
    [Style.Dense1, 0.55],
    [Style.Dense2, 0.7],
    [Style.Dense3, 0.85],
    [Style.Dense4, 1],
  ] as const) {
    styles[style] = v('--timeline-dense', '#3794ff');
    alphas[style] = alpha;
  }
  styles[Style.Ok] = v('--timeline-ok', '#73c991');
  styles[Style.Error] = v('--timeline-error', '#f48771');
  styles[Style.Cancelled] = v('--timeline-cancelled', '#cca700');
  styles[Style.Created] = v('--timeline-created', '#999');
  const body = getComputedStyle(document.body);
  return {
    styles,
    alphas,
    util: v('--timeline-util', '#89d185'),
    spawn: v('--timeline-spawn', '#b180d7'),
    wake: v('--timeline-wake', '#f14c4c'),
    selection: v('--timeline-selection', '#04395e'),
    hover: v('--timeline-hover', '#2a2d2e'),
    selectionBorder: css.getPropertyValue('--timeline-selection-border').trim(),
    now: v('--timeline-now', '#75beff'),
    nowOutline: v('--timeline-now-outline', '#1e1e1e'),
    grid: v('--timeline-grid', '#5a5a5a'),
    text: v('--timeline-text', '#ccc'),
    dim: v('--timeline-dim', '#999'),
    font: `11px ${body.fontFamily || 'sans-serif'}`,
  };
}

/** Calls `onChange` when VS Code switches theme: it rewrites the body's class and the theme variables on the root. */
export function watchTheme(onChange: () => void): void {
  const observer = new MutationObserver(onChange);
  for (const el of [document.documentElement, document.body]) {
    observer.observe(el, { attributes: true, attributeFilter: ['class', 'style'] });
  }
}
