import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { inkRange, openHarness, RED, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/**
 * Brute force in the page: per pixel column, min and max of the data that falls in it, in device
 * pixels of the plot (y down). NaN where a column holds no point.
 */
async function expectedColumns(page: import('@playwright/test').Page, f: FrameInfo) {
  return page.evaluate((f) => {
    const { x, y } = (window as unknown as { data: { x: Float64Array; y: Float32Array } }).data;
    const W = Math.round(f.plot.width * f.dpr), H = Math.round(f.plot.height * f.dpr);
    const [x0, x1] = f.xDomain, [y0, y1] = f.yDomain;
    const top = new Array(W).fill(NaN), bottom = new Array(W).fill(NaN);
    for (let i = 0; i < x.length; i++) {
      if (x[i] < x0 || x[i] > x1) continue;
      const c = Math.min(W - 1, Math.floor(((x[i] - x0) / (x1 - x0)) * W));
      const py = ((y1 - y[i]) / (y1 - y0)) * H;
      if (!(top[c] <= py)) top[c] = py;
      if (!(bottom[c] >= py)) bottom[c] = py;
    }
    return { top, bottom };
  }, f);
}

test('each pixel column of a 2M-point random walk spans its data min..max', async ({ page }) => {
  await page.evaluate(() => {
    const n = 2_000_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    let s = 7, v = 0;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      v += s / 2 ** 32 - 0.5;
      x[i] = i;
      y[i] = v;
    }
    (window as unknown as { data: unknown }).data = { x, y };
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
    window.ch.setSeries([{ id: 'walk', x, y, color: '#ff0000', width: 1 }]);
  });
  // fitted, then zoomed in so each column holds ~130 points, then to a few points per column
  for (const xDomain of [null, [500_000, 600_000], [1_234_000, 1_235_500]] as const) {
    const f: FrameInfo = await page.evaluate((d) => {
      window.ch!.update({ xDomain: d as [number, number] | null });
      return window.ch!.rendered();
    }, xDomain);
    const shot = await shotPlot(page, f);
    const exp = await expectedColumns(page, f);
    let checked = 0;
    for (let c = 1; c < shot.width - 1; c++) {
      if (Number.isNaN(exp.top[c])) continue;
      const ink = inkRange(shot, c, RED);
      expect(ink, `column ${c} has ink`).not.toBeNull();
      const [top, bottom] = ink!;
      const where = `column ${c} of ${JSON.stringify(xDomain)}: ink ${top}..${bottom}, data ${exp.top[c].toFixed(1)}..${exp.bottom[c].toFixed(1)}`;
      // covers the data's extent in that column
      expect(top, where).toBeLessThanOrEqual(Math.floor(exp.top[c]) + 1);
      expect(bottom, where).toBeGreaterThanOrEqual(Math.floor(exp.bottom[c]) - 1);
      // and reaches no further than the joins to its neighbours
      const lo = Math.min(exp.top[c - 1] || Infinity, exp.top[c], exp.top[c + 1] || Infinity);
      const hi = Math.max(exp.bottom[c - 1] || -Infinity, exp.bottom[c], exp.bottom[c + 1] || -Infinity);
      expect(top, where).toBeGreaterThanOrEqual(Math.floor(lo) - 2);
      expect(bottom, where).toBeLessThanOrEqual(Math.ceil(hi) + 2);
      checked++;
    }
    expect(checked).toBeGreaterThan(shot.width * 0.9);
  }
});
