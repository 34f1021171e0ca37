/**
 * The charts of the explorer: the selected series grouped into charts (one per metric, or per
 * value of the "group by chart" field), coloured and stroked by fields through shared palettes
 * (a key keeps its colour across regroupings), linked for x zoom and hover, with one legend for
 * all of them. The state object is the single source of truth; the board reads it.
 */
import {
  chartGrid, colorPalette, createChart, createLegend, dashPalette, groupBy, linkCharts,
  type Chart, type Legend, type SeriesInput,
} from '../../src/index';
import { compileFilter, type Predicate } from '../../src/query/filter';
import { renderKeys } from './keys';
import { chartHeight } from './layout';
import { labelOf, pointsOf, type Dataset, type SeriesData } from './model';
import { axisLabels, chartView, groupOf, type ExplorerState } from './state';

export interface BoardHooks {
  /** the charts were rebuilt or got points: the status line follows */
  drawn(): void;
  /** a replay ended (it ran out of points, or a rebuild stopped it) */
  replayEnded(): void;
  /** a chart could not draw a view (its server did not answer): the last picture stays */
  error?(message: string): void;
  /** a chart's server answers only part of its series now (a shard down), or all again */
  partial?(message: string | null): void;
}

export class Board {
  charts: Chart[] = [];
  /** which chart shows which series key */
  private where = new Map<string, Chart>();
  private legend: Legend | null = null;
  private unlink: () => void = () => {};
  private colors = colorPalette();
  private dashes = dashPalette();
  private replayTimer = 0;
  /** the filter the charts show: the state's, or the last one that compiled against the data */
  private goodFilter = '';
  /** each chart's metric and its element (heights follow the window) */
  private cells: { metric: string; el: HTMLElement }[] = [];
  /**
   * Server series the server's answer to the filter kept (`where` evaluated there); null: all.
   * The filter of local series (files, live folder) is still evaluated here.
   */
  remoteKept: Set<string> | null = null;

  constructor(
    private grid: HTMLElement,
    private legendHost: HTMLElement,
    private keyHost: HTMLElement,
    private data: Dataset,
    private state: () => ExplorerState,
    private changed: (patch: Partial<ExplorerState>) => void,
    private hooks: BoardHooks,
  ) {
    data.on((c) => {
      if (c.kind === 'extended') this.extend(c.key, c.from);
      else if (c.kind === 'grew') this.refreshRemote(c.keys);
      else this.rebuild();
    });
    new ResizeObserver(() => this.layout()).observe(grid);
  }

  /**
   * The filter to apply: the state's when it compiles against the fields the runs have, else the
   * last good one (a bookmark or a typo never blanks the page; the filter box says what is wrong).
   */
  private filter(): Predicate {
    const s = this.state();
    const known = this.data.series.size ? this.data.fieldNames() : undefined;
    try {
      const keep = compileFilter(s.filter, known);
      this.goodFilter = s.filter;
      return keep;
    } catch {
      try {
        return compileFilter(this.goodFilter, known);
      } catch {
        this.goodFilter = '';
        return () => true;
      }
    }
  }

  /** The series the state selects. */
  selected(): SeriesData[] {
    const s = this.state();
    const keep = this.filter();
    const kept = this.remoteKept;
    return [...this.data.series.values()].filter((d) => s.metrics.includes(d.metric) && (d.remote ? !kept || kept.has(d.key) : keep(d.fields)));
  }

  /** The series in the charts. */
  shown(): SeriesData[] {
    return [...this.where.keys()].map((k) => this.data.series.get(k)!).filter(Boolean);
  }

  /** The chart that shows a series key. */
  chartOf(key: string): Chart | undefined {
    return this.where.get(key);
  }

  /** Series hidden from the legend. */
  hiddenCount(): number {
    return this.hidden().length;
  }

  rebuild(): void {
    this.stopReplay();
    const s = this.state();
    const selected = this.selected();
    this.unlink();
    this.legend?.destroy();
    for (const c of this.charts) c.destroy();
    this.grid.replaceChildren();
    this.where.clear();
    const groups = groupBy(selected, (d) => (s.chartBy ? `${d.metric} · ${s.chartBy}: ${d.fields[s.chartBy] ?? '–'}` : d.metric));
    const cells = chartGrid(this.grid, [...groups.keys()], { minWidth: Math.min(420, this.grid.clientWidth - 4), height: this.height(groups.size) });
    this.cells = [...groups.values()].map((list, i) => ({ metric: list[0].metric, el: cells[i].chart }));
    this.charts = [...groups.values()].map((list, i) => {
      const chart = createChart(cells[i].chart, { ...chartView(s), ...axisLabels(s, list[0].metric) });
      chart.setSeries(list.map((d) => this.input(d)));
      for (const d of list) this.where.set(d.key, chart);
      chart.setState({ hidden: s.hidden.filter((h) => list.some((d) => d.key === h)) });
      chart.on('view', (v) => {
        if (v.source !== 'api') this.changed({ xDomain: v.xDomain });
      });
      chart.on('visibility', () => this.changed({ hidden: this.hidden() }));
      // a series its server could not answer now is told by the `source` event ('partial')
      chart.on('error', (e) => {
        if (!/could not answer it now/.test(e.message)) this.hooks.error?.(e.message);
      });
      chart.on('source', (e) => {
        if (e.state === 'partial') this.hooks.partial?.(e.message);
        else if (e.state === 'ok') this.hooks.partial?.(null);
      });
      return chart;
    });
    this.unlink = linkCharts(this.charts);
    // titles name each chart's metric in the legend when several charts share it
    const legendOptions = { search: true, titles: this.cells.map((c) => c.metric) };
    this.legend = createLegend(this.legendHost, this.charts, legendOptions);
    this.keys();
    this.hooks.drawn();
  }

