/**
 * The v1 API at its edges: bad input throws at the call, naming the series and the field, and
 * the chart keeps what it had; HiDPI; following the container's size.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, inkRange, openHarness, RED, shotPlot } from './helpers';

test('bad input gives a clear error and loses nothing', async ({ page }) => {
  await openHarness(page);
  const before: FrameInfo = await page.evaluate(() => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i);
    const y = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 50));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
    window.ch.setSeries([{ id: 'run-a/train', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  const shot0 = await shotPlot(page, before);
  const errors = await page.evaluate(() => {
    const c = window.ch!;
    const x = new Float64Array(10), y9 = new Float32Array(9);
    const attempts: Record<string, () => void> = {
      length: () => c.setSeries([{ id: 'run-a/train', x, y: y9 }]),
      nonNumeric: () => c.setSeries([{ id: 'run-b', x: [0, 1, 'two'] as unknown as number[], y: [0, 1, 2] }]),
      notArray: () => c.setSeries([{ id: 'run-c', x: 'abc' as unknown as number[], y: [0, 1, 2] }]),
      bigint: () => c.setSeries([{ id: 'run-d', x: new BigInt64Array(3) as unknown as number[], y: [0, 1, 2] }]),
      duplicate: () => c.setSeries([{ id: 'dup', x: [1], y: [1] }, { id: 'dup', x: [2], y: [2] }]),
      color: () => c.setSeries([{ id: 'run-e', x: [1], y: [1], color: 'blurple' }]),
      width: () => c.setSeries([{ id: 'run-f', x: [1], y: [1], width: -2 }]),
      noId: () => c.setSeries([{ x: [1], y: [1] } as never]),
      appendUnknown: () => c.append('nope', [1], [1]),
      appendLength: () => c.append('run-a/train', [1, 2], [1]),
      scale: () => c.update({ yScale: 'sqrt' as never }),
      domain: () => c.update({ xDomain: [5, 1] }),
      logDomain: () => c.update({ yScale: 'log', yDomain: [-1, 1] }),
      weight: () => c.update({ smoothing: { weight: 1, mode: 'ema' } }),
      mode: () => c.update({ smoothing: { weight: 0.6, mode: 'boxcar' as never } }),
      window: () => c.update({ smoothing: { mode: 'centred', window: 4 } }),
      unknown: () => c.update({ smoth: 0.6 } as never),
    };
    const out: Record<string, string> = {};
    for (const [k, f] of Object.entries(attempts)) {
      try {
        f();
        out[k] = 'no error';
      } catch (e) {
        out[k] = `${(e as Error).name}: ${(e as Error).message}`;
      }
    }
    return out;
  });
  expect(errors.length).toBe('TypeError: series "run-a/train": x has 10 values, y has 9');
  expect(errors.nonNumeric).toBe('TypeError: series "run-b": x[2] is not a number (got string)');
  expect(errors.notArray).toMatch(/^TypeError: series "run-c": x is not an array of numbers/);
  expect(errors.bigint).toMatch(/^TypeError: series "run-d": x must hold numbers/);
  expect(errors.duplicate).toBe('TypeError: series "dup": duplicate id');
  expect(errors.color).toMatch(/^TypeError: series "run-e": color "blurple"/);
  expect(errors.width).toMatch(/^TypeError: series "run-f": width/);
  expect(errors.noId).toMatch(/^TypeError: series at index 0: id/);
  expect(errors.appendUnknown).toMatch(/^TypeError: series "nope": no such series/);
  expect(errors.appendLength).toBe('TypeError: series "run-a/train": x has 2 values, y has 1');
  expect(errors.scale).toMatch(/^RangeError: yScale/);
  expect(errors.domain).toMatch(/^RangeError: xDomain/);
  expect(errors.logDomain).toMatch(/^RangeError: yDomain must be positive/);
  expect(errors.weight).toMatch(/^RangeError: smoothing.weight/);
  expect(errors.mode).toMatch(/^RangeError: smoothing.mode/);
  expect(errors.window).toBe("RangeError: smoothing.window must be odd for mode 'centred' (a window centred on its point), got 4");
  expect(errors.unknown).toMatch(/^RangeError: unknown option "smoth"/);
  // nothing changed: same options, same data, same picture
  const after: FrameInfo = await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(r));
    return window.ch!.rendered();
  });
  expect(after.points).toBe(1000);
  expect(after.xDomain).toEqual(before.xDomain);
  expect(after.yDomain).toEqual(before.yDomain);
  expect(await page.evaluate(() => window.ch!.options.yScale)).toBe('linear');
  expect(diffFraction(shot0, await shotPlot(page, after))).toBe(0);
  // the caller's arrays stay usable after setSeries: nothing was transferred away
  const stillThere = await page.evaluate(() => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i);
    const y = new Float32Array(100).fill(1);
    window.ch!.setSeries([{ id: 'a', x, y }, { id: 'b', x, y }]);
    window.ch!.append('a', x, y);
    return x.length + y.length + x[99] + y[99];
  });
  expect(stillThere).toBe(100 + 100 + 99 + 1);
});

test('HiDPI: the canvas has device resolution and one-pixel columns stay one device pixel', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 2 });
  await openHarness(page);
  const f: FrameInfo = await page.evaluate(() => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float32Array.from({ length: n }, (_, i) => (i === 50_000 ? 2 : 1));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 3] });
    window.ch.setSeries([{ id: 'a', x, y, color: '#ff0000', width: 0.5 }]);
    return window.ch.rendered();
  });
  expect(f.dpr).toBe(2);
  const canvas = await page.evaluate(() => {
    const c = document.querySelector('#chart canvas') as HTMLCanvasElement;
    return [c.width, c.height];
  });
  expect(canvas).toEqual([1600, 800]);
  const shot = await shotPlot(page, f);
  expect(shot.scale).toBe(2);
  // the spike is one device pixel wide (width 0.5 CSS px = 1 device px)
  const cols = [];
  for (let c = 0; c < shot.width; c++) {
    const r = inkRange(shot, c, RED);
    if (r && r[0] < shot.height / 2) cols.push(c);
  }
  expect(cols.length).toBe(1);
  await page.close();
});

test('the chart follows its container size', async ({ page }) => {
  await openHarness(page);
  const a: FrameInfo = await page.evaluate(() => {
    const x = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const y = Float32Array.from({ length: 10_000 }, (_, i) => i);
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
    window.ch.setSeries([{ id: 'a', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  const b: FrameInfo = await page.evaluate(async () => {
    const el = document.getElementById('chart')!;
    el.style.width = '500px';
    el.style.height = '300px';
    // the ResizeObserver notices within a frame
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return window.ch!.rendered();
  });
  expect(b.plot.width).toBeLessThan(a.plot.width - 250);
  expect(b.plot.height).toBeLessThan(a.plot.height - 50);
  const shot = await shotPlot(page, b);
  // the diagonal still runs corner to corner of the smaller plot
  expect(inkRange(shot, 2, RED)![1]).toBeGreaterThan(shot.height - 30);
  expect(inkRange(shot, shot.width - 3, RED)![0]).toBeLessThan(30);
});

test('appends in one task that refill the same arrays (one run twice, a sweep sharing steps) keep every point', async ({ page }) => {
  await openHarness(page);
  const got = await page.evaluate(async () => {
    const x = Float64Array.from([0, 1, 2]);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {}));
    c.setSeries([{ id: 'a', x, y: [1, 1, 1] }, { id: 'b', x, y: [2, 2, 2] }, { id: 'c', x, y: [3, 3, 3] }]);
    await c.rendered();
    // a live app with one scratch step array and one scratch value array, reused for every call
    const sx = new Float64Array(1), sy = new Float32Array(1);
    const push = (id: string, step: number, v: number) => {
      sx[0] = step;
      sy[0] = v;
      c.append(id, sx, sy);
    };
    push('a', 3, 10); // the sweep's runs a and b share their steps, and append step 3 together...
    push('b', 3, 20);
    push('a', 4, 11); // ...then run a goes on alone, in the same task
    push('c', 5, 30); // c appends another step
    const f = await c.rendered();
    const at = async (step: number) => Object.fromEntries((await c.hoverAt(step)).points.filter((p) => p.x === step).map((p) => [p.id, p.y]));
    return { points: f.points, xDomain: f.xDomain, s3: await at(3), s4: await at(4), s5: await at(5), s2: await at(2) };
  });
  expect(got.points).toBe(9 + 4);
  expect(got.xDomain).toEqual([0, 5]);
  expect(got.s2).toEqual({ a: 1, b: 2, c: 3 });
  expect(got.s3).toEqual({ a: 10, b: 20 });
  expect(got.s4).toEqual({ a: 11 });
  expect(got.s5).toEqual({ c: 30 });
});
