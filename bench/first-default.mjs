// metricgl's first frame on a fresh page at its default line width (1.5 CSS px), where the full
// bench (run.mjs) draws every library's lines 1 px wide: createChart + setSeries of one run of
// 1e5 points, from the call to the next animation frame after rendered(), median over fresh pages.
// Usage: node bench/first-default.mjs [ROOT] [PAGES]: ROOT is a checkout with a built dist/ (a
// git worktree of another commit for an A/B; default this one), PAGES fresh pages (default 9).
// AGAINST=ROOT2: a paired A/B, ROOT's and ROOT2's pages in turn in one browser (on a noisy machine
// the pairs say more than two medians): prints both, and the median of the paired differences.
// PREWARM_MS=N: the page calls prewarm() once the library is loaded and waits N ms (an app fetching
// its runs) before the clock starts. Prints the median, min, max and which renderer drew each
// first frame (FrameInfo.renderer).
import { fileURLToPath } from 'node:url';
import { stats } from './browser.mjs';
import { launch } from './lib/launch.mjs';
import { serveStatic } from '../test/static-server.mjs';
const roots = [process.argv[2] || fileURLToPath(new URL('..', import.meta.url)), ...(process.env.AGAINST ? [process.env.AGAINST] : [])];
const reps = Number(process.argv[3] ?? 9);
const prewarmMs = process.env.PREWARM_MS === undefined ? -1 : Number(process.env.PREWARM_MS);
const servers = await Promise.all(roots.map((root, k) => serveStatic(root, 5412 + k)));
const browser = await launch();
const out = roots.map(() => []);
for (let r = 0; r < reps; r++) {
  for (let k = 0; k < roots.length; k++) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 500 }, deviceScaleFactor: 1 });
    // the bench's page, its library loaded before the clock starts, as in run.mjs
    await page.goto(`http://127.0.0.1:${5412 + k}/bench/pages/peers.html?lib=metricgl`);
    await page.waitForFunction(() => window.benchReady === true);
    const res = await page.evaluate(async (prewarmMs) => {
      const m = await import('/dist/metricgl.js');
      if (prewarmMs >= 0) {
        m.prewarm();
        await new Promise((r) => setTimeout(r, prewarmMs));
      }
      const n = 100_000, x = new Float64Array(n), y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = i;
        y[i] = 2 + Math.sin(i / 5000) + 0.2 * Math.sin(i * 0.7); // a slow wave with fast wiggle: a span per column
      }
      const el = document.createElement('div'); el.style.cssText = 'width:960px;height:480px'; document.body.append(el);
      const t0 = performance.now();
      const c = m.createChart(el, {});
      c.setSeries([{ id: 'a', x, y }]);
      const f = await c.rendered();
      await new Promise((r) => requestAnimationFrame(r));
      return { ms: performance.now() - t0, renderer: f.renderer ?? 'webgl' };
    }, prewarmMs);
    out[k].push(res);
    await page.close();
  }
}
roots.forEach((root, k) => {
  const { median, min, max } = stats(out[k].map((o) => o.ms));
  console.log(root, prewarmMs >= 0 ? `prewarm() ${prewarmMs} ms before` : 'no prewarm', 'median', median.toFixed(1), 'min', min.toFixed(1), 'max', max.toFixed(1), out[k].map((o) => o.renderer).join(','));
});
if (roots.length === 2) {
  const d = out[0].map((o, i) => o.ms - out[1][i].ms);
  console.log(`paired (${roots[0]} - ${roots[1]}): median ${stats(d).median.toFixed(1)} ms; ${roots[0]} faster in ${d.filter((v) => v < 0).length} of ${reps} pairs`);
}
await browser.close();
servers.forEach((s) => s.close());
