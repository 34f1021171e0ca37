// Chart.js, set up as its performance docs advise: data in its internal format ({x, y} objects,
// `parsing: false`, `normalized: true`), the decimation plugin with min-max, no animation, no
// points, a linear x scale. The typed arrays are converted to objects inside the timed first
// frame, as an app pays it. Drawn = an `afterRender` plugin hook.
import { DrawnSignal, LINE_WIDTH, color, ema, loadScript } from './common.js';

export const adapter = {
  name: 'Chart.js',
  chart: null,
  signal: new DrawnSignal(),
  raw: null, // raw y per run, kept to smooth again (the objects get the smoothed values)
  points: null, // {x, y} objects per run
  async load() {
    await loadScript('/node_modules/chart.js/dist/chart.umd.min.js');
  },
  version: () => Chart.version,
  async create(container, data) {
    this.prepare(data);
    await this.init(container, this.points);
  },
  /** An empty chart with `runs` series, as a panel shows while its data loads. */
  mount(container, runs) {
    return this.init(container, Array.from({ length: runs }, () => []));
  },
  setData(data) {
    this.prepare(data);
    this.points.forEach((pts, i) => (this.chart.data.datasets[i].data = pts));
    return this.update();
  },
  prepare(data) {
    this.raw = data.ys;
    this.points = data.ys.map((y, i) => {
      const x = data.xs[i];
      const pts = new Array(y.length);
      for (let j = 0; j < y.length; j++) pts[j] = { x: x[j], y: y[j] };
      return pts;
    });
  },
  async init(container, points) {
    const canvas = document.createElement('canvas');
    canvas.width = container.clientWidth;
    canvas.height = container.clientHeight;
    container.appendChild(canvas);
    const drawn = this.signal.arm();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: points.map((data, i) => ({ data, borderColor: color(i), borderWidth: LINE_WIDTH, pointRadius: 0, tension: 0, spanGaps: true })),
      },
      options: {
        responsive: false,
        animation: false,
        parsing: false,
        normalized: true,
        indexAxis: 'x',
        events: [],
        scales: { x: { type: 'linear' }, y: { type: 'linear' } },
        plugins: { decimation: { enabled: true, algorithm: 'min-max' }, legend: { display: false }, tooltip: { enabled: false } },
      },
      plugins: [{ id: 'benchDrawn', afterRender: () => this.signal.fire() }],
    });
    await drawn;
  },
  update() {
    const drawn = this.signal.arm();
    this.chart.update('none');
    return drawn;
  },
  setX(min, max) {
    Object.assign(this.chart.options.scales.x, { min, max });
    return this.update();
  },
  fit() {
    Object.assign(this.chart.options.scales.x, { min: undefined, max: undefined });
    return this.update();
  },
  smooth(weight) {
    // write the smoothed values into the objects Chart.js already holds (no new objects)
    this.raw.forEach((y, i) => {
      const s = ema(y, y.length, weight);
      const pts = this.points[i];
      for (let j = 0; j < s.length; j++) pts[j].y = s[j];
      this.chart.data.datasets[i].data = pts; // the decimation plugin decimates this again
    });
    return this.update();
  },
  append(runs, x, ys) {
    runs.forEach((r, k) => {
      this.points[r].push({ x, y: ys[k] });
      this.chart.data.datasets[r].data = this.points[r];
    });
    return this.update();
  },
  destroy() {
    this.chart?.destroy();
  },
};
