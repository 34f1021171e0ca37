// One library in one scenario, in its own browser: the first frame (in fresh pages), heap after
// load, then zoom, pan, smoothing and append repetitions. Every step runs under a time limit; a
// step over it is reported as a timeout and the library's remaining steps as not run (the page is
// still busy with it), an exception as an error.
import { stats } from '../browser.mjs';
import { TimeoutError, closeBrowser, launch, openLibPage, withTimeout } from './launch.mjs';

/** The timed operations after the first frame, in the order they run. */
export const OPS = ['zoom', 'pan', 'smooth', 'append'];

/**
 * opts: { port, lib, scenario, dist (metricgl bundle URL), realBin (encodeRuns of the real runs), reps, ffReps, limitMs, opBudgetMs, slowMs, log, ops?, cold? (false: no first frame with chart creation) }
 * Returns { lib, version, steps: { cold, first, zoom, pan, smooth, append }, heap, info, machine? }
 * where a step is { ms: [...], ...stats } or { status: 'timeout' | 'error: ...' | 'not run' }.
 */
export async function runLibrary(opts) {
  const { port, lib, scenario, reps, limitMs, log } = opts;
  const out = { lib, steps: {}, heapMB: null, info: null, version: null, frames: {} };
  const browser = await launch();
  let page = null;
  const spec = scenario.real ? { url: '/bench-data/real.bin' } : { count: scenario.count, points: scenario.points, seed: 1, layout: scenario.layout };
  const call = (what, fn, arg) => withTimeout(page.evaluate(fn, arg), limitMs, `${lib} ${scenario.name} ${what}`);
  const failed = (e) => (e instanceof TimeoutError ? 'timeout' : `error: ${String(e.message ?? e).split('\n')[0].slice(0, 160)}`);
  try {
    // first frame, two ways, each in fresh pages: `cold` makes the chart and hands it the data in
    // one step; `first` hands the data to a chart mounted (empty, drawn) beforehand. The last
    // mounted page stays for the interactions.
    const first = [], cold = [];
    let ffReps = opts.ffReps;
    let base = 0;
    const fresh = async () => {
      if (page) await page.close();
      page = await openLibPage(browser, port, lib, log, opts.dist);
      if (scenario.real) {
        await page.route('**/bench-data/real.bin', (route) => route.fulfill({ body: opts.realBin, contentType: 'application/octet-stream' }));
      }
      if (!out.machine && opts.describe) out.machine = await opts.describe(browser, page);
      out.version ??= await page.evaluate(() => window.bench.version);
      out.name ??= await page.evaluate(() => window.bench.name);
      base = await page.evaluate(() => window.bench.heap());
      try {
        out.data = await call('generate', (s) => window.bench.generate(s), spec);
      } catch (e) {
        out.steps.first = { status: /allocation|memory/i.test(String(e)) ? 'skipped: out of memory' : failed(e) };
        throw e;
      }
    };
    const measure = async (key, list, what, fn) => {
      try {
        list.push(await call(what, fn));
      } catch (e) {
        out.steps[key] = { status: failed(e), ms: list };
        throw e;
      }
      log(`  ${lib} ${what} ${list.at(-1).toFixed(1)} ms`);
    };
    for (let r = 0; r < ffReps; r++) {
      if (opts.cold !== false) {
        await fresh();
        await measure('cold', cold, 'first frame with chart creation', () => window.bench.create());
      }
      await fresh();
      await call('mount', () => window.bench.mount());
      await measure('first', first, 'first frame', () => window.bench.load());
      // a library that needs many seconds for one frame is measured once (said in the report)
      if (r === 0 && Math.max(first[0], cold[0] ?? 0) > opts.slowMs) ffReps = 1;
      if (r === ffReps - 1) {
        out.heapMB = ((await page.evaluate(() => window.bench.heap())) - base) / 2 ** 20;
        out.info = await page.evaluate(() => window.bench.info());
        if (opts.shots) await page.screenshot({ path: `${opts.shots}/${scenario.name}-${lib}.png` });
      }
    }
    if (cold.length) out.steps.cold = { ms: cold, ...stats(cold) };
    out.steps.first = { ms: first, ...stats(first) };
    for (const op of opts.ops ?? OPS) {
      const ms = [];
      try {
        if (op === 'smooth') await call('fit', () => window.bench.fit()); // smoothing in the full view
        if (op === 'append') await call('unsmooth', () => window.bench.unsmooth());
        let spent = 0;
        for (let r = 0; r < reps && (r === 0 || spent < opts.opBudgetMs); r++) {
          ms.push(await call(`${op} ${r}`, ([op, r]) => window.bench[op](r), [op, r]));
          spent += ms.at(-1);
          // metricgl's own account of each frame (worker ms, primitives): where its time goes
          if (lib === 'metricgl') (out.frames[op] ??= []).push(await page.evaluate(() => window.bench.info()));
        }
        out.steps[op] = { ms, ...stats(ms) };
        log(`  ${lib} ${op}: median ${out.steps[op].median.toFixed(1)} ms (n=${ms.length})`);
      } catch (e) {
        out.steps[op] = { status: failed(e), ms };
        log(`  ${lib} ${op}: ${out.steps[op].status}`);
        if (e instanceof TimeoutError) throw e;
      }
    }
    if (lib === 'metricgl') out.infoAfter = await page.evaluate(() => window.bench.info());
  } catch (e) {
    log(`  ${lib} ${scenario.name}: ${e instanceof TimeoutError ? 'timeout' : String(e.message ?? e).split('\n')[0]}`);
    for (const op of ['cold', 'first', ...(opts.ops ?? OPS)]) out.steps[op] ??= { status: 'not run' };
  } finally {
    await closeBrowser(browser);
  }
  return out;
}
