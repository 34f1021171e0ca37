// ECharts with the canvas renderer, set up as its docs advise for large data: typed-array data,
// `large` and `sampling` ('lttb', its documented choice for lines), no symbols, no animation,
// progressive rendering off so the first frame is the whole picture. Zoom through an inside
// dataZoom that filters, so sampling and the y fit follow the view. Drawn = its `finished` event.
import { DrawnSignal, Growable, LINE_WIDTH, color, ema, loadScript } from './common.js';

/** ECharts takes typed data as one flat array of (x, y) pairs per series. */
function interleave(x, y, n) {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = x[i];
    out[2 * i + 1] = y[i];
  }
  return out;
}

export const adapter = {
  name: 'ECharts',
  chart: null,
  signal: new DrawnSignal(),
  raw: null, // the app keeps the raw runs to smooth them again
  pairs: null, // Growable interleaved data per run, what ECharts is given
  async load() {
    await loadScript('/node_modules/echarts/dist/echarts.min.js');
  },
  version: () => echarts.version,
  series(i, data) {
    return {
      id: `s${i}`, type: 'line', data, dimensions: ['x', 'y'], encode: { x: 0, y: 1 },
      showSymbol: false, symbol: 'none', large: true, sampling: 'lttb', progressive: 0,
      lineStyle: { width: LINE_WIDTH, color: color(i) }, itemStyle: { color: color(i) },
      emphasis: { disabled: true }, silent: true, animation: false,
    };
  },
  async create(container, data) {
    this.prepare(data);
    await this.init(container, this.pairs.map((p, i) => this.series(i, p.view())));
  },
  /** An empty chart with `runs` series, as a panel shows while its data loads. */
  mount(container, runs) {
    return this.init(container, Array.from({ length: runs }, (_, i) => this.series(i, [])));
  },
  async setData(data) {
    this.prepare(data);
    const drawn = this.signal.arm();
    this.chart.setOption({ series: this.pairs.map((p, i) => ({ id: `s${i}`, data: p.view() })) });
    await drawn;
  },
  prepare(data) {
    this.raw = data;
    this.pairs = data.ys.map((y, i) => new Growable(interleave(data.xs[i], y, y.length)));
  },
  async init(container, series) {
    this.chart = echarts.init(container, null, { renderer: 'canvas' });
    this.chart.on('finished', () => this.signal.fire());
    const drawn = this.signal.arm();
    this.chart.setOption({
      animation: false,
      grid: { left: 50, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'value', min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'value', scale: true },
      dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'filter' }],
      series,
    });
    await drawn;
  },
  setX(startValue, endValue) {
    const drawn = this.signal.arm();
    this.chart.dispatchAction({ type: 'dataZoom', startValue, endValue });
    return drawn;
  },
  fit() {
    const drawn = this.signal.arm();
    this.chart.dispatchAction({ type: 'dataZoom', start: 0, end: 100 });
    return drawn;
  },
  smooth(weight) {
    const { xs, ys } = this.raw;
    const series = ys.map((y, i) => ({ id: `s${i}`, data: interleave(xs[i], ema(y, y.length, weight), y.length) }));
    const drawn = this.signal.arm();
    this.chart.setOption({ series });
    return drawn;
  },
  append(runs, x, ys) {
    runs.forEach((r, k) => {
      this.pairs[r].push(x);
      this.pairs[r].push(ys[k]);
    });
    const drawn = this.signal.arm();
    this.chart.setOption({ series: runs.map((r) => ({ id: `s${r}`, data: this.pairs[r].view() })) });
    return drawn;
  },
  destroy() {
    this.chart?.dispose();
  },
};
