// metricgl's hover and highlight with many runs (`npm run build && node bench/interaction.mjs`):
// a chart of RUNS x POINTS random walks on one shared step axis (the bench's sweeps), then
//   hover:     chart.hoverAt(x, yFrac) (the worker's nearest point of every run, request to answer)
//   highlight: chart.highlight(id) to the frame drawn (occlusion: the pieces and the run's curve;
//              density: the counts and the run as a line)
// medians of REPS cursors / runs. metricgl only: the peers have no equivalent call to time.
//   SIZES=1000x1e4,10000x1e3 (default)   REPS=10
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBench, repo, stats } from './browser.mjs';

const env = process.env;
const SIZES = (env.SIZES ?? '1000x1e4,10000x1e3').split(',').map((s) => s.split('x').map(Number));
const REPS = Number(env.REPS ?? 10);

const { page, machine, close } = await openBench();
const rows = [];
for (const [runs, points] of SIZES) {
  const r = await page.evaluate(
    async ({ runs, points, reps }) => {
      window.ch?.destroy();
      const x = Float64Array.from({ length: points }, (_, i) => i);
      let s = 1;
      const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const series = Array.from({ length: runs }, (_, k) => {
        const y = new Float32Array(points);
        let v = 1 + rand();
        for (let i = 0; i < points; i++) y[i] = v += (rand() - 0.5) * 0.02;
        return { id: `r${k}`, x, y, width: 1 };
      });
      const c = (window.ch = window.metricgl.createChart(document.getElementById('chart'), { interactive: false }));
      c.setSeries(series);
      const first = await c.rendered();
      const hover = [], highlight = [];
      for (let k = 0; k < reps; k++) {
        const t0 = performance.now();
        const h = await c.hoverAt((points * (k + 0.5)) / reps, 0.5);
        hover.push(performance.now() - t0);
        if (h.points.length !== runs) throw new Error(`hover: ${h.points.length} of ${runs} runs`);
      }
      let info = null;
      for (let k = 0; k < reps; k++) {
        const t0 = performance.now();
        c.highlight(`r${(k * 97) % runs}`);
        info = await c.rendered();
        highlight.push(performance.now() - t0);
      }
      return { hover, highlight, density: first.density !== null, primitives: info.primitives, workerMs: info.workerMs };
    },
    { runs, points, reps: REPS },
  );
  const row = { runs, points, density: r.density, hover: stats(r.hover), highlight: stats(r.highlight), primitives: r.primitives, workerMs: r.workerMs };
  console.error(`${runs} x ${points}: hover ${row.hover.median.toFixed(1)} ms, highlight ${row.highlight.median.toFixed(1)} ms (${r.density ? 'density' : 'lines'}, ${r.primitives} primitives)`);
  rows.push(row);
}
await close();
const md = [
  `# metricgl hover and highlight (${new Date().toISOString()})`,
  '',
  `${machine.cpu} x ${machine.cores} cores; ${machine.browser}; WebGL: ${machine.renderer}${machine.software ? ' (a CPU rasteriser)' : ''}. Median of ${REPS}, ms [min–max].`,
  '',
  '| runs x points | drawn as | hover (hoverAt) | highlight to frame drawn | primitives, worker ms of the last highlight |',
  '| --- | --- | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.runs} x ${r.points} | ${r.density ? 'density' : 'lines'} | ${r.hover.median.toFixed(1)} [${r.hover.min.toFixed(1)}–${r.hover.max.toFixed(1)}] | ${r.highlight.median.toFixed(1)} [${r.highlight.min.toFixed(1)}–${r.highlight.max.toFixed(1)}] | ${r.primitives}, ${r.workerMs.toFixed(0)} |`),
  '',
].join('\n');
writeFileSync(join(repo, 'bench/results/interaction-latest.md'), md);
writeFileSync(join(repo, 'bench/results/interaction-latest.json'), JSON.stringify({ machine, rows }, null, 1));
console.log(md);
