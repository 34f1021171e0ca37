/**
 * A legend for one or more charts that show the same runs (linked subplots): a search box, one
 * row per run; clicking a row hides or shows the run on every chart, hovering it highlights the
 * run, and a filter highlights the runs it matches (with many runs drawn as a density, those are
 * drawn as lines on top of it). It follows the charts' `series` and `visibility` events, so it stays in sync with them.
 * While a chart aggregates (option `aggregate`), its runs are listed under one row per group (the
 * group's colour, name and run count): clicking that row hides or shows the group's runs, hovering
 * it highlights them, and a filter that names the group lists all of them. With `titles` over
 * several charts, each chart that aggregates has its own group rows (titled), acting on it alone.
 *
 * Only the rows in the list's scrolled view are in the DOM (rows of a fixed height over a spacer
 * as tall as the whole list), so 10,000 runs cost a few dozen elements, filtering is a pass over
 * the entries, and a burst of events (hide all: one per run) renders once, in a microtask.
 */
import type { Chart } from '../chart/types';

export interface Legend {
  /** the legend's root element */
  readonly element: HTMLElement;
  /** the runs the list holds after filtering by the search text (also the rows scrolled out of view) */
  visibleRows(): string[];
  destroy(): void;
}

export interface LegendOptions {
  /** the filter box (default true) */
  search?: boolean;
  /**
   * titles[i] names charts[i] (its metric). With more than one chart, each row is one run on one
   * chart and shows that chart's title beside the run's label.
   */
  titles?: string[];
}

/** Every row's height in CSS px (fixed: the list's scroll position says which rows are in view). */
const ROW_PX = 18;
/** Rows made beyond each end of the view, so a scroll of a few rows shows no gap. */
const OVERSCAN = 8;

