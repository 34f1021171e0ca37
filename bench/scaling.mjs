// Zoom-frame time for one run from 1e4 to 1e8 points, metricgl and uPlot: with the pyramid the
// cost of a view should stay flat as the run grows; a per-view scan grows with the points in
// view (uPlot's way). Writes bench/results/scaling-latest.{json,md,png}; the PNG is drawn by metricgl itself.
// Usage: npm run bench:scaling    (SIZES=1e4,1e5,... REPS=5 LIMIT_S=120 LIBS=metricgl,uplot)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './browser.mjs';
import { serveStatic } from '../test/static-server.mjs';
import { closeBrowser, describeMachine, launch, openLibPage, snapshotDist } from './lib/launch.mjs';
import { machineText } from './lib/report.mjs';
import { runLibrary } from './lib/session.mjs';

const env = process.env;
const sizes = (env.SIZES ?? '1e4,1e5,1e6,1e7,1e8').split(',').map(Number);
const libs = (env.LIBS ?? 'metricgl,uplot').split(',');
const reps = Number(env.REPS ?? 5);
const limitMs = 1000 * Number(env.LIMIT_S ?? 120);
const port = Number(env.PORT ?? 5397);
const server = await serveStatic(repo, port);
const dist = snapshotDist(); // the engine measured, fixed for the whole run
const log = (s) => console.error(s);

let machine = null;
const rows = [];
for (const lib of libs) {
  for (const points of sizes) {
    console.error(`${lib}, ${points.toExponential(0)} points`);
    const r = await runLibrary({
      port, lib, dist: dist.url, scenario: { name: `1x${points.toExponential(0)}`, count: 1, points }, reps, ffReps: 1, limitMs, log,
      slowMs: 0, opBudgetMs: Infinity, ops: ['zoom'], cold: false, describe: machine ? null : describeMachine,
    });
    machine ??= r.machine;
    const z = r.steps.zoom, f = r.steps.first;
    // a failed allocation or a renderer killed for memory: the size does not fit this machine
    const oom = (s) => s && /memory|crash/i.test(s) ? 'skipped: out of memory' : s;
    rows.push({
      lib: r.name ?? lib, points,
      zoom: z.status ? { status: oom(f.status && f.status !== 'not run' ? f.status : z.status) } : { median: z.median, min: z.min, max: z.max, n: z.n },
      firstMs: f.median ?? null,
      bytesPerPoint: r.info?.bytesPerPoint ?? null,
    });
  }
}

// the chart, by metricgl: log-log, one series per library, a title and legend composed around it
const browser = await launch();
const page = await openLibPage(browser, port, 'metricgl', log, dist.url);
const series = [...new Set(rows.map((r) => r.lib))].map((lib) => {
  const ok = rows.filter((r) => r.lib === lib && !r.zoom.status);
  return { id: lib, x: ok.map((r) => r.points), y: ok.map((r) => r.zoom.median) };
});
const png = await page.evaluate(async ({ series, url }) => {
  const { createChart } = await import(url);
  const colors = ['#4e79a7', '#f28e2b'];
  const box = document.getElementById('chart');
  box.innerHTML = '';
  const chart = createChart(box, { xScale: 'log', yScale: 'log', interactive: false });
  chart.setSeries(series.map((s, i) => ({ ...s, color: colors[i % 2], width: 2.5 })));
  await chart.rendered();
  const shot = await createImageBitmap(await chart.toPNG({ dpr: 2 }));
  const head = 110;
  const canvas = document.createElement('canvas');
  canvas.width = shot.width;
  canvas.height = shot.height + head;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(shot, 0, head);
  ctx.fillStyle = '#222';
  ctx.font = '32px sans-serif';
  ctx.fillText('Zoom frame (ms, median of wheel-zoom steps) vs points in one run, 1000 px, SwiftShader', 30, 45);
  ctx.font = '28px sans-serif';
  let x = 30;
  series.forEach((s, i) => {
    ctx.fillStyle = colors[i % 2];
    ctx.fillRect(x, 72, 40, 8);
    ctx.fillStyle = '#222';
    ctx.fillText(s.id, x + 50, 88);
    x += 60 + ctx.measureText(s.id).width + 40;
  });
  const blob = await new Promise((r) => canvas.toBlob(r, 'image/png'));
  return Array.from(new Uint8Array(await blob.arrayBuffer()));
}, { series, url: dist.url });
await closeBrowser(browser);
server.close();

const dir = join(repo, 'bench/results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'scaling-latest.png'), Buffer.from(png));
writeFileSync(join(dir, 'scaling-latest.json'), JSON.stringify({ date: new Date().toISOString(), metricgl: dist, machine, reps, limitS: limitMs / 1000, rows }, null, 2));
const cell = (r) => (!r ? '–' : r.zoom.status ?? `${r.zoom.median.toFixed(1)} [${r.zoom.min.toFixed(1)}–${r.zoom.max.toFixed(1)}]`);
const names = [...new Set(rows.map((r) => r.lib))];
const md = [
  '## Zoom frame vs run length (one run, 1000 px)',
  '',
  machineText(machine),
  '',
  `metricgl: dist/metricgl.js built ${dist.builtAt.slice(11, 16)} UTC at ${dist.commit} (sha1 ${dist.sha1}). Median of ${reps} zooms [min–max], ms, from the call to the next animation frame after the frame is drawn. Each zoom is a wheel step in ` +
    `from the full view, 10% narrower per step (90% down to 59% of the run in view), as in bench/run.mjs.`,
  '',
  `| points | ${names.join(' | ')} |`,
  `| ---: | ${names.map(() => '---:').join(' | ')} |`,
  ...sizes.map((p) => `| ${p.toExponential(0)} | ${names.map((l) => cell(rows.find((r) => r.lib === l && r.points === p))).join(' | ')} |`),
  '',
  '![zoom frame vs points](scaling-latest.png)',
].join('\n');
writeFileSync(join(dir, 'scaling-latest.md'), md + '\n');
console.log('\n' + md);
