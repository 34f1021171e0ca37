/**
 * The smoothed value of a hover on the metricgl server (HoverQuery.smoothing): at the hovered
 * point it is the in-browser reference (src/smooth/reference.ts, what the cpu backend computes
 * for the same series given as arrays) over every point of the series in the store's order,
 * rounded to float32 as the drawn curve is, in both modes, on the step and the time column,
 * before and after a live append (POST /api/ingest). Then, in process, that it is read from the
 * smoothed views' cache: a hover after a view reads nothing, a cold hover fills the cache for the
 * next view, and a series too big to hold is still exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hoverQuery } from '../../src/server/hover';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { PointWriter } from '../../src/server/pointwriter';
import { openStore, type Store } from '../../src/server/schema';
import { SmoothCache } from '../../src/server/smoothcache';
import { duckdbChunks, smoothedView } from '../../src/server/smoothview';
import { smooth, type SmoothParams } from '../../src/smooth/reference';
import type { HoverPoint, HoverQuery, SourceSeries } from '../../src/source/api';
import type { XColumnName } from '../../src/source/m4';
import { mulberry32, randInt } from './prng';

interface Pt { step: number; y: number; time: number; ord: number }
type Column = 'x' | 'time';
const MODES = ['ema', 'time-weighted'] as const;

const at = (p: Pt, column: Column) => (column === 'x' ? p.step : p.time);

/** The series in the store's order on `column` (x, then step, then logged order), finite x only. */
function stored(pts: readonly Pt[], column: Column): Pt[] {
  return pts.filter((p) => Number.isFinite(at(p, column))).sort((a, b) => at(a, column) - at(b, column) || a.step - b.step || a.ord - b.ord);
}

/** The reference over a run's points as they are, by column and parameters (the gaussian's is not cheap to redo per point). */
const smoothedRuns = new WeakMap<readonly Pt[], Map<string, { sorted: Pt[]; s: Float64Array }>>();

/** The reference's smoothed value at the hovered point, as float32 (what the curve is drawn from). */
function want(pts: readonly Pt[], column: Column, params: SmoothParams, p: HoverPoint): number {
  let byKey = smoothedRuns.get(pts);
  if (!byKey) smoothedRuns.set(pts, (byKey = new Map()));
  const key = `${pts.length}|${column}|${JSON.stringify(params)}`;
  let r = byKey.get(key);
  if (!r) {
    const sorted = stored(pts, column);
    const x = Float64Array.from(sorted, (q) => at(q, column));
    const y = Float32Array.from(sorted, (q) => q.y);
    byKey.set(key, (r = { sorted, s: smooth(x, y, params) }));
  }
  // the server's index is the point's position in that order: the point it names is the hovered one
  expect(at(r.sorted[p.index], column)).toBe(p.x);
  expect(r.sorted[p.index].y).toBe(p.y);
  return Math.fround(r.s[p.index]);
}

/** R of time-weighted: the x-extent of all series on the column, as the chart computes it. */
function rangeOf(all: Iterable<readonly Pt[]>, column: Column): number {
  const xs = [...all].flat().map((p) => at(p, column)).filter(Number.isFinite);
  return Math.max(...xs) - Math.min(...xs);
}

/** `n` points from step `step0`: NaN and ±Inf values, values <= 0, repeated steps and times. */
function makePoints(pts: Pt[], n: number, step0: number, rand: () => number): Pt[] {
  let step = step0;
  let time = pts.length ? pts[pts.length - 1].time + 11 : 0;
  const out: Pt[] = [];
  for (let k = 0; k < n; k++) {
    const u = rand();
    const y = u < 0.03 ? NaN : u < 0.04 ? Infinity : u < 0.06 ? -Math.fround(rand()) : Math.fround(Math.exp(rand() * 3 - 1));
    const p = { step, y, time, ord: pts.length + out.length };
    out.push(p);
    step += rand() < 0.1 ? 0 : randInt(rand, 1, 6);
    time += rand() < 0.1 ? 0 : randInt(rand, 1, 400);
  }
  pts.push(...out);
  return out;
}

