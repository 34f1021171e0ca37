/**
 * Issue 10, "everything a user reads is true": the tooltip answers for the cursor (runs that
 * ended are listed apart, columns labelled, long names elided in the middle), no stale tooltip
 * after a drag or a view change, the element's tooltip is the chart's, axis titles, the legend's
 * counts and bulk actions, the smoothed line standing out from its raw curve, and API edges.
 */
import { expect, test, type Page } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { openHarness, pixel, shotPlot } from './helpers';

const LONG = 'track_1_short/2024-10-14_record_ab12cd34ef56a3f9/train';

/** The shipped logs' shape: train runs to ~10k steps, eval runs every 125 steps ending at 1500. */
async function trainAndEval(page: Page, options = {}): Promise<FrameInfo> {
  return page.evaluate(async (options) => {
    const train = Float64Array.from({ length: 10_001 }, (_, i) => i);
    const evalX = Float64Array.from({ length: 13 }, (_, i) => i * 125);
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, options);
    window.ch.setSeries([
      { id: (window as unknown as { LONG_ID: string }).LONG_ID, label: (window as unknown as { LONG_ID: string }).LONG_ID, x: train, y: train.map((s) => 3 + 1 / (1 + s / 500)), color: '#1f77b4' },
      { id: 'a/eval', label: 'a/eval', x: evalX, y: evalX.map((s) => 3.2 + 1 / (1 + s / 500)), color: '#ff7f0e' },
      { id: 'b/eval', label: 'b/eval', x: evalX, y: evalX.map((s) => 3.3 + 1 / (1 + s / 500)), color: '#2ca02c' },
    ]);
    return window.ch.rendered();
  }, options);
}

test.beforeEach(async ({ page }) => {
  await openHarness(page);
  await page.evaluate((id) => ((window as unknown as { LONG_ID: string }).LONG_ID = id), LONG);
});

async function pageX(page: Page, f: FrameInfo, x: number) {
  const box = (await page.locator('#chart').boundingBox())!;
  return box.x + f.plot.left + ((x - f.xDomain[0]) / (f.xDomain[1] - f.xDomain[0])) * f.plot.width;
}

test('the tooltip answers for the cursor: its x in the header, runs that ended listed apart', async ({ page }) => {
  const f = await trainAndEval(page, { xLabel: 'step' });
  const box = (await page.locator('#chart').boundingBox())!;
  await page.mouse.move(await pageX(page, f, 9_000), box.y + f.plot.top + f.plot.height / 2);
  const tip = page.locator('.metricgl-tooltip');
  await expect(tip).toBeVisible();
  // the header is the x under the cursor (about 9000), not the eval runs' last step
  const head = (await tip.locator('.metricgl-tooltip-x').textContent())!;
  expect(head).toMatch(/^step /);
  const shown = Number(head.replace('step ', '').replace('k', 'e3'));
  expect(Math.abs(shown - 9_000)).toBeLessThan(40);
  expect(head).not.toContain('1500');
  // only the train run is a row; the eval runs are apart, saying where they ended
  await expect(tip.locator('tr')).toHaveCount(1);
  const absent = tip.locator('.metricgl-tooltip-absent');
  await expect(absent).toContainText('a/eval');
  await expect(absent).toContainText('ended at 1500');
  await expect(absent.locator('[data-id="b/eval"]')).toContainText('ended at 1500');
  // columns are labelled; the long name is cut in the middle, in full on hover
  await expect(tip.locator('[role="columnheader"]', { hasText: 'value' })).toHaveCount(1);
  const label = tip.locator('tr td').nth(1);
  const text = (await label.textContent())!;
  expect(text).toContain('…');
  expect(text.startsWith('track_1_short/2024-10')).toBe(true);
  expect(text.endsWith('a3f9/train')).toBe(true);
  await expect(label).toHaveAttribute('title', LONG);
  // the hover API says the same
  const info = await page.evaluate(() => window.ch!.hoverAt(9_000));
  expect(info.points.map((p) => [p.id, p.inRange])).toEqual([[LONG, true], ['a/eval', false], ['b/eval', false]]);
  expect(info.points[1].distancePx).toBeGreaterThan(100);
  // where all three run, all three are rows, each with its own nearest point
  await page.mouse.move(await pageX(page, f, 1_010), box.y + f.plot.top + f.plot.height / 2);
  await expect(tip.locator('tr')).toHaveCount(3);
  await expect(tip.locator('.metricgl-tooltip-absent')).toHaveCount(0);
  await expect(tip.locator('tr[data-id="a/eval"]')).toContainText('1000'); // its own x: its point at 1000
});

