// Aggregated groups and the smoothing modes at 1e7 points (issue 15), metricgl against uPlot in
// the same page (`npm run bench:aggregate`, which builds first):
//   aggregate: GROUPS groups of SEEDS runs x POINTS steps (loss-like curves with noise and one
//     spike each), mean line with a min-max band, the runs hidden. metricgl: chart created with
//     the data and `aggregate` to the frame drawn, then zoom steps. uPlot: what an app on it does,
//     the aggregate of each group computed in JS (the same float64 code as metricgl's worker,
//     src/aggregate/align.ts, bundled for the page) and drawn as a line plus a band (uPlot's
//     `bands`), to its draw hook; zoom: setScale.
//   smoothing: the same runs without groups (1e7 points), a change of each mode's parameter to
//     the frame drawn. metricgl: update({ smoothing }). uPlot: every run smoothed again in JS by
//     the float64 reference (src/smooth/reference.ts, bundled) and handed over with setData.
// Medians of REPS; ms. Writes bench/results/aggregate-latest.{json,md}.
//   GROUPS=10 SEEDS=10 POINTS=100000 REPS=3
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBench, repo, stats } from './browser.mjs';
import { bundle } from './lib/bundle.mjs';

const env = process.env;
const GROUPS = Number(env.GROUPS ?? 10), SEEDS = Number(env.SEEDS ?? 10), POINTS = Number(env.POINTS ?? 1e5);
const REPS = Number(env.REPS ?? 3);

// the page's JS recompute for the peer: the very functions metricgl runs in its worker
await bundle('aggregate', { align: 'src/aggregate/align.ts', reference: 'src/smooth/reference.ts' });

const { page, machine, close } = await openBench();
await page.addScriptTag({ url: '/node_modules/uplot/dist/uPlot.iife.min.js' });
await page.evaluate(async () => {
  window.align = await import('/bench/.tmp/aggregate/align.mjs');
  window.ref = await import('/bench/.tmp/aggregate/reference.mjs');
});

