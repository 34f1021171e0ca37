// What `npm run bench:source` does inside the page (bench/pages/bench.html: the built bundle).
// Each function is evaluated in the page; times run from the call that changes the chart to the
// frame drawn (`rendered()`), as in the main comparison.

/** Make the chart (1000 x 500 CSS px) and connect the source at `url` (null: arrays only). */
export async function setupPage(page, url) {
  await page.evaluate(async (url) => {
    const w = window;
    w.ch?.destroy();
    w.ch = w.metricgl.createChart(document.getElementById('chart'), { smoothing: { weight: 0 }, showRaw: true });
    w.src = url ? w.metricgl.connectSource(url) : null;
    w.listed = url ? (await w.src.series({ metric: 'loss' })).sort((a, b) => a.sid - b.sid) : [];
    await w.ch.rendered();
  }, url);
}

/** The first `n` runs of the source drawn: { ms, bytes, primitives }. */
export function firstSourceView(page, n) {
  return page.evaluate(async (n) => {
    const w = window;
    w.ch.setState({ xDomain: null, yDomain: null });
    const t0 = performance.now();
    w.ch.setSeries(w.listed.slice(0, n).map((s) => ({ id: s.id, source: w.src, width: 1 })));
    const f = await w.ch.rendered();
    return { ms: performance.now() - t0, bytes: f.bytes, primitives: f.primitives, points: f.points, W: f.plot.width };
  }, n);
}

/** The first `n` runs of the sweep, generated in the page (`make` is sweepRunJs's source). */
export function firstArrayView(page, n, per, make) {
  return page.evaluate(async ([n, per, make]) => {
    const w = window;
    // generated once per page (1e8 points take seconds to compute), handed over each repetition
    if (w.made !== n) {
      const sweepRunJs = (0, eval)(`(${make})`);
      w.runs = Array.from({ length: n }, (_, s) => ({ id: `sweep-${s}`, ...sweepRunJs(s, per), width: 1 }));
      w.made = n;
    }
    const runs = w.runs;
    w.ch.setState({ xDomain: null, yDomain: null });
    const t0 = performance.now();
    w.ch.setSeries(runs);
    const f = await w.ch.rendered();
    return { ms: performance.now() - t0, bytes: f.bytes, primitives: f.primitives, points: f.points, W: f.plot.width };
  }, [n, per, make]);
}

/** One view change to x-domain [a, b]: { ms, bytes, primitives }. */
export function viewTo(page, a, b) {
  return page.evaluate(async ([a, b]) => {
    const w = window;
    const t0 = performance.now();
    w.ch.setState({ xDomain: [a, b] });
    const f = await w.ch.rendered();
    return { ms: performance.now() - t0, bytes: f.bytes, primitives: f.primitives, points: f.points, W: f.plot.width };
  }, [a, b]);
}

/** JS heap after two forced collections (counts array buffers), MB. */
export function heapMB(page) {
  return page.evaluate(() => {
    window.gc?.();
    window.gc?.();
    return performance.memory.usedJSHeapSize / 2 ** 20;
  });
}

/**
 * The views timed after the first one: zoom = five steps in from the full range [0, span], each
 * half as wide as the one before, centred on a spike; pan = the last zoom window moved right by
 * 10% of its width five times.
 */
export function zoomPanViews(span, centre) {
  const zoom = [], pan = [];
  let w = span;
  for (let k = 0; k < 5; k++) {
    w /= 2;
    const a = Math.max(0, Math.min(span - w, centre - w / 2));
    zoom.push([a, a + w]);
  }
  const [a, b] = zoom[zoom.length - 1];
  for (let k = 1; k <= 5; k++) pan.push([a + (k * (b - a)) / 10, b + (k * (b - a)) / 10]);
  return { zoom, pan };
}