test('the tooltip is never cut: near the right edge it flips left of the cursor, every column inside the chart', async ({ page }) => {
  // many labelled columns (smoothed, raw, own x, two more x columns) and a long name
  const f = await page.evaluate(async () => {
    const x = Float64Array.from({ length: 2_000 }, (_, i) => i);
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothing: { weight: 0.6 } });
    window.ch.setSeries([
      { id: 'r', label: 'track_1_short/2024-10-14_record_ab12cd34ef56a3f9_and_more_words/train', x, y: x.map((s) => 3 + 1 / (1 + s)),
        xs: { time_ms: x.map((s) => s * 1234.5), wall_ms: x.map((s) => 1.7e12 + s * 1000) } },
    ]);
    return window.ch.rendered();
  });
  const box = (await page.locator('#chart').boundingBox())!;
  await page.mouse.move(await pageX(page, f, 1_900), box.y + f.plot.top + f.plot.height / 2);
  const tip = page.locator('.metricgl-tooltip');
  await expect(tip.locator('tr')).toHaveCount(1);
  const t = (await tip.boundingBox())!;
  expect(t.x).toBeGreaterThanOrEqual(box.x);
  expect(t.x + t.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
  // its content fits its box: nothing scrolled or clipped away (the last column is the wall time)
  const fits = await tip.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  expect(fits).toBe(true);
  const last = (await tip.locator('tr td').last().boundingBox())!;
  expect(last.x + last.width).toBeLessThanOrEqual(t.x + t.width + 0.5);
});

test('a box drag hides the tooltip; a wheel zoom, a key and an update leave no stale tooltip', async ({ page }) => {
  const f = await trainAndEval(page);
  const box = (await page.locator('#chart').boundingBox())!;
  const y = box.y + f.plot.top + f.plot.height / 2;
  const tip = page.locator('.metricgl-tooltip');
  const x0 = await pageX(page, f, 2_000);
  await page.mouse.move(x0, y);
  await expect(tip).toBeVisible();
  await page.mouse.down();
  await page.mouse.move(x0 + 150, y + 60, { steps: 4 });
  await page.waitForTimeout(150); // a hover answer still in flight must not bring it back
  await expect(tip).toBeHidden();
  await page.mouse.up();
  const z: FrameInfo = await page.evaluate(() => window.ch!.rendered());
  // wheel: the tooltip that comes back (cursor still there) is for the new view
  const xw = await pageX(page, z, (z.xDomain[0] + z.xDomain[1]) / 2);
  await page.mouse.move(xw, y);
  await expect(tip).toBeVisible();
  await page.mouse.wheel(0, 400);
  const w: FrameInfo = await page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 100));
    return window.ch!.rendered();
  });
  expect(w.xDomain[1] - w.xDomain[0]).toBeGreaterThan(z.xDomain[1] - z.xDomain[0]);
  const under = w.xDomain[0] + ((xw - box.x - w.plot.left) / w.plot.width) * (w.xDomain[1] - w.xDomain[0]);
  await expect.poll(async () => {
    if (!(await tip.isVisible())) return true;
    const h = (await tip.locator('.metricgl-tooltip-x').textContent())!.replace(/^x /, '').replace('k', 'e3');
    return Math.abs(Number(h) - under) < 30;
  }).toBe(true);
  // an api update (the view jumps elsewhere) hides it; so does a key
  await page.evaluate(() => window.ch!.update({ xDomain: [8_000, 9_000] }));
  await page.mouse.move(box.x + 2, box.y + 2); // leave, so it does not come back
  await page.mouse.move(xw, y);
  await expect(tip).toBeVisible();
  await page.evaluate(() => window.ch!.update({ xDomain: [100, 200] }));
  await page.evaluate(() => window.ch!.rendered());
  await expect.poll(async () => !(await tip.isVisible()) || /1[0-9]{2}/.test((await tip.textContent())!)).toBe(true);
  await page.locator('#chart > div').focus();
  await page.keyboard.press('0');
  await page.evaluate(() => window.ch!.rendered());
  const head = await tip.isVisible() ? (await tip.locator('.metricgl-tooltip-x').textContent())! : '';
  expect(head).not.toMatch(/^x 1[0-9]{2}$/);
});