describe('over HTTP: the smoothed value at the hovered point is the reference', () => {
  const data = new Map<string, Pt[]>();
  let dir: string;
  let server: SourceServer;
  let sids = new Map<string, number>();
  const fmt = (y: number) => (Number.isNaN(y) ? 'nan' : y === Infinity ? 'inf' : y === -Infinity ? '-inf' : String(y));
  const post = (path: string, body: unknown) =>
    fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Log points to runs through POST /api/ingest, as a training script's file would reach it. */
  async function ingest(runs: [string, number, number][], rand: () => number): Promise<void> {
    let csv = 'run,metric,step,value,time_ms\n';
    for (const [run, n, step0] of runs) {
      const pts = data.get(run) ?? [];
      data.set(run, pts);
      for (const p of makePoints(pts, n, step0, rand)) csv += `${run},loss,${p.step},${fmt(p.y)},${p.time}\n`;
    }
    const r = await fetch(`${server.url}/api/ingest?name=posted.csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(r.status).toBe(200);
    const list = ((await (await post('/api/series', {})).json()) as { series: SourceSeries[] }).series;
    sids = new Map(list.map((s) => [s.run, s.sid]));
  }

  async function hover(q: HoverQuery): Promise<HoverPoint[]> {
    const r = await post('/api/hover', q);
    expect(r.status, await r.clone().text()).toBe(200);
    return ((await r.json()) as { points: HoverPoint[] }).points;
  }

  /** Hover at `cursors` on `column` with these parameters: every point's smoothed value is the reference's. */
  async function same(column: Column, params: SmoothParams, cursors: number[]): Promise<number> {
    const runOf = new Map([...sids].map(([run, sid]) => [sid, run]));
    let checked = 0;
    for (const x of cursors) {
      const points = await hover({ series: [...sids.values()], xColumn: column, x, smoothing: params });
      expect(points.length).toBe(sids.size);
      for (const p of points) {
        expect(p.smoothed, `${params.mode} ${column} at ${x}`).toBe(want(data.get(runOf.get(p.sid)!)!, column, params, p));
        checked++;
      }
    }
    return checked;
  }

  const cursors = (column: Column, rand: () => number) => {
    const hi = Math.max(...[...data.values()].flat().map((p) => at(p, column)));
    // before the first point, past the last, on points, between them
    return [-50, hi + 100, ...Array.from({ length: 12 }, () => rand() * hi)];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'metricgl-server-hover-smooth-'));
    server = await startSourceServer({ db: join(dir, 'hover.duckdb'), port: 0, threads: 1 });
    await ingest([['short', 3000, 0], ['long', 9000, 5], ['sparse', 25, 100]], mulberry32(31));
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const mode of MODES) {
    for (const column of ['x', 'time'] as const) {
      test(`${mode} on ${column === 'x' ? 'the step' : 'relative time'}: cold, then after a view at the same parameters`, async () => {
        const params: SmoothParams = { mode, weight: 0.9, range: rangeOf(data.values(), column) };
        const rand = mulberry32(column === 'x' ? 1 : 2);
        expect(await same(column, params, cursors(column, rand))).toBe(14 * 3);
        const v = await post('/api/view', { series: [...sids.values()], xColumn: column, x0: 0, x1: rangeOf(data.values(), column), W: 300, yScale: 'linear', smoothing: params });
        expect(v.status).toBe(200);
        await same(column, params, cursors(column, rand));
        // a slider move: the held raw points smoothed again
        await same(column, { ...params, weight: 0.6 }, cursors(column, rand));
      });
    }
  }

  for (const params of [
    { mode: 'running-average', weight: 0, window: 30, range: 0 },
    { mode: 'centred', weight: 0, window: 31, range: 0 },
    { mode: 'gaussian', weight: 0, sigma: 25, range: 0 },
  ] as SmoothParams[]) {
    test(`${params.mode} on the step and relative time: cold, after a view, after a live append`, async () => {
      const rand = mulberry32(40);
      for (const column of ['x', 'time'] as const) {
        const p = column === 'time' && params.mode === 'gaussian' ? { ...params, sigma: 3000 } : params;
        await same(column, p, cursors(column, rand));
        const v = await post('/api/view', { series: [...sids.values()], xColumn: column, x0: 0, x1: rangeOf(data.values(), column), W: 300, yScale: 'linear', smoothing: p });
        expect(v.status).toBe(200);
        await same(column, p, cursors(column, rand));
      }
      // appended at the end of a run: the outputs its window reaches change too
      const last = data.get('sparse')!.at(-1)!.step;
      await ingest([['sparse', 40, last + 1]], rand);
      for (const column of ['x', 'time'] as const) await same(column, column === 'time' && params.mode === 'gaussian' ? { ...params, sigma: 3000 } : params, cursors(column, rand));
    });
  }

  test('no smoothing, or window 1: no smoothed value', async () => {
    const q: HoverQuery = { series: [...sids.values()], xColumn: 'x', x: 1234 };
    for (const smoothing of [{ mode: 'centred' as const, weight: 0, window: 1, range: 0 }, { mode: 'running-average' as const, weight: 0, window: 1, range: 0 }]) {
      for (const p of await hover({ ...q, smoothing })) expect('smoothed' in p).toBe(false);
    }
  });

  test('after a live append (points at the end, and earlier steps logged again): the reference over every point', async () => {
    const rand = mulberry32(7);
    for (const mode of MODES) await same('x', { mode, weight: 0.95, range: rangeOf(data.values(), 'x') }, cursors('x', rand));
    const last = data.get('short')!.at(-1)!.step;
    await ingest([['short', 2000, last + 1], ['long', 300, 2000]], rand);
    for (const mode of MODES) {
      for (const column of ['x', 'time'] as const) {
        await same(column, { mode, weight: 0.95, range: rangeOf(data.values(), column) }, cursors(column, rand));
      }
    }
  });

  test('no smoothing, or weight 0: no smoothed value; bad parameters: a 400 naming the hover', async () => {
    const q: HoverQuery = { series: [...sids.values()], xColumn: 'x', x: 1234 };
    for (const smoothing of [undefined, null, { mode: 'ema' as const, weight: 0, range: 0 }]) {
      const points = await hover({ ...q, smoothing });
      expect(points.length).toBe(3);
      for (const p of points) expect('smoothed' in p).toBe(false);
    }
    const r = await post('/api/hover', { ...q, smoothing: { mode: 'time-weighted', weight: 0.5 } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/^hover: .*smoothing\.range/);
  });
});

describe('in process: the hover reads the smoothed views\' cache', () => {
  let dir: string;
  let store: Store;
  const series = new Map<number, Pt[]>();
  const N = 4000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'metricgl-server-hover-cache-'));
    store = await openStore(join(dir, 'cache.duckdb'), { threads: 1 });
    const rand = mulberry32(13);
    const w = await PointWriter.open(store.db);
    for (const id of [1, 2, 3]) {
      const pts = makePoints([], N * id, 0, rand);
      // a few points without a time: not on the time column, so not smoothed there
      for (let i = 0; i < pts.length; i += 97) pts[i].time = NaN;
      series.set(id, pts);
      w.add({
        series: id, file: 0, firstOrd: 0, x: Float64Array.from(pts, (p) => p.step), y: Float32Array.from(pts, (p) => p.y),
        time: Float64Array.from(pts, (p) => p.time), wall: null, epoch: null,
      });
    }
    await w.commit();
  });

  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const TOTAL = () => [...series.values()].reduce((n, s) => n + s.length, 0);

  async function check(cache: SmoothCache, column: XColumnName & Column, params: SmoothParams, x: number): Promise<void> {
    const points = await hoverQuery(store.db, { series: [...series.keys()], xColumn: column, x, smoothing: params }, cache);
    expect(points.length).toBe(series.size);
    for (const p of points) expect(p.smoothed).toBe(want(series.get(p.sid)!, column, params, p));
  }

  for (const mode of MODES) {
    test(`${mode}: after a view, a hover smooths and reads nothing; a cold hover fills the cache for the view`, async () => {
      const cache = new SmoothCache();
      const params: SmoothParams = { mode, weight: 0.8, range: rangeOf(series.values(), 'x') };
      const view = { series: [...series.keys()], xColumn: 'x' as const, x0: 0, x1: 20000, W: 200, yScale: 'linear' as const };
      await smoothedView(duckdbChunks(store.db), view, params, cache);
      expect(cache.counters).toEqual({ readPoints: TOTAL(), smoothedPoints: TOTAL() });
      for (const x of [0, 777.5, 5000, 12345, 30000]) await check(cache, 'x', params, x);
      expect(cache.counters).toEqual({ readPoints: TOTAL(), smoothedPoints: TOTAL() });

      const cold = new SmoothCache();
      const tw: SmoothParams = { ...params, range: rangeOf(series.values(), 'time') };
      await check(cold, 'time', tw, 123456);
      const onTime = [...series.values()].reduce((n, s) => n + s.filter((p) => Number.isFinite(p.time)).length, 0);
      expect(cold.counters).toEqual({ readPoints: onTime, smoothedPoints: onTime });
      await smoothedView(duckdbChunks(store.db), { ...view, xColumn: 'time', x1: 1e6 }, tw, cold);
      await check(cold, 'time', tw, 654321);
      expect(cold.counters).toEqual({ readPoints: onTime, smoothedPoints: onTime });
    });
  }

  test('series too big to hold: streamed for each hover, still exact', async () => {
    // the largest series held is a quarter of the cache, 16 bytes a point while filled: series 1
    // (N points) fits, 2 and 3 (2N, 3N) do not
    const cache = new SmoothCache(4 * 16 * 1.5 * N);
    const params: SmoothParams = { mode: 'time-weighted', weight: 0.9, range: rangeOf(series.values(), 'x') };
    await check(cache, 'x', params, 2500);
    const first = cache.counters.readPoints;
    expect(first).toBe(TOTAL());
    await check(cache, 'x', params, 9000.5);
    expect(cache.counters.readPoints).toBe(first + TOTAL() - N);
  });
});
