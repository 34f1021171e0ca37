// Hover and highlight with many runs, metricgl against uPlot in the same page (`npm run build &&
// node bench/interaction.mjs`): a chart of RUNS x POINTS random walks on one shared step axis
// (the bench's sweeps), then
//   hoverAt:   chart.hoverAt(x, yFrac) (metricgl: the worker's nearest point of every run, request
//              to answer; no peer has this call)
//   hover:     the mouse moved over the plot (Playwright's page.mouse.move, a real input event) to
//              the tooltip drawn: metricgl's interactive chart, from the pointer event to its
//              `hover` event and the next frame; uPlot, what an app on it does: its cursor (no
//              cursor points, no legend: their DOM per series costs with 1,000 runs) and, in its
//              setCursor hook, a tooltip of the TIP runs nearest the cursor in y at the cursor's
//              index, from the pointer event to the next frame after the hook
//   highlight: a run emphasised to the frame drawn: metricgl chart.highlight(id) (occlusion: the
//              pieces and the run's curve; density: the counts and the run as a line); uPlot
//              setSeries(i, { focus: true }) (its documented focus, the others drawn at alpha 0.3)
// Medians of REPS cursors / runs. LIBS=metricgl,uplot (default).
//   SIZES=1000x1e4,10000x1e3 (default)   REPS=10   TIP=10
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBench, repo, stats } from './browser.mjs';

const env = process.env;
const SIZES = (env.SIZES ?? '1000x1e4,10000x1e3').split(',').map((s) => s.split('x').map(Number));
const REPS = Number(env.REPS ?? 10);
const TIP = Number(env.TIP ?? 10);
const LIBS = (env.LIBS ?? 'metricgl,uplot').split(',');

const { page, machine, close } = await openBench();
// uPlot's stylesheet places its cursor layer over the plot (without it the mouse would be aimed
// below the page, which Playwright answers by closing it)
if (LIBS.includes('uplot')) {
  await page.addStyleTag({ url: '/node_modules/uplot/dist/uPlot.min.css' });
  await page.addScriptTag({ url: '/node_modules/uplot/dist/uPlot.iife.min.js' });
}

/** The runs, made in the page (window.runs): the same random walks for every library. */
const makeRuns = (runs, points) =>
  page.evaluate(({ runs, points }) => {
    const x = Float64Array.from({ length: points }, (_, i) => i);
    let s = 1;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    window.runs = {
      x,
      ys: Array.from({ length: runs }, () => {
        const y = new Float32Array(points);
        let v = 1 + rand();
        for (let i = 0; i < points; i++) y[i] = v += (rand() - 0.5) * 0.02;
        return y;
      }),
    };
  }, { runs, points });

/**
 * Hover by the real mouse: per cursor, `arm` (in the page) waits for the next pointer event and
 * the library's answer; the mouse moves there from Node; the page says how long it took.
 */
async function mouseHovers(box, points) {
  const ms = [];
  for (let k = 0; k < REPS; k++) {
    const fx = (k + 0.5) / REPS;
    await page.mouse.move(box.x + 2, box.y + 2); // off the plot: the next move is a new hover
    await page.evaluate(() => window.settle());
    await page.evaluate(() => window.arm());
    await page.mouse.move(box.x + box.left + fx * box.width, box.y + box.top + box.height * (0.3 + 0.4 * ((k * 7) % 10) / 10));
    ms.push(await page.evaluate(() => window.answered));
  }
  return ms;
}

// when the pointer event reached the page, before any library's handler (one listener for all)
await page.evaluate(() => addEventListener('pointermove', () => (window.movedAt = performance.now()), { capture: true }));

