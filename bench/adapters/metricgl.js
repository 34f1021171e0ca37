// metricgl through its public API, from the built bundle (dist/, as users get it).
import { LINE_WIDTH, color } from './common.js';

let metricgl = null;

export const adapter = {
  name: 'metricgl',
  chart: null,
  ids: [],
  last: null,
  async load() {
    // the bundle as users get it: dist/, or the snapshot of it a run measures (?dist=)
    metricgl = await import(new URLSearchParams(location.search).get('dist') ?? '/dist/metricgl.js');
  },
  version: () => new URLSearchParams(location.search).get('dist') ?? '/dist/metricgl.js',
  async create(container, data) {
    // showRaw off: every library draws the smoothed curves only, the same picture
    this.chart = metricgl.createChart(container, { showRaw: false });
    await this.setData(data);
  },
  /** An empty chart, as a panel shows while its data loads (the page's GL context and worker start). */
  async mount(container) {
    this.chart = metricgl.createChart(container, { showRaw: false });
    await this.drawn();
  },
  async setData(data) {
    this.ids = data.ys.map((_, i) => `run-${i}`);
    // runs that share one x array pass that same array: metricgl stores it once
    this.chart.setSeries(data.ys.map((y, i) => ({ id: this.ids[i], x: data.xs[i], y, color: color(i), width: LINE_WIDTH })));
    await this.drawn();
  },
  async drawn() {
    this.last = await this.chart.rendered();
  },
  setX(x0, x1) {
    this.chart.update({ xDomain: [x0, x1] });
    return this.drawn();
  },
  fit() {
    this.chart.update({ xDomain: null });
    return this.drawn();
  },
  smooth(weight) {
    this.chart.update({ smoothing: { weight, mode: 'ema' } });
    return this.drawn();
  },
  append(runs, x, ys) {
    // appends made in one task travel to the worker together
    for (let k = 0; k < runs.length; k++) this.chart.append(this.ids[runs[k]], [x], [ys[k]]);
    return this.drawn();
  },
  info() {
    const f = this.last;
    return f && { bytes: f.bytes, points: f.points, bytesPerPoint: f.bytes / f.points, primitives: f.primitives, workerMs: f.workerMs, frameMs: f.frameMs, smoothing: f.smoothing };
  },
  destroy() {
    this.chart?.destroy();
  },
};
