// Plotly with its WebGL trace type (scattergl), as its docs advise for large data: typed arrays,
// lines only, no hover, no mode bar. Drawn = the promise of newPlot / relayout / restyle /
// extendTraces, then a pixel read from its WebGL contexts. Plotly's y autorange covers all the data, not
// the x view (its behaviour).
import { LINE_WIDTH, color, ema, loadScript } from './common.js';

/**
 * The promise resolves once the draw calls are issued; WebGL runs them later in the GPU process
 * (on SwiftShader, for seconds with 1e6 points), and neither the next animation frame nor
 * gl.finish() waits for that here (measured: finish returns in 0.1 ms, a readPixels after it
 * takes the seconds). The picture exists when they have run, so read one pixel of each context,
 * as metricgl's rendered() waits for its GPU work (it copies the GL canvas into its own).
 * The contexts are reached through Plotly's internal `_glcanvas` (there is no public handle).
 */
const pixel = new Uint8Array(4);
async function finished(gd, call) {
  await call;
  gd._fullLayout?._glcanvas?.each((d) => {
    const gl = d.regl?._gl;
    gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  });
}

export const adapter = {
  name: 'Plotly',
  gd: null,
  raw: null,
  async load() {
    await loadScript('/node_modules/plotly.js-dist-min/plotly.min.js');
  },
  version: () => Plotly.version,
  async create(container, data) {
    this.raw = data;
    this.init(container);
    await finished(this.gd, Plotly.newPlot(this.gd, this.traces(data.xs, data.ys), this.layout, { displayModeBar: false, responsive: false }));
  },
  /** An empty chart with `runs` series, as a panel shows while its data loads. */
  async mount(container, runs) {
    this.init(container);
    const empty = Array.from({ length: runs }, () => []);
    await finished(this.gd, Plotly.newPlot(this.gd, this.traces(empty, empty), this.layout, { displayModeBar: false, responsive: false }));
  },
  async setData(data) {
    this.raw = data;
    // react: Plotly's documented way to hand a plot new data
    await finished(this.gd, Plotly.react(this.gd, this.traces(data.xs, data.ys), this.layout));
  },
  init(container) {
    this.gd = document.createElement('div');
    container.appendChild(this.gd);
    this.layout = {
      width: container.clientWidth, height: container.clientHeight, showlegend: false, hovermode: false,
      margin: { l: 50, r: 20, t: 20, b: 30 }, xaxis: { autorange: true }, yaxis: { autorange: true },
    };
  },
  traces(xs, ys) {
    return ys.map((y, i) => ({ type: 'scattergl', mode: 'lines', x: xs[i], y, line: { color: color(i), width: LINE_WIDTH }, hoverinfo: 'skip' }));
  },
  setX(x0, x1) {
    return finished(this.gd, Plotly.relayout(this.gd, { 'xaxis.range': [x0, x1] }));
  },
  fit() {
    return finished(this.gd, Plotly.relayout(this.gd, { 'xaxis.autorange': true }));
  },
  smooth(weight) {
    const y = this.raw.ys.map((v) => ema(v, v.length, weight));
    return finished(this.gd, Plotly.restyle(this.gd, { y }));
  },
  append(runs, x, ys) {
    // the traces hold typed arrays: Plotly extends them only with the same array types
    return finished(this.gd, Plotly.extendTraces(this.gd, { x: runs.map(() => Float64Array.of(x)), y: ys.map((v) => Float32Array.of(v)) }, runs));
  },
  destroy() {
    Plotly.purge(this.gd);
  },
};