export function createLegend(container: HTMLElement, charts: Chart | Chart[], options: LegendOptions = {}): Legend {
  const list = Array.isArray(charts) ? charts : [charts];
  if (options.titles !== undefined && !(Array.isArray(options.titles) && options.titles.every((t) => typeof t === 'string'))) {
    throw new TypeError('createLegend titles must be an array of strings (titles[i] names charts[i])');
  }
  const titles = options.titles ?? [];
  const root = document.createElement('div');
  root.className = 'metricgl-legend';
  root.style.cssText = 'font:12px system-ui,sans-serif;color:#222;display:flex;flex-direction:column;gap:4px;min-height:0;height:100%;box-sizing:border-box;';
  const search = document.createElement('input');
  search.type = 'search';
  search.placeholder = 'filter runs';
  search.setAttribute('aria-label', 'filter runs');
  search.style.cssText = 'font:inherit;padding:2px 6px;';
  const rows = document.createElement('div');
  // a container without a height: the list scrolls within the window's height, not the whole list's
  rows.style.cssText = 'overflow:auto;min-height:0;flex:1 1 auto;max-height:100vh;position:relative;';
  // as tall as every matched row; the rows in view sit in `shown`, moved to where they belong
  const spacer = document.createElement('div');
  const shown = document.createElement('div');
  shown.style.cssText = 'position:absolute;left:0;right:0;top:0;display:flex;flex-direction:column;';
  rows.append(spacer, shown);
  // how many runs are listed, and whole-list actions on the rows the search matches
  const bar = document.createElement('div');
  bar.style.cssText = 'display:flex;align-items:center;gap:6px;color:#666;';
  const count = document.createElement('span');
  count.className = 'metricgl-legend-count';
  count.style.cssText = 'flex:1;';
  const action = (text: string) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.style.cssText = 'font:inherit;padding:0 6px;cursor:pointer;';
    return b;
  };
  const hideAll = action('hide all'), showAll = action('show all');
  hideAll.className = 'metricgl-legend-hide-all';
  showAll.className = 'metricgl-legend-show-all';
  bar.append(count, hideAll, showAll);
  if (options.search !== false) root.append(search);
  root.append(bar, rows);
  container.append(root);

  /** One entry per run, or per (chart, run) with titles over several charts. */
  interface Entry {
    key: string;
    id: string;
    label: string;
    color: string;
    /** the charts this entry acts on */
    charts: Chart[];
    title: string | null;
    /** the key of the run's group row, when a chart aggregates */
    groupKey?: string;
    /** the run's group, when a chart aggregates */
    group?: string;
    /** a group's row: the ids of its runs (then id and label are the group's name) */
    members?: string[];
  }
  const perChart = list.length > 1 && titles.length > 0;
  const runsOf = (n: number) => `${n} ${n === 1 ? 'run' : 'runs'}`;
  /** What a run's row and a group's row share: a fixed height (the list's scroll math), a button. */
  const ROW_CSS =
    `flex:none;height:${ROW_PX}px;box-sizing:border-box;overflow:hidden;white-space:nowrap;` +
    'display:flex;align-items:center;gap:6px;border:0;background:none;padding:1px 4px;cursor:pointer;font:inherit;text-align:left;color:inherit;';
  const entries = (): Entry[] => {
    if (perChart) {
      return list.flatMap((c, k) => {
        const title = titles[k] ?? `chart ${k + 1}`;
        const aggregating = c.getState().aggregate !== null;
        const runs: Entry[] = c.series().map((r) => ({
          key: `${k}\u0000${r.id}`, id: r.id, label: r.label, color: r.color, charts: [c], title, group: aggregating ? r.group : undefined,
        }));
        return aggregating ? byGroup(runs, `${k}`, title) : runs;
      });
    }
    // groups are listed (and matched by a filter) only while a chart aggregates
    const aggregating = list.some((c) => c.getState().aggregate !== null);
    const seen = new Map<string, Entry>();
    for (const c of list) {
      for (const r of c.series()) {
        const e = seen.get(r.id);
        const group = aggregating ? r.group : undefined;
        if (e) {
          e.charts.push(c);
          e.group ??= group;
        } else seen.set(r.id, { key: r.id, id: r.id, label: r.label, color: r.color, charts: [c], title: null, group });
      }
    }
    const runs = [...seen.values()];
    return aggregating ? byGroup(runs) : runs;
  };
  /** Each group's row, then its runs (in their order); runs without a group after them. `prefix`, `title`: a chart's own rows. */
  const byGroup = (runs: Entry[], prefix = '', title: string | null = null): Entry[] => {
    const groups = new Map<string, Entry[]>();
    const alone: Entry[] = [];
    for (const e of runs) {
      if (e.group === undefined) alone.push(e);
      else if (groups.has(e.group)) groups.get(e.group)!.push(e);
      else groups.set(e.group, [e]);
    }
    return [
      ...[...groups].flatMap(([name, members]) => {
        const key = `${prefix}\u0001${name}`;
        for (const m of members) m.groupKey = key;
        return [
          { key, id: name, label: name, color: members[0].color, charts: [...new Set(members.flatMap((m) => m.charts))], title, members: members.map((m) => m.id) },
          ...members,
        ];
      }),
      ...alone,
    ];
  };
  let matched: Entry[] = [];
  const byKey = new Map<string, Entry>();

  const render = () => {
    pending = false;
    const all = entries();
    const q = search.value.trim().toLowerCase();
    const hit = (e: Entry) => !q || e.label.toLowerCase().includes(q) || e.id.toLowerCase().includes(q) || (e.title?.toLowerCase().includes(q) ?? false);
    // a run matches by its own text or its group's name; a group's row shows while any run of it does
    const named = new Set(all.filter((e) => e.members && hit(e)).map((e) => e.key));
    const runHit = (e: Entry) => hit(e) || (e.groupKey !== undefined && named.has(e.groupKey));
    const lit = new Set(all.filter((e) => !e.members && runHit(e)).map((e) => e.groupKey));
    matched = all.filter((e) => (e.members ? lit.has(e.key) : runHit(e)));
    byKey.clear();
    const runRows = (es: Entry[]) => es.filter((e) => !e.members);
    const total = perChart ? new Set(runRows(all).map((e) => e.id)).size : runRows(all).length;
    const shownRuns = perChart ? new Set(runRows(matched).map((e) => e.id)).size : runRows(matched).length;
    count.textContent = q ? `${shownRuns} of ${runsOf(total)}` : runsOf(total);
    for (const e of matched) byKey.set(e.key, e);
    spacer.style.height = `${matched.length * ROW_PX}px`;
    paint();
  };

  /** The rows in the scrolled view (and a few around it) as elements. */
  const paint = () => {
    // not laid out yet (display: none, no height): the first rows
    const height = rows.clientHeight || 40 * ROW_PX;
    const first = Math.max(0, Math.floor(rows.scrollTop / ROW_PX) - OVERSCAN);
    const end = Math.min(matched.length, Math.ceil((rows.scrollTop + height) / ROW_PX) + OVERSCAN);
    shown.style.transform = `translateY(${first * ROW_PX}px)`;
    const els: HTMLElement[] = [];
    for (let i = first; i < end; i++) {
      const e = matched[i];
      if (e.members) {
        els.push(groupRow(e));
        continue;
      }
      const visible = e.charts.some((c) => c.isVisible(e.id));
      const row = document.createElement('button');
      row.type = 'button';
      row.dataset.id = e.id;
      row.dataset.key = e.key;
      row.setAttribute('aria-pressed', String(visible));
      row.title = `${visible ? 'hide' : 'show'} ${e.label}${e.title ? ` (${e.title})` : ''}`;
      row.style.cssText = ROW_CSS + `opacity:${visible ? 1 : 0.4};text-decoration:${visible ? 'none' : 'line-through'}`;
      const sw = document.createElement('span');
      sw.style.cssText = `flex:none;width:14px;height:3px;border-radius:1px;background:${e.color}`;
      const label = document.createElement('span');
      label.className = 'metricgl-legend-label';
      label.textContent = e.label;
      row.append(sw, label);
      if (e.title) {
        const t = document.createElement('span');
        t.className = 'metricgl-legend-chart';
        t.style.cssText = 'color:#888;margin-left:auto;padding-left:8px;white-space:nowrap';
        t.textContent = e.title;
        row.append(t);
      }
      els.push(row);
    }
    shown.replaceChildren(...els);
  };
  /** A group's row: its colour (thicker, as its line), its name and how many runs it holds. */
  const groupRow = (e: Entry): HTMLElement => {
    const members = e.members!;
    const visible = members.some((id) => e.charts.some((c) => c.isVisible(id)));
    const row = document.createElement('button');
    row.type = 'button';
    row.className = 'metricgl-legend-group';
    row.dataset.key = e.key;
    row.dataset.group = e.id;
    row.setAttribute('aria-pressed', String(visible));
    row.title = `${visible ? 'hide' : 'show'} the ${runsOf(members.length)} of ${e.label}${e.title ? ` (${e.title})` : ''}`;
    row.style.cssText = ROW_CSS + `font-weight:600;opacity:${visible ? 1 : 0.4}`;
    const sw = document.createElement('span');
    sw.style.cssText = `flex:none;width:14px;height:5px;border-radius:1px;background:${e.color}`;
    const label = document.createElement('span');
    label.className = 'metricgl-legend-group-label';
    label.textContent = e.label;
    const n = document.createElement('span');
    n.className = 'metricgl-legend-group-count';
    n.style.cssText = 'color:#888;font-weight:400;margin-left:auto;padding-left:8px';
    n.textContent = e.title ? `${runsOf(members.length)} · ${e.title}` : runsOf(members.length);
    row.append(sw, label, n);
    return row;
  };
  // events come in bursts (hide all: one per run): one render after them
  let pending = false;
  const later = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => pending && render());
  };

  const entryOf = (e: Event) => {
    const key = (e.target as HTMLElement).closest<HTMLElement>('[data-key]')?.dataset.key;
    return key === undefined ? undefined : byKey.get(key);
  };
  const setAll = (visible: boolean) => {
    const held = new Map(list.map((c) => [c, new Set(c.series().map((r) => r.id))]));
    for (const e of matched) for (const c of e.charts) if (held.get(c)!.has(e.id)) c.setVisible(e.id, visible);
    render();
  };
  hideAll.addEventListener('click', () => setAll(false));
  showAll.addEventListener('click', () => setAll(true));

  const onClick = (ev: MouseEvent) => {
    const e = entryOf(ev);
    if (!e) return;
    if (e.members) {
      const show = !e.members.some((id) => e.charts.some((c) => c.isVisible(id)));
      for (const c of e.charts) {
        const held = new Set(c.series().map((r) => r.id));
        for (const id of e.members) if (held.has(id)) c.setVisible(id, show);
      }
      return;
    }
    const visible = !e.charts.some((c) => c.isVisible(e.id));
    for (const c of e.charts) if (c.series().some((r) => r.id === e.id)) c.setVisible(e.id, visible);
  };
  const onOver = (ev: MouseEvent) => {
    const e = entryOf(ev);
    if (e?.members) {
      for (const c of list) {
        if (!e.charts.includes(c)) {
          c.highlight(null);
          continue;
        }
        const held = new Set(c.series().map((r) => r.id));
        const ids = e.members.filter((id) => held.has(id) && c.isVisible(id));
        c.highlight(ids.length ? ids : null);
      }
      return;
    }
    for (const c of list) {
      const here = e && e.charts.includes(c) && c.series().some((r) => r.id === e.id) && c.isVisible(e.id);
      c.highlight(here ? e.id : null);
    }
  };
  /** The filter's matches highlighted on each chart (none without a filter or when all match). */
  const filterHighlight = () => {
    const q = search.value.trim();
    for (const c of list) {
      const held = new Set(c.series().map((r) => r.id));
      const ids = q ? [...new Set(matched.filter((e) => !e.members && e.charts.includes(c) && held.has(e.id) && c.isVisible(e.id)).map((e) => e.id))] : [];
      c.highlight(ids.length && ids.length < held.size ? ids : null);
    }
  };
  const onOut = () => filterHighlight();
  rows.addEventListener('click', onClick);
  rows.addEventListener('mouseover', onOver);
  rows.addEventListener('mouseleave', onOut);
  search.addEventListener('input', () => {
    rows.scrollTop = 0; // a new list: from its top
    render();
    filterHighlight();
  });
  rows.addEventListener('scroll', paint, { passive: true });
  const off = list.flatMap((c) => [c.on('series', later), c.on('visibility', later)]);
  render();
  return {
    element: root,
    visibleRows: () => [...new Set(matched.filter((e) => !e.members).map((e) => e.id))],
    destroy() {
      off.forEach((f) => f());
      root.remove();
    },
  };
}