const rows = [];
for (const [runs, points] of SIZES) {
  await makeRuns(runs, points);
  const row = { runs, points };
  if (LIBS.includes('metricgl')) {
    const r = await page.evaluate(async ({ reps, points }) => {
      window.ch?.destroy();
      const el = document.getElementById('chart');
      el.replaceChildren();
      const { x, ys } = window.runs;
      const c = (window.ch = window.metricgl.createChart(el, { interactive: true }));
      c.setSeries(ys.map((y, k) => ({ id: `r${k}`, x, y, width: 1 })));
      const first = await c.rendered();
      const hoverAt = [], highlight = [];
      for (let k = 0; k < reps; k++) {
        const t0 = performance.now();
        const h = await c.hoverAt((points * (k + 0.5)) / reps, 0.5);
        hoverAt.push(performance.now() - t0);
        if (h.points.length !== ys.length) throw new Error(`hover: ${h.points.length} of ${ys.length} runs`);
      }
      let info = null;
      for (let k = 0; k < reps; k++) {
        const t0 = performance.now();
        c.highlight(`r${(k * 97) % ys.length}`);
        info = await c.rendered();
        highlight.push(performance.now() - t0);
      }
      c.highlight(null);
      await c.rendered();
      // the mouse: from the pointer event to the chart's hover event and the next frame
      let pending = null;
      c.on('hover', (h) => {
        if (h && pending) {
          const done = pending;
          pending = null;
          requestAnimationFrame(() => done(performance.now() - window.movedAt));
        }
      });
      window.arm = () => void (window.answered = new Promise((ok) => (pending = ok)));
      // the cursor left the plot: the highlight cleared and drawn before the next hover
      window.settle = async () => (await new Promise((ok) => setTimeout(ok, 50)), await c.rendered());
      const b = el.getBoundingClientRect();
      return { hoverAt, highlight, density: first.density !== null, primitives: info.primitives, workerMs: info.workerMs, box: { x: b.x, y: b.y, ...first.plot } };
    }, { reps: REPS, points });
    const hover = await mouseHovers(r.box, points);
    row.metricgl = { hoverAt: stats(r.hoverAt), hover: stats(hover), highlight: stats(r.highlight), density: r.density, primitives: r.primitives, workerMs: r.workerMs };
    await page.evaluate(() => {
      window.ch.destroy();
      window.ch = null;
    });
  }
  if (LIBS.includes('uplot')) {
    const r = await page.evaluate(async ({ reps, tip }) => {
      const el = document.getElementById('chart');
      el.replaceChildren();
      const { x, ys } = window.runs;
      let drawn = null, hooked = null;
      const tooltip = document.createElement('div');
      tooltip.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none;font:11px sans-serif;background:#fff';
      const nearest = (u) => {
        // the app's tooltip: the `tip` runs nearest the cursor in y at the cursor's index
        const i = u.cursor.idx;
        if (i == null) return;
        const yc = u.posToVal(u.cursor.top, 'y');
        const best = [];
        for (let k = 0; k < ys.length; k++) {
          const d = Math.abs(ys[k][i] - yc);
          if (best.length < tip || d < best[best.length - 1][0]) {
            best.push([d, k]);
            best.sort((a, b) => a[0] - b[0]);
            if (best.length > tip) best.pop();
          }
        }
        tooltip.replaceChildren(...best.map(([, k]) => Object.assign(document.createElement('div'), { textContent: `r${k}: ${ys[k][i].toFixed(4)}` })));
        hooked?.();
      };
      const u = new uPlot({
        width: el.clientWidth, height: el.clientHeight, scales: { x: { time: false } },
        series: [{}, ...ys.map((_, k) => ({ stroke: `hsl(${(k * 37) % 360} 60% 45%)`, width: 1, points: { show: false } }))],
        legend: { show: false }, cursor: { points: { show: false }, focus: { prox: -1 } }, focus: { alpha: 0.3 },
        hooks: { draw: [() => drawn?.()], setCursor: [nearest] },
      }, [x, ...ys], el);
      el.appendChild(tooltip);
      await new Promise((ok) => requestAnimationFrame(ok));
      const highlight = [];
      for (let k = 0; k < reps; k++) {
        const t = performance.now();
        const p = new Promise((ok) => (drawn = ok));
        u.setSeries(1 + ((k * 97) % ys.length), { focus: true });
        await p;
        await new Promise((ok) => requestAnimationFrame(ok));
        highlight.push(performance.now() - t);
      }
      u.setSeries(null, { focus: false });
      window.arm = () => void (window.answered = new Promise((ok) => (hooked = () => {
        hooked = null;
        requestAnimationFrame(() => ok(performance.now() - window.movedAt));
      })));
      window.settle = () => new Promise((ok) => setTimeout(ok, 50));
      window.uplotChart = u;
      const over = u.over.getBoundingClientRect(), b = el.getBoundingClientRect();
      return { highlight, box: { x: b.x, y: b.y, left: over.left - b.x, top: over.top - b.y, width: over.width, height: over.height } };
    }, { reps: REPS, tip: TIP });
    const hover = await mouseHovers(r.box, points);
    row.uplot = { hover: stats(hover), highlight: stats(r.highlight) };
    await page.evaluate(() => window.uplotChart.destroy());
  }
  const m = row.metricgl, u = row.uplot;
  console.error(`${runs} x ${points}: hover ${m?.hover.median.toFixed(1)} / ${u?.hover.median.toFixed(1)} ms, highlight ${m?.highlight.median.toFixed(1)} / ${u?.highlight.median.toFixed(1)} ms (metricgl / uPlot)`);
  rows.push(row);
}
await close();
const cell = (s) => (s ? `${s.median.toFixed(1)} [${s.min.toFixed(1)}–${s.max.toFixed(1)}]` : '–');
const ratio = (a, b) => (a && b ? (a.median / b.median).toFixed(2) : '–');
const md = [
  `# Hover and highlight (${new Date().toISOString()})`,
  '',
  `${machine.cpu} x ${machine.cores} cores; ${machine.browser}; WebGL: ${machine.renderer}${machine.software ? ' (a CPU rasteriser)' : ''}. Median of ${REPS}, ms [min–max]; ratio = metricgl / uPlot, same page.`,
  `hover: the real mouse moved to the tooltip drawn (uPlot: its cursor and an app's tooltip of the ${TIP} runs nearest in y); highlight: to the frame drawn (uPlot: setSeries focus).`,
  '',
  '| runs x points | metricgl drawn as | hover: metricgl | uPlot | ratio | highlight: metricgl | uPlot | ratio | metricgl hoverAt | primitives, worker ms of the last highlight |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.runs} x ${r.points} | ${r.metricgl ? (r.metricgl.density ? 'density' : 'lines') : '–'} | ${cell(r.metricgl?.hover)} | ${cell(r.uplot?.hover)} | ${ratio(r.metricgl?.hover, r.uplot?.hover)} | ${cell(r.metricgl?.highlight)} | ${cell(r.uplot?.highlight)} | ${ratio(r.metricgl?.highlight, r.uplot?.highlight)} | ${cell(r.metricgl?.hoverAt)} | ${r.metricgl ? `${r.metricgl.primitives}, ${r.metricgl.workerMs.toFixed(0)}` : '–'} |`),
  '',
].join('\n');
writeFileSync(join(repo, 'bench/results/interaction-latest.md'), md);
writeFileSync(join(repo, 'bench/results/interaction-latest.json'), JSON.stringify({ machine, REPS, TIP, rows }, null, 1));
console.log(md);