test('<metric-chart> shows the same tooltip as a chart, sized to its content', async ({ page }) => {
  await page.goto('/test/browser/pages/element.html');
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  const el = page.locator('#a');
  const f: FrameInfo = await page.evaluate(() => document.querySelector('metric-chart')!.rendered());
  const box = (await el.boundingBox())!;
  await page.mouse.move(box.x + f.plot.left + f.plot.width / 2, box.y + f.plot.top + f.plot.height / 2);
  const tip = el.locator('.metricgl-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip.locator('tr')).toHaveCount(1);
  await expect(tip.locator('tr')).toContainText('ramp');
  await expect(tip.locator('.metricgl-tooltip-x')).toContainText(/\d/);
  const size = (await tip.boundingBox())!;
  expect(size.width).toBeLessThan(300);
  expect(size.height).toBeLessThan(120);
});

test('the smoothed line stands out from its noisy raw curve of the same colour', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(async () => {
    const n = 4000;
    let s = 1;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = x.map(() => 1 + (rand() - 0.5));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothing: { weight: 0.99 }, yDomain: [0, 2], smoothingBackend: 'cpu' });
    window.ch.setSeries([{ id: 'noisy', x, y, color: '#ff7f0e', width: 1.5 }]);
    return window.ch.rendered();
  });
  const shot = await shotPlot(page, f);
  // the smoothed curve sits near y = 1 (the middle row); raw noise spans rows 0.5..1.5
  const lum = (c: readonly number[]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  const mid = Math.round(shot.height / 2);
  let smoothDark = 0, rawLight = 0, cols = 0;
  for (let c = Math.round(shot.width * 0.3); c < shot.width * 0.9; c += 7) {
    // darkest pixel near the middle: the smoothed line; a pixel a quarter up: raw only
    let dark = 255;
    for (let r = mid - 8; r <= mid + 8; r++) dark = Math.min(dark, lum(pixel(shot, c, r)));
    const raw = lum(pixel(shot, c, Math.round(shot.height * 0.4)));
    smoothDark += dark;
    rawLight += raw;
    cols++;
  }
  smoothDark /= cols;
  rawLight /= cols;
  console.log(`smoothed luminance ${smoothDark.toFixed(0)}, raw band ${rawLight.toFixed(0)}`);
  // the smoothed line is clearly darker than the raw band behind it
  // the old styling (raw at 30%) measured 146 against 207 here, a difference of ~61
  expect(rawLight - smoothDark).toBeGreaterThan(70);
});

test('API edges: bad calls say what is wrong, every call after destroy() says so, x at +-1e308 draws', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const c = window.metricgl.createChart(document.getElementById('chart')!, {});
    c.setSeries([{ id: 'wide', x: [-1e308, 0, 1e308], y: [1, 2, 3], color: '#ff0000', width: 2 }]);
    const f = await c.rendered();
    const err = (g: () => unknown) => {
      try {
        g();
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const bad = {
      updateArray: err(() => c.update([] as never)),
      state42: err(() => c.setState(42 as never)),
      stateNull: err(() => c.setState(null as never)),
      hoverNaN: err(() => c.hoverAt(NaN)),
      showAbc: err(() => c.showHover('abc' as never)),
    };
    c.update({ smoothing: { weight: 0.7 } });
    const mode = c.options.smoothing.mode;
    c.destroy();
    c.destroy(); // harmless
    const after = {
      isVisible: err(() => c.isVisible('wide')),
      on: err(() => c.on('hover', () => {})),
      series: err(() => c.series()),
      getState: err(() => c.getState()),
      update: err(() => c.update({})),
      setVisible: err(() => c.setVisible('wide', false)),
      hoverAt: err(() => c.hoverAt(0)),
      showHover: err(() => c.showHover(null)),
      rendered: await c.rendered().then(() => 'resolved', (e) => (e as Error).message),
    };
    return { f, bad, after, mode };
  });
  expect(r.f.xDomain.every(Number.isFinite)).toBe(true);
  expect(r.f.xDomain[0]).toBeLessThanOrEqual(-1e308);
  expect(r.f.xDomain[1]).toBeGreaterThanOrEqual(1e308);
  expect(r.bad.updateArray).toMatch(/RangeError: options must be an object.*got \[\]/);
  expect(r.bad.state42).toMatch(/setState takes a view state object.*got 42/);
  expect(r.bad.stateNull).toMatch(/setState takes a view state object.*got null/);
  expect(r.bad.hoverNaN).toMatch(/hoverAt needs a finite data x, got NaN/);
  expect(r.bad.showAbc).toMatch(/showHover needs a finite data x or null, got "abc"/);
  expect(r.mode).toBe('ema');
  for (const [k, v] of Object.entries(r.after)) expect(v, k).toMatch(/chart destroyed/);
});

