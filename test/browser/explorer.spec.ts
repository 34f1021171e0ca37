/**
 * What an explorer needs beyond drawing: dashed strokes by group, the outlier-ignoring y range,
 * view state as JSON, PNG export, and a subplot grid of linked charts.
 */
import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import type { FrameInfo } from '../../src/index';
import { inkRange, openHarness, RED, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('a dashed run is drawn with gaps at its pattern, dense and sparse alike', async ({ page }) => {
  for (const n of [200_000, 50]) {
    const f: FrameInfo = await page.evaluate((n) => {
      window.ch?.destroy();
      const x = Float64Array.from({ length: n }, (_, i) => i);
      window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 2] });
      window.ch.setSeries([{ id: 'eval', x, y: new Float32Array(n).fill(1), color: '#ff0000', width: 2, dash: [6, 4] }]);
      return window.ch.rendered();
    }, n);
    const shot = await shotPlot(page, f);
    const on = [];
    for (let c = 20; c < 120; c++) on.push(inkRange(shot, c, RED) !== null ? 1 : 0);
    // period 10 px: 6 on, 4 off, every period
    const ons = on.reduce((a: number, b) => a + b, 0);
    expect(ons, `n=${n}`).toBeGreaterThan(50);
    expect(ons, `n=${n}`).toBeLessThan(70);
    for (let k = 0; k + 10 < on.length; k++) expect(on[k], `column ${k + 20}`).toBe(on[k + 10]);
  }
});

test('ignoreOutliers fits y to the 5th..95th percentile, so a spike does not flatten the curve', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float32Array.from({ length: n }, (_, i) => 2 + Math.sin(i / 3000) * 0.5 + (i % 20_000 === 0 ? 100 : 0));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
    window.ch.setSeries([{ id: 'loss', x, y, color: '#ff0000', width: 1 }]);
    const full: FrameInfo = await window.ch.rendered();
    window.ch.update({ ignoreOutliers: true });
    const robust: FrameInfo = await window.ch.rendered();
    // a constant series: the percentiles coincide, the full extent is used, the line is shown
    window.ch.setSeries([{ id: 'flat', x, y: new Float32Array(n).fill(3), color: '#ff0000', width: 1 }]);
    const flat: FrameInfo = await window.ch.rendered();
    return { full, robust, flat };
  });
  expect(r.full.yDomain[1]).toBeGreaterThan(100);
  expect(r.robust.yDomain[1]).toBeLessThan(3);
  expect(r.robust.yDomain[0]).toBeGreaterThan(1);
  expect(r.robust.yDomain[0]).toBeLessThan(1.7);
  expect(r.flat.yDomain[0]).toBeLessThan(3);
  expect(r.flat.yDomain[1]).toBeGreaterThan(3);
});

test('view state round-trips as JSON: domains, scales, smoothing, hidden runs, x column', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    const series = [
      { id: 'a', x, y: x.map((v) => 1 / v), xs: { time: x.map((v) => v * 100) } },
      { id: 'b', x, y: x.map((v) => 2 / v), xs: { time: x.map((v) => v * 100) } },
    ];
    const c1 = window.metricgl.createChart(document.getElementById('chart')!, {});
    c1.setSeries(series);
    c1.update({ xDomain: [10, 500], yScale: 'log', smoothing: { weight: 0.7, mode: 'time-weighted' }, xColumn: 'time', xFormat: 'duration' });
    c1.setVisible('b', false);
    const state = JSON.parse(JSON.stringify(c1.getState()));
    const f1: FrameInfo = await c1.rendered();
    c1.destroy();
    const c2 = window.metricgl.createChart(document.getElementById('chart')!, {});
    c2.setState(state); // restored before the data arrives, as from a bookmark
    c2.setSeries(series);
    const f2: FrameInfo = await c2.rendered();
    return { state, restored: c2.getState(), f1, f2, bVisible: c2.isVisible('b') };
  });
  expect(r.state).toEqual({
    xDomain: [10, 500], yDomain: null, xScale: 'linear', yScale: 'log', xFormat: 'duration', xColumn: 'time',
    smoothing: { weight: 0.7, mode: 'time-weighted' }, showRaw: true, ignoreOutliers: false, aggregate: null, hidden: ['b'],
  });
  expect(r.restored).toEqual(r.state);
  expect(r.bVisible).toBe(false);
  expect(r.f2.xDomain).toEqual(r.f1.xDomain);
  expect(r.f2.yDomain).toEqual(r.f1.yDomain);
});

test('toPNG exports the chart at devicePixelRatio 2', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const x = Float64Array.from({ length: 10_000 }, (_, i) => i);
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 2] });
    window.ch.setSeries([{ id: 'a', x, y: new Float32Array(10_000).fill(1), color: '#ff0000', width: 1 }]);
    const before: FrameInfo = await window.ch.rendered();
    const blob = await window.ch.toPNG();
    const after: FrameInfo = await window.ch.rendered();
    const bytes = Array.from(new Uint8Array(await blob.arrayBuffer()));
    return { type: blob.type, bytes, before, after };
  });
  expect(r.type).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(r.bytes));
  expect(png.width).toBe(1600);
  expect(png.height).toBe(800);
  // the line is in the export, 2 device px thick (1 CSS px at dpr 2), at y = 1
  const plotTop = r.before.plot.top * 2, plotH = r.before.plot.height * 2;
  const col = Math.round((r.before.plot.left + r.before.plot.width / 2) * 2);
  let top = -1, bottom = -1;
  for (let y = 0; y < png.height; y++) {
    const i = 4 * (y * png.width + col);
    if (png.data[i] > 200 && png.data[i + 1] < 60 && png.data[i + 2] < 60) {
      if (top < 0) top = y;
      bottom = y;
    }
  }
  expect(Math.abs((top + bottom) / 2 - (plotTop + plotH / 2))).toBeLessThan(3);
  expect(bottom - top + 1).toBe(2);
  // and the chart on screen is back at the screen's resolution
  expect(r.after.dpr).toBe(1);
});

test('chartGrid + linkCharts: one chart per group, linked x zoom', async ({ page }) => {
  const r = await page.evaluate(async () => {
    document.getElementById('chart')!.remove();
    const host = document.createElement('div');
    host.style.cssText = 'width:960px';
    document.body.append(host);
    const { chartGrid } = window.metricgl;
    const cells = chartGrid(host, ['train/loss', 'eval/loss', 'lr'], { columns: 3, height: 200 });
    const x = Float64Array.from({ length: 5000 }, (_, i) => i);
    const charts = cells.map((c: { chart: HTMLElement }, i: number) => {
      const ch = window.metricgl.createChart(c.chart, {});
      ch.setSeries([{ id: `m${i}`, x, y: x.map((v) => Math.cos(v / (300 + i * 100))) }]);
      return ch;
    });
    window.metricgl.linkCharts(charts);
    await Promise.all(charts.map((c: { rendered(): Promise<unknown> }) => c.rendered()));
    charts[1].update({ xDomain: [1000, 2000] });
    const frames = await Promise.all(charts.map((c: { rendered(): Promise<FrameInfo> }) => c.rendered()));
    return { domains: frames.map((f: FrameInfo) => f.xDomain), widths: cells.map((c: { chart: HTMLElement }) => c.chart.clientWidth) };
  });
  expect(r.domains).toEqual([[1000, 2000], [1000, 2000], [1000, 2000]]);
  for (const w of r.widths) expect(w).toBeGreaterThan(280);
});
