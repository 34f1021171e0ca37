/**
 * Groups of source series aggregated by their server (server/aggregates.ts, POST /api/aggregate)
 * are drawn exactly as the same runs from arrays aggregated by the worker: the same line and
 * band pixels at every zoom, on both y scales, smoothed, on another x column; the same
 * aggregated() values and the same group rows under the cursor. With the runs hidden the page
 * receives only the groups' M4 answers, never a run. A real server over a real DuckDB file.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, openHarness, shotPlot } from './helpers';
import { drawRuns, startRunsServer, type Opts, type RunsServer } from './source-fixture';

let fx: RunsServer;

test.beforeAll(async () => {
  fx = await startRunsServer('metricgl-source-aggregate-');
});

test.afterAll(async () => fx?.close());

test.beforeEach(async ({ page }) => openHarness(page));

const GROUPED = { a: { group: 'seeds' }, b: { group: 'seeds' } };
const draw = (page: import('@playwright/test').Page, from: 'arrays' | 'source', opts: Opts): Promise<FrameInfo> => drawRuns(page, fx.server.url, from, opts, GROUPED);

const CASES: [string, Opts][] = [
  ['mean, min-max band, runs hidden', { aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' } }],
  ['median, std band, runs faint', { aggregate: { line: 'median', band: 'std', runs: 'faint' } }],
  ['mean, ci95, log y, zoomed into the spike', { aggregate: { line: 'mean', band: 'ci95', runs: 'hidden' }, yScale: 'log', xDomain: [19000, 21000] }],
  ['mean, min-max, smoothed (ema)', { aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' }, smoothing: { weight: 0.8, mode: 'ema' }, smoothingBackend: 'cpu' }],
  ['median, min-max, centred window on relative time', { aggregate: { line: 'median', band: 'minmax', runs: 'hidden' }, smoothing: { mode: 'centred', window: 51 }, xColumn: 'time' }],
  ['mean, min-max on a log x axis (a point at x = 0 left of it), runs faint', { aggregate: { line: 'mean', band: 'minmax', runs: 'faint' }, xScale: 'log' }],
];

for (const [name, opts] of CASES) {
  test(`a group aggregated on the server draws as the worker's aggregate: ${name}`, async ({ page }) => {
    const a = await draw(page, 'arrays', opts);
    const fromArrays = await shotPlot(page, a);
    const s = await draw(page, 'source', opts);
    const fromSource = await shotPlot(page, s);
    expect(a.groups).toBe(1);
    expect(s.groups).toBe(1);
    expect(s.xDomain).toEqual(a.xDomain);
    expect(s.yDomain).toEqual(a.yDomain);
    expect(s.points).toBe(a.points);
    expect(s.primitives).toBe(a.primitives);
    expect(diffFraction(fromSource, fromArrays)).toBe(0);
  });
}

test('with the runs hidden the page receives only the groups\' answers: bytes within 64 x columns x 3 curves', async ({ page }) => {
  const s = await draw(page, 'source', { aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' }, xDomain: [0, 39000] });
  const w = Math.floor(s.plot.width * s.dpr);
  // the view's bytes: the group's three curves (the totals were counted once before, for the chart's first frame)
  const again = await page.evaluate(async () => {
    const w = window as unknown as { ch: import('../../src/index').Chart };
    w.ch.update({ xDomain: [1000, 38000] });
    return w.ch.rendered();
  });
  expect(again.bytes).toBeGreaterThan(0);
  expect(again.bytes).toBeLessThanOrEqual(64 * w * 3);
  expect(s.points).toBe(40300);
});

test('aggregated(group) and the hovered group rows are the same from the server as from arrays', async ({ page }) => {
  const opts = { aggregate: { line: 'mean', band: 'std', runs: 'faint' }, smoothing: { weight: 0.6, mode: 'ema' }, smoothingBackend: 'cpu' };
  const read = async () => page.evaluate(async () => {
    const w = window as unknown as { ch: import('../../src/index').Chart };
    const g = await w.ch.aggregated('seeds');
    const hovers = [];
    for (const x of [0, 1234.5, 20000, 38999]) hovers.push((await w.ch.hoverAt(x)).groups);
    return { x: Array.from(g.x), line: Array.from(g.line), low: Array.from(g.low), high: Array.from(g.high), n: Array.from(g.n), hovers };
  });
  await draw(page, 'arrays', opts);
  const a = await read();
  await draw(page, 'source', opts);
  const s = await read();
  expect(s.x.length).toBe(40000); // the union of both runs' steps
  // bit for bit (the same float64 code over the same float32 points); the first index that differs, per field
  for (const k of ['x', 'line', 'low', 'high', 'n'] as const) expect(s[k].findIndex((v, i) => !Object.is(v, a[k][i])), k).toBe(-1);
  expect(s.hovers).toEqual(a.hovers);
  expect(a.hovers.flat().every((g) => g && g.name === 'seeds' && Number.isFinite(g.smoothed))).toBe(true);
  // the tooltip names the group, with its n
  const box = (await page.locator('#chart').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator('.metricgl-tooltip')).toContainText('seeds');
});

test('a group mixing a run held in the page and a source run is aggregated in the worker over the held run; the source run is drawn as a run', async ({ page }) => {
  const opts = { aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' } };
  // the rule said in docs/semantics.md: as if the source run had no group
  const want = await drawRuns(page, fx.server.url, 'arrays', opts, { a: { group: 'seeds' } });
  const wantShot = await shotPlot(page, want);
  const got = await drawRuns(page, fx.server.url, 'mixed', opts, GROUPED);
  const gotShot = await shotPlot(page, got);
  expect(got.groups).toBe(1);
  // and series() (so a legend) lists the source run outside the group
  expect(await page.evaluate(() => (window as unknown as { ch: import('../../src/index').Chart }).ch.series().map((r) => r.group ?? null))).toEqual(['seeds', null]);
  expect(got.yDomain).toEqual(want.yDomain);
  expect(got.primitives).toBe(want.primitives);
  expect(diffFraction(gotShot, wantShot)).toBe(0);
});
