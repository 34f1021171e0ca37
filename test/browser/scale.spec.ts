/**
 * Many runs in one chart: everything drawn, in a constant number of draw calls.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { inkRange, near, openHarness, pixel, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => {
  // count the GL draw calls the page makes (instanced and plain)
  await page.addInitScript(() => {
    const w = window as unknown as { drawCalls: number };
    w.drawCalls = 0;
    const getExt = WebGLRenderingContext.prototype.getExtension;
    WebGLRenderingContext.prototype.getExtension = function (this: WebGLRenderingContext, name: string) {
      const ext = getExt.call(this, name);
      if (name === 'ANGLE_instanced_arrays' && ext && !ext.__counted) {
        const a = ext.drawArraysInstancedANGLE.bind(ext), e = ext.drawElementsInstancedANGLE.bind(ext);
        ext.drawArraysInstancedANGLE = (...args: Parameters<typeof a>) => (w.drawCalls++, a(...args));
        ext.drawElementsInstancedANGLE = (...args: Parameters<typeof e>) => (w.drawCalls++, e(...args));
        ext.__counted = true;
      }
      return ext;
    } as typeof getExt;
    for (const m of ['drawArrays', 'drawElements'] as const) {
      const f = WebGLRenderingContext.prototype[m] as (...a: unknown[]) => void;
      (WebGLRenderingContext.prototype as unknown as Record<string, unknown>)[m] = function (this: unknown, ...args: unknown[]) {
        w.drawCalls++;
        return f.apply(this, args);
      };
    }
  });
  await openHarness(page);
});

async function drawRuns(page: import('@playwright/test').Page, runs: number, points: number) {
  return page.evaluate(
    async ([runs, points]) => {
      const w = window as unknown as { drawCalls: number };
      const x = new Float64Array(points);
      for (let i = 0; i < points; i++) x[i] = i;
      const series = [];
      for (let r = 0; r < runs; r++) {
        const y = new Float32Array(points);
        let s = r + 1, v = 0;
        for (let i = 0; i < points; i++) {
          s = (s * 1103515245 + 12345) >>> 0;
          v += (s / 2 ** 32 - 0.5) * 0.01;
          y[i] = r + v * 0.02; // run r wanders around height r
        }
        // all runs share one step axis, as a sweep's runs do
        series.push({ id: `run-${r}`, x, y, width: 1, color: `hsl(${(r * 47) % 360}, 80%, 45%)` });
      }
      window.ch?.destroy();
      // renderer 'webgl': GL's draw calls are what is counted (a frame of one run is Canvas2D's by default)
      window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [-1, runs], renderer: 'webgl' });
      window.ch.setSeries(series);
      await window.ch.rendered();
      // a first picture painted without GL (draw/spans2d.ts) makes the context once it is on
      // screen, warming its pipelines with a draw each: not this frame's draw calls
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
      // a fresh frame, counted on its own
      const before = w.drawCalls;
      window.ch.update({ xDomain: [points * 0.25, points * 0.75] });
      const f = await window.ch.rendered();
      return { f, drawCalls: w.drawCalls - before };
    },
    [runs, points] as const,
  );
}

test('300 runs x 20k points in one chart: every run drawn, draw calls independent of run count', async ({ page }) => {
  const one = await drawRuns(page, 1, 20_000);
  const many = await drawRuns(page, 300, 20_000);
  expect(many.f.points).toBe(6_000_000);
  expect(many.drawCalls).toBe(one.drawCalls);
  expect(many.drawCalls).toBeLessThanOrEqual(2);
  // shared x: one copy of x for all runs (8 bytes x 20k), plus y and pyramid per run
  expect(many.f.bytes / many.f.points).toBeLessThan(6);
  const f: FrameInfo = many.f;
  const shot = await shotPlot(page, f);
  // each run sits at its own height: look for its colour there, in a few columns
  const rgb = await page.evaluate(() => {
    const out: [number, number, number][] = [];
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    for (let r = 0; r < 300; r++) {
      ctx.fillStyle = `hsl(${(r * 47) % 360}, 80%, 45%)`;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      out.push([d[0], d[1], d[2]]);
    }
    return out;
  });
  let found = 0;
  for (let r = 0; r < 300; r++) {
    const yPx = Math.round(((f.yDomain[1] - r) / (f.yDomain[1] - f.yDomain[0])) * shot.height);
    let hit = false;
    for (const c of [50, 300, 600]) {
      for (let dy = -1; dy <= 1 && !hit; dy++) {
        const y = yPx + dy;
        if (y >= 0 && y < shot.height && near(pixel(shot, c, y), rgb[r], 30)) hit = true;
      }
    }
    if (hit) found++;
  }
  // runs one pixel apart overdraw their neighbours a little; nearly all must show
  expect(found).toBeGreaterThan(280);
  expect(inkRange(shot, 400, rgb[299], 30)).not.toBeNull();
});
