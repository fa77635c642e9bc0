/**
 * Mouse, wheel and keyboard on the lanes canvas: wheel zooms at the pointer (shift+wheel pans),
 * drag pans, shift-drag selects a time range to zoom to, a click selects; + - arrows 0 End on the
 * focused canvas zoom, pan, fit and go to the live tail.
 */
export interface CanvasActions {
  zoomAt(factor: number, x: number): void;
  pan(dx: number, dy: number): void;
  fit(): void;
  /** End: to the live tail, following it. */
  end(): void;
  zoomToPixels(x0: number, x1: number): void;
  click(x: number, y: number): void;
  hover(x: number, y: number, clientX: number, clientY: number): void;
  leave(): void;
  laneHeight(): number;
  width(): number;
}

/** Movement below this many pixels is a click, not a drag. */
const CLICK_SLOP = 3;
const KEY_ZOOM = 1.5;

export function attachCanvasInput(canvas: HTMLCanvasElement, band: HTMLElement, a: CanvasActions): void {
  let drag: { x: number; y: number; lastX: number; lastY: number; select: boolean; moved: boolean } | undefined;
  const local = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const { x } = local(e);
      // Lines and pages become pixels so mice and trackpads feel the same.
      const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? canvas.clientHeight : 1;
      const dx = e.deltaX * scale;
      const dy = e.deltaY * scale;
      if (e.shiftKey) a.pan(-(dx || dy), 0);
      else if (Math.abs(dx) > Math.abs(dy)) a.pan(-dx, 0);
      else a.zoomAt(Math.exp(-dy * 0.002), x);
    },
    { passive: false },
  );

  canvas.addEventListener('mousedown', (e) => {
    if (e.button !== 0) return;
    const { x, y } = local(e);
    drag = { x, y, lastX: x, lastY: y, select: e.shiftKey, moved: false };
    canvas.focus();
    e.preventDefault();
  });
  window.addEventListener('mousemove', (e) => {
    const { x, y } = local(e);
    if (!drag) {
      if (e.target === canvas) a.hover(x, y, e.clientX, e.clientY);
      return;
    }
    if (Math.abs(x - drag.x) + Math.abs(y - drag.y) > CLICK_SLOP) drag.moved = true;
    if (drag.select) {
      const r = canvas.getBoundingClientRect();
      band.hidden = false;
      band.style.left = `${r.left + Math.min(drag.x, x)}px`;
      band.style.width = `${Math.abs(x - drag.x)}px`;
      band.style.top = `${r.top}px`;
      band.style.height = `${r.height}px`;
    } else if (drag.moved) {
      canvas.classList.add('dragging');
      a.pan(x - drag.lastX, y - drag.lastY);
    }
    drag.lastX = x;
    drag.lastY = y;
  });
  window.addEventListener('mouseup', (e) => {
    if (!drag) return;
    const { x, y } = local(e);
    const d = drag;
    drag = undefined;
    band.hidden = true;
    canvas.classList.remove('dragging');
    if (!d.moved) a.click(x, y);
    else if (d.select && Math.abs(x - d.x) > CLICK_SLOP) a.zoomToPixels(d.x, x);
  });
  canvas.addEventListener('mouseleave', () => a.leave());

  canvas.addEventListener('keydown', (e) => {
    const step = a.width() / 10;
    switch (e.key) {
      case '+':
      case '=':
        a.zoomAt(KEY_ZOOM, a.width() / 2);
        break;
      case '-':
      case '_':
        a.zoomAt(1 / KEY_ZOOM, a.width() / 2);
        break;
      case '0':
        a.fit();
        break;
      case 'End':
        a.end();
        break;
      case 'ArrowLeft':
        a.pan(step, 0);
        break;
      case 'ArrowRight':
        a.pan(-step, 0);
        break;
      case 'ArrowUp':
        a.pan(0, a.laneHeight());
        break;
      case 'ArrowDown':
        a.pan(0, -a.laneHeight());
        break;
      case 'PageUp':
        a.pan(0, canvas.clientHeight);
        break;
      case 'PageDown':
        a.pan(0, -canvas.clientHeight);
        break;
      default:
        return;
    }
    e.preventDefault();
  });
}
