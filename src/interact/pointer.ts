/**
 * Mouse, wheel, keyboard and touch on a chart, as explorer users expect: wheel zooms x at the
 * cursor (shift+wheel zooms y), a drag draws a zoom box (x only when it is flat), shift-drag or
 * middle-drag pans (one finger on touch), double-click resets to the data, + / - / arrows / 0
 * from the keyboard. Every change goes through the chart's options, so each re-decimates.
 */
import type { Rect, ScaleType } from '../coords';
import type { HoverLayer } from './layer';
import { between, panBy, validDomain, zoomAt, type Domain } from './viewport';

export type ViewSource = 'wheel' | 'box' | 'pan' | 'reset' | 'key' | 'api' | 'link';

export interface PointerTarget {
  /** the plot area, CSS px relative to the root; null before the first frame */
  plot(): Rect | null;
  view(): { x: Domain; y: Domain; xScale: ScaleType; yScale: ScaleType } | null;
  /** new domains (null: fit the data, undefined: keep) */
  setView(x: Domain | null | undefined, y: Domain | null | undefined, source: ViewSource): void;
  hover(cssX: number, cssY: number): void;
  leave(): void;
}

/** A box flatter than this (CSS px) zooms x only. */
const FLAT = 8;

export function attachPointer(root: HTMLElement, t: PointerTarget, layer: HoverLayer): () => void {
  let drag: { mode: 'box' | 'pan'; x0: number; y0: number; x: Domain; y: Domain; plot: Rect; id: number } | null = null;
  const local = (e: { clientX: number; clientY: number }) => {
    const r = root.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const inside = (p: { x: number; y: number }, r: Rect) => p.x >= r.left && p.x <= r.left + r.width && p.y >= r.top && p.y <= r.top + r.height;

  const onWheel = (e: WheelEvent) => {
    const plot = t.plot(), v = t.view();
    if (!plot || !v) return;
    const p = local(e);
    if (!inside(p, plot)) return;
    e.preventDefault();
    const delta = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
    const factor = Math.exp(delta * 0.0015);
    if (e.shiftKey) {
      const y = validDomain(zoomAt(v.y, v.yScale, 1 - (p.y - plot.top) / plot.height, factor), v.yScale);
      if (y) t.setView(undefined, y, 'wheel');
    } else {
      const x = validDomain(zoomAt(v.x, v.xScale, (p.x - plot.left) / plot.width, factor), v.xScale);
      if (x) t.setView(x, undefined, 'wheel');
    }
  };

  const onDown = (e: PointerEvent) => {
    const plot = t.plot(), v = t.view();
    if (!plot || !v || (e.button !== 0 && e.button !== 1)) return;
    const p = local(e);
    if (!inside(p, plot)) return;
    const pan = e.button === 1 || e.shiftKey || e.pointerType === 'touch';
    drag = { mode: pan ? 'pan' : 'box', x0: p.x, y0: p.y, x: v.x, y: v.y, plot, id: e.pointerId };
    root.setPointerCapture(e.pointerId);
    root.focus({ preventScroll: true });
    t.leave();
    e.preventDefault();
  };

  const onMove = (e: PointerEvent) => {
    const p = local(e);
    if (!drag) {
      if (e.buttons === 0) t.hover(p.x, p.y);
      return;
    }
    const { plot } = drag;
    if (drag.mode === 'pan') {
      const v = t.view();
      if (!v) return;
      const x = validDomain(panBy(drag.x, v.xScale, -(p.x - drag.x0) / plot.width), v.xScale);
      const y = validDomain(panBy(drag.y, v.yScale, (p.y - drag.y0) / plot.height), v.yScale);
      t.setView(x ?? undefined, y ?? undefined, 'pan');
    } else {
      const cx = clamp(p.x, plot.left, plot.left + plot.width), cy = clamp(p.y, plot.top, plot.top + plot.height);
      const flat = Math.abs(cy - drag.y0) < FLAT;
      layer.box({
        left: Math.min(drag.x0, cx),
        top: flat ? plot.top : Math.min(drag.y0, cy),
        width: Math.abs(cx - drag.x0),
        height: flat ? plot.height : Math.abs(cy - drag.y0),
      });
    }
  };

  const onUp = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    const d = drag;
    drag = null;
    layer.box(null);
    if (d.mode !== 'box') return;
    const v = t.view();
    const p = local(e);
    if (!v) return;
    const { plot } = d;
    const cx = clamp(p.x, plot.left, plot.left + plot.width), cy = clamp(p.y, plot.top, plot.top + plot.height);
    if (Math.abs(cx - d.x0) < 3) return; // a click, not a box
    const x = validDomain(between(d.x, v.xScale, (d.x0 - plot.left) / plot.width, (cx - plot.left) / plot.width), v.xScale);
    const flat = Math.abs(cy - d.y0) < FLAT;
    const y = flat ? undefined : validDomain(between(d.y, v.yScale, 1 - (d.y0 - plot.top) / plot.height, 1 - (cy - plot.top) / plot.height), v.yScale) ?? undefined;
    if (x) t.setView(x, y, 'box');
  };

  const onDbl = (e: MouseEvent) => {
    const plot = t.plot();
    if (plot && inside(local(e), plot)) t.setView(null, null, 'reset');
  };

  const onKey = (e: KeyboardEvent) => {
    const v = t.view();
    if (!v) return;
    const key = e.key;
    if (key === '0' || key === 'Escape') t.setView(null, null, 'reset');
    else if (key === '+' || key === '=' || key === '-') {
      const x = validDomain(zoomAt(v.x, v.xScale, 0.5, key === '-' ? 1.25 : 0.8), v.xScale);
      if (x) t.setView(x, undefined, 'key');
    } else if (key === 'ArrowLeft' || key === 'ArrowRight') {
      const x = validDomain(panBy(v.x, v.xScale, key === 'ArrowLeft' ? -0.1 : 0.1), v.xScale);
      if (x) t.setView(x, undefined, 'key');
    } else if (key === 'ArrowUp' || key === 'ArrowDown') {
      const y = validDomain(panBy(v.y, v.yScale, key === 'ArrowUp' ? 0.1 : -0.1), v.yScale);
      if (y) t.setView(undefined, y, 'key');
    } else return;
    e.preventDefault();
  };

  const onLeave = () => {
    if (!drag) t.leave();
  };

  // one signal for every listener: detaching is one abort, and no listener can be forgotten
  const controller = new AbortController();
  const signal = controller.signal;
  root.addEventListener('wheel', onWheel, { passive: false, signal });
  root.addEventListener('pointerdown', onDown, { signal });
  root.addEventListener('pointermove', onMove, { signal });
  root.addEventListener('pointerup', onUp, { signal });
  root.addEventListener('pointercancel', onUp, { signal });
  root.addEventListener('pointerleave', onLeave, { signal });
  root.addEventListener('dblclick', onDbl, { signal });
  root.addEventListener('keydown', onKey, { signal });
  return () => controller.abort();
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