  /** Options only (smoothing, axes): no regrouping, no data sent again. */
  applyView(): void {
    const s = this.state();
    const v = chartView(s);
    this.charts.forEach((c, i) => c.update({ ...v, ...axisLabels(s, this.cells[i]?.metric ?? '') }));
  }

  /** Chart heights from the space the grid has: one chart fills it, subplots share it. */
  private height(n: number): number {
    return chartHeight(Math.max(1, n), this.grid.clientWidth - 4, this.grid.clientHeight - 4);
  }

  private layout(): void {
    const h = `${this.height(this.cells.length)}px`;
    for (const c of this.cells) if (c.el.style.height !== h) c.el.style.height = h;
  }

  /** The colour and stroke keys of what is shown, with the palettes' own colours and dashes. */
  private keys(): void {
    const s = this.state();
    renderKeys(this.keyHost, this.shown(), s.colorBy, s.strokeBy, (v) => this.colors.get(v), (v) => this.dashes.get(v));
  }

  points(): number {
    let n = 0;
    for (const [key] of this.where) {
      const d = this.data.series.get(key);
      if (d) n += pointsOf(d);
    }
    return n;
  }

  /**
   * Replay a run as if it were training now: it restarts from its first points and grows by
   * `rate` points a second, appended live while everything stays interactive.
   */
  replay(key: string, rate: number): void {
    this.stopReplay();
    const d = this.data.series.get(key);
    const chart = this.where.get(key);
    if (!d || !chart) return;
    let upto = Math.min(d.step.length, Math.max(2, Math.floor(d.step.length * 0.02)));
    const others = [...this.where].filter(([k, c]) => c === chart && k !== key).map(([k]) => this.input(this.data.series.get(k)!));
    chart.setSeries([...others, this.input(d, upto)]);
    const tickMs = 100;
    this.replayTimer = window.setInterval(() => {
      const next = Math.min(d.step.length, upto + Math.max(1, Math.round((rate * tickMs) / 1000)));
      if (next <= upto) return this.stopReplay();
      this.hooks.drawn();
      chart.append(key, d.step.subarray(upto, next), d.value.subarray(upto, next), columns(d, upto, next));
      upto = next;
    }, tickMs);
  }

  stopReplay(): void {
    if (!this.replayTimer) return;
    clearInterval(this.replayTimer);
    this.replayTimer = 0;
    this.hooks.replayEnded();
  }

  get replaying(): boolean {
    return this.replayTimer !== 0;
  }

  /**
   * Server series got points: their charts follow their server by themselves (the engine asks
   * the new view on the server's `grew`), so only what the page shows about them is redrawn:
   * the keys' run counts and the status line.
   */
  refreshRemote(keys: readonly string[]): void {
    if (keys.some((k) => this.where.has(k))) this.keys();
    this.hooks.drawn();
  }

  private extend(key: string, from: number): void {
    const chart = this.where.get(key);
    const d = this.data.series.get(key);
    if (!chart || !d) return;
    chart.append(key, d.step.subarray(from), d.value.subarray(from), columns(d, from, d.step.length));
    this.keys();
    this.hooks.drawn();
  }

  private hidden(): string[] {
    return [...this.where].filter(([k, c]) => !c.isVisible(k)).map(([k]) => k);
  }

  private input(d: SeriesData, upto = d.step.length): SeriesInput {
    const s = this.state();
    const color = this.colors.get(s.colorBy ? d.fields[s.colorBy] ?? '–' : d.key);
    const dash = s.strokeBy ? [...this.dashes.get(d.fields[s.strokeBy] ?? '–')] : undefined;
    // the points stay on the server: the worker asks it for every view, and a group of them is
    // aggregated by the server
    if (d.remote) return { id: d.key, source: d.remote.source, label: labelOf(d), color, dash, width: 1.5, group: groupOf(s, d.fields) };
    const xs = columns(d, 0, upto);
    return {
      id: d.key,
      label: labelOf(d),
      x: d.step.subarray(0, upto),
      y: d.value.subarray(0, upto),
      xs,
      color,
      dash,
      width: 1.5,
      group: groupOf(s, d.fields),
    };
  }
}

/** A series' other x columns (relative time, wall clock, epoch) over points [from, to). */
function columns(d: SeriesData, from: number, to: number): Record<string, Float64Array> {
  const xs: Record<string, Float64Array> = {};
  if (d.time) xs.time = d.time.subarray(from, to);
  if (d.wall) xs.wall = d.wall.subarray(from, to);
  if (d.epoch) xs.epoch = d.epoch.subarray(from, to);
  return xs;
}
