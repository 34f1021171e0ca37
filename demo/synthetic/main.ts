/**
 * The issue-2 demo: generated training runs (a sweep of loss curves with noise, warm-up, and the
 * odd loss spike) in one chart, driven through the public API only.
 */
import { createChart, type FrameInfo } from '../../src/index';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const chartEl = $('chart');
const chart = createChart(chartEl, { yScale: 'log', smoothing: { weight: 0.6, mode: 'ema' } });

let xDomain: [number, number] | null = null;
let extent: [number, number] = [0, 1];
let generated = { runs: 0, points: 0, step: 0 };
const seeds: number[] = [];

/** A loss curve: power-law decay to a floor, per-run learning rate, noise, rare spikes. */
function makeRun(r: number, from: number, count: number, y: Float32Array, x: Float64Array): void {
  let s = seeds[r];
  const lr = 0.5 + (r % 7) / 7;
  const floor = 2.8 + (r % 5) * 0.05;
  for (let k = 0; k < count; k++) {
    const i = from + k;
    s = (s * 1664525 + 1013904223) >>> 0;
    const noise = (s / 2 ** 32 - 0.5) * 0.08;
    const spike = s % 200_003 === 0 ? 2 + (s % 5) : 0;
    x[k] = i;
    y[k] = floor + 8 / Math.pow(1 + (i * lr) / 2000, 0.7) + noise + spike;
  }
  seeds[r] = s;
}

function generate(): void {
  const runs = +$<HTMLSelectElement>('runs').value;
  const points = +$<HTMLSelectElement>('points').value;
  const x = new Float64Array(points);
  const series = [];
  for (let r = 0; r < runs; r++) {
    seeds[r] = 1 + r * 7919;
    const y = new Float32Array(points);
    makeRun(r, 0, points, y, x);
    series.push({ id: `run-${r}`, label: `lr-sweep/run-${r}`, x, y, width: 1 });
  }
  chart.setSeries(series); // all runs pass the same x: stored once
  generated = { runs, points, step: points };
  extent = [0, points - 1];
  xDomain = null;
  chart.update({ xDomain });
  report();
}

async function report(): Promise<void> {
  const f: FrameInfo = await chart.rendered();
  extent = xDomain ? extent : f.xDomain;
  $('stats').textContent =
    `${(f.points / 1e6).toFixed(1)}M points · ${f.primitives.toLocaleString()} primitives · ` +
    `frame ${f.frameMs.toFixed(1)} ms (worker ${f.workerMs.toFixed(1)} ms) · ` +
    `${(f.bytes / f.points).toFixed(1)} B/point` +
    (f.smoothing !== 'none' ? ` · smoothed on ${f.smoothing} (${f.smoothedPoints.toLocaleString()} points)` : '') +
    (f.nonPositive ? ` · ${f.nonPositive} values <= 0 skipped` : '');
}

function setX(d: [number, number] | null): void {
  xDomain = d;
  chart.update({ xDomain });
  report();
}

function zoom(factor: number, centreFrac = 0.5): void {
  const [a, b] = xDomain ?? extent;
  const c = a + (b - a) * centreFrac;
  const half0 = (c - a) * factor, half1 = (b - c) * factor;
  setX([c - half0, c + half1]);
}

function pan(frac: number): void {
  const [a, b] = xDomain ?? extent;
  const d = (b - a) * frac;
  setX([a + d, b + d]);
}

$('runs').onchange = $('points').onchange = generate;
$<HTMLSelectElement>('yScale').onchange = (e) => {
  chart.update({ yScale: (e.target as HTMLSelectElement).value as 'linear' | 'log' });
  report();
};
function smoothing(): void {
  const weight = +$<HTMLInputElement>('weight').value;
  $('weightText').textContent = weight.toFixed(2);
  chart.update({
    smoothing: { weight, mode: $<HTMLSelectElement>('mode').value as 'ema' | 'time-weighted' },
    showRaw: $<HTMLInputElement>('showRaw').checked,
    smoothingBackend: $<HTMLSelectElement>('backend').value as 'auto' | 'gpu' | 'cpu',
  });
  report();
}
$('weight').oninput = $('mode').onchange = $('showRaw').onchange = $('backend').onchange = smoothing;
$('zoomIn').onclick = () => zoom(0.5);
$('zoomOut').onclick = () => zoom(2);
$('left').onclick = () => pan(-0.25);
$('right').onclick = () => pan(0.25);
$('reset').onclick = () => setX(null);

// Wheel, drag-box, shift-drag, double-click and the keyboard are the chart's own (interactive);
// the buttons above drive the same view through the API. Keep xDomain in step with both.
chart.on('view', (v) => {
  if (v.source !== 'api') xDomain = v.xDomain;
});

// Live mode: every run grows by 100 steps ten times a second, with no refresh.
let timer = 0;
$<HTMLInputElement>('live').onchange = (e) => {
  clearInterval(timer);
  if (!(e.target as HTMLInputElement).checked) return;
  timer = window.setInterval(() => {
    const k = 100;
    const x = new Float64Array(k), y = new Float32Array(k);
    for (let r = 0; r < generated.runs; r++) {
      makeRun(r, generated.step, k, y, x);
      chart.append(`run-${r}`, x, y);
    }
    generated.step += k;
    report();
  }, 100);
};

generate();
