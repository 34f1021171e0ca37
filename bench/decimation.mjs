// Pure-CPU micro-benchmarks of decimation in Node (no browser): the min/max pyramid build and
// view queries (decimateView over a 1000-px view: one run zoomed, and 100 runs with and without
// the ignoreOutliers fit), in points per second, against what the machine can stream: a plain
// typed-array sum over the same data. Usage: npm run bench:decimation
//   SIZES=1000000,10000000   pyramid build sizes (the view queries use the largest)
// The modules are TypeScript; Vite (already a devDependency) bundles them to bench/.tmp/ first.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { repo, stats } from './browser.mjs';
import { bundle } from './lib/bundle.mjs';

const load = await bundle('decimate', { pyramid: 'src/store/pyramid.ts', view: 'src/decimate/view.ts', store: 'src/store/store.ts', outbuf: 'src/decimate/outbuf.ts' });
const { Pyramid } = await load('pyramid');
const { decimateView } = await load('view');
const { createSeries, ingestX } = await load('store');
const { F32Out } = await load('outbuf');

const REPS = Number(process.env.REPS ?? 7);
const sizes = (process.env.SIZES ?? '1000000,10000000').split(',').map(Number);
const W = 1000, H = 500;

/**
 * The same kind of data as the browser bench (bench/adapters/harness.js generate()): a loss curve
 * on float64 steps, float32 values: a decaying trend, a random walk and per-step noise. The
 * per-step noise matters: it is what real training curves have, and what makes a branchy
 * min/max mispredict.
 */
function data(n) {
  const x = new Float64Array(n), y = new Float32Array(n);
  let s = 1, walk = 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const tau = n * 0.15;
  for (let i = 0; i < n; i++) {
    walk += (rand() - 0.5) * 0.01;
    x[i] = i;
    y[i] = 2 + Math.exp(-i / tau) + walk + (rand() - 0.5) * 0.05;
  }
  return { x, y };
}

/** Median ms of fn over REPS runs, after one warm-up (the JIT). */
function time(fn) {
  fn();
  const ms = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return stats(ms);
}

let sink = 0; // results feed this so no loop is optimised away
const sum = (a) => {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  sink += t;
};

/**
 * What a per-view scan without a pyramid costs (uPlot's way): one pass over the points in view,
 * min and max per pixel column.
 */
function scanView(x, y, i0, i1, x0, x1, out) {
  out.fill(NaN);
  const k = W / (x1 - x0);
  for (let i = i0; i < i1; i++) {
    const c = Math.min(W - 1, ((x[i] - x0) * k) | 0);
    const v = y[i];
    if (!(out[2 * c] <= v)) out[2 * c] = v;
    if (!(out[2 * c + 1] >= v)) out[2 * c + 1] = v;
  }
  sink += out[0];
}

const rows = [];
const row = (what, n, st, bytesPerPoint) => {
  const pps = (n / st.median) * 1000;
  rows.push({ what, points: n, ms: st.median, min: st.min, max: st.max, pointsPerS: pps, GBps: bytesPerPoint ? (pps * bytesPerPoint) / 1e9 : null });
  console.error(`${what}, ${n.toLocaleString('en')} points: ${st.median.toFixed(2)} ms, ${(pps / 1e6).toFixed(0)} M points/s`);
};

for (const n of sizes) {
  const { x, y } = data(n);
  row('baseline: Float32Array sum (y)', n, time(() => sum(y)), 4);
  row('baseline: Float64Array sum (x)', n, time(() => sum(x)), 8);
  row('pyramid build (reads y)', n, time(() => new Pyramid(y, n)), 4);
  // what the worker does with a new series before its first view: sorted check, counts, pyramid
  row('store ingest: ingestX + createSeries (x and y)', n, time(() => createSeries('run', 0, ingestX(x), y)), 12);
}

// view queries on the largest size: the pyramid path against a scan of every point in view
const n = Math.max(...sizes);
const { x, y } = data(n);
const series = createSeries('run', 0, ingestX(x), y);
const spans = new F32Out(), segments = new F32Out();
const req = (xDomain) => ({ xScale: 'linear', yScale: 'linear', xDomain, yDomain: null, width: W, height: H, hidden: [] });
const cols = new Float64Array(2 * W);
for (const [label, frac] of [['full view', 1], ['10% zoom', 0.1], ['1% zoom', 0.01]]) {
  const x0 = 0.45 * (1 - frac) * n, x1 = x0 + frac * (n - 1);
  const inView = Math.round(frac * n);
  row(`decimateView, ${W} px, ${label} (pyramid)`, inView, time(() => decimateView([series], req(frac === 1 ? null : [x0, x1]), spans, segments)));
  const i0 = Math.ceil(x0), i1 = Math.floor(x1) + 1;
  row(`scan of every point in view, ${W} px, ${label} (no pyramid)`, inView, time(() => scanView(x, y, i0, i1, x0, x1, cols)));
}
// the outlier-ignoring y fit adds a percentile over every drawn column extent of every run
const runs = Array.from({ length: 100 }, (_, k) => createSeries(`run${k}`, k, ingestX(x.subarray(0, n / 100)), y.slice(k * (n / 100), (k + 1) * (n / 100))));
const fitReq = (ignoreOutliers) => ({ ...req(null), ignoreOutliers });
row(`decimateView, ${W} px, 100 runs, full view`, n, time(() => decimateView(runs, fitReq(false), spans, segments)));
row(`decimateView, ${W} px, 100 runs, full view, ignoreOutliers`, n, time(() => decimateView(runs, fitReq(true), spans, segments)));
if (sink === 42) console.error(''); // keep sink alive

const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
const result = { date: new Date().toISOString(), machine, reps: REPS, rows };
mkdirSync(join(repo, 'bench/results'), { recursive: true });
writeFileSync(join(repo, 'bench/results/decimation-latest.json'), JSON.stringify(result, null, 2));
const base = Object.fromEntries(rows.filter((r) => r.what.startsWith('baseline: Float32')).map((r) => [r.points, r.pointsPerS]));
const md = [
  `## Decimation micro-benchmarks (Node ${process.version}, ${machine.cpu}, ${machine.cores} cores)`,
  '',
  `Median of ${REPS} runs after a warm-up. "vs sum": points/s relative to a plain Float32Array sum over as many points (the rate the machine streams y). ` +
    'For view queries "points" are the points in view; the pyramid path reads O(pixels x log N) of them.',
  '',
  '| what | points | median ms [min–max] | M points/s | GB/s | vs sum |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => {
    const b = base[r.points] ?? base[n];
    return `| ${r.what} | ${r.points.toLocaleString('en')} | ${r.ms.toFixed(2)} [${r.min.toFixed(2)}–${r.max.toFixed(2)}] | ${(r.pointsPerS / 1e6).toFixed(0)} | ${r.GBps == null ? '–' : r.GBps.toFixed(2)} | ${(r.pointsPerS / b).toFixed(2)} |`;
  }),
].join('\n');
writeFileSync(join(repo, 'bench/results/decimation-latest.md'), md + '\n');
console.log('\n' + md);
