/**
 * The DOM layer over the plot: crosshair, drag box and tooltip. Hover moves these elements and
 * never repaints the canvas. Styled inline; nothing global.
 */
import type { Rect } from '../coords';
import type { HoverInfo } from './hover';

export interface HoverFormat {
  x(v: number): string;
  y(v: number): string;
  /** a value of another x column, by column name */
  column(name: string, v: number): string;
}

/** Rows shown before "+N more": a sweep of 300 runs must not fill the screen. */
const MAX_ROWS = 12;

export class HoverLayer {
  private cross: HTMLDivElement;
  private boxEl: HTMLDivElement;
  private tip: HTMLDivElement;

  constructor(private root: HTMLElement) {
    const base = 'position:absolute;pointer-events:none;display:none;box-sizing:border-box;';
    this.cross = el(base + 'width:0;border-left:1px dashed rgba(0,0,0,0.45);');
    this.boxEl = el(base + 'background:rgba(66,133,244,0.12);border:1px solid rgba(66,133,244,0.6);');
    this.tip = el(
      base +
        'z-index:2;max-width:420px;padding:6px 8px;background:rgba(255,255,255,0.96);border:1px solid #ccc;' +
        'border-radius:4px;box-shadow:0 2px 8px rgba(0,0,0,0.15);font:12px system-ui,sans-serif;color:#222;' +
        'white-space:nowrap;font-variant-numeric:tabular-nums;',
    );
    this.tip.setAttribute('role', 'tooltip');
    this.tip.className = 'metricgl-tooltip';
    root.append(this.cross, this.boxEl, this.tip);
  }

  /** Vertical crosshair at CSS x (relative to the root), inside the plot; null hides it. */
  crosshair(plot: Rect, x: number | null): void {
    if (x === null || x < plot.left || x > plot.left + plot.width) {
      this.cross.style.display = 'none';
      return;
    }
    Object.assign(this.cross.style, { display: 'block', left: `${Math.round(x)}px`, top: `${plot.top}px`, height: `${plot.height}px` });
  }

  /** The drag box, CSS px relative to the root; null hides it. */
  box(r: Rect | null): void {
    if (!r) {
      this.boxEl.style.display = 'none';
      return;
    }
    Object.assign(this.boxEl.style, { display: 'block', left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
  }

  /** The tooltip for a hover, placed beside the cursor and kept inside the chart. */
  tooltip(info: HoverInfo | null, cursor: { x: number; y: number } | null, fmt: HoverFormat, smoothing: boolean): void {
    if (!info || info.points.length === 0 || !cursor) {
      this.tip.style.display = 'none';
      return;
    }
    const rows = info.points.slice(0, MAX_ROWS);
    const head = document.createElement('div');
    head.style.cssText = 'font-weight:600;margin-bottom:4px';
    head.textContent = fmt.x(rows[0].x);
    const table = document.createElement('table');
    table.style.cssText = 'border-collapse:collapse';
    const columns = [...new Set(rows.flatMap((p) => Object.keys(p.columns)))].sort();
    for (const p of rows) {
      const tr = table.insertRow();
      tr.dataset.id = p.id;
      const sw = document.createElement('span');
      sw.style.cssText = `display:inline-block;width:10px;height:10px;border-radius:2px;background:${p.color}`;
      cell(tr).append(sw);
      cell(tr, 'max-width:180px;overflow:hidden;text-overflow:ellipsis').textContent = p.label;
      if (smoothing) cell(tr, 'text-align:right;font-weight:600').textContent = p.smoothed === null ? '–' : fmt.y(p.smoothed);
      cell(tr, `text-align:right;${smoothing ? 'color:#888' : 'font-weight:600'}`).textContent = fmt.y(p.y);
      for (const c of columns) cell(tr, 'text-align:right;color:#666').textContent = c in p.columns ? fmt.column(c, p.columns[c]) : '';
    }
    const more = info.points.length - rows.length;
    this.tip.replaceChildren(head, table);
    if (more > 0) {
      const m = document.createElement('div');
      m.style.cssText = 'color:#888;margin-top:2px';
      m.textContent = `+${more} more`;
      this.tip.append(m);
    }
    this.tip.style.display = 'block';
    // beside the cursor, flipped to the other side when it would leave the chart
    const w = this.tip.offsetWidth, h = this.tip.offsetHeight;
    const W = this.root.clientWidth, H = this.root.clientHeight;
    let left = cursor.x + 14, top = cursor.y + 14;
    if (left + w > W) left = Math.max(0, cursor.x - 14 - w);
    if (top + h > H) top = Math.max(0, cursor.y - 14 - h);
    Object.assign(this.tip.style, { left: `${left}px`, top: `${top}px` });
  }

  hide(): void {
    this.cross.style.display = this.tip.style.display = this.boxEl.style.display = 'none';
  }

  destroy(): void {
    this.cross.remove();
    this.boxEl.remove();
    this.tip.remove();
  }
}

function el(css: string): HTMLDivElement {
  const d = document.createElement('div');
  d.style.cssText = css;
  return d;
}

function cell(tr: HTMLTableRowElement, css = ''): HTMLTableCellElement {
  const td = tr.insertCell();
  td.style.cssText = `padding:1px 6px 1px 0;${css}`;
  return td;
}
