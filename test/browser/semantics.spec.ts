/**
 * The semantics of DESIGN.md as a person sees them: log axes with values <= 0, NaN gaps and a lone
 * point, epoch-millisecond precision, unsorted input.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { BLUE, countInk, diffFraction, inkColumns, inkRange, openHarness, RED, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('log y with values <= 0: skipped and counted, the rest still drawn', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    const n = 100_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      // a decaying loss with a stretch of zeros and negatives in the middle
      y[i] = i >= 40_000 && i < 50_000 ? (i % 2 ? 0 : -1) : 10 * Math.exp(-i / 20_000) + 0.01;
    }
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yScale: 'log' });
    window.ch.setSeries([{ id: 'loss', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  expect(f.nonPositive).toBe(10_000);
  expect(f.yDomain[0]).toBeGreaterThan(0);
  // the fitted range spans the positive values, not a blank chart
  expect(f.yDomain[0]).toBeLessThan(0.1);
  expect(f.yDomain[1]).toBeGreaterThan(10);
  const shot = await shotPlot(page, f);
  const cols = inkColumns(shot, RED);
  // drawn left and right of the gap, nothing inside it
  const gap0 = Math.ceil(0.4 * shot.width) + 1, gap1 = Math.floor(0.5 * shot.width) - 1;
  expect(cols.filter((c) => c < gap0).length).toBeGreaterThan(0.39 * shot.width);
  expect(cols.filter((c) => c > gap1).length).toBeGreaterThan(0.49 * shot.width);
  expect(cols.filter((c) => c > gap0 && c < gap1)).toEqual([]);
  // a value of 0.1 sits where a log axis puts it
  const c = Math.floor(((20_000 * Math.log(10 / 0.09)) / 100_000) * shot.width); // y(i) ~= 0.1
  const yPx = ((Math.log10(f.yDomain[1]) + 1) / (Math.log10(f.yDomain[1]) - Math.log10(f.yDomain[0]))) * shot.height;
  const ink = inkRange(shot, c, RED)!;
  expect(Math.abs((ink[0] + ink[1]) / 2 - yPx)).toBeLessThan(3);
});

test('NaN and Infinity break the line, are counted, and a lone point between gaps stays visible', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    const n = 200_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = 1 + 0.2 * Math.sin(i / 5000);
    }
    // a NaN gap of 20% of the width with one finite point at its centre, and Infinity runs
    for (let i = 60_000; i < 100_000; i++) y[i] = i === 80_000 ? 1.5 : NaN;
    for (let i = 150_000; i < 160_000; i++) y[i] = i % 2 ? Infinity : -Infinity;
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
    window.ch.setSeries([{ id: 'loss', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  expect(f.nonFinite).toBe(40_000 - 1 + 10_000);
  // Infinity does not blow up the auto range
  expect(f.yDomain[1]).toBeLessThan(2);
  const shot = await shotPlot(page, f);
  const col = (i: number) => Math.floor((i / (n - 1)) * shot.width);
  const n = 200_000;
  const cols = new Set(inkColumns(shot, RED));
  // gaps: no ink strictly inside them except the lone point's column
  const lone = col(80_000);
  for (let c = col(60_000) + 2; c < col(100_000) - 1; c++) if (Math.abs(c - lone) > 1) expect(cols.has(c), `gap column ${c}`).toBe(false);
  for (let c = col(150_000) + 2; c < col(160_000) - 1; c++) expect(cols.has(c), `inf gap column ${c}`).toBe(false);
  // the lone point is there, at its value
  const ink = [lone - 1, lone, lone + 1].map((c) => inkRange(shot, c, RED)).find((r) => r);
  expect(ink, 'lone point drawn').toBeTruthy();
  const yPx = ((f.yDomain[1] - 1.5) / (f.yDomain[1] - f.yDomain[0])) * shot.height;
  expect(Math.abs(ink![0] - yPx)).toBeLessThanOrEqual(2);

  // zoomed in so the gap is sparse: the lone point is still drawn (as a dot) and isolated
  const z: FrameInfo = await page.evaluate(() => {
    window.ch!.update({ xDomain: [79_990, 80_010] });
    return window.ch!.rendered();
  });
  const zs = await shotPlot(page, z);
  const zc = inkColumns(zs, RED);
  expect(zc.length).toBeGreaterThan(0);
  expect(zc.length).toBeLessThan(6);
  const mid = Math.floor(zs.width / 2);
  expect(Math.abs(zc[0] - mid)).toBeLessThan(4);
});

test('timestamps at 1.7e12 ms zoomed to 10 ms put every point on its own pixel column', async ({ page }) => {
  const t0 = 1.7e12;
  const f: FrameInfo = await page.evaluate((t0) => {
    // a week of one point per ms would be 6e8 points; a million consecutive ms is enough to
    // show float32 would lose it (its spacing at 1.7e12 is 131072 ms)
    const n = 1_000_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = t0 + i;
      y[i] = i % 2; // zig-zag: every point alternates
    }
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { xFormat: 'date', yDomain: [-0.5, 1.5] });
    window.ch.setSeries([{ id: 'clock', x, y, color: '#ff0000', width: 1 }]);
    window.ch.update({ xDomain: [t0 + 500_000, t0 + 500_010] });
    return window.ch.rendered();
  }, t0);
  const shot = await shotPlot(page, f);
  const yTop = ((1.5 - 1) / 2) * shot.height, yBottom = ((1.5 - 0) / 2) * shot.height;
  for (let k = 0; k <= 10; k++) {
    const px = Math.min(shot.width - 1, Math.round((k / 10) * shot.width));
    const want = (500_000 + k) % 2 ? yTop : yBottom;
    const ink = [px - 1, px, px + 1].filter((c) => c >= 0 && c < shot.width).map((c) => inkRange(shot, c, RED)).filter((r) => r);
    expect(ink.length, `point ${k} at column ${px}`).toBeGreaterThan(0);
    // the vertex of the zig-zag is at the point's value
    const reach = want === yTop ? Math.min(...ink.map((r) => r![0])) : Math.max(...ink.map((r) => r![1]));
    expect(Math.abs(reach - want), `point ${k}: ink ${reach} vs ${want}`).toBeLessThanOrEqual(2);
  }
  // between two points the line crosses the middle, not a flat float32 smear
  const mid = inkRange(shot, Math.round(0.05 * shot.width), RED)!;
  expect(mid[1] - mid[0]).toBeLessThan(0.2 * shot.height);
});

test('reversed and shuffled x draw the same picture as sorted x', async ({ page }) => {
  const shots = [];
  for (const order of ['sorted', 'reversed', 'shuffled'] as const) {
    const f: FrameInfo = await page.evaluate((order) => {
      const n = 300_000;
      const idx = Array.from({ length: n }, (_, i) => i);
      if (order === 'reversed') idx.reverse();
      if (order === 'shuffled') {
        let s = 99;
        for (let i = n - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) >>> 0;
          const j = s % (i + 1);
          [idx[i], idx[j]] = [idx[j], idx[i]];
        }
      }
      const x = new Float64Array(n), y = new Float32Array(n);
      idx.forEach((i, k) => {
        x[k] = i;
        y[k] = Math.sin(i / 3000) + (i % 1000 === 0 ? 2 : 0);
      });
      window.ch?.destroy();
      window.ch = window.metricgl.createChart(document.getElementById('chart')!, {});
      window.ch.setSeries([{ id: 'a', x, y, color: '#ff0000', width: 1 }]);
      return window.ch.rendered();
    }, order);
    shots.push(await shotPlot(page, f));
  }
  expect(countInk(shots[0], RED)).toBeGreaterThan(1000);
  expect(diffFraction(shots[0], shots[1])).toBe(0);
  expect(diffFraction(shots[0], shots[2])).toBe(0);
});

test('appends extend the line and equal setting all points at once', async ({ page }) => {
  const [all, appended] = await page.evaluate(async () => {
    const n = 400_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.cos(i / 20_000) + (i === 390_000 ? 3 : 0);
    }
    const el = document.getElementById('chart')!;
    const a = window.metricgl.createChart(el, { yDomain: [-2, 4] });
    a.setSeries([{ id: 'run', x, y, color: '#ff0000', width: 1 }]);
    const fa = await a.rendered();
    a.destroy();
    const b = (window.ch = window.metricgl.createChart(el, { yDomain: [-2, 4] }));
    b.setSeries([{ id: 'run', x: x.subarray(0, 100_000), y: y.subarray(0, 100_000), color: '#ff0000', width: 1 }]);
    const f0 = await b.rendered();
    // live training: chunks, one of them out of order
    for (let k = 100_000; k < 300_000; k += 50_000) b.append('run', x.subarray(k, k + 50_000), y.subarray(k, k + 50_000));
    b.append('run', x.subarray(350_000, n), y.subarray(350_000, n));
    b.append('run', x.subarray(300_000, 350_000), y.subarray(300_000, 350_000));
    const f1 = await b.rendered();
    return [fa, { f0, f1 }] as const;
  });
  expect(appended.f0.points).toBe(100_000);
  expect(appended.f0.xDomain).toEqual([0, 99_999]);
  expect(appended.f1.points).toBe(400_000);
  expect(appended.f1.xDomain).toEqual(all.xDomain);
  const shotB = await shotPlot(page, appended.f1);
  await page.evaluate(() => {
    window.ch!.destroy();
  });
  // redraw the all-at-once chart for a picture to compare against
  const fa: FrameInfo = await page.evaluate(() => {
    const n = 400_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.cos(i / 20_000) + (i === 390_000 ? 3 : 0);
    }
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [-2, 4] });
    window.ch.setSeries([{ id: 'run', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  const shotA = await shotPlot(page, fa);
  expect(diffFraction(shotA, shotB)).toBe(0);
  // the appended spike is there
  const col = Math.floor((390_000 / 399_999) * shotA.width);
  const ink = [col - 1, col, col + 1].map((c) => inkRange(shotB, c, RED)).filter((r) => r);
  expect(Math.min(...ink.map((r) => r![0]))).toBeLessThan(((4 - 3.5) / 6) * shotB.height + 3);
});

test('two series with different colours are both drawn', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    const n = 50_000;
    const x = new Float64Array(n), a = new Float32Array(n), b = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      a[i] = 1;
      b[i] = 2;
    }
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 3] });
    window.ch.setSeries([
      { id: 'train', x, y: a, color: '#ff0000', width: 2 },
      { id: 'eval', x, y: b, color: 'blue', width: 2 },
    ]);
    return window.ch.rendered();
  });
  const shot = await shotPlot(page, f);
  const mid = Math.floor(shot.width / 2);
  const r = inkRange(shot, mid, RED)!, bl = inkRange(shot, mid, BLUE)!;
  expect(Math.abs((r[0] + r[1]) / 2 - (2 / 3) * shot.height)).toBeLessThan(2);
  expect(Math.abs((bl[0] + bl[1]) / 2 - (1 / 3) * shot.height)).toBeLessThan(2);
  expect(r[1] - r[0] + 1).toBe(2); // width 2 CSS px at dpr 1
});

// Occlusion (decimate/occlude.ts): with opaque one-pixel lines only the visible pieces of each
// span are drawn. Identical pixels to drawing everything, on every layout of runs: piled on top
// of each other, spread apart, and a diverging sweep whose runs cross and some explode to NaN.
for (const layout of ['overlapping', 'spread', 'crossing'] as const) {
  test(`occlusion changes no pixel: 300 ${layout} opaque runs drawn with and without it are identical`, async ({ page }) => {
    const draw = (seeThrough: boolean): Promise<FrameInfo> =>
      page.evaluate(
        async ({ seeThrough, layout }) => {
          window.ch?.destroy();
          const n = 20_000, runs = 300;
          const x = Float64Array.from({ length: n }, (_, i) => i);
          let s = 7;
          const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
          const series = Array.from({ length: runs }, (_, r) => {
            const y = new Float32Array(n);
            const u = rand();
            let walk = 0;
            for (let i = 0; i < n; i++) {
              walk += (rand() - 0.5) * 0.02;
              const noise = walk + (rand() - 0.5) * 0.1;
              const t = i / n;
              if (layout === 'overlapping') y[i] = 1 + r * 0.002 + noise;
              else if (layout === 'spread') y[i] = -1.8 + r * 0.019 + noise * 0.1;
              else {
                // from 3 + u down to 2.5 - u; every 8th run diverges and is NaN past 60%
                y[i] = (3 + u) * (1 - t) + (2.5 - u) * t + noise * 0.3;
                if (r % 8 === 0) y[i] = t > 0.6 ? NaN : y[i] - 0.05 * Math.exp(8 * t);
              }
            }
            const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
            return { id: `r${r}`, x, y, color: colors[r % 5], width: 1 };
          });
          // a run with no finite value and a see-through colour draws nothing, but turns occlusion off
          if (seeThrough) series.push({ id: 'none', x, y: new Float32Array(n).fill(NaN), color: 'rgba(0,0,0,0.5)', width: 1 });
          const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [-2, 4], interactive: false }));
          c.setSeries(series);
          return c.rendered();
        },
        { seeThrough, layout },
      );
    const all = await draw(true);
    const shotAll = await shotPlot(page, all);
    const culled = await draw(false);
    const shotCulled = await shotPlot(page, culled);
    expect(diffFraction(shotAll, shotCulled)).toBe(0);
    // bounded by the plot's pixels however the runs lie; and far fewer than every span
    expect(culled.primitives).toBeLessThanOrEqual(shotAll.width * shotAll.height);
    if (layout === 'overlapping') expect(culled.primitives).toBeLessThan(all.primitives / 2);
    // pieces past 1/16 of the pixels: drawn as one slot image (a quad), the same pixels
    else expect(culled.primitives).toBe(2);
    // a highlight: the others' pieces dimmed, the highlighted run whole on top; not every run's spans
    const lit = await page.evaluate(async () => {
      window.ch!.highlight('r1');
      return window.ch!.rendered();
    });
    expect(lit.primitives).toBeLessThan(culled.primitives + 2 * shotAll.width);
    const shotLit = await shotPlot(page, lit);
    const ORANGE: [number, number, number] = [0xff, 0x7f, 0x0e];
    // r1 is the only orange run at full strength (r6, r11, ... are dimmed): its curve crosses every column
    const strong = (c: number) => inkRange(shotLit, c, ORANGE, 12) !== null;
    let columns = 0;
    for (let c = 0; c < shotLit.width; c++) if (strong(c)) columns++;
    expect(columns).toBeGreaterThan(0.97 * shotLit.width);
    // and nothing else is drawn at full strength
    const TAB_BLUE: [number, number, number] = [0x1f, 0x77, 0xb4];
    expect(countInk(shotLit, TAB_BLUE, 12)).toBe(0);
  });
}

test('a run resumed much later: the straight line across the stretch without points is drawn in every column, as one segment', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    const n = 40_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i < n / 2 ? i : 60_000 + i; // steps 0..19999, then 80000..99999
      y[i] = i < n / 2 ? 1 + 0.2 * Math.sin(i / 500) : 3 + 0.2 * Math.sin(i / 500);
    }
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 4], interactive: false });
    window.ch.setSeries([{ id: 'run', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  const shot = await shotPlot(page, f);
  const n = 40_000;
  const lastY = 1 + 0.2 * Math.sin((n / 2 - 1) / 500), firstY = 3 + 0.2 * Math.sin(n / 2 / 500);
  const px = (step: number) => (step / 99_999) * shot.width;
  const py = (v: number) => ((4 - v) / 4) * shot.height;
  const a = px(19_999), b = px(80_000);
  let checked = 0;
  for (let c = Math.ceil(a) + 2; c < Math.floor(b) - 2; c++) {
    const r = inkRange(shot, c, RED);
    expect(r, `column ${c}`).not.toBeNull();
    const want = py(lastY + ((firstY - lastY) * (c + 0.5 - a)) / (b - a));
    expect(r![0]).toBeLessThanOrEqual(want + 1.5);
    expect(r![1]).toBeGreaterThanOrEqual(want - 1.5);
    expect(r![1] - r![0]).toBeLessThanOrEqual(3); // a line, not a band
    checked++;
  }
  expect(checked).toBeGreaterThan(0.5 * shot.width);
  // the gap is one primitive, not one per column it crosses
  expect(f.primitives).toBeLessThan(0.45 * shot.width);
});

test('sparse one-pixel lines (drawn as GL lines): every column between points, both ends and a lone point are inked', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    // 41 points over the plot: a polyline, a NaN break, a lone point, another break, a polyline
    const x = Float64Array.from({ length: 41 }, (_, i) => i * 25);
    const y = Float32Array.from({ length: 41 }, (_, i) => 2 + Math.sin(i / 3));
    y[18] = NaN;
    y[20] = NaN; // point 19 is alone
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { xDomain: [0, 1000], yDomain: [0, 4], interactive: false });
    window.ch.setSeries([{ id: 'run', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  const shot = await shotPlot(page, f);
  const px = (step: number) => (step / 1000) * shot.width;
  const py = (v: number) => ((4 - v) / 4) * shot.height;
  const yOf = (i: number) => 2 + Math.fround(Math.sin(i / 3));
  // every column along each drawn segment has ink at the line's height
  for (const [i0, i1] of [[0, 17], [21, 40]]) {
    for (let i = i0; i < i1; i++) {
      for (let c = Math.ceil(px(x(i))); c <= Math.floor(px(x(i + 1))) && c < shot.width; c++) {
        const t = (c + 0.5 - px(x(i))) / (px(x(i + 1)) - px(x(i)));
        const want = py(yOf(i) + (yOf(i + 1) - yOf(i)) * Math.min(1, Math.max(0, t)));
        const r = inkRange(shot, c, RED);
        expect(r, `column ${c}`).not.toBeNull();
        expect(r![0]).toBeLessThanOrEqual(want + 2);
        expect(r![1]).toBeGreaterThanOrEqual(want - 2);
      }
    }
  }
  // the last point's column (the end of a GL line) and the lone point
  for (const i of [17, 19, 40]) {
    const c = Math.min(shot.width - 1, Math.floor(px(x(i))));
    const r = [c - 1, c, c + 1].map((k) => inkRange(shot, k, RED)).find((v) => v && Math.abs((v[0] + v[1]) / 2 - py(yOf(i))) <= 3);
    expect(r, `point ${i}`).toBeTruthy();
  }
  // nothing inside the breaks but the lone point
  for (let c = Math.ceil(px(x(17))) + 2; c < Math.floor(px(x(21))) - 2; c++) {
    if (Math.abs(c - px(x(19))) > 2) expect(inkRange(shot, c, RED), `break column ${c}`).toBeNull();
  }
  function x(i: number): number {
    return i * 25;
  }
});
