/**
 * The DOM layer over the plot: crosshair, drag box and tooltip. Hover moves these elements and
 * never repaints the canvas. Styled inline; nothing global.
 */
import type { Rect } from '../coords';
import type { GroupPoint, HoverInfo, HoverPoint } from './hover';
import { elideMiddle } from './elide';

export interface HoverFormat {
  /** the header: the x under the cursor, at the resolution of a pixel */
  cursor(v: number): string;
  /** a point's own x, in full */
  x(v: number): string;
  y(v: number): string;
  /** a value of another x column, by column name */
  column(name: string, v: number): string;
  /** what the x column is called in the column labels ('step', 'epoch', the xLabel option) */
  xName: string;
}

/** Rows shown before "+N more": a sweep of 300 runs must not fill the screen. */
const MAX_ROWS = 12;
/** Runs listed apart (ended / not started here) before "+N more". */
const MAX_APART = 6;
/** Characters of a run label before it is elided in the middle (the full name is its title). */
const LABEL_CHARS = 36;

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
        // as wide as its rows (never cut), at most the chart's width: tooltip() flips it left of the cursor
        'z-index:2;max-width:calc(100% - 16px);overflow:hidden;padding:6px 8px;background:rgba(255,255,255,0.96);border:1px solid #ccc;' +
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
    if (!info || (info.points.length === 0 && info.groups.length === 0) || !cursor) {
      this.tip.style.display = 'none';
      return;
    }
    this.tip.replaceChildren(...tooltipContent(info, fmt, smoothing));
    // measured at the chart's left edge, where it has the whole width: placed where it was, an
    // absolute box shrinks to the room right of it and its rows would be cut
    Object.assign(this.tip.style, { display: 'block', left: '0px', top: '0px' });
    // beside the cursor, flipped to the other side when it would leave the chart
    const w = this.tip.offsetWidth, h = this.tip.offsetHeight;
    const W = this.root.clientWidth, H = this.root.clientHeight;
    let left = cursor.x + 14, top = cursor.y + 14;
    if (left + w > W) left = Math.max(0, cursor.x - 14 - w);
    if (top + h > H) top = Math.max(0, cursor.y - 14 - h);
    Object.assign(this.tip.style, { left: `${left}px`, top: `${top}px` });
  }

  /** Only the tooltip (a box drag, a view change); the crosshair and box keep their state. */
  hideTooltip(): void {
    this.tip.style.display = 'none';
    this.cross.style.display = 'none';
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

/**
 * The tooltip's children: the hovered x, a labelled table of the runs present there (nearest
 * first; a row shows its point's own x where that differs from the header), then the runs that
 * ended before or start after it, greyed, apart. Text only through textContent: names come from
 * files.
 */
function tooltipContent(info: HoverInfo, fmt: HoverFormat, smoothing: boolean): HTMLElement[] {
  const present = info.points.filter((p) => p.inRange);
  const absent = info.points.filter((p) => !p.inRange);
  const header = fmt.cursor(info.x);
  const head = document.createElement('div');
  head.className = 'metricgl-tooltip-x';
  head.style.cssText = 'font-weight:600;margin-bottom:4px';
  head.textContent = `${fmt.xName} ${header}`;
  const out: HTMLElement[] = [head];
  if (info.groups.length) out.push(groupTable(info.groups, fmt, smoothing));

  const rows = present.slice(0, MAX_ROWS);
  if (rows.length) {
    const table = document.createElement('table');
    table.style.cssText = 'border-collapse:collapse';
    const columns = [...new Set(rows.flatMap((p) => Object.keys(p.columns)))].sort();
    // the point's own x: shown only for rows whose point is not where the header says
    const ownX = (p: HoverPoint) => (fmt.cursor(p.x) === header ? '' : fmt.x(p.x));
    const showX = rows.some((p) => ownX(p) !== '');
    // Column labels as a CSS header group, not a <tr>: rows stay the table's only <tr>s, one per run.
    const labels = document.createElement('div');
    labels.className = 'metricgl-tooltip-columns';
    labels.setAttribute('role', 'row');
    labels.style.cssText = 'display:table-header-group;color:#888;font-size:11px';
    const labelRow = document.createElement('div');
    labelRow.style.cssText = 'display:table-row';
    const names = ['', '', ...(smoothing ? ['smoothed', 'raw'] : ['value']), ...(showX ? [fmt.xName] : []), ...columns];
    for (const [i, n] of names.entries()) {
      const c = document.createElement('div');
      c.setAttribute('role', 'columnheader');
      c.style.cssText = `display:table-cell;padding:0 6px 2px 0;${i >= 2 ? 'text-align:right' : ''}`;
      c.textContent = n;
      labelRow.append(c);
    }
    labels.append(labelRow);
    table.append(labels);
    for (const p of rows) {
      const tr = table.insertRow();
      tr.dataset.id = p.id;
      cell(tr).append(swatch(p.color));
      labelCell(cell(tr), p.label);
      if (smoothing) cell(tr, 'text-align:right;font-weight:600').textContent = p.smoothed === null ? '–' : fmt.y(p.smoothed);
      cell(tr, `text-align:right;${smoothing ? 'color:#888' : 'font-weight:600'}`).textContent = fmt.y(p.y);
      if (showX) cell(tr, 'text-align:right;color:#666').textContent = ownX(p);
      for (const c of columns) cell(tr, 'text-align:right;color:#666').textContent = c in p.columns ? fmt.column(c, p.columns[c]) : '';
    }
    out.push(table);
    if (present.length > rows.length) out.push(note(`+${present.length - rows.length} more`));
  }

  if (absent.length) {
    const list = document.createElement('div');
    list.className = 'metricgl-tooltip-absent';
    list.style.cssText = `color:#999;${rows.length ? 'margin-top:4px;border-top:1px solid #eee;padding-top:3px' : ''}`;
    for (const p of absent.slice(0, MAX_APART)) {
      const line = document.createElement('div');
      line.dataset.id = p.id;
      line.style.cssText = 'display:flex;gap:6px;align-items:center;opacity:0.85';
      const sw = swatch(p.color);
      sw.style.opacity = '0.5';
      const name = document.createElement('span');
      labelCell(name, p.label);
      const where = document.createElement('span');
      // before its first point: not started yet; otherwise it ended before the cursor
      where.textContent = info.x < p.firstX ? `starts at ${fmt.x(p.firstX)}` : `ended at ${fmt.x(p.lastX)}`;
      line.append(sw, name, where);
      list.append(line);
    }
    if (absent.length > MAX_APART) list.append(note(`+${absent.length - MAX_APART} more`));
    out.push(list);
  }
  return out;
}

/** What a band's edges are, as its column says. */
const BAND_NAMES: Record<GroupPoint['band'], string> = { none: '', minmax: 'min–max', std: '± std', ci95: '95% CI' };

/**
 * The groups at the hovered x (option `aggregate`): per group its line (the smoothed one first
 * when smoothing), the band's edges and how many runs contribute there.
 */
function groupTable(groups: GroupPoint[], fmt: HoverFormat, smoothing: boolean): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'metricgl-tooltip-groups';
  table.style.cssText = 'border-collapse:collapse;margin-bottom:4px';
  const band = groups[0].band;
  const head = table.createTHead().insertRow();
  head.style.cssText = 'color:#888;font-size:11px';
  for (const n of ['', '', ...(smoothing ? ['smoothed'] : []), groups[0].stat, ...(band !== 'none' ? [BAND_NAMES[band]] : []), 'n']) {
    const th = document.createElement('th');
    th.style.cssText = 'font-weight:normal;text-align:right;padding:0 6px 2px 0';
    th.textContent = n;
    head.append(th);
  }
  const body = table.createTBody();
  for (const g of groups.slice(0, MAX_ROWS)) {
    const tr = body.insertRow();
    tr.dataset.group = g.name;
    cell(tr).append(swatch(g.color));
    labelCell(cell(tr, 'font-weight:600'), g.name);
    if (smoothing) cell(tr, 'text-align:right;font-weight:600').textContent = g.smoothed === null ? '–' : fmt.y(g.smoothed);
    cell(tr, `text-align:right;${smoothing ? 'color:#888' : 'font-weight:600'}`).textContent = fmt.y(g.line);
    if (band !== 'none') cell(tr, 'text-align:right;color:#666').textContent = `${fmt.y(g.low)} – ${fmt.y(g.high)}`;
    cell(tr, 'text-align:right;color:#666').textContent = String(g.n);
  }
  return table;
}

function swatch(color: string): HTMLSpanElement {
  const sw = document.createElement('span');
  sw.style.cssText = `display:inline-block;flex:none;width:10px;height:10px;border-radius:2px;background:${color}`;
  return sw;
}

/** A run's label, elided in the middle, with the full name on hover. */
function labelCell(el: HTMLElement, label: string): void {
  el.textContent = elideMiddle(label, LABEL_CHARS);
  el.title = label;
}

function note(text: string): HTMLDivElement {
  const m = document.createElement('div');
  m.style.cssText = 'color:#888;margin-top:2px';
  m.textContent = text;
  return m;
}
