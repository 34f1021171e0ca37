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
//   The other peers (PEERS: ECharts, Chart.js, Plotly, through the bench's adapters, set up as
//     in the main bench): the same JS aggregate drawn as three lines a group (the line and the
//     band's two edges; their adapters draw lines, so the band is not filled: a lower bound of
//     what a filled band costs them), zoom with their own x range; smoothing: the same JS
//     recompute handed over with their setData. An operation that takes more than SLOW_MS is
//     timed once, not REPS times.
// Medians of REPS; ms. Writes bench/results/aggregate-latest.{json,md}.
//   GROUP_COUNT=10 SEEDS=10 POINTS=100000 REPS=3 PEERS=echarts,chartjs,plotly SLOW_MS=15000
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBench, repo, stats } from './browser.mjs';
import { bundle } from './lib/bundle.mjs';

const env = process.env;
// not GROUPS: bash keeps that name for the user's group ids and ignores an assignment to it
const GROUPS = Number(env.GROUP_COUNT ?? 10), SEEDS = Number(env.SEEDS ?? 10), POINTS = Number(env.POINTS ?? 1e5);
const REPS = Number(env.REPS ?? 3);
const PEERS = (env.PEERS ?? 'echarts,chartjs,plotly').split(',').filter(Boolean);
const SLOW_MS = Number(env.SLOW_MS ?? 15000);

// the page's JS recompute for the peer: the very functions metricgl runs in its worker
await bundle('aggregate', { align: 'src/aggregate/align.ts', reference: 'src/smooth/reference.ts' });

const { page, machine, close } = await openBench();
await page.addScriptTag({ url: '/node_modules/uplot/dist/uPlot.iife.min.js' });
await page.evaluate(async () => {
  window.align = await import('/bench/.tmp/aggregate/align.mjs');
  window.ref = await import('/bench/.tmp/aggregate/reference.mjs');
});

const result = await page.evaluate(
  async ({ GROUPS, SEEDS, POINTS, REPS, PEERS, SLOW_MS }) => {
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
      el.replaceChildren();
    }

    // --- the other peers, through the main bench's adapters
    out.peers = {};
    /** `fn` timed REPS times (once when it is slower than SLOW_MS). */
    const reps = async (fn) => {
      const ms = [];
      for (let r = 0; r < REPS; r++) {
        const t = performance.now();
        await fn(r);
        await frame();
        ms.push(performance.now() - t);
        if (ms[0] > SLOW_MS) break;
      }
      return ms;
    };
    for (const name of PEERS) {
      const { adapter } = await import(`/bench/adapters/${name}.js`);
      await adapter.load();
      const peer = { name: adapter.name, aggregate: {}, smoothing: {} };
      {
        const t0 = performance.now();
        const xs = [], ys = [];
        for (let g = 0; g < GROUPS; g++) {
          const members = runs.slice(g * SEEDS, (g + 1) * SEEDS).map((r) => ({ x, y: r.y, n: POINTS }));
          const a = window.align.aggregateRuns(members, { line: 'mean', band: 'minmax', log: false });
          const n = a.length;
          for (const v of [a.line, a.low, a.high]) (xs.push(a.x.subarray(0, n)), ys.push(Float32Array.from(v.subarray(0, n))));
        }
        await adapter.create(el, { xs, ys });
        await frame();
        peer.aggregate.first = performance.now() - t0;
        peer.aggregate.zoom = await reps((r) => adapter.setX(...zoomTo(r)));
        adapter.destroy();
        el.replaceChildren();
      }
      {
        await adapter.create(el, { xs: runs.map(() => x), ys: runs.map((r) => r.y) });
        for (const m of modes) {
          peer.smoothing[m.mode] = await reps((r) => {
            const params = { weight: 0, ...m.spec(r), range: POINTS - 1 };
            return adapter.setData({ xs: runs.map(() => x), ys: runs.map((run) => window.ref.smooth(x, run.y, params, new Float32Array(POINTS))) });
          });
        }
        adapter.destroy();
        el.replaceChildren();
      }
      out.peers[name] = peer;
    }
    return out;
  },
  { GROUPS, SEEDS, POINTS, REPS, PEERS, SLOW_MS },
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
  `| smoothing change to frame (every run, ${(GROUPS * SEEDS * POINTS).toExponential(0).replace('+', '')} points) | metricgl | where | uPlot (JS recompute + setData) | ratio |`,
  '| --- | ---: | --- | ---: | ---: |',
  ...Object.entries(result.smoothing).map(([mode, r]) => `| ${mode} | ${f(med(r.metricgl))} | ${r.where} | ${f(med(r.uplot))} | ${(med(r.metricgl) / med(r.uplot)).toFixed(2)} |`),
  '',
];
const peers = Object.values(result.peers);
if (peers.length) {
  const head = ['', 'metricgl', 'uPlot', ...peers.map((p) => p.name), 'metricgl / fastest peer'];
  const row = (label, m, u, ps) => {
    const best = Math.min(u, ...ps);
    return `| ${label} | ${f(m)} | ${f(u)} | ${ps.map(f).join(' | ')} | ${(m / best).toFixed(2)} |`;
  };
  lines.push(
    `Every peer (${peers.map((p) => p.name).join(', ')}: the main bench's adapters; their groups drawn as three lines, the band unfilled; runs shown ${REPS} times unless slower than ${SLOW_MS / 1000} s, then once). Medians, ms.`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    row('aggregate: first frame', a.metricgl.first, a.uplot.first, peers.map((p) => p.aggregate.first)),
    row('aggregate: zoom frame', med(a.metricgl.zoom), med(a.uplot.zoom), peers.map((p) => med(p.aggregate.zoom))),
    ...Object.keys(peers[0].smoothing).map((mode) => row(`smoothing change: ${mode}`, med(result.smoothing[mode].metricgl), med(result.smoothing[mode].uplot), peers.map((p) => med(p.smoothing[mode])))),
    '',
  );
}
const md = lines.join('\n');
writeFileSync(join(repo, 'bench/results/aggregate-latest.md'), md);
writeFileSync(join(repo, 'bench/results/aggregate-latest.json'), JSON.stringify({ machine, GROUPS, SEEDS, POINTS, REPS, PEERS, SLOW_MS, result }, null, 1));
console.log(md);
