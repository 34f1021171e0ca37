// uPlot (Canvas2D), set up as its docs advise for large data: typed arrays handed over as they
// are, no points drawn, the linear path builder (its per-pixel min/max decimation is built in),
// no live legend or cursor (their DOM per series costs with 1000 runs). Drawn = its `draw` hook.
import { DrawnSignal, Growable, LINE_WIDTH, color, ema, loadCss, loadScript } from './common.js';

export const adapter = {
  name: 'uPlot',
  u: null,
  signal: new DrawnSignal(),
  cols: null, // [x, ...ys]: Growable (shared x) or plain arrays (joined)
  joined: false,
  async load() {
    loadCss('/node_modules/uplot/dist/uPlot.min.css');
    await loadScript('/node_modules/uplot/dist/uPlot.iife.min.js');
  },
  version: () => 'uplot',
  /** Columns as uPlot wants them, kept by the "app" for appends. */
  prepare(data) {
    const shared = data.xs.every((x) => x === data.xs[0]);
    this.joined = !shared;
    if (shared) {
      this.cols = [new Growable(data.xs[0]), ...data.ys.map((y) => new Growable(y))];
    } else {
      // runs on different steps: uPlot needs one x column; join() is its documented way (the
      // union of steps, null where a run has none). Steps repeated within a run (restarted logs)
      // keep one value per step: uPlot's data model holds one y per x.
      this.cols = uPlot.join(data.xs.map((x, i) => [x, data.ys[i]]));
    }
  },
  opts(container, runs) {
    return {
      width: container.clientWidth,
      height: container.clientHeight,
      scales: { x: { time: false } },
      series: [{}, ...Array.from({ length: runs }, (_, i) => ({ stroke: color(i), width: LINE_WIDTH, points: { show: false } }))],
      legend: { show: false },
      cursor: { show: false },
      hooks: { draw: [() => this.signal.fire()] },
    };
  },
  async create(container, data) {
    this.prepare(data);
    const drawn = this.signal.arm();
    this.u = new uPlot(this.opts(container, data.ys.length), this.data(), container);
    await drawn;
  },
  /** An empty chart with `runs` series, as a panel shows while its data loads. */
  async mount(container, runs) {
    const drawn = this.signal.arm();
    this.u = new uPlot(this.opts(container, runs), Array.from({ length: runs + 1 }, () => []), container);
    await drawn;
  },
  async setData(data) {
    this.prepare(data);
    const drawn = this.signal.arm();
    this.u.setData(this.data());
    await drawn;
  },
  data() {
    return this.joined ? this.cols : this.cols.map((c) => c.view());
  },
  setX(min, max) {
    const drawn = this.signal.arm();
    this.u.setScale('x', { min, max });
    return drawn;
  },
  fit(min, max) {
    return this.setX(min, max);
  },
  smooth(weight) {
    // an explorer on uPlot recomputes the EMA of every run and hands the curves over again
    const d = this.data();
    const out = [d[0]];
    for (let i = 1; i < d.length; i++) {
      const y = d[i];
      const s = ema(y, y.length, weight);
      out.push(this.joined ? Array.from(s, (v, j) => (y[j] == null ? null : v)) : s);
    }
    const drawn = this.signal.arm();
    this.u.setData(out);
    return drawn;
  },
  append(runs, x, ys) {
    const c = this.cols;
    if (this.joined) {
      // a new step for every run: null where a run has no value there
      c[0].push(x);
      for (let i = 1; i < c.length; i++) c[i].push(null);
      runs.forEach((r, k) => (c[r + 1][c[0].length - 1] = ys[k]));
    } else {
      // runs without a value at the new step are one shorter than x: uPlot reads undefined, a gap
      c[0].push(x);
      runs.forEach((r, k) => c[r + 1].push(ys[k]));
    }
    const drawn = this.signal.arm();
    this.u.setData(this.data());
    return drawn;
  },
  destroy() {
    this.u?.destroy();
  },
};
