/**
 * Density (option `density`, decimate/plotimage.ts): how many runs pass through each pixel as a
 * colour ramp, exact counts from the column spans; highlighted runs as lines on top; hover still
 * names the nearest run; 'auto' switches on past DENSITY_AUTO_RUNS visible runs.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { densityLevel } from '../../src/decimate/plotimage';
import { densityColor } from '../../src/draw/ramp';
import { diffFraction, inkRange, openHarness, RED, shotPlot, type RGB } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

const rgb = (css: string): RGB => [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16)) as unknown as RGB;

test('density on: 10 runs at y = 1 and 20 at y = 3 read as the ramp colours of 10 and 20; a highlighted run is a line on top', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    const n = 5_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const flat = (v: number) => new Float32Array(n).fill(v);
    const series = [
      ...Array.from({ length: 10 }, (_, r) => ({ id: `low${r}`, x, y: flat(1), color: '#1f77b4', width: 1 })),
      ...Array.from({ length: 20 }, (_, r) => ({ id: `high${r}`, x, y: flat(3), color: '#1f77b4', width: 1 })),
      { id: 'mid', x, y: Float32Array.from({ length: n }, (_, i) => 2 + 0.5 * Math.sin(i / 400)), color: '#ff0000', width: 1 },
    ];
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 4], density: 'on', interactive: false }));
    c.setSeries(series);
    return c.rendered();
  });
  expect(f.density).toEqual({ max: 20 });
  expect(f.primitives).toBe(2); // one quad: the counts as an image
  const shot = await shotPlot(page, f);
  const row = (v: number) => Math.floor(((4 - v) / 4) * shot.height);
  const low = rgb(densityColor(densityLevel(10, 20))), high = rgb(densityColor(255)), one = rgb(densityColor(1));
  for (const c of [5, Math.floor(shot.width / 2), shot.width - 5]) {
    const l = inkRange(shot, c, low, 6), h = inkRange(shot, c, high, 6);
    expect(l, `column ${c}: 10 runs`).not.toBeNull();
    expect(h, `column ${c}: 20 runs`).not.toBeNull();
    expect(Math.abs(l![0] - row(1))).toBeLessThanOrEqual(1);
    expect(Math.abs(h![0] - row(3))).toBeLessThanOrEqual(1);
    expect(inkRange(shot, c, one, 6), `column ${c}: the one run between`).not.toBeNull();
    expect(inkRange(shot, c, RED, 40)).toBeNull(); // not drawn as a line
  }
  // hover names the nearest run, the one the cursor is on
  const hover = await page.evaluate(() => window.ch!.hoverAt(2_500, (4 - 2 - 0.5 * Math.sin(2_500 / 400)) / 4));
  expect(hover.points[0].id).toBe('mid');
  // highlighted: drawn as a line, in its colour, over the density
  const lit = await page.evaluate(async () => {
    window.ch!.highlight('mid');
    return window.ch!.rendered();
  });
  expect(lit.density).toEqual({ max: 20 }); // the others still counted: 20 at y = 3
  const shotLit = await shotPlot(page, lit);
  let red = 0;
  for (let c = 0; c < shotLit.width; c++) if (inkRange(shotLit, c, RED, 40)) red++;
  expect(red).toBeGreaterThan(0.97 * shotLit.width);
});

test("density 'auto': lines up to 2,000 visible runs, a density past them, lines again with runs hidden", async ({ page }) => {
  const frames = await page.evaluate(async () => {
    const n = 50;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const series = Array.from({ length: 2_001 }, (_, r) => ({ id: `r${r}`, x, y: Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7 + r)), width: 1 }));
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { interactive: false }));
    c.setSeries(series.slice(0, 2_000));
    const a = await c.rendered();
    c.setSeries(series);
    const b = await c.rendered();
    c.setVisible('r7', false);
    const d = await c.rendered();
    c.update({ density: 'on' });
    const e = await c.rendered();
    return [a.density, b.density, d.density, e.density];
  });
  expect(frames[0]).toBeNull();
  expect(frames[1]).not.toBeNull();
  expect(frames[1]!.max).toBeGreaterThan(1);
  expect(frames[2]).toBeNull();
  expect(frames[3]).not.toBeNull();
});

test('density: a bad value is a RangeError naming the option, and the chart keeps its options', async ({ page }) => {
  const msg = await page.evaluate(() => {
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {}));
    try {
      c.update({ density: 'sometimes' as never });
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    return 'no error';
  });
  expect(msg).toBe("RangeError: density must be 'auto', 'on' or 'off', got \"sometimes\"");
});

test('density: a legend filter highlights the runs it matches, drawn as lines over the density', async ({ page }) => {
  await page.evaluate(async () => {
    const n = 2_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const series = [
      ...Array.from({ length: 40 }, (_, r) => ({ id: `base${r}`, x, y: Float32Array.from({ length: n }, (_, i) => 1 + 0.01 * r + 0.1 * Math.sin(i / 100)), color: '#1f77b4', width: 1 })),
      { id: 'lr-0.1', x, y: Float32Array.from({ length: n }, (_, i) => 3 - i / n), color: '#ff0000', width: 1 },
    ];
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 4], density: 'on', interactive: false }));
    c.setSeries(series);
    const el = document.createElement('div');
    el.id = 'legend';
    el.style.cssText = 'position:absolute;left:820px;top:0;width:170px;height:300px';
    document.body.append(el);
    window.metricgl.createLegend(el, c);
    await c.rendered();
  });
  const before = await page.evaluate(() => window.ch!.rendered());
  const redColumns = async (f: FrameInfo) => {
    const shot = await shotPlot(page, f);
    let red = 0;
    for (let c = 0; c < shot.width; c++) if (inkRange(shot, c, RED, 40)) red++;
    return red / shot.width;
  };
  expect(await redColumns(before)).toBe(0);
  await page.locator('#legend input').fill('lr-');
  const after = await page.evaluate(() => window.ch!.rendered());
  expect(await redColumns(after)).toBeGreaterThan(0.97);
  expect(after.density).not.toBeNull();
});

// A highlight change over a plot image keeps the image in the worker and on the GPU and sends
// only the highlighted run's curve (frame.ts litOnly): the same pixels as a frame made whole.
for (const mode of ['density', 'slot image'] as const) {
  test(`a highlight over a ${mode} draws the same pixels as a frame made with the highlight from the start`, async ({ page }) => {
    /** litFirst: highlighted before the first frame; false: after it; null: never */
    const draw = (litFirst: boolean | null) =>
      page.evaluate(
        async ({ litFirst, mode }) => {
          window.ch?.destroy();
          const n = 3_000, runs = 400;
          const x = Float64Array.from({ length: n }, (_, i) => i);
          let s = 5;
          const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
          const series = Array.from({ length: runs }, (_, r) => {
            let v = -1.8 + r * 0.014;
            const y = Float32Array.from({ length: n }, () => (v += (rand() - 0.5) * 0.03));
            return { id: `r${r}`, x, y, color: ['#1f77b4', '#ff7f0e', '#2ca02c'][r % 3], width: 1 };
          });
          const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
            yDomain: [-2, 4], interactive: false, density: mode === 'density' ? 'on' : 'off',
          }));
          c.setSeries(series);
          if (litFirst) c.highlight('r123');
          const plain = await c.rendered();
          if (litFirst === false) c.highlight('r123');
          return { plain, lit: await c.rendered() };
        },
        { litFirst, mode },
      );
    const whole = await draw(true);
    const shotWhole = await shotPlot(page, whole.lit);
    const kept = await draw(false);
    const shotKept = await shotPlot(page, kept.lit);
    expect(kept.plain.primitives).toBe(2); // the image alone
    expect(kept.lit.primitives).toBeGreaterThan(2); // and the run's curve on it
    expect(kept.lit.density).toEqual(whole.lit.density);
    expect(diffFraction(shotWhole, shotKept)).toBe(0);
    // the highlight cleared (the cursor left): the kept image alone again, the pixels of a chart never highlighted
    const cleared = await page.evaluate(() => (window.ch!.highlight(null), window.ch!.rendered()));
    expect(cleared.primitives).toBe(2);
    const shotCleared = await shotPlot(page, cleared);
    const never = await draw(null);
    expect(diffFraction(await shotPlot(page, never.lit), shotCleared)).toBe(0);
  });
}
