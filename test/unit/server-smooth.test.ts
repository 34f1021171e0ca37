/**
 * Smoothed views of the metricgl server (ViewQuery.smoothing), over real HTTP and a real DuckDB
 * file: each answer equals m4Reference over the series smoothed with the float64 reference
 * (src/smooth/reference.ts) in the store's order, with the counts of the raw points. Data: NaN
 * and ±Inf, uneven and repeated steps (a restarted run), values <= 0, runs of different extent
 * with one `range`, uneven time; views that cut the series (the state before the view counts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { smoothingOn } from '../../src/smooth/params';
import { smooth, type SmoothParams } from '../../src/smooth/reference';
import type { SourceSeries } from '../../src/source/api';
import { decode } from '../../src/source/layout';
import type { M4Result, M4View } from '../../src/source/m4';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import { mulberry32, randInt } from './prng';

interface Pt { step: number; y: number; time: number; ord: number }
/** logged points per run (metric 'loss') */
const data = new Map<string, Pt[]>();
let dir: string;
let server: SourceServer;
let sids = new Map<string, number>();

const fmt = (y: number) => (Number.isNaN(y) ? 'nan' : y === Infinity ? 'inf' : y === -Infinity ? '-inf' : String(y));

/** Log `n` points to run `run` from `step0`, as CSV; kept in `data` too. */
function logRun(run: string, n: number, step0: number, rand: () => number, restartAt = -1): string {
  const pts = data.get(run) ?? [];
  data.set(run, pts);
  let step = step0, rows = '';
  let time = pts.length ? pts[pts.length - 1].time + 7 : 0;
  for (let k = 0; k < n; k++) {
    if (k === restartAt) step = Math.floor(step * 0.6); // a restart logs earlier steps again
    const u = rand();
    const y = u < 0.03 ? NaN : u < 0.04 ? Infinity : u < 0.045 ? -Infinity : u < 0.09 ? -Math.fround(rand()) : Math.fround(Math.exp(rand() * 3 - 1));
    pts.push({ step, y, time, ord: pts.length });
    rows += `${run},loss,${step},${fmt(y)},${time}\n`;
    step += rand() < 0.1 ? 0 : randInt(rand, 1, 6); // uneven, sometimes repeated
    // repeated times too, one at the restart: there the store's order (time, step, logged) differs from the logged one
    time += rand() < 0.1 || k + 1 === restartAt ? 0 : randInt(rand, 1, 400);
  }
  return rows;
}

