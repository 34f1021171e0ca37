/**
 * Series drawn from a metricgl server (connectSource, `{ id, source }`) look exactly like the
 * same runs drawn from arrays: the worker asks the server for M4 per pixel column and draws the
 * answer through the one decimation (src/decimate/m4curves.ts). A real server over a real DuckDB
 * file, filled from generated CSV logs.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameInfo } from '../../src/index';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { ingestFiles } from '../../src/server/ingest';
import { openStore } from '../../src/server/schema';
import { diffFraction, openHarness, shotPlot } from './helpers';

/** Evaluated in node (to write the logs) and in the page (the arrays): the same float32 values. */
const MAKE = `(() => {
  const runs = {};
  for (const [name, n, seed] of [['a', 40000, 1], ['b', 300, 2]]) {
    let s = seed;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const step = new Float64Array(n), time = new Float64Array(n), y = new Float32Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      step[i] = name === 'a' ? i : i * 130;
      t += 40 + (i % 500 === 0 ? 3000 : 0);
      time[i] = t;
      const u = rand();
      // NaN gaps, values <= 0 (skipped on log), a spike
      y[i] = i % 3000 > 2950 ? NaN : u < 0.01 ? -u : (1 + 3 * Math.exp(-i / 6000)) * (1 + 0.2 * rand()) + (i === 20000 ? 8 : 0);
    }
    runs[name] = { step, time, y };
  }
  return runs;
})()`;

let dir: string;
let server: SourceServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-source-draw-'));
  const runs = eval(MAKE) as Record<string, { step: Float64Array; time: Float64Array; y: Float32Array }>;
  const paths: string[] = [];
  for (const [name, r] of Object.entries(runs)) {
    const lines = ['metric,step,time,value'];
    for (let i = 0; i < r.y.length; i++) lines.push(`loss,${r.step[i]},${r.time[i]},${Number.isNaN(r.y[i]) ? 'nan' : r.y[i]}`);
    const p = join(dir, `run-${name}.csv`);
    writeFileSync(p, lines.join('\n') + '\n');
    paths.push(p);
  }
  const db = join(dir, 'runs.duckdb');
  const store = await openStore(db, { threads: 1 });
  await ingestFiles(store.db, paths, { root: dir });
  store.close();
  server = await startSourceServer({ db, port: 0, cors: ['http://127.0.0.1:5199'], threads: 1 });
});

test.afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => openHarness(page));

type Opts = Record<string, unknown>;

/** Draw runs a and b (from arrays or from the source) with these options; the frame drawn. */
async function draw(page: import('@playwright/test').Page, from: 'arrays' | 'source' | 'mixed', opts: Opts): Promise<FrameInfo> {
  return page.evaluate(async ([MAKE, url, from, opts]) => {
    const w = window as unknown as { metricgl: typeof import('../../src/index'); ch?: import('../../src/index').Chart };
    const d = eval(MAKE);
    w.ch?.destroy();
    w.ch = w.metricgl.createChart(document.getElementById('chart')!, opts);
    const src = w.metricgl.connectSource(url);
    const listed = await src.series({ metric: 'loss' });
    const key = (run: string) => listed.find((s) => s.run.includes(`run-${run}`))!.id;
    const styles = { a: { color: '#d62728', width: 1 }, b: { color: '#1f77b4', width: 1.5 } } as const;
    w.ch.setSeries((['a', 'b'] as const).map((run) => {
      const useSource = from === 'source' || (from === 'mixed' && run === 'b');
      return useSource
        ? { id: key(run), source: src, ...styles[run] }
        : { id: run === 'a' ? key('a') : key('b'), x: d[run].step, y: d[run].y, xs: { time: d[run].time }, ...styles[run] };
    }));
    return w.ch.rendered();
  }, [MAKE, server.url, from, opts] as const);
}

const VIEWS: [string, Opts][] = [
  ['full view', {}],
  ['zoom', { xDomain: [10000, 14000] }],
  ['deep zoom', { xDomain: [19990, 20130.5] }],
  ['pan', { xDomain: [30000, 52000] }],
  ['log y with values <= 0', { yScale: 'log' }],
  ['relative time', { xColumn: 'time', xFormat: 'duration' }],
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
    expect(a.primitives).toBeGreaterThan(100);
    expect(s.primitives).toBe(a.primitives);
    expect(diffFraction(fromSource, fromArrays)).toBe(0);
  });
}

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
  }, [server.url] as const);
  expect(dead.msg).toMatch(/view query/);
  expect(dead.errors.join()).toMatch(/view query/);
});
