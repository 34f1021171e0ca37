// Slider change to drawn frame: time from chart.update({ smoothing }) to the frame on screen
// (rendered() resolved, GPU flushed) plus the next animation frame, for one run of 1M and 10M
// points, GPU scan vs CPU reference in the worker. Usage: npm run bench:smoothing
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBench, repo, stats } from './browser.mjs';

const REPS = 7;
const sizes = (process.env.SIZES ?? '1000000,10000000').split(',').map(Number);
const { page, machine, close } = await openBench();
const rows = [];
for (const n of sizes) {
  for (const backend of ['gpu', 'cpu']) {
    const times = await page.evaluate(
      async ({ n, backend, reps }) => {
        const x = new Float64Array(n), y = new Float32Array(n);
        let s = 1, v = 0;
        for (let i = 0; i < n; i++) {
          s = (s * 1103515245 + 12345) >>> 0;
          v += s / 2 ** 32 - 0.5;
          x[i] = i;
          y[i] = 3 + v * 0.01 + ((s >>> 8) % 100) / 200;
        }
        const chart = window.metricgl.createChart(document.getElementById('chart'), {
          smoothingBackend: backend,
          smoothing: { weight: 0.5, mode: 'ema' },
        });
        chart.setSeries([{ id: 'run', x, y }]);
        const first = await chart.rendered();
        const out = [];
        for (let r = 0; r < reps; r++) {
          const t0 = performance.now();
          chart.update({ smoothing: { weight: 0.6 + 0.05 * (r % 7), mode: r % 2 ? 'time-weighted' : 'ema' } });
          const f = await chart.rendered();
          await new Promise((res) => requestAnimationFrame(res));
          out.push({ ms: performance.now() - t0, smoothing: f.smoothing });
        }
        chart.destroy();
        return { out, first: first.smoothing };
      },
      { n, backend, reps: REPS },
    );
    const st = stats(times.out.map((t) => t.ms));
    rows.push({ points: n, backend, ran: times.out[0].smoothing, ...st });
    console.log(`${n.toLocaleString()} points, ${backend}: median ${st.median.toFixed(1)} ms (min ${st.min.toFixed(1)}, max ${st.max.toFixed(1)})`);
  }
}
await close();
const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
const result = { date: new Date().toISOString(), machine, reps: REPS, rows };
writeFileSync(join(repo, 'bench/results', `smoothing-${stamp}.json`), JSON.stringify(result, null, 2));
writeFileSync(join(repo, 'bench/results', 'smoothing-latest.json'), JSON.stringify(result, null, 2));
const md = [
  `Slider change to drawn frame (median of ${REPS}, min–max), ${machine.browser}, WebGL: ${machine.renderer}`,
  '',
  '| points | backend | median ms | min–max ms |',
  '| ---: | --- | ---: | ---: |',
  ...rows.map((r) => `| ${r.points.toLocaleString('en')} | ${r.ran} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} |`),
].join('\n');
writeFileSync(join(repo, 'bench/results', 'smoothing-latest.md'), md + '\n');
console.log('\n' + md);
