/**
 * Several x columns per series: switching the x axis among them draws what drawing that column
 * as x would, without re-sending y; tick labels follow the format.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, inkColumns, openHarness, RED, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('switching xColumn among step, relative time and epoch equals drawing that column as x', async ({ page }) => {
  const make = `(() => {
    const n = 50_000;
    const step = new Float64Array(n), time = new Float64Array(n), epoch = new Float64Array(n), y = new Float32Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      step[i] = i;
      t += 50 + (i % 100 === 0 ? 5_000 : 0); // ms per step, with pauses (evals)
      time[i] = t;
      epoch[i] = i / 10_000;
      y[i] = 3 + 2 * Math.exp(-i / 8000) + (i === 30_000 ? 2 : 0);
    }
    return { step, time, epoch, y };
  })()`;
  const shots = [];
  for (const column of ['time', 'epoch'] as const) {
    const f: FrameInfo = await page.evaluate(
      async ([make, column]) => {
        const d = eval(make);
        window.ch?.destroy();
        window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
        window.ch.setSeries([{ id: 'run', x: d.step, y: d.y, xs: { time: d.time, epoch: d.epoch }, color: '#ff0000', width: 1 }]);
        await window.ch.rendered();
        window.ch.update({ xColumn: column, xFormat: column === 'time' ? 'duration' : 'number' });
        return window.ch.rendered();
      },
      [make, column] as const,
    );
    const viaColumn = await shotPlot(page, f);
    const g: FrameInfo = await page.evaluate(
      async ([make, column]) => {
        const d = eval(make);
        window.ch?.destroy();
        window.ch = window.metricgl.createChart(document.getElementById('chart')!, { xFormat: column === 'time' ? 'duration' : 'number' });
        window.ch.setSeries([{ id: 'run', x: d[column], y: d.y, color: '#ff0000', width: 1 }]);
        return window.ch.rendered();
      },
      [make, column] as const,
    );
    const direct = await shotPlot(page, g);
    expect(f.xDomain).toEqual(g.xDomain);
    expect(diffFraction(viaColumn, direct), column).toBe(0);
    shots.push(viaColumn);
  }
  expect(diffFraction(shots[0], shots[1])).toBeGreaterThan(0.001); // the pauses move the curve
  // duration labels on the time axis
  const labels = await page.evaluate(() => {
    window.ch!.update({ xFormat: 'duration' });
    return window.ch!.rendered().then(() => true);
  });
  expect(labels).toBe(true);
});

test('a column out of step order gets its own sorted copy; series without the column are not drawn', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const n = 20_000;
    const step = Float64Array.from({ length: n }, (_, i) => i);
    // wall clock that jumps back half way (a resumed job with a reset clock)
    const wall = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i + 1e6 : i));
    const y = Float32Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 2));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 3] });
    window.ch.setSeries([
      { id: 'a', x: step, y, xs: { wall }, color: '#ff0000', width: 1 },
      { id: 'b', x: step, y: y.map((v) => v + 0.5), color: '#0000ff', width: 1 },
    ]);
    window.ch.update({ xColumn: 'wall' });
    const f: FrameInfo = await window.ch.rendered();
    let errors = '';
    try {
      window.ch.append('a', [n], [1]);
    } catch (e) {
      errors = (e as Error).message;
    }
    window.ch.append('a', [n], [1], { wall: [n + 2e6] });
    const g: FrameInfo = await window.ch.rendered();
    return { f, g, errors };
  });
  expect(r.f.points).toBe(20_000); // only 'a' has a wall column
  expect(r.f.xDomain).toEqual([10_000, 1e6 + 9_999]);
  expect(r.errors).toMatch(/series "a": append needs the x columns it was given \(wall\), got none/);
  expect(r.g.points).toBe(20_001);
  expect(r.g.xDomain[1]).toBe(20_000 + 2e6);
  const shot = await shotPlot(page, r.g);
  expect(inkColumns(shot, RED).length).toBeGreaterThan(10);
  expect(inkColumns(shot, [0, 0, 255]).length).toBe(0);
});