test('x at +-1e308 draws visible pixels', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(async () => {
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
    window.ch.setSeries([{ id: 'wide', x: [-1e308, 0, 1e308], y: [1, 2, 3], color: '#ff0000', width: 2 }]);
    return window.ch.rendered();
  });
  const shot = await shotPlot(page, f);
  let red = 0;
  for (let y = 0; y < shot.height; y++) for (let x = 0; x < shot.width; x++) {
    const p = pixel(shot, x, y);
    if (p[0] > 200 && p[1] < 80 && p[2] < 80) red++;
  }
  expect(red).toBeGreaterThan(shot.width); // a line corner to corner
});

test('the legend counts its runs, hides and shows the matched ones, and names each row\'s chart', async ({ page }) => {
  const r = await page.evaluate(async () => {
    document.getElementById('chart')!.style.height = '200px';
    const el2 = document.createElement('div');
    el2.style.cssText = 'position:absolute;left:0;top:220px;width:800px;height:200px';
    const legendEl = document.createElement('div');
    legendEl.id = 'legend';
    legendEl.style.cssText = 'position:absolute;left:820px;top:0;width:170px;height:600px';
    document.body.append(el2, legendEl);
    const x = [0, 1, 2];
    const mk = () => ['run-a', 'run-b', 'other'].map((id) => ({ id, x, y: [1, 2, 3] }));
    const a = window.metricgl.createChart(document.getElementById('chart')!, {});
    const b = window.metricgl.createChart(el2, {});
    a.setSeries(mk());
    b.setSeries(mk());
    (window as unknown as { charts: unknown }).charts = [a, b];
    window.metricgl.createLegend(legendEl, [a, b], { titles: ['train/loss', 'val/loss'] });
    await Promise.all([a.rendered(), b.rendered()]);
    return null;
  });
  void r;
  const legend = page.locator('#legend');
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('3 runs');
  // two charts: each run twice, each row naming its chart
  await expect(legend.locator('[data-id="run-a"]')).toHaveCount(2);
  await expect(legend.locator('[data-id="run-a"]').nth(0)).toContainText('train/loss');
  await expect(legend.locator('[data-id="run-a"]').nth(1)).toContainText('val/loss');
  await legend.locator('input[type="search"]').fill('run-');
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('2 of 3 runs');
  await legend.locator('.metricgl-legend-hide-all').click();
  const vis = () => page.evaluate(() => {
    const [a, b] = (window as unknown as { charts: import('../../src/index').Chart[] }).charts;
    return ['run-a', 'run-b', 'other'].map((id) => [a.isVisible(id), b.isVisible(id)]);
  });
  expect(await vis()).toEqual([[false, false], [false, false], [true, true]]); // 'other' did not match
  await legend.locator('.metricgl-legend-show-all').click();
  expect(await vis()).toEqual([[true, true], [true, true], [true, true]]);
  // one row's click acts on its own chart only
  await legend.locator('[data-id="run-b"]').nth(1).click();
  expect(await vis()).toEqual([[true, true], [true, false], [true, true]]);
});

