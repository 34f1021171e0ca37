/**
 * Series drawn from a metricgl server (connectSource, `{ id, source }`) look exactly like the
 * same runs drawn from arrays: the worker asks the server for M4 per pixel column and draws the
 * answer through the one decimation (src/decimate/m4curves.ts). A real server over a real DuckDB
 * file, filled from generated CSV logs.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, openHarness, shotPlot } from './helpers';
import { drawRuns, startRunsServer, type Opts, type RunsServer } from './source-fixture';

let fx: RunsServer;

test.beforeAll(async () => {
  fx = await startRunsServer('metricgl-source-draw-');
});

test.afterAll(async () => fx?.close());

test.beforeEach(async ({ page }) => openHarness(page));

const draw = (page: import('@playwright/test').Page, from: 'arrays' | 'source' | 'mixed', opts: Opts): Promise<FrameInfo> => drawRuns(page, fx.server.url, from, opts);

const VIEWS: [string, Opts][] = [
  ['full view', {}],
  ['zoom', { xDomain: [10000, 14000] }],
  ['deep zoom', { xDomain: [19990, 20130.5] }],
  ['pan', { xDomain: [30000, 52000] }],
  ['log y with values <= 0', { yScale: 'log' }],
  ['relative time', { xColumn: 'time', xFormat: 'duration' }],
  // steps start at 0: that point has no place on a log x axis (counted, left of every view)
  ['log x', { xScale: 'log' }],
  ['log x and log y, zoomed', { xScale: 'log', yScale: 'log', xDomain: [50, 3000] }],
  ['log x, relative time', { xScale: 'log', xColumn: 'time', xFormat: 'duration' }],
];

for (const [name, opts] of VIEWS) {
  test(`source and arrays draw the same: ${name}`, async ({ page }) => {
    const a = await draw(page, 'arrays', opts);
    const fromArrays = await shotPlot(page, a);
    const s = await draw(page, 'source', opts);
    const fromSource = await shotPlot(page, s);
    expect(s.xDomain).toEqual(a.xDomain);
    expect(s.yDomain).toEqual(a.yDomain);
    expect({ points: s.points, nonFinite: s.nonFinite, nonPositive: s.nonPositive }).toEqual({ points: a.points, nonFinite: a.nonFinite, nonPositive: a.nonPositive });
    expect(a.points).toBe(40300);
    if (opts.xScale === 'log' && opts.xColumn === undefined && opts.yScale === undefined) expect(a.nonPositive).toBe(2); // step 0 of each run
    expect(a.primitives).toBeGreaterThan(100);
    expect(s.primitives).toBe(a.primitives);
    expect(diffFraction(fromSource, fromArrays)).toBe(0);
  });
}

test('log x: hover picks the point nearest in log x, the same from the source as from arrays', async ({ page }) => {
  const hovers = async () => page.evaluate(async () => {
    const w = window as unknown as { ch: import('../../src/index').Chart };
    const out = [];
    // between steps 1 and 2 of run a (nearer 2 in log x, nearer 1 in x), near 0, far right
    for (const x of [1.45, 0.5, 131, 1e5]) out.push((await w.ch.hoverAt(x)).points.map((p) => ({ id: p.id, x: p.x, y: p.y, index: p.index })).sort((a, b) => a.id.localeCompare(b.id)));
    return out;
  });
  await draw(page, 'arrays', { xScale: 'log' });
  const fromArrays = await hovers();
  await draw(page, 'source', { xScale: 'log' });
  const fromSource = await hovers();
  expect(fromSource).toEqual(fromArrays);
  expect(fromArrays[0].find((p) => p.id.includes('run-a'))?.x).toBe(2); // log10 1.45 is nearer log10 2 than log10 1
});

test('a chart mixing array and source series draws both, and hovers both', async ({ page }) => {
  const m = await draw(page, 'mixed', {});
  const a = await draw(page, 'arrays', {});
  const fromArrays = await shotPlot(page, a);
  await draw(page, 'mixed', {});
  expect(diffFraction(await shotPlot(page, m), fromArrays)).toBe(0);
  const hover = await page.evaluate(async () => {
    const w = window as unknown as { ch: import('../../src/index').Chart };
    return (await w.ch.hoverAt(13000)).points.map((p) => ({ x: p.x, inRange: p.inRange }));
  });
  expect(hover).toHaveLength(2);
  expect(hover.map((p) => p.x).sort((x, y) => x - y)).toEqual([13000, 13000]);
});

test('a server gone away: the picture stays, rendered() rejects naming the view query, error event', async ({ page }) => {
  const dead = await page.evaluate(async ([url]) => {
    const w = window as unknown as { metricgl: typeof import('../../src/index'); ch?: import('../../src/index').Chart };
    const src = w.metricgl.connectSource(url);
    const listed = await src.series({ metric: 'loss' });
    w.ch?.destroy();
    w.ch = w.metricgl.createChart(document.getElementById('chart')!, {});
    const errors: string[] = [];
    w.ch.on('error', (e) => errors.push(e.message));
    // the listing is kept; the server is told to go away by pointing the source elsewhere
    Object.defineProperty(src, 'url', { value: 'http://127.0.0.1:9' });
    w.ch.setSeries([{ id: listed[0].id, source: src }]);
    const msg = await w.ch.rendered().then(() => 'drawn', (e: Error) => e.message);
    return { msg, errors };
  }, [fx.server.url] as const);
  expect(dead.msg).toMatch(/view query/);
  expect(dead.errors.join()).toMatch(/view query/);
});
