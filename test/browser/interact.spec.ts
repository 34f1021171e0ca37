/**
 * Explorer use with real mouse and wheel events: hover reads the right run and value, wheel zoom
 * and double-click reset, box zoom, the legend hides a run, linked charts, live appends.
 */
import { expect, test, type Page } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, inkRange, openHarness, RED, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** Three runs at clearly different heights, 100k points each, with an extra time column. */
async function threeRuns(page: Page, options = {}): Promise<FrameInfo> {
  return page.evaluate(async (options) => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const time = Float64Array.from({ length: n }, (_, i) => i * 250); // 250 ms per step
    const mk = (base: number) => Float32Array.from({ length: n }, (_, i) => base + Math.sin(i / 5000) * 0.1);
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 4], ...options });
    window.ch.setSeries([
      { id: 'low', label: 'run-low', x, y: mk(1), xs: { time }, color: '#0000ff', width: 2 },
      { id: 'mid', label: 'run-mid', x, y: mk(2), xs: { time }, color: '#ff0000', width: 2 },
      { id: 'high', label: 'run-high', x, y: mk(3), xs: { time }, color: '#00aa00', width: 2 },
    ]);
    return window.ch.rendered();
  }, options);
}

/** Page coordinates of a data point of the chart in #chart. */
async function at(page: Page, f: FrameInfo, x: number, y: number) {
  const box = (await page.locator('#chart').boundingBox())!;
  return {
    x: box.x + f.plot.left + ((x - f.xDomain[0]) / (f.xDomain[1] - f.xDomain[0])) * f.plot.width,
    y: box.y + f.plot.top + ((f.yDomain[1] - y) / (f.yDomain[1] - f.yDomain[0])) * f.plot.height,
  };
}

test('hover shows the nearest run first with its value, step and time, and highlights it', async ({ page }) => {
  const f = await threeRuns(page);
  const hovers: unknown[] = [];
  await page.exposeFunction('onHover', (h: unknown) => hovers.push(h));
  await page.evaluate(() => window.ch!.on('hover', (h) => (window as unknown as { onHover(h: unknown): void }).onHover(h && { first: h.points[0].id, n: h.points.length })));
  const p = await at(page, f, 40_000, 2.05); // next to the middle run
  await page.mouse.move(p.x, p.y);
  const tip = page.locator('.metricgl-tooltip');
  await expect(tip).toBeVisible();
  const rows = tip.locator('tr');
  await expect(rows).toHaveCount(3);
  // nearest first: the middle run, its value at step 40000, the step, and its time column
  const want = (2 + Math.sin(40_000 / 5000) * 0.1).toPrecision(4);
  await expect(rows.nth(0)).toContainText('run-mid');
  await expect(rows.nth(0)).toContainText(want.slice(0, 4));
  await expect(tip).toContainText('40'); // the step, in the header
  await expect(rows.nth(0)).toContainText('2h 46m'); // time: 40000 x 250 ms
  await expect(rows.nth(1)).toContainText(/run-(low|high)/);
  // highlighted: the other runs are dimmed in the picture
  await page.waitForFunction(() => (window as unknown as { __hl?: boolean }).__hl !== undefined || true);
  await expect.poll(() => hovers.length).toBeGreaterThan(0);
  expect(hovers.at(-1)).toEqual({ first: 'mid', n: 3 });
  const dimmed = await shotPlot(page, f);
  const col = Math.floor(0.2 * dimmed.width);
  const blue = inkRange(dimmed, col, [0, 0, 255], 20); // the low run, dimmed: no pure blue left
  expect(blue).toBeNull();
  expect(inkRange(dimmed, col, RED, 20)).not.toBeNull(); // the hovered run at full strength
  // moving away ends the hover: tooltip hidden, nothing dimmed
  await page.mouse.move(5, 5);
  await expect(tip).toBeHidden();
  await expect.poll(async () => inkRange(await shotPlot(page, f), col, [0, 0, 255], 20) !== null).toBe(true);
});

