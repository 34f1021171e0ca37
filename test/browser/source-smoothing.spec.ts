/**
 * Source series smoothed by their server (ViewQuery.smoothing: exact over every point, in
 * sorted-x order) are drawn exactly as the same runs from arrays smoothed by the worker's cpu
 * reference (smoothingBackend 'cpu'): smoothed curves in the smoothed slots, the raw view faint
 * behind when showRaw. A real server over a real DuckDB file, filled from generated CSV logs.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, openHarness, shotPlot } from './helpers';
import { drawRuns, startRunsServer, type Opts, type RunsServer } from './source-fixture';

let fx: RunsServer;

test.beforeAll(async () => {
  fx = await startRunsServer('metricgl-source-smooth-');
});

test.afterAll(async () => fx?.close());

test.beforeEach(async ({ page }) => openHarness(page));

const draw = (page: import('@playwright/test').Page, from: 'arrays' | 'source' | 'mixed', opts: Opts): Promise<FrameInfo> => drawRuns(page, fx.server.url, from, opts);

const CASES: [string, Opts][] = [
  ['ema, raw behind', { smoothing: { weight: 0.6, mode: 'ema' } }],
  ['time-weighted, raw behind', { smoothing: { weight: 0.6, mode: 'time-weighted' } }],
  ['ema, smoothed only', { smoothing: { weight: 0.6, mode: 'ema' }, showRaw: false }],
  ['time-weighted on relative time, zoomed', { smoothing: { weight: 0.6, mode: 'time-weighted' }, xColumn: 'time', xDomain: [300000, 900000] }],
];

for (const [name, opts] of CASES) {
  test(`smoothed on the server draws as the cpu reference: ${name}`, async ({ page }) => {
    const a = await draw(page, 'arrays', { ...opts, smoothingBackend: 'cpu' });
    const fromArrays = await shotPlot(page, a);
    const s = await draw(page, 'source', opts);
    const fromSource = await shotPlot(page, s);
    expect(a.smoothing).toBe('cpu');
    expect(s.smoothing).toBe('server');
    expect(s.xDomain).toEqual(a.xDomain);
    expect(s.yDomain).toEqual(a.yDomain);
    expect(s.points).toBe(a.points);
    expect(s.primitives).toBe(a.primitives);
    expect(diffFraction(fromSource, fromArrays)).toBe(0);
  });
}

test('smoothed(id) of a source series says why it is not offered', async ({ page }) => {
  await draw(page, 'source', { smoothing: { weight: 0.6, mode: 'ema' } });
  const msg = await page.evaluate(async () => {
    const w = window as unknown as { ch: import('../../src/index').Chart };
    const id = w.ch.series()[0].id;
    return w.ch.smoothed(id).then(() => 'read', (e: Error) => e.message);
  });
  expect(msg).toMatch(/stay on .*smoothed\(\) reads back full-resolution values only for series given as arrays/);
});
