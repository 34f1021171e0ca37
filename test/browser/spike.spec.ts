import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { inkRange, openHarness, RED, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('a single spike among 1M points is drawn, and again after zooming', async ({ page }) => {
  await page.evaluate(() => {
    const n = 1_000_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    // small noise around 1, one spike to 5 at a step that no sampler would keep
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      x[i] = i;
      y[i] = 1 + (s / 2 ** 32 - 0.5) * 0.1;
    }
    y[654_321] = 5;
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
    window.ch.setSeries([{ id: 'loss', x, y, color: '#ff0000', width: 1 }]);
  });
  for (const xDomain of [null, [600_000, 700_000], [654_000, 654_500], [654_321 - 7, 654_321 + 3]] as const) {
    const f: FrameInfo = await page.evaluate((d) => {
      window.ch!.update({ xDomain: d as [number, number] | null });
      return window.ch!.rendered();
    }, xDomain);
    const shot = await shotPlot(page, f);
    // where the spike's step falls, and where its value is, in device pixels of the plot
    const col = Math.floor(((654_321 - f.xDomain[0]) / (f.xDomain[1] - f.xDomain[0])) * shot.width);
    const yPx = ((f.yDomain[1] - 5) / (f.yDomain[1] - f.yDomain[0])) * shot.height;
    const ink = [col - 1, col, col + 1].map((c) => inkRange(shot, c, RED)).filter((r) => r !== null);
    expect(ink.length, `ink near column ${col} at ${JSON.stringify(xDomain)}`).toBeGreaterThan(0);
    const top = Math.min(...ink.map((r) => r![0]));
    expect(Math.abs(top - yPx), `spike top ${top} vs ${yPx} at ${JSON.stringify(xDomain)}`).toBeLessThanOrEqual(1.5);
    // the auto y range holds the spike at every zoom
    expect(f.yDomain[1]).toBeGreaterThan(5);
    // the rest of the series stays down near 1: the spike is narrow
    if (f.xDomain[1] - f.xDomain[0] > 10_000) {
      const away = inkRange(shot, Math.max(0, col - 40), RED)!;
      expect(away[0]).toBeGreaterThan(top + 100);
    }
  }
});