test('wheel zooms at the cursor, double-click restores the same picture', async ({ page }) => {
  const f = await threeRuns(page, { yDomain: null });
  const before = await shotPlot(page, f);
  const p = await at(page, f, 25_000, 2);
  await page.mouse.move(p.x, p.y);
  await page.mouse.wheel(0, -300);
  const z: FrameInfo = await page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 100));
    return window.ch!.rendered();
  });
  expect(z.xDomain[1] - z.xDomain[0]).toBeLessThan(0.8 * (f.xDomain[1] - f.xDomain[0]));
  // the step under the cursor stayed under the cursor
  const under = z.xDomain[0] + ((p.x - (await page.locator('#chart').boundingBox())!.x - z.plot.left) / z.plot.width) * (z.xDomain[1] - z.xDomain[0]);
  expect(Math.abs(under - 25_000)).toBeLessThan(200);
  expect(diffFraction(before, await shotPlot(page, z))).toBeGreaterThan(0.001);
  await page.mouse.dblclick(p.x, p.y);
  const r: FrameInfo = await page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 50));
    return window.ch!.rendered();
  });
  expect(r.xDomain).toEqual(f.xDomain);
  await page.mouse.move(2, 2); // no tooltip or crosshair in the picture
  await page.waitForTimeout(50);
  expect(diffFraction(before, await shotPlot(page, r))).toBe(0);
});

test('drag draws a zoom box; shift-drag pans; the view event reports each', async ({ page }) => {
  const f = await threeRuns(page);
  const views: string[] = [];
  await page.exposeFunction('onView', (s: string) => views.push(s));
  await page.evaluate(() => window.ch!.on('view', (v) => (window as unknown as { onView(s: string): void }).onView(v.source)));
  const a = await at(page, f, 20_000, 3.5), b = await at(page, f, 60_000, 0.5);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  const z: FrameInfo = await page.evaluate(() => window.ch!.rendered());
  expect(Math.abs(z.xDomain[0] - 20_000)).toBeLessThan(300);
  expect(Math.abs(z.xDomain[1] - 60_000)).toBeLessThan(300);
  expect(Math.abs(z.yDomain[0] - 0.5)).toBeLessThan(0.05);
  expect(Math.abs(z.yDomain[1] - 3.5)).toBeLessThan(0.05);
  // pan right by dragging left with shift
  await page.keyboard.down('Shift');
  const c = await at(page, z, 50_000, 2);
  await page.mouse.move(c.x, c.y);
  await page.mouse.down();
  await page.mouse.move(c.x - z.plot.width / 4, c.y, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const p: FrameInfo = await page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 50));
    return window.ch!.rendered();
  });
  expect(p.xDomain[0]).toBeGreaterThan(z.xDomain[0] + 5_000);
  expect(views).toContain('box');
  expect(views).toContain('pan');
});

test('the legend hides a run on click and highlights it on hover', async ({ page }) => {
  const f = await threeRuns(page);
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.id = 'legend';
    el.style.cssText = 'position:absolute;left:820px;top:0;width:170px;height:300px';
    document.body.append(el);
    window.metricgl.createLegend(el, window.ch!);
  });
  const row = page.locator('#legend [data-id="mid"]');
  await expect(row).toHaveText('run-mid');
  await row.click();
  const g: FrameInfo = await page.evaluate(() => window.ch!.rendered());
  const shot = await shotPlot(page, g);
  expect(inkRange(shot, Math.floor(shot.width / 2), RED, 30)).toBeNull();
  expect(await page.evaluate(() => window.ch!.isVisible('mid'))).toBe(false);
  await expect(row).toHaveAttribute('aria-pressed', 'false');
  await row.click();
  expect(await page.evaluate(() => window.ch!.isVisible('mid'))).toBe(true);
  // search filters the rows
  await page.locator('#legend input').fill('hig');
  expect(await page.locator('#legend [data-id]').count()).toBe(1);
  void f;
});

