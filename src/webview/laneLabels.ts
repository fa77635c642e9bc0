/**
 * The lane names on the left, as a DOM tree (role="tree"): screen readers, keyboard users and
 * tests see real elements. Only the rows in view exist, recycled as the lanes scroll.
 */
import { Row, TimelineModel } from '../shared/timelineModel';

export interface LabelEvents {
  select(taskId: number): void;
  toggle(taskId: number): void;
  /** Keyboard moved the focus to another row. */
  focusRow(row: number): void;
}

const INDENT_PX = 12;
const MAX_INDENT_DEPTH = 12;

export class LaneLabels {
  private readonly pool: HTMLElement[] = [];
  private focusedRow = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: LabelEvents,
  ) {
    container.setAttribute('role', 'tree');
    container.setAttribute('aria-label', 'Tasks');
    container.addEventListener('click', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('.lane-label');
      if (!el) return;
      const id = Number(el.dataset.taskId);
      if ((e.target as HTMLElement).classList.contains('twistie')) events.toggle(id);
      else events.select(id);
    });
    container.addEventListener('keydown', (e) => this.onKey(e));
  }

  get focused(): number {
    return this.focusedRow;
  }

  render(
    model: TimelineModel,
    rows: readonly Row[],
    scrollTop: number,
    laneHeight: number,
    selected: number | undefined,
  ): void {
    const height = this.container.clientHeight;
    const first = Math.max(0, Math.floor(scrollTop / laneHeight));
    const last = Math.min(rows.length, Math.ceil((scrollTop + height) / laneHeight));
    this.focusedRow = Math.min(this.focusedRow, Math.max(0, rows.length - 1));
    const hadFocus = this.container.contains(document.activeElement) && document.activeElement !== this.container;
    let used = 0;
    for (let r = first; r < last; r++) {
      const el = this.pool[used] ?? this.create();
      used++;
      this.fill(el, model, rows[r], r, rows.length, selected);
      el.style.top = `${r * laneHeight - scrollTop}px`;
      el.style.height = `${laneHeight}px`;
      el.tabIndex = r === this.focusedRow ? 0 : -1;
      if (hadFocus && r === this.focusedRow) el.focus({ preventScroll: true });
    }
    for (let i = used; i < this.pool.length; i++) this.pool[i].hidden = true;
    // The tree itself takes the focus when the focused row is scrolled out of view.
    this.container.tabIndex = first <= this.focusedRow && this.focusedRow < last ? -1 : 0;
  }

  setFocusedRow(row: number): void {
    this.focusedRow = row;
  }

  private create(): HTMLElement {
    const el = document.createElement('div');
    el.className = 'lane-label';
    el.setAttribute('role', 'treeitem');
    const twistie = document.createElement('span');
    twistie.className = 'twistie';
    twistie.setAttribute('aria-hidden', 'true');
    const state = document.createElement('span');
    state.className = 'state';
    const name = document.createElement('span');
    name.className = 'name';
    const coro = document.createElement('span');
    coro.className = 'coro';
    el.append(twistie, state, name, coro);
    this.container.append(el);
    this.pool.push(el);
    return el;
  }

  private fill(
    el: HTMLElement,
    model: TimelineModel,
    row: Row,
    index: number,
    count: number,
    selected: number | undefined,
  ): void {
    const task = model.tasks.get(row.id)!;
    const [twistie, state, name, coro] = el.children as unknown as HTMLElement[];
    el.hidden = false;
    el.dataset.taskId = String(row.id);
    el.dataset.row = String(index);
    el.style.paddingLeft = `${4 + Math.min(row.depth, MAX_INDENT_DEPTH) * INDENT_PX}px`;
    el.setAttribute('aria-level', String(row.depth + 1));
    el.setAttribute('aria-posinset', String(index + 1));
    el.setAttribute('aria-setsize', String(count));
    el.setAttribute('aria-selected', String(row.id === selected));
    if (row.hasChildren) el.setAttribute('aria-expanded', String(!row.collapsed));
    else el.removeAttribute('aria-expanded');
    const outcome = task.state === 'pending' ? 'running' : task.state;
    const what = task.coroutine ? `${task.name}, ${task.coroutine}` : task.name;
    el.setAttribute('aria-label', `${what}, ${outcome}`);
    el.title = task.site ? `${what}\ncreated at ${task.site.file}:${task.site.line}` : what;
    twistie.textContent = row.hasChildren ? (row.collapsed ? '▸' : '▾') : '';
    state.className = `state ${task.state}`;
    name.textContent = task.name;
    coro.textContent = task.coroutine && task.coroutine !== task.name ? task.coroutine : '';
  }

  private onKey(e: KeyboardEvent): void {
    const el = (e.target as HTMLElement).closest<HTMLElement>('.lane-label');
    const row = el ? Number(el.dataset.row) : this.focusedRow;
    const id = el ? Number(el.dataset.taskId) : undefined;
    switch (e.key) {
      case 'ArrowDown':
        this.events.focusRow(row + 1);
        break;
      case 'ArrowUp':
        this.events.focusRow(row - 1);
        break;
      case 'Home':
        this.events.focusRow(0);
        break;
      case 'End':
        this.events.focusRow(Number.MAX_SAFE_INTEGER);
        break;
      case 'ArrowRight':
      case 'ArrowLeft':
        if (id !== undefined && el?.hasAttribute('aria-expanded')) {
          const expanded = el.getAttribute('aria-expanded') === 'true';
          if (expanded === (e.key === 'ArrowLeft')) this.events.toggle(id);
        }
        break;
      case 'Enter':
      case ' ':
        if (id !== undefined) this.events.select(id);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }
}
