/**
 * What a smoothed view costs, by the cache's counters (smoothcache.ts): the first view streams
 * and smooths every point; a pan or zoom at the same parameters smooths nothing; a slider move
 * smooths every point again but reads nothing from DuckDB; an invalidated series is read again;
 * a fill that read before an invalidation is not stored; a series too big to hold is streamed
 * each time and still exact. Every answer is checked against m4Reference over the reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PointWriter } from '../../src/server/pointwriter';
import { openStore, type Store } from '../../src/server/schema';
import { SmoothCache } from '../../src/server/smoothcache';
import { duckdbChunks, smoothedView } from '../../src/server/smoothview';
import { smooth, type SmoothParams } from '../../src/smooth/reference';
import type { M4View } from '../../src/source/m4';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import { mulberry32 } from './prng';

let dir: string;
let store: Store;
const all: RefSeries[] = [];
const N = 5000;
const TOTAL = 3 * N;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-smooth-cache-'));
  store = await openStore(join(dir, 'cache.duckdb'), { threads: 1 });
  const rand = mulberry32(9);
  const w = await PointWriter.open(store.db);
  for (const id of [1, 2, 3]) {
    let x = 0;
    const step = Float64Array.from({ length: N }, () => (x += 1 + Math.floor(rand() * 3 * id)));
    const y = Float32Array.from({ length: N }, () => (rand() < 0.02 ? NaN : rand() * 2 - 0.2));
    all.push({ id, step, y });
    w.add({ series: id, file: 0, firstOrd: 0, x: step, y, time: null, wall: null, epoch: null });
  }
  await w.commit();
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const R = () => Math.max(...all.map((s) => s.step[N - 1])) - Math.min(...all.map((s) => s.step[0]));

async function check(cache: SmoothCache, v: M4View, p: SmoothParams): Promise<void> {
  const got = await smoothedView(duckdbChunks(store.db), v, p, cache);
  const raw = m4Reference(all, v);
  const want = m4Reference(all.map((s) => ({ ...s, y: Float32Array.from(smooth(s.step, s.y, p)) })), v);
  want.series.nonPositive = raw.series.nonPositive;
  expect(got).toEqual(want);
}

describe('the smoothing cache', () => {
  test('pan / zoom reuse, slider moves re-smooth without reading, invalidation re-reads', async () => {
    const cache = new SmoothCache();
    const v: M4View = { series: [1, 2, 3], xColumn: 'x', x0: 0, x1: 40000, W: 200, yScale: 'log' };
    const tw: SmoothParams = { mode: 'time-weighted', weight: 0.9, range: R() };
    await check(cache, v, tw);
    expect(cache.counters).toEqual({ readPoints: TOTAL, smoothedPoints: TOTAL });
    await check(cache, { ...v, x0: 5000, x1: 9000 }, tw); // pan / zoom
    await check(cache, { ...v, x0: 100, x1: 200, W: 1000 }, tw);
    expect(cache.counters).toEqual({ readPoints: TOTAL, smoothedPoints: TOTAL });
    await check(cache, v, { ...tw, weight: 0.95 }); // slider move
    expect(cache.counters).toEqual({ readPoints: TOTAL, smoothedPoints: 2 * TOTAL });
    await check(cache, v, { ...tw, range: R() * 2 }); // R grew: time-weighted is recomputed
    expect(cache.counters.smoothedPoints).toBe(3 * TOTAL);
    const ema: SmoothParams = { mode: 'ema', weight: 0.8, range: 5 };
    await check(cache, v, ema);
    await check(cache, v, { ...ema, range: 7 }); // ema does not depend on R
    expect(cache.counters).toEqual({ readPoints: TOTAL, smoothedPoints: 4 * TOTAL });
    cache.invalidate([2]);
    await check(cache, v, ema);
    expect(cache.counters).toEqual({ readPoints: TOTAL + N, smoothedPoints: 4 * TOTAL + N });
    cache.clear();
    await check(cache, v, ema);
    expect(cache.counters.readPoints).toBe(2 * TOTAL + N);
    expect(cache.bytes).toBe(TOTAL * 16);
  });

  test('a fill that read before an invalidation of its series is not stored', async () => {
    const cache = new SmoothCache();
    const v: M4View = { series: [1, 2], xColumn: 'x', x0: 0, x1: 40000, W: 100, yScale: 'linear' };
    const p: SmoothParams = { mode: 'ema', weight: 0.5, range: 0 };
    const first = smoothedView(duckdbChunks(store.db), v, p, cache); // its ticket is taken before this returns
    cache.invalidate([1]);
    await first;
    expect(cache.bytes).toBe(N * 16); // series 2 only
    await check(cache, v, p);
    expect(cache.counters.readPoints).toBe(3 * N);
  });

  const windowModes: [SmoothParams, SmoothParams][] = [
    [{ mode: 'running-average', weight: 0, window: 40, range: 0 }, { mode: 'running-average', weight: 0, window: 3000, range: 0 }],
    [{ mode: 'centred', weight: 0, window: 41, range: 0 }, { mode: 'centred', weight: 0, window: 4001, range: 0 }],
    [{ mode: 'gaussian', weight: 0, sigma: 30, range: 0 }, { mode: 'gaussian', weight: 0, sigma: 250, range: 0 }],
  ];
  for (const [p, q] of windowModes) {
    test(`${p.mode}: streamed in chunks, held, re-smoothed from held columns, and too big to hold, each exact`, async () => {
      const v: M4View = { series: [1, 2, 3], xColumn: 'x', x0: 0, x1: 40000, W: 200, yScale: 'linear' };
      const cache = new SmoothCache();
      await check(cache, v, p); // streamed out of DuckDB a data chunk at a time, held
      expect(cache.counters).toEqual({ readPoints: TOTAL, smoothedPoints: TOTAL });
      await check(cache, { ...v, x0: 5000, x1: 9000 }, p); // pan / zoom: nothing smoothed
      await check(cache, v, { ...p, range: R() }); // R does not matter to them
      expect(cache.counters).toEqual({ readPoints: TOTAL, smoothedPoints: TOTAL });
      await check(cache, v, q); // a new window or sigma: from the held columns
      expect(cache.counters).toEqual({ readPoints: TOTAL, smoothedPoints: 2 * TOTAL });
      const small = new SmoothCache(N * 16); // none fits: streamed each time
      await check(small, v, q);
      await check(small, { ...v, x0: 0, x1: 40000, W: 6000 }, p); // sparse: every point drawn
      expect(small.counters.readPoints).toBe(2 * TOTAL);
      expect(small.bytes).toBe(0);
    });
  }

  test('series too big to hold are streamed each time, still exact', async () => {
    const cache = new SmoothCache(N * 16); // one entry may take a quarter: none fits
    const v: M4View = { series: [1, 2, 3], xColumn: 'x', x0: 3000, x1: 7000, W: 50, yScale: 'linear' };
    const p: SmoothParams = { mode: 'time-weighted', weight: 0.99, range: R() };
    await check(cache, v, p);
    await check(cache, v, p);
    await check(cache, { ...v, x0: 0, x1: 40000, W: 6000 }, p); // sparse series spanning several data chunks
    expect(cache.counters.readPoints).toBe(3 * TOTAL);
    expect(cache.bytes).toBe(0);
  });

  test('a series grown at its end is caught up from its last held x; one changed before it is read again', async () => {
    // last in this file: it adds points to series 2
    const cache = new SmoothCache();
    const v: M4View = { series: [1, 2, 3], xColumn: 'x', x0: 0, x1: 80000, W: 300, yScale: 'linear' };
    const p: SmoothParams = { mode: 'ema', weight: 0.9, range: 0 };
    await check(cache, v, p);
    expect(cache.counters.readPoints).toBe(TOTAL);
    // series 2: 50 points more, the first two at its last step (logged later, so after the held ones)
    const s2 = all[1], last = s2.step[N - 1];
    const more = Float64Array.from({ length: 50 }, (_, k) => last + Math.max(0, k - 1) * 3);
    const y = Float32Array.from({ length: 50 }, (_, k) => (k % 7 === 3 ? NaN : k / 10));
    const w = await PointWriter.open(store.db);
    w.add({ series: 2, file: 0, firstOrd: s2.step.length, x: more, y, time: null, wall: null, epoch: null });
    await w.commit();
    all[1] = { id: 2, step: Float64Array.from([...Array.from(s2.step), ...more]), y: Float32Array.from([...Array.from(s2.y), ...y]) };
    const stale = smoothedView(duckdbChunks(store.db), v, p, cache); // read before the ingest is known: not stored
    cache.invalidate([2], new Map([[2, last]]));
    await stale;
    const atLast = Array.from(s2.step).filter((x) => x === last).length;
    await check(cache, v, p);
    // the stale view read series 2 in full (it was behind by then) and did not keep it; then the
    // held points at the last step again and the 50 new ones; nothing of series 1 and 3
    expect(cache.counters.readPoints).toBe(TOTAL + (N + 50) + atLast + 50);
    await check(cache, { ...v, x0: last - 100, x1: last + 200 }, p);
    expect(cache.counters.readPoints).toBe(TOTAL + (N + 50) + atLast + 50);
    // told of points below its last held x: read in full
    cache.invalidate([2], new Map([[2, last - 1]]));
    await check(cache, v, p);
    expect(cache.counters.readPoints).toBe(TOTAL + 2 * (N + 50) + atLast + 50);
  });
});