test('linked charts: x zoom and hover follow on every chart', async ({ page }) => {
  const r = await page.evaluate(async () => {
    document.getElementById('chart')!.style.height = '300px';
    const el2 = document.createElement('div');
    el2.style.cssText = 'position:absolute;left:0;top:320px;width:800px;height:300px';
    document.body.append(el2);
    const x = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const a = window.metricgl.createChart(document.getElementById('chart')!, {});
    const b = window.metricgl.createChart(el2, {});
    a.setSeries([{ id: 'train', x, y: x.map((v) => Math.sin(v / 500)) }]);
    b.setSeries([{ id: 'eval', x, y: x.map((v) => Math.cos(v / 500)) }]);
    window.metricgl.linkCharts([a, b]);
    await a.rendered();
    a.update({ xDomain: [1000, 2000] });
    const fb: FrameInfo = await b.rendered();
    return fb.xDomain;
  });
  expect(r).toEqual([1000, 2000]);
  await page.mouse.move(400, 150);
  await expect(page.locator('.metricgl-tooltip')).toHaveCount(2);
  await expect(page.locator('.metricgl-tooltip').nth(1)).toBeVisible();
  await expect(page.locator('.metricgl-tooltip').nth(1)).toContainText('eval');
});

test('live appends at 10 Hz on 100 runs: the view follows, every tick is drawn, no refresh', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const runs = 100, n0 = 2000;
    const x = Float64Array.from({ length: n0 }, (_, i) => i);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothing: { weight: 0.6, mode: 'ema' } }));
    c.setSeries(Array.from({ length: runs }, (_, r) => ({ id: `r${r}`, x, y: x.map((v) => 3 + r * 0.01 + 1 / (1 + v / 100)) })));
    await c.rendered();
    let step = n0;
    const frames: number[] = [];
    const t0 = performance.now();
    for (let tick = 0; tick < 20; tick++) {
      const xs = Float64Array.from({ length: 10 }, (_, i) => step + i);
      for (let r = 0; r < runs; r++) c.append(`r${r}`, xs, xs.map((v) => 3 + r * 0.01 + 1 / (1 + v / 100)));
      step += 10;
      const f: FrameInfo = await c.rendered();
      frames.push(f.frameMs);
      await new Promise((res) => setTimeout(res, Math.max(0, t0 + (tick + 1) * 100 - performance.now())));
    }
    const last: FrameInfo = await c.rendered();
    return { frames, last, step };
  });
  expect(r.last.points).toBe(100 * r.step);
  expect(r.last.xDomain[1]).toBe(r.step - 1); // followed the new data
  // every tick reached the screen (timings are for bench/, not for tests: logged only)
  expect(r.frames.length).toBe(20);
  console.log(`live appends, frame ms per tick: ${r.frames.map((m) => m.toFixed(0)).join(' ')}`);
});

test('a legend of 10,000 runs holds only the rows in view; scrolling shows the others, the filter and hide all act on every match', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const n = 20;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { interactive: false }));
    c.setSeries(Array.from({ length: 10_000 }, (_, k) => ({ id: `r${k}`, label: `run ${k}`, x, y: Float32Array.from({ length: n }, (_, i) => Math.sin(i + k)) })));
    await c.rendered();
    const el = document.createElement('div');
    el.id = 'legend';
    el.style.cssText = 'position:absolute;left:820px;top:0;width:170px;height:400px;display:flex;flex-direction:column';
    document.body.append(el);
    const legend = window.metricgl.createLegend(el, c);
    return { rows: el.querySelectorAll('[data-id]').length, listed: legend.visibleRows().length };
  });
  expect(r.listed).toBe(10_000);
  expect(r.rows).toBeLessThan(60);
  const legend = page.locator('#legend');
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('10000 runs');
  await expect(legend.locator('[data-id="r0"]')).toHaveText('run 0');
  // scrolled to the end: the last runs are there, the first gone
  await page.evaluate(() => {
    const list = document.querySelector('#legend [data-id]')!.parentElement!.parentElement!;
    list.scrollTop = list.scrollHeight;
  });
  await expect(legend.locator('[data-id="r9999"]')).toHaveText('run 9999');
  await expect(legend.locator('[data-id="r0"]')).toHaveCount(0);
  expect(await legend.locator('[data-id]').count()).toBeLessThan(60);
  // the filter matches 111 runs (run 9, 9x, 9xx, 9xxx... of "run 99"): counted, hidden all at once
  await legend.locator('input').fill('run 99');
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('111 of 10000 runs');
  await legend.locator('.metricgl-legend-hide-all').click();
  const hidden = await page.evaluate(() => window.ch!.series().filter((s) => !window.ch!.isVisible(s.id)).length);
  expect(hidden).toBe(111);
});
