// The page side of the benchmark: generates the data, drives one adapter and times each step
// from the call to the next animation frame after the library reports the frame drawn. Node
// (bench/run.mjs, bench/scaling.mjs) calls window.bench.* one step at a time, so it can enforce
// a time limit per step.
import { nextFrame } from './common.js';

/** Same seed, same data, whichever library the page holds. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `runs` random-walk loss curves of `points` each on one shared step axis (x: float64 steps, the
 * same array for every run; y: float32): a decaying trend, a random walk and per-step noise.
 * `layout` says how the runs lie against each other:
 * - 'overlapping' (default): every run decays to about the same level, on top of each other;
 * - 'spread': run r offset by 2r, so curves rarely overlap in data space (each keeps its own rows);
 * - 'crossing': a diverging learning-rate sweep: runs start in one order and end in the reverse
 *   one (every pair crosses), and one run in eight diverges: it grows exponentially from a
 *   random step and is NaN from where it passes 50 on.
 */
export function generate(runs, points, seed = 1, layout = 'overlapping') {
  const x = new Float64Array(points);
  for (let i = 0; i < points; i++) x[i] = i;
  const ys = [];
  for (let r = 0; r < runs; r++) {
    const rand = mulberry32(seed * 7919 + r);
    const y = new Float32Array(points);
    const scale = 0.5 + rand(), tau = points * (0.05 + 0.2 * rand());
    const u = runs > 1 ? r / (runs - 1) : 0.5;
    // crossing: start at 3 + u, end at 2.5 - u (reverse order); a diverging run from `blowAt`
    const start = 3 + u, end = 2.5 - u;
    const blowAt = layout === 'crossing' && r % 8 === 7 ? Math.floor(points * (0.2 + 0.6 * rand())) : Infinity;
    const growth = 30 / points;
    let walk = 0;
    for (let i = 0; i < points; i++) {
      walk += (rand() - 0.5) * 0.01;
      const noise = (rand() - 0.5) * 0.05;
      let v;
      if (layout === 'spread') v = 2 + scale * Math.exp(-i / tau) + walk + noise + 2 * r;
      else if (layout === 'crossing') {
        v = end + (start - end) * Math.exp(-i / tau) + walk + noise;
        if (i >= blowAt) v += Math.expm1((i - blowAt) * growth);
        if (v > 50) v = NaN;
      } else v = 2 + scale * Math.exp(-i / tau) + walk + noise;
      y[i] = v;
    }
    ys.push(y);
  }
  return { xs: ys.map(() => x), ys };
}

/** The real-data runs, fetched as the binary blob of bench/lib/scenarios.mjs encodeRuns(). */
async function fetchRuns(url) {
  const buf = await (await fetch(url)).arrayBuffer();
  const count = new Uint32Array(buf, 0, 1)[0];
  const lengths = new Uint32Array(buf, 4, count);
  let off = 8 * Math.ceil((4 * (count + 1)) / 8);
  const xs = [], ys = [];
  for (const n of lengths) {
    xs.push(new Float64Array(buf, off, n));
    off += 8 * n;
  }
  for (const n of lengths) {
    ys.push(new Float32Array(buf, off, n));
    off += 4 * n;
  }
  return { xs, ys };
}

function extentOf(data) {
  let lo = Infinity, hi = -Infinity;
  for (const x of data.xs) {
    if (x.length === 0) continue;
    lo = Math.min(lo, x[0]);
    hi = Math.max(hi, x[x.length - 1]);
  }
  return [lo, hi];
}

export function installHarness(adapter, container) {
  let data = null;
  let ext = [0, 1];
  let lastY = [];
  let zoomed = [0, 1];
  const heap = async () => {
    // --js-flags=--expose-gc gives gc(); --enable-precise-memory-info unquantised figures. Two
    // collections: the first frees dead array-buffer wrappers, the second sees their backing
    // stores gone (with one, buffers already transferred to a worker were still counted here).
    if (typeof gc === 'function') {
      gc();
      await new Promise((r) => setTimeout(r, 0));
      gc();
    }
    return performance.memory ? performance.memory.usedJSHeapSize : NaN;
  };
  const timed = async (fn) => {
    const t0 = performance.now();
    await fn();
    await nextFrame();
    return performance.now() - t0;
  };
  const range = () => ext[1] - ext[0];
  window.bench = {
    name: adapter.name,
    version: adapter.version?.() ?? '',
    heap,
    /** Untimed: make the data (generated here, or fetch the real runs node parsed). */
    async generate(spec) {
      data = spec.url ? await fetchRuns(spec.url) : generate(spec.count, spec.points, spec.seed ?? 1, spec.layout);
      ext = extentOf(data);
      lastY = data.ys.map((y) => y[y.length - 1]);
      return { runs: data.ys.length, points: data.ys.reduce((a, y) => a + y.length, 0), xDomain: ext };
    },
    /**
     * First frame on a fresh page, chart and data together: the chart is made and handed the data
     * in one step, so the page-level setup of a library (metricgl: its GL context and worker) is
     * inside the time. The harness then lets go of the data.
     */
    async create() {
      const d = data;
      data = null; // only what the adapter (the library, or the app around it) keeps stays alive
      return timed(() => adapter.create(container, d));
    },
    /**
     * Untimed: an empty chart with as many series as the data has runs, drawn, as an explorer's
     * panel is mounted while its data loads; then two quiet frames.
     */
    async mount() {
      await adapter.mount(container, data.ys.length);
      await nextFrame();
      await nextFrame();
    },
    /** First frame: data handed over to a mounted chart until its picture is drawn. */
    async load() {
      const d = data;
      data = null;
      return timed(() => adapter.setData(d));
    },
    info: () => adapter.info?.() ?? null,
    /**
     * Zoom rep r: a wheel step in from the full view, each rep 10% narrower around the centre
     * (5 reps: 90% down to 59% of the x range in view), so every rep is a change and most of the
     * data stays in view, as on the first scrolls of a user.
     */
    zoom(r) {
      const span = range() * Math.pow(0.9, (r % 10) + 1);
      const c = ext[0] + 0.5 * range();
      zoomed = [c - span / 2, c + span / 2];
      return timed(() => adapter.setX(zoomed[0], zoomed[1]));
    },
    /** Pan rep r: the last zoom window dragged right by 2% of the x range per rep. */
    pan(r) {
      const d = 0.02 * range() * ((r % 5) + 1);
      return timed(() => adapter.setX(zoomed[0] + d, zoomed[1] + d));
    },
    fit: () => timed(() => adapter.fit(ext[0], ext[1])),
    /** Smoothing rep r: a new weight from 0.6 to 0.9, TensorBoard EMA over every point. */
    smooth: (r) => timed(() => adapter.smooth(0.6 + 0.05 * (r % 7))),
    unsmooth: () => timed(() => adapter.smooth(0)),
    /** Append rep r: one point at a new step to each of the first min(100, runs) runs. */
    append(r) {
      const k = Math.min(100, lastY.length);
      const runs = [], ys = [];
      const x = ext[1] + 1 + r;
      for (let i = 0; i < k; i++) {
        lastY[i] += 0.001 * (((i * 31 + r * 17) % 11) - 5);
        runs.push(i);
        ys.push(lastY[i]);
      }
      return timed(() => adapter.append(runs, x, ys));
    },
    destroy: () => adapter.destroy(),
  };
}
