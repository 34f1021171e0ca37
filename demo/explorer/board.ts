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
import { compileFilter } from './filter';
import { labelOf, type Dataset, type SeriesData } from './model';
import { chartView, type ExplorerState } from './state';

export class Board {
  charts: Chart[] = [];
  /** which chart shows which series key */
  private where = new Map<string, Chart>();
  private legend: Legend | null = null;
  private unlink: () => void = () => {};
  private colors = colorPalette();
  private dashes = dashPalette();
  private replayTimer = 0;

  constructor(
    private grid: HTMLElement,
    private legendHost: HTMLElement,
    private data: Dataset,
    private state: () => ExplorerState,
    private changed: (patch: Partial<ExplorerState>) => void,
  ) {
    data.on((c) => {
      if (c.kind === 'extended') this.extend(c.key, c.from);
      else this.rebuild();
    });
  }

  /** The series the state selects; throws the filter's error. */
  selected(): SeriesData[] {
    const s = this.state();
    const keep = compileFilter(s.filter);
    return [...this.data.series.values()].filter((d) => s.metrics.includes(d.metric) && keep(d.fields));
  }

  rebuild(): void {
    this.stopReplay();
    const s = this.state();
    let selected: SeriesData[];
    try {
      selected = this.selected();
    } catch {
      return; // a bad filter is reported by the filter box; the charts stay as they are
    }
    this.unlink();
    this.legend?.destroy();
    for (const c of this.charts) c.destroy();
    this.grid.replaceChildren();
    this.where.clear();
    const groups = groupBy(selected, (d) => (s.chartBy ? `${d.metric} · ${s.chartBy}: ${d.fields[s.chartBy] ?? '–'}` : d.metric));
    const cells = chartGrid(this.grid, [...groups.keys()], { minWidth: 420, height: groups.size > 1 ? 300 : 460 });
    this.charts = [...groups.values()].map((list, i) => {
      const chart = createChart(cells[i].chart, chartView(s));
      chart.setSeries(list.map((d) => this.input(d)));
      for (const d of list) this.where.set(d.key, chart);
      chart.setState({ hidden: s.hidden.filter((h) => list.some((d) => d.key === h)) });
      chart.on('view', (v) => {
        if (v.source !== 'api') this.changed({ xDomain: v.xDomain });
      });
      chart.on('visibility', () => this.changed({ hidden: this.hidden() }));
      return chart;
    });
    this.unlink = linkCharts(this.charts);
    this.legend = createLegend(this.legendHost, this.charts);
  }

  /** Options only (smoothing, axes): no regrouping, no data sent again. */
  applyView(): void {
    const v = chartView(this.state());
    for (const c of this.charts) c.update(v);
  }

  points(): number {
    let n = 0;
    for (const [key] of this.where) n += this.data.series.get(key)?.step.length ?? 0;
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
      chart.append(key, d.step.subarray(upto, next), d.value.subarray(upto, next), columns(d, upto, next));
      upto = next;
    }, tickMs);
  }

  stopReplay(): void {
    clearInterval(this.replayTimer);
    this.replayTimer = 0;
  }

  get replaying(): boolean {
    return this.replayTimer !== 0;
  }

  private extend(key: string, from: number): void {
    const chart = this.where.get(key);
    const d = this.data.series.get(key);
    if (!chart || !d) return;
    chart.append(key, d.step.subarray(from), d.value.subarray(from), columns(d, from, d.step.length));
  }

  private hidden(): string[] {
    return [...this.where].filter(([k, c]) => !c.isVisible(k)).map(([k]) => k);
  }

  private input(d: SeriesData, upto = d.step.length): SeriesInput {
    const s = this.state();
    const xs = columns(d, 0, upto);
    return {
      id: d.key,
      label: labelOf(d),
      x: d.step.subarray(0, upto),
      y: d.value.subarray(0, upto),
      xs,
      color: this.colors.get(s.colorBy ? d.fields[s.colorBy] ?? '–' : d.key),
      dash: s.strokeBy ? [...this.dashes.get(d.fields[s.strokeBy] ?? '–')] : undefined,
      width: 1.5,
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
