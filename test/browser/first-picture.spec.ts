/**
 * A chart's first picture on a page with no WebGL context yet: opaque column spans (one-pixel
 * lines and wider ones) are painted with Canvas2D (src/draw/spans2d.ts) and must be the very
 * pixels GL paints for the same view; anything else (segments, see-through colours, smoothing)
 * waits for GL as before. A first
 * frame also asks the worker for its domains before its points are decimated (chart/view.ts).
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { openHarness } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** Make the chart on a page without a context, draw it, then draw the same view again with GL. */
async function twice(page: import('@playwright/test').Page, kind: 'spans' | 'sparse' | 'seeThrough', widths: (number | undefined)[] = [1, 1, 1, 1]) {
  return page.evaluate(async ([kind, widths]) => {
    const el = document.getElementById('chart')!;
    // renderer 'webgl': the frame after the first picture is GL's, to hold the two to each other
    const chart = window.metricgl.createChart(el, { interactive: false, renderer: 'webgl' });
    const n = 200_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    // deterministic noise with spikes: spans of every height, runs overlapping and crossing
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const run = (base: number, amp: number) =>
      Float32Array.from({ length: n }, (_, i) => base + amp * Math.sin(i / 9000) + 0.3 * rnd() + (i % 37_000 === 500 ? 4 : 0));
    // width 1: one device pixel at this page's ratio of 1, drawn as GL lines; wider ones
    // (undefined: the default 1.5, two device px) as GL quads
    const series = (
      kind === 'sparse'
        ? [{ id: 'few', x: Float64Array.from({ length: 60 }, (_, i) => i), y: Float32Array.from({ length: 60 }, (_, i) => Math.sin(i / 5)), color: '#d62728' }]
        : [
            { id: 'a', x, y: run(1, 1), color: kind === 'seeThrough' ? 'rgba(31, 119, 180, 0.5)' : '#1f77b4' },
            { id: 'b', x, y: run(1.5, 0.8), color: 'steelblue' },
            { id: 'c', x, y: run(2, 1.2), color: 'rgb(255, 127, 14)' },
            { id: 'hidden', x, y: run(0.5, 3), color: '#2ca02c' },
          ]
    ).map((r, i) => ({ ...r, width: widths[i] }));
    chart.setSeries(series);
    if (kind !== 'sparse') chart.setVisible('hidden', false);
    const canvas = el.querySelector('canvas')!;
    const pixels = () => canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const first: FrameInfo = await chart.rendered();
    const flat = pixels();
    const before = window.metricgl.gpuDiagnostics().charts;
    // the context is made once the picture is on screen; then the same view again, from GL
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
    const after = window.metricgl.gpuDiagnostics().charts;
    chart.setSeries(series);
    if (kind !== 'sparse') chart.setVisible('hidden', false);
    const second: FrameInfo = await chart.rendered();
    const gl = pixels();
    let differ = 0, ink = 0;
    for (let i = 0; i < flat.length; i += 4) {
      if (flat[i] !== gl[i] || flat[i + 1] !== gl[i + 1] || flat[i + 2] !== gl[i + 2] || flat[i + 3] !== gl[i + 3]) differ++;
      if (gl[i + 3] > 0 && (gl[i] < 200 || gl[i + 2] < 200)) ink++;
    }
    chart.destroy();
    return {
      first: { renderer: first.renderer, primitives: first.primitives, points: first.points, yDomain: first.yDomain, dpr: first.dpr },
      second: { renderer: second.renderer, primitives: second.primitives, yDomain: second.yDomain },
      before, after, differ, ink,
    };
  }, [kind, widths] as const);
}

test('the first picture of opaque one-pixel runs is painted without GL, with the pixels GL paints', async ({ page }) => {
  const r = await twice(page, 'spans');
  expect(r.first.renderer).toBe('canvas2d');
  expect(r.second.renderer).toBe('webgl');
  expect(r.before).toBe(0); // no context while the first picture was made
  expect(r.after).toBe(1); // made right after it
  expect(r.second.yDomain).toEqual(r.first.yDomain);
  expect(r.first.primitives).toBe(r.second.primitives);
  expect(r.first.primitives).toBeGreaterThan(1000); // three runs' pieces, not a blank plot
  expect(r.ink).toBeGreaterThan(5000);
  expect(r.differ).toBe(0);
});

test('the first picture of opaque wider runs (the default width, 3 px, mixed) is painted without GL, with the pixels GL paints', async ({ page, browser }) => {
  // and on a page of two device px per CSS px (the default width: three device px)
  const hidpi = await (await browser.newContext({ deviceScaleFactor: 2, viewport: page.viewportSize() ?? undefined })).newPage();
  await openHarness(hidpi);
  for (const [p, widths] of [[page, [undefined, undefined, undefined, undefined]], [page, [3, 1.5, 1, 2.5]], [hidpi, [undefined, 1.25, 1, 2]]] as const) {
    const r = await twice(p, 'spans', [...widths]);
    expect(r.first.dpr).toBe(p === hidpi ? 2 : 1);
    expect(r.first.renderer).toBe('canvas2d');
    expect(r.second.renderer).toBe('webgl');
    expect(r.before).toBe(0);
    expect(r.second.yDomain).toEqual(r.first.yDomain);
    expect(r.first.primitives).toBe(r.second.primitives);
    expect(r.ink).toBeGreaterThan(5000);
    expect(r.differ).toBe(0);
    await p.reload();
    await p.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  }
  await hidpi.context().close();
});

