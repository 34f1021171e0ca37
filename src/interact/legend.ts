/**
 * A legend for one or more charts that show the same runs (linked subplots): a search box, one
 * row per run; clicking a row hides or shows the run on every chart, hovering it highlights the
 * run. It follows the charts' `series` and `visibility` events, so it stays in sync with them.
 */
import type { Chart } from '../chart';

export interface Legend {
  /** the legend's root element */
  readonly element: HTMLElement;
  /** the runs shown after filtering by the search text */
  visibleRows(): string[];
  destroy(): void;
}

export function createLegend(container: HTMLElement, charts: Chart | Chart[], options: { search?: boolean } = {}): Legend {
  const list = Array.isArray(charts) ? charts : [charts];
  const root = document.createElement('div');
  root.className = 'metricgl-legend';
  root.style.cssText = 'font:12px system-ui,sans-serif;color:#222;display:flex;flex-direction:column;gap:4px;min-height:0;';
  const search = document.createElement('input');
  search.type = 'search';
  search.placeholder = 'filter runs';
  search.setAttribute('aria-label', 'filter runs');
  search.style.cssText = 'font:inherit;padding:2px 6px;';
  const rows = document.createElement('div');
  rows.style.cssText = 'overflow:auto;min-height:0;display:flex;flex-direction:column;';
  if (options.search !== false) root.append(search);
  root.append(rows);
  container.append(root);

  const render = () => {
    const seen = new Map<string, { label: string; color: string }>();
    for (const c of list) for (const r of c.series()) if (!seen.has(r.id)) seen.set(r.id, r);
    const q = search.value.trim().toLowerCase();
    const els: HTMLElement[] = [];
    for (const [id, r] of seen) {
      if (q && !r.label.toLowerCase().includes(q) && !id.toLowerCase().includes(q)) continue;
      const visible = list.some((c) => c.isVisible(id));
      const row = document.createElement('button');
      row.type = 'button';
      row.dataset.id = id;
      row.setAttribute('aria-pressed', String(visible));
      row.title = visible ? `hide ${r.label}` : `show ${r.label}`;
      row.style.cssText =
        'display:flex;align-items:center;gap:6px;border:0;background:none;padding:1px 4px;cursor:pointer;font:inherit;text-align:left;' +
        `color:inherit;opacity:${visible ? 1 : 0.4};text-decoration:${visible ? 'none' : 'line-through'}`;
      const sw = document.createElement('span');
      sw.style.cssText = `flex:none;width:14px;height:3px;border-radius:1px;background:${r.color}`;
      const label = document.createElement('span');
      label.textContent = r.label;
      row.append(sw, label);
      els.push(row);
    }
    rows.replaceChildren(...els);
  };

  const onClick = (e: MouseEvent) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('[data-id]')?.dataset.id;
    if (!id) return;
    const visible = !list.some((c) => c.isVisible(id));
    for (const c of list) if (c.series().some((r) => r.id === id)) c.setVisible(id, visible);
  };
  const onOver = (e: MouseEvent) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('[data-id]')?.dataset.id ?? null;
    for (const c of list) if (id === null || c.isVisible(id)) c.highlight(id && c.series().some((r) => r.id === id) ? id : null);
  };
  const onOut = () => {
    for (const c of list) c.highlight(null);
  };
  rows.addEventListener('click', onClick);
  rows.addEventListener('mouseover', onOver);
  rows.addEventListener('mouseleave', onOut);
  search.addEventListener('input', render);
  const off = list.flatMap((c) => [c.on('series', render), c.on('visibility', render)]);
  render();
  return {
    element: root,
    visibleRows: () => [...rows.children].map((r) => (r as HTMLElement).dataset.id!),
    destroy() {
      off.forEach((f) => f());
      root.remove();
    },
  };
}