test('axis titles: yLabel drawn left of the y tick labels, xLabel under the x ticks', async ({ page }) => {
  const ink = async (options: object) => {
    const f: FrameInfo = await page.evaluate(async (options) => {
      window.ch?.destroy();
      window.ch = window.metricgl.createChart(document.getElementById('chart')!, options);
      window.ch.setSeries([{ id: 'r', x: [0, 1000], y: [1, 2] }]);
      return window.ch.rendered();
    }, options);
    const png = await page.locator('#chart').screenshot();
    const { PNG } = await import('pngjs');
    const img = PNG.sync.read(png);
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x++) {
        const i = 4 * (y * img.width + x);
        if (img.data[i] < 160 && img.data[i + 1] < 160 && img.data[i + 2] < 160) n++;
      }
      return n;
    };
    // the y title: a long vertical run of ink in the leftmost 16 px (tick labels there are
    // 11 px tall blobs 40 px apart); the x title: ink in the last 16 px at the bottom
    let run = 0, best = 0, gap = 0;
    for (let y = 0; y < img.height; y++) {
      if (dark(0, y, 16, y + 1) > 0) {
        run += gap + 1;
        gap = 0;
        best = Math.max(best, run);
      } else if (++gap > 3) {
        run = 0;
        gap = 0;
      }
    }
    return { f, left: best, bottom: dark(f.plot.left, img.height - 16, f.plot.left + f.plot.width, img.height) };
  };
  const plain = await ink({});
  const titled = await ink({ xLabel: 'step', yLabel: 'validation loss' });
  console.log(`y title ink run: ${plain.left} px plain, ${titled.left} px titled`);
  expect(plain.left).toBeLessThan(16);
  expect(titled.left).toBeGreaterThan(40);
  expect(titled.bottom).toBeGreaterThan(20); // the x title's ink, under the x labels that moved up
  expect(titled.f.plot.height).toBeLessThan(plain.f.plot.height - 10);
  expect(titled.f.plot.left).toBeGreaterThan(plain.f.plot.left);
});

test('log y ticks: 0.1, 1 and 10 are labelled even when the plot is short', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(async () => {
    document.getElementById('chart')!.style.height = '160px';
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yScale: 'log', yDomain: [0.08, 14] });
    window.ch.setSeries([{ id: 'r', x: [0, 1], y: [0.1, 10] }]);
    return window.ch.rendered();
  });
  // the labels drawn are what the layout kept: read them back through the same geometry
  const kept = await page.evaluate(async (f) => {
    const { computeLayout, placeLabels, powersOfTen, tickPositions } = await import('/src/axes/overlay.ts' as string);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = '11px system-ui';
    const y = { scale: 'log', format: 'number', domain: f.yDomain };
    const l = computeLayout(800, 160, { scale: 'linear', format: 'number', domain: f.xDomain }, y, (t: string) => ctx.measureText(t).width, 11);
    const ys = tickPositions(y, l.yTicks.values, l.plot.height, true);
    const c = placeLabels(ys.map((p: number) => l.plot.top + p), l.yTicks.values.map(() => 11), -Infinity, 2, powersOfTen(y, l.yTicks.values));
    return l.yTicks.labels.filter((_: string, i: number) => Number.isFinite(c[i]));
  }, f);
  expect(kept).toEqual(expect.arrayContaining(['0.1', '1', '10']));
});

test('<metric-chart>: x-label / y-label attributes, appendPoints with xs, events heard before connection', async ({ page }) => {
  await page.goto('/test/browser/pages/element.html');
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  const r = await page.evaluate(async () => {
    const el = document.createElement('metric-chart');
    el.style.cssText = 'display:block;width:500px;height:250px';
    const heard: string[] = [];
    for (const t of ['error', 'series', 'view', 'hover', 'visibility']) el.addEventListener(t, () => heard.push(t));
    el.setAttribute('y-scale', 'cubic'); // bad: an error event, before connection
    el.setAttribute('x-label', 'step');
    el.setAttribute('y-label', 'loss');
    el.series = [{ id: 'r', x: [0, 1, 2], y: [1, 2, 3], xs: { time: [0, 10, 20] } }];
    document.body.append(el);
    await el.rendered();
    el.appendPoints('r', [3], [4], { time: [30] });
    const f = await el.rendered();
    el.chart!.update({ xDomain: [0, 2] });
    el.chart!.setVisible('r', false);
    await el.rendered();
    return { heard, labels: [el.options.xLabel, el.options.yLabel], points: f.points };
  });
  expect(r.labels).toEqual(['step', 'loss']);
  expect(r.points).toBe(4);
  expect(r.heard).toEqual(expect.arrayContaining(['error', 'series', 'view', 'visibility']));
});