test('a first frame with segments or see-through colours is drawn with GL', async ({ page }) => {
  const sparse = await twice(page, 'sparse');
  expect(sparse.first.renderer).toBe('webgl');
  expect(sparse.ink).toBeGreaterThan(100);
  await page.reload();
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  const see = await twice(page, 'seeThrough');
  expect(see.first.renderer).toBe('webgl');
  expect(see.before).toBe(1);
});

test('a first frame asks the worker for its domains, then decimates once at the laid-out size', async ({ page }) => {
  // every view request the page sends its worker
  await page.addInitScript(() => {
    const w = window as unknown as { views: { fitOnly: boolean; width: number; height: number }[] };
    w.views = [];
    const post = Worker.prototype.postMessage as (this: Worker, ...a: unknown[]) => void;
    Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
      const m = args[0] as { type?: string; view?: { fitOnly?: boolean; width: number; height: number } };
      if (m?.type === 'view' && m.view) w.views.push({ fitOnly: m.view.fitOnly === true, width: m.view.width, height: m.view.height });
      return post.apply(this, args);
    } as typeof Worker.prototype.postMessage;
  });
  await page.reload();
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  const r = await page.evaluate(async () => {
    const w = window as unknown as { views: { fitOnly: boolean; width: number; height: number }[] };
    const el = document.getElementById('chart')!;
    const x = Float64Array.from({ length: 5000 }, (_, i) => i * 1000);
    // values whose labels are far wider than the [0, 1] guess's: the margins must move
    const y = Float32Array.from({ length: 5000 }, (_, i) => 1_250_000 + 400_000 * Math.sin(i / 300));
    const take = () => w.views.splice(0);
    const chart = window.metricgl.createChart(el, { interactive: false });
    chart.setSeries([{ id: 'a', x, y }]);
    const first = await chart.rendered();
    const firstViews = take();
    chart.update({ xDomain: [1e6, 3e6] });
    await chart.rendered();
    const zoomViews = take();
    // new data (another metric: values a thousand times smaller), then log y, then the x domain
    // fitted again: domains that will be new are fitted first
    chart.update({ xDomain: null });
    chart.setSeries([{ id: 'b', x, y: y.map((v) => v / 1000) }]);
    const other = await chart.rendered();
    const newDataViews = take();
    chart.update({ yScale: 'log' });
    await chart.rendered();
    const logViews = take();
    chart.update({ xDomain: [1e6, 3e6] });
    await chart.rendered();
    take();
    chart.update({ xDomain: null });
    await chart.rendered();
    const fitAgainViews = take();
    chart.destroy();
    // both domains given: the layout is known, no fit first
    const fixed = window.metricgl.createChart(el, { interactive: false, xDomain: [0, 5e6], yDomain: [0, 2e6] });
    fixed.setSeries([{ id: 'a', x, y }]);
    await fixed.rendered();
    const fixedViews = take();
    fixed.destroy();
    // an empty chart drawn first (a panel mounted before its data): its data's first frame fits first too
    const mounted = window.metricgl.createChart(el, { interactive: false });
    await mounted.rendered();
    take();
    mounted.setSeries([{ id: 'a', x, y }]);
    const loaded = await mounted.rendered();
    const mountedViews = take();
    mounted.destroy();
    return { first: { plot: first.plot, dpr: first.dpr, yDomain: first.yDomain }, loaded: loaded.plot, other: other.plot, firstViews, zoomViews, newDataViews, logViews, fitAgainViews, fixedViews, mountedViews };
  });
  const device = (p: { left: number; top: number; width: number; height: number }) => ({ width: Math.round(p.width * r.first.dpr), height: Math.round(p.height * r.first.dpr) });
  expect(r.first.yDomain[1]).toBeGreaterThan(1.6e6);
  expect(r.firstViews.map((v) => v.fitOnly)).toEqual([true, false]);
  // the frame was decimated at the size its own labels leave, and the guess was not that size
  expect({ width: r.firstViews[1].width, height: r.firstViews[1].height }).toEqual(device(r.first.plot));
  expect(r.firstViews[0].width).not.toBe(r.firstViews[1].width);
  expect(r.zoomViews.map((v) => v.fitOnly)).toEqual([false]);
  expect(r.newDataViews.map((v) => v.fitOnly)).toEqual([true, false]);
  expect({ width: r.newDataViews[1].width, height: r.newDataViews[1].height }).toEqual(device(r.other));
  expect(r.logViews.map((v) => v.fitOnly)).toEqual([true, false]);
  expect(r.fitAgainViews.map((v) => v.fitOnly)).toEqual([true, false]);
  expect(r.fixedViews.map((v) => v.fitOnly)).toEqual([false]);
  expect(r.mountedViews.map((v) => v.fitOnly)).toEqual([true, false]);
  expect({ width: r.mountedViews[1].width, height: r.mountedViews[1].height }).toEqual(device(r.loaded));
});
