/**
 * One shared WebGL context for every chart of the page: many charts draw, destroyed charts free
 * their GPU resources, and a lost context is recovered with all the data.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, inkRange, openHarness, RED, shotElement, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

for (const count of [24, 100]) {
  test(`${count} charts on one page all draw (one shared context)`, async ({ page }) => {
    const r = await page.evaluate(async (count) => {
      document.getElementById('chart')!.remove();
      const grid = document.createElement('div');
      grid.id = 'grid';
      grid.style.cssText = 'display:grid;grid-template-columns:repeat(10, 98px);gap:2px';
      document.body.append(grid);
      const x = Float64Array.from({ length: 20_000 }, (_, i) => i);
      const charts = [];
      for (let i = 0; i < count; i++) {
        const el = document.createElement('div');
        el.style.cssText = 'width:98px;height:150px';
        grid.append(el);
        const c = window.metricgl.createChart(el, { yDomain: [0, 1], interactive: false });
        // each chart's line at its own height: 0.1 .. 0.9
        c.setSeries([{ id: `m${i}`, x, y: new Float32Array(20_000).fill(0.1 + 0.8 * ((i % 9) / 8)), color: '#ff0000', width: 1 }]);
        charts.push(c);
      }
      const frames: FrameInfo[] = await Promise.all(charts.map((c) => c.rendered()));
      // a first picture painted without GL (draw/spans2d.ts): the chart takes the context once it is on screen
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
      const d = window.metricgl.gpuDiagnostics();
      return { n: frames.length, points: frames.every((f) => f.points === 20_000), users: d.charts };
    }, count);
    expect(r.n).toBe(count);
    expect(r.points).toBe(true);
    expect(r.users).toBe(count);
    // every chart shows its line at its height
    const cells = page.locator('#grid > div');
    for (const i of [0, Math.floor(count / 2), count - 1]) {
      const shot = await shotElement(page, `#grid > div:nth-child(${i + 1})`);
      const col = Math.floor(shot.width * 0.6);
      const ink = inkRange(shot, col, RED);
      expect(ink, `chart ${i}`).not.toBeNull();
    }
    expect(await cells.count()).toBe(count);
  });
}

test('200 create/destroy cycles leave no GPU resources behind', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const el = document.getElementById('chart')!;
    const x = Float64Array.from({ length: 5000 }, (_, i) => i);
    const y = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i / 100));
    const keep = window.metricgl.createChart(el, {}); // one chart stays, as on a real page
    keep.setSeries([{ id: 'k', x, y }]);
    await keep.rendered();
    const cycle = async (smoothing: boolean) => {
      const div = document.createElement('div');
      div.style.cssText = 'width:300px;height:200px';
      document.body.append(div);
      const c = window.metricgl.createChart(div, { smoothing: { weight: smoothing ? 0.6 : 0, mode: 'ema' }, smoothingBackend: 'gpu' });
      c.setSeries([{ id: 'a', x, y }]);
      await c.rendered();
      c.destroy();
      div.remove();
    };
    for (let i = 0; i < 5; i++) await cycle(i % 2 === 0); // warm up the shared caches
    const before = window.metricgl.gpuDiagnostics();
    for (let i = 0; i < 200; i++) await cycle(i % 2 === 0);
    const after = window.metricgl.gpuDiagnostics();
    return { before, after };
  });
  for (const k of ['buffers', 'elements', 'textures', 'framebuffers', 'charts'] as const) {
    expect(r.after[k], k).toBe(r.before[k]);
  }
  expect(r.after.charts).toBe(1);
});

test('a lost WebGL context is restored and the chart redraws itself with all its data', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    const n = 200_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 20_000) + (i === 123_456 ? 3 : 0));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothing: { weight: 0.9, mode: 'ema' }, smoothingBackend: 'gpu' });
    window.ch.setSeries([{ id: 'a', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  const before = await shotPlot(page, f);
  await page.evaluate(() => window.metricgl.gpuDiagnostics().loseContext());
  await page.waitForTimeout(100);
  // while lost the picture stays
  expect(diffFraction(before, await shotPlot(page, f))).toBe(0);
  const g: FrameInfo = await page.evaluate(async () => {
    window.metricgl.gpuDiagnostics().restoreContext();
    await new Promise((r) => setTimeout(r, 100));
    window.ch!.update({ xDomain: [100_000, 150_000] }); // and it keeps working
    await window.ch!.rendered();
    window.ch!.update({ xDomain: null });
    return window.ch!.rendered();
  });
  expect(g.smoothing).toBe('gpu');
  expect(g.points).toBe(200_000);
  expect(diffFraction(before, await shotPlot(page, g))).toBe(0);
});
