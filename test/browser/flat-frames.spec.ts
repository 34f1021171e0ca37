/**
 * Frames of few opaque column spans are painted with Canvas2D (renderer 'auto', chart/paint.ts):
 * under a software rasteriser the copy out of the shared GL context costs more than the fills.
 * They must be the very pixels GL paints for the same view (renderer 'webgl'); frames past
 * FLAT_MAX_SPANS, and frames with see-through curves, are GL's.
 */
import { expect, test } from '@playwright/test';
import { openHarness } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

test('a zoom of a few opaque runs is painted with Canvas2D, with the pixels GL paints; many runs and see-through curves stay GL', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const el = document.getElementById('chart')!;
    const canvas = () => el.querySelector('canvas')!;
    const pixels = () => { const c = canvas(); return c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data; };
    const differ = (a: Uint8ClampedArray, b: Uint8ClampedArray) => { let d = 0; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++; return d; };
    const ink = (a: Uint8ClampedArray) => { let k = 0; for (let i = 0; i < a.length; i += 4) if (a[i + 3] > 0 && (a[i] < 200 || a[i + 2] < 200)) k++; return k; };
    let s = 11;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const run = (base: number, amp: number) => Float32Array.from({ length: n }, (_, i) => base + amp * Math.sin(i / 7000) + 0.2 * rnd() + (i % 31_000 === 900 ? 3 : 0));
    const out: Record<string, { renderer: string; primitives: number; differ: number; ink: number }> = {};
    // the same view drawn by 'auto' then by 'webgl'
    const both = async (name: string, chart: ReturnType<typeof window.metricgl.createChart>) => {
      chart.update({ xDomain: [20_000, 70_000] });
      const a = await chart.rendered();
      const flat = pixels();
      chart.update({ renderer: 'webgl' });
      const b = await chart.rendered();
      if (b.renderer !== 'webgl') throw new Error(`${name}: renderer 'webgl' drew with ${b.renderer}`);
      out[name] = { renderer: a.renderer, primitives: a.primitives, differ: differ(flat, pixels()), ink: ink(flat) };
      chart.update({ renderer: 'auto', xDomain: null });
    };
    const chart = window.metricgl.createChart(el, { interactive: false });
    // one-pixel lines, one of them hidden
    chart.setSeries([
      { id: 'a', x, y: run(1, 1), color: '#1f77b4', width: 1 },
      { id: 'b', x, y: run(1.5, 0.8), color: 'rgb(255, 127, 14)', width: 1 },
      { id: 'hidden', x, y: run(0.5, 3), color: '#2ca02c', width: 1 },
    ]);
    chart.setVisible('hidden', false);
    await chart.rendered();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))); // the GL context made
    await both('thin', chart);
    // the default width (wider spans, GL's quads)
    chart.setSeries([{ id: 'a', x, y: run(1, 1), color: '#d62728' }, { id: 'b', x, y: run(2, 0.5), color: 'steelblue' }]);
    await chart.rendered();
    await both('wide', chart);
    // twelve runs apart from each other: more spans than a Canvas2D frame takes
    chart.setSeries(Array.from({ length: 12 }, (_, k) => ({ id: `r${k}`, x, y: run(3 * k, 1), color: '#9467bd', width: 1 })));
    await chart.rendered();
    await both('many', chart);
    // smoothed with the raw curve faint behind it: see-through, GL's blending
    chart.setSeries([{ id: 'a', x, y: run(1, 1), color: '#1f77b4', width: 1 }]);
    chart.update({ smoothing: { weight: 0.9 }, showRaw: true });
    await chart.rendered();
    await both('seeThrough', chart);
    chart.destroy();
    return out;
  });
  for (const k of ['thin', 'wide'] as const) {
    expect(r[k].renderer, k).toBe('canvas2d');
    expect(r[k].primitives, k).toBeGreaterThan(1000);
    expect(r[k].ink, k).toBeGreaterThan(2000);
    expect(r[k].differ, k).toBe(0);
  }
  expect(r.many.renderer).toBe('webgl');
  expect(r.many.primitives).toBeGreaterThan(4096);
  expect(r.seeThrough.renderer).toBe('webgl');
});