async function ingest(csv: string): Promise<void> {
  const r = await fetch(`${server.url}/api/ingest?name=posted.csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'run,metric,step,value,time_ms\n' + csv });
  expect(r.status).toBe(200);
  const list = ((await (await post('/api/series', {})).json()) as { series: SourceSeries[] }).series;
  sids = new Map(list.map((s) => [s.run, s.sid]));
}

const post = (path: string, body: unknown) =>
  fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

type Smoothing = SmoothParams | null;

async function view(v: M4View, smoothing: Smoothing): Promise<M4Result> {
  const r = await post('/api/view', { ...v, smoothing });
  expect(r.status, await r.clone().text()).toBe(200);
  return decode(await r.arrayBuffer()).result;
}

/** The expected answer: m4Reference over the reference-smoothed series, raw counts. */
function expected(v: M4View, params: Smoothing): M4Result {
  const raw: RefSeries[] = [], sm: RefSeries[] = [];
  for (const [run, pts] of data) {
    const id = sids.get(run)!;
    const at = (p: Pt) => (v.xColumn === 'x' ? p.step : p.time);
    const sorted = pts.filter((p) => Number.isFinite(at(p))).sort((a, b) => at(a) - at(b) || a.step - b.step || a.ord - b.ord);
    const step = Float64Array.from(sorted, (p) => p.step);
    const time = Float64Array.from(sorted, at);
    const y = Float32Array.from(sorted, (p) => p.y);
    const s = params && smoothingOn(params) ? smooth(time, y, params, new Float32Array(y.length)) : y.slice();
    raw.push({ id, step, y, columns: { time } });
    sm.push({ id, step, y: s, columns: { time } });
  }
  const r = m4Reference(raw, v);
  const e = m4Reference(sm, v);
  e.series.nonFinite = r.series.nonFinite;
  e.series.nonPositive = r.series.nonPositive;
  expect(e.series.n).toEqual(r.series.n);
  return e;
}

async function same(v: M4View, params: Smoothing): Promise<M4Result> {
  const got = await view(v, params);
  const want = expected(v, params);
  expect(got.series).toEqual(want.series);
  expect(got.buckets).toEqual(want.buckets);
  expect(got.points).toEqual(want.points);
  return got;
}

/** R of time-weighted: the x-extent of all series, as the client computes it. */
function range(column: 'x' | 'time'): number {
  const all = [...data.values()].flat().map((p) => (column === 'x' ? p.step : p.time));
  return Math.max(...all) - Math.min(...all);
}

const ids = () => [...sids.values()];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-smooth-'));
  server = await startSourceServer({ db: join(dir, 'smooth.duckdb'), port: 0, threads: 1 });
  const rand = mulberry32(21);
  // a short run, a long one (3x the extent), a restarted one, a sparse one
  await ingest(logRun('short', 3000, 0, rand) + logRun('long', 8000, 5, rand) + logRun('restart', 5000, 0, rand, 3500) + logRun('sparse', 30, 100, rand));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('smoothed views equal the reference', () => {
  for (const mode of ['ema', 'time-weighted'] as const) {
    for (const yScale of ['linear', 'log'] as const) {
      test(`${mode}, ${yScale}: whole range, dense`, () =>
        same({ series: ids(), xColumn: 'x', x0: 0, x1: 40000, W: 300, yScale }, { mode, weight: 0.9, range: range('x') }));
      test(`${mode}, ${yScale}: a cut range (the state before the view counts), neighbours`, async () => {
        const r = await same({ series: ids(), xColumn: 'x', x0: 4321.5, x1: 9876.25, W: 200, yScale }, { mode, weight: 0.97, range: range('x') });
        expect(r.series.beforeX.filter((x) => !Number.isNaN(x)).length).toBeGreaterThanOrEqual(3);
      });
    }
    test(`${mode}: a narrow view (sparse series drawn as points)`, async () => {
      const r = await same({ series: ids(), xColumn: 'x', x0: 1000, x1: 1400, W: 1000, yScale: 'linear' }, { mode, weight: 0.6, range: range('x') });
      expect(r.points.x.length).toBeGreaterThan(100);
    });
    test(`${mode}: on the time column, its own range`, () =>
      same({ series: ids(), xColumn: 'time', x0: 1e5, x1: 9e5, W: 150, yScale: 'log' }, { mode, weight: 0.8, range: range('time') }));
  }

  test('pan, zoom, slider moves and a changed range: each equals the reference', async () => {
    const v: M4View = { series: ids(), xColumn: 'x', x0: 0, x1: 20000, W: 250, yScale: 'linear' };
    const R = range('x');
    for (const [x0, x1, w] of [[0, 20000, 0.5], [3000, 8000, 0.5], [5000, 10000, 0.5], [5000, 10000, 0.99], [5000, 10000, 0.3]]) {
      await same({ ...v, x0, x1 }, { mode: 'time-weighted', weight: w, range: R });
    }
    await same(v, { mode: 'time-weighted', weight: 0.5, range: R * 2 });
  });

  for (const [name, p] of [
    ['running-average', { mode: 'running-average', weight: 0, window: 25, range: 0 }],
    ['centred', { mode: 'centred', weight: 0, window: 25, range: 0 }],
    ['centred', { mode: 'centred', weight: 0, window: 301, range: 0 }],
    ['gaussian', { mode: 'gaussian', weight: 0, sigma: 40, range: 0 }],
  ] as [string, SmoothParams][]) {
    test(`${name} (${p.window ?? p.sigma}): whole range, a cut range, a narrow view, log y, the time column`, async () => {
      await same({ series: ids(), xColumn: 'x', x0: 0, x1: 40000, W: 300, yScale: 'linear' }, p);
      await same({ series: ids(), xColumn: 'x', x0: 4321.5, x1: 9876.25, W: 200, yScale: 'log' }, p);
      const r = await same({ series: ids(), xColumn: 'x', x0: 1000, x1: 1400, W: 1000, yScale: 'linear' }, p);
      expect(r.points.x.length).toBeGreaterThan(100);
      await same({ series: ids(), xColumn: 'time', x0: 1e5, x1: 9e5, W: 150, yScale: 'log' }, p.mode === 'gaussian' ? { ...p, sigma: 5000 } : p);
    });
  }

  test('window 1 is the raw view, as weight 0 is', async () => {
    const v: M4View = { series: ids(), xColumn: 'x', x0: 100, x1: 30000, W: 400, yScale: 'log' };
    const raw = await view(v, null);
    for (const mode of ['running-average', 'centred'] as const) expect(await same(v, { mode, weight: 0, window: 1, range: 0 })).toEqual(raw);
  });

  test('weight 0 is the raw view, in both modes', async () => {
    const v: M4View = { series: ids(), xColumn: 'x', x0: 100, x1: 30000, W: 400, yScale: 'log' };
    const raw = await view(v, null);
    for (const mode of ['ema', 'time-weighted'] as const) {
      const got = await same(v, { mode, weight: 0, range: range('x') });
      expect(got).toEqual(raw);
    }
  });

  test('the data exercises what it should: NaN, values <= 0, repeated steps', async () => {
    const r = await same({ series: ids(), xColumn: 'x', x0: 0, x1: 40000, W: 300, yScale: 'log' }, { mode: 'ema', weight: 0.9, range: 0 });
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);
    expect(sum(r.series.nonFinite)).toBeGreaterThan(300);
    expect(sum(r.series.nonPositive)).toBeGreaterThan(300);
    expect(r.buckets.firstY.some((y) => Number.isNaN(y))).toBe(true);
    const steps = data.get('restart')!.map((p) => p.step);
    expect(new Set(steps).size).toBeLessThan(steps.length - 500);
  });

  test('an ingest that appends (and logs earlier steps) invalidates the cache; a run grown at its end is read from its last step on', async () => {
    const v: M4View = { series: ids(), xColumn: 'x', x0: 2000, x1: 60000, W: 300, yScale: 'linear' };
    const windows: SmoothParams[] = [{ mode: 'centred', weight: 0, window: 51, range: 0 }, { mode: 'gaussian', weight: 0, sigma: 20, range: 0 }];
    for (const mode of ['ema', 'time-weighted'] as const) await same(v, { mode, weight: 0.9, range: range('x') });
    for (const p of windows) await same(v, p);
    const rand = mulberry32(5);
    const short = data.get('short')!;
    // 'short' grows at its end, the first new points at its last step again; 'restart' logs earlier steps
    const last = short.at(-1)!.step, atLast = short.filter((p) => p.step === last).length;
    const before = server.stats().pointsRead;
    await ingest(logRun('short', 2000, last, rand) + logRun('restart', 500, 2000, rand));
    for (const mode of ['ema', 'time-weighted'] as const) await same(v, { mode, weight: 0.9, range: range('x') });
    for (const p of windows) await same(v, p);
    // short: the points held at its last step and the 2,000 new ones; restart: all of it again
    expect(server.stats().pointsRead - before).toBe(atLast + 2000 + data.get('restart')!.length);
  });

  test('bad smoothing parameters are a 400 naming the view and the field', async () => {
    const v = { series: ids(), xColumn: 'x', x0: 0, x1: 100, W: 10, yScale: 'linear' };
    const cases: [unknown, RegExp][] = [
      [{ mode: 'ema', weight: 1, range: 0 }, /smoothing\.weight/],
      [{ mode: 'ema', weight: -0.1, range: 0 }, /smoothing\.weight/],
      [{ mode: 'ema', weight: '0.5', range: 0 }, /smoothing\.weight/],
      [{ mode: 'boxcar', weight: 0.5, range: 0 }, /smoothing\.mode/],
      [{ mode: 'centred', window: 4 }, /"smoothing\.window" must be odd for mode 'centred' .*, not 4/],
      [{ mode: 'running-average' }, /"smoothing\.window" must be an integer >= 1 for mode 'running-average', not undefined/],
      [{ mode: 'running-average', window: 2.5 }, /smoothing\.window/],
      [{ mode: 'gaussian', weight: 0.5, range: 0 }, /"smoothing\.sigma" must be a finite number > 0 \(x units\) for mode 'gaussian', not undefined/],
      [{ mode: 'gaussian', sigma: -2 }, /smoothing\.sigma.*not -2/],
      [{ mode: 'gaussian', sigma: 2, weight: 1 }, /smoothing\.weight/],
      [{ mode: 'time-weighted', weight: 0.5 }, /smoothing\.range/],
      [{ mode: 'time-weighted', weight: 0.5, range: -1 }, /smoothing\.range/],
      [{ mode: 'time-weighted', weight: 0.5, range: 'all' }, /smoothing\.range/],
      [5, /"smoothing"/],
      [[0.5], /"smoothing"/],
    ];
    for (const [smoothing, field] of cases) {
      const r = await post('/api/view', { ...v, smoothing });
      expect(r.status).toBe(400);
      const { error } = (await r.json()) as { error: string };
      expect(error).toMatch(/^view: /);
      expect(error).toMatch(field);
    }
  });
});