const result = await page.evaluate(
  async ({ GROUPS, SEEDS, POINTS, REPS }) => {
    const el = document.getElementById('chart');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const x = Float64Array.from({ length: POINTS }, (_, i) => i);
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const runs = [];
    for (let g = 0; g < GROUPS; g++) {
      for (let k = 0; k < SEEDS; k++) {
        const y = new Float32Array(POINTS);
        const tau = POINTS * (0.1 + 0.02 * g);
        let walk = 0;
        for (let i = 0; i < POINTS; i++) {
          walk += (rand() - 0.5) * 0.01;
          y[i] = 2 + g * 0.3 + Math.exp(-i / tau) + walk + (rand() - 0.5) * 0.1;
        }
        y[Math.floor(rand() * POINTS)] += 3; // a loss spike
        runs.push({ id: `g${g}s${k}`, group: `g${g}`, y });
      }
    }
    const zoomTo = (r) => {
      const span = (POINTS - 1) * Math.pow(0.9, r + 1), c = (POINTS - 1) / 2;
      return [c - span / 2, c + span / 2];
    };
    const out = { aggregate: {}, smoothing: {} };

    // --- aggregate: metricgl
    {
      const t0 = performance.now();
      const c = window.metricgl.createChart(el, { interactive: false, aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' } });
      c.setSeries(runs.map((r) => ({ id: r.id, x, y: r.y, group: r.group, width: 1 })));
      const f = await c.rendered();
      await frame();
      const first = performance.now() - t0;
      const zoom = [];
      for (let r = 0; r < REPS; r++) {
        const t = performance.now();
        c.update({ xDomain: zoomTo(r) });
        await c.rendered();
        await frame();
        zoom.push(performance.now() - t);
      }
      out.aggregate.metricgl = { first, zoom, groups: f.groups, workerMs: f.workerMs, primitives: f.primitives };
      c.destroy();
      el.replaceChildren();
    }
    // --- aggregate: uPlot, the aggregate computed in JS and drawn with uPlot's bands
    {
      let drawn = null;
      const t0 = performance.now();
      const cols = [x];
      const series = [{}];
      const bands = [];
      for (let g = 0; g < GROUPS; g++) {
        const members = runs.slice(g * SEEDS, (g + 1) * SEEDS).map((r) => ({ x, y: r.y, n: POINTS }));
        const a = window.align.aggregateRuns(members, { line: 'mean', band: 'minmax', log: false });
        const n = a.length;
        const base = cols.length;
        cols.push(a.line.subarray(0, n), a.high.subarray(0, n), a.low.subarray(0, n));
        const color = `hsl(${(g * 36) % 360} 70% 45%)`;
        series.push({ stroke: color, width: 2, points: { show: false } }, { stroke: 'transparent', points: { show: false } }, { stroke: 'transparent', points: { show: false } });
        bands.push({ series: [base + 1, base + 2], fill: `hsl(${(g * 36) % 360} 70% 45% / 0.2)` });
      }
      const shown = new Promise((r) => (drawn = r));
      const u = new uPlot({
        width: el.clientWidth, height: el.clientHeight, scales: { x: { time: false } }, series, bands,
        legend: { show: false }, cursor: { show: false }, hooks: { draw: [() => drawn?.()] },
      }, cols, el);
      await shown;
      await frame();
      const first = performance.now() - t0;
      const zoom = [];
      for (let r = 0; r < REPS; r++) {
        const t = performance.now();
        const p = new Promise((res) => (drawn = res));
        const [a, b] = zoomTo(r);
        u.setScale('x', { min: a, max: b });
        await p;
        await frame();
        zoom.push(performance.now() - t);
      }
      out.aggregate.uplot = { first, zoom };
      u.destroy();
      el.replaceChildren();
    }

    // --- smoothing modes at GROUPS * SEEDS * POINTS points
    const modes = [
      { mode: 'ema', spec: (r) => ({ mode: 'ema', weight: 0.6 + 0.05 * r }) },
      { mode: 'time-weighted', spec: (r) => ({ mode: 'time-weighted', weight: 0.6 + 0.05 * r }) },
      { mode: 'running-average', spec: (r) => ({ mode: 'running-average', window: 20 + 10 * r }) },
      { mode: 'centred', spec: (r) => ({ mode: 'centred', window: 21 + 10 * r }) },
      { mode: 'gaussian', spec: (r) => ({ mode: 'gaussian', sigma: 10 + 5 * r }) },
    ];
    /** Each mode's parameter change to the frame drawn, on one chart made with `options`. */
    const timeModes = async (options, list, row) => {
      const c = window.metricgl.createChart(el, { interactive: false, showRaw: false, ...options });
      c.setSeries(runs.map((r) => ({ id: r.id, x, y: r.y, width: 1 })));
      await c.rendered();
      for (const m of list) {
        const ms = [];
        let info = null;
        for (let r = 0; r < REPS; r++) {
          const t = performance.now();
          c.update({ smoothing: m.spec(r) });
          info = await c.rendered();
          await frame();
          ms.push(performance.now() - t);
        }
        out.smoothing[row(m)] = { metricgl: ms, where: info.smoothing, uplotOf: m.mode };
      }
      c.destroy();
      el.replaceChildren();
    };
    await timeModes({}, modes, (m) => m.mode);
    // gaussian's direct-sum pass, forced onto the GPU ('auto' picks the worker on a software
    // rasteriser); its uPlot figure is the gaussian row's (the same JS recompute)
    await timeModes({ smoothingBackend: 'gpu' }, modes.filter((m) => m.mode === 'gaussian'), () => "gaussian, smoothingBackend 'gpu'");
    {
      let drawn = null;
      const shown = new Promise((r) => (drawn = r));
      const u = new uPlot({
        width: el.clientWidth, height: el.clientHeight, scales: { x: { time: false } },
        series: [{}, ...runs.map((_, i) => ({ stroke: `hsl(${(i * 37) % 360} 60% 45%)`, width: 1, points: { show: false } }))],
        legend: { show: false }, cursor: { show: false }, hooks: { draw: [() => drawn?.()] },
      }, [x, ...runs.map((r) => r.y)], el);
      await shown;
      const range = POINTS - 1;
      for (const m of modes) {
        const ms = [];
        for (let r = 0; r < REPS; r++) {
          const t = performance.now();
          const p = new Promise((res) => (drawn = res));
          const params = { weight: 0, ...m.spec(r), range };
          u.setData([x, ...runs.map((run) => window.ref.smooth(x, run.y, params, new Float32Array(POINTS)))]);
          await p;
          await frame();
          ms.push(performance.now() - t);
        }
        out.smoothing[m.mode].uplot = ms;
      }
      for (const r of Object.values(out.smoothing)) r.uplot = out.smoothing[r.uplotOf].uplot;
      u.destroy();
    }
    return out;
  },
  { GROUPS, SEEDS, POINTS, REPS },
);
await close();

const med = (xs) => stats(xs).median;
const f = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const a = result.aggregate;
const lines = [
  `# Aggregated groups and smoothing modes (${new Date().toISOString()})`,
  '',
  `${machine.cpu} x ${machine.cores} cores; Chromium ${machine.browser}; WebGL: ${machine.renderer}${machine.software ? ' (a CPU rasteriser: "GPU" time is CPU time here)' : ''}.`,
  `${GROUPS} groups x ${SEEDS} runs x ${POINTS.toLocaleString('en')} steps (${(GROUPS * SEEDS * POINTS).toLocaleString('en')} points). Median of ${REPS}, ms; ratio = metricgl / uPlot, same page.`,
  '',
  '| aggregate (mean + min-max band, runs hidden) | metricgl | uPlot (JS aggregate + bands) | ratio |',
  '| --- | ---: | ---: | ---: |',
  `| first frame: chart created with the data | ${f(a.metricgl.first)} | ${f(a.uplot.first)} | ${(a.metricgl.first / a.uplot.first).toFixed(2)} |`,
  `| zoom frame | ${f(med(a.metricgl.zoom))} | ${f(med(a.uplot.zoom))} | ${(med(a.metricgl.zoom) / med(a.uplot.zoom)).toFixed(2)} |`,
  '',
  `metricgl's first aggregated frame: ${a.metricgl.groups} groups, worker ${f(a.metricgl.workerMs)} ms, ${a.metricgl.primitives} primitives.`,
  '',
  '| smoothing change to frame (every run, 1e7 points) | metricgl | where | uPlot (JS recompute + setData) | ratio |',
  '| --- | ---: | --- | ---: | ---: |',
  ...Object.entries(result.smoothing).map(([mode, r]) => `| ${mode} | ${f(med(r.metricgl))} | ${r.where} | ${f(med(r.uplot))} | ${(med(r.metricgl) / med(r.uplot)).toFixed(2)} |`),
  '',
];
const md = lines.join('\n');
writeFileSync(join(repo, 'bench/results/aggregate-latest.md'), md);
writeFileSync(join(repo, 'bench/results/aggregate-latest.json'), JSON.stringify({ machine, GROUPS, SEEDS, POINTS, REPS, result }, null, 1));
console.log(md);
