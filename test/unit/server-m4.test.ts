import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import type { M4View } from '../../src/source/m4';
import { m4Query } from '../../src/server/m4sql';
import { PointWriter } from '../../src/server/pointwriter';
import { openStore, type Store } from '../../src/server/schema';
import { mulberry32, randInt } from './prng';
import { expectExercised } from './m4-exercised';

let dir: string;
let store: Store;
const all: RefSeries[] = [];

/** A series of one of several shapes: dense, sparse, restarted (repeated steps), with NaN, ±Inf, values <= 0. */
function makeSeries(id: number, rand: () => number): RefSeries {
  const shape = id % 5;
  const n = shape === 1 ? randInt(rand, 0, 40) : shape === 2 ? randInt(rand, 2000, 6000) : randInt(rand, 200, 1500);
  const step = new Float64Array(n);
  const y = new Float32Array(n);
  const time = new Float64Array(n);
  const restartAt = shape === 3 ? Math.floor(n * 0.7) : -1;
  for (let k = 0; k < n; k++) {
    // shape 3: the run restarts at 70% and logs steps from 40% again; shape 4: few distinct steps
    step[k] = restartAt >= 0 && k >= restartAt ? Math.floor(n * 0.4) + (k - restartAt) : shape === 4 ? Math.floor(k / 7) * 3 : k * 2 + (id % 3);
    const u = rand();
    y[k] = u < 0.02 ? NaN : u < 0.03 ? Infinity : u < 0.035 ? -Infinity : u < 0.08 ? -rand() : u < 0.09 ? 0 : Math.exp(3 * (rand() - 0.5)) + (rand() < 0.2 ? Math.round(rand() * 4) : 0);
    time[k] = rand() < 0.05 ? NaN : k * 100 + (k % 13 === 0 ? 50 : 0);
  }
  return { id, step, y, columns: { time } };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-m4-'));
  store = await openStore(join(dir, 'm4.duckdb'), { threads: 1 });
  const rand = mulberry32(7);
  const w = await PointWriter.open(store.db);
  for (let id = 0; id < 40; id++) {
    const s = makeSeries(id * 3 + 1, rand); // sparse ids: 1, 4, 7, ...
    all.push(s);
    w.add({ series: s.id, file: 0, firstOrd: 0, x: Float64Array.from(s.step), y: s.y, time: s.columns!.time as Float64Array, wall: null, epoch: null });
  }
  // stretches with nothing drawable: NaN, and (on log) values <= 0, wider than a column
  const n = 3000;
  const step = Float64Array.from({ length: n }, (_, k) => k * 4);
  const y = Float32Array.from({ length: n }, (_, k) => (k >= 1000 && k < 1100 ? NaN : k >= 2000 && k < 2100 ? -1 : 1 + Math.sin(k / 50) / 2));
  all.push({ id: 200, step, y, columns: { time: Float64Array.from(step, (s) => s * 10) } });
  w.add({ series: 200, file: 0, firstOrd: 0, x: step, y, time: Float64Array.from(step, (s) => s * 10), wall: null, epoch: null });
  await w.commit();
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function same(view: M4View): Promise<ReturnType<typeof m4Reference>> {
  const ref = m4Reference(all, view);
  const sql = await m4Query(store.db, view);
  expect(sql.series).toEqual(ref.series);
  expect(sql.points).toEqual(ref.points);
  expect(sql.buckets).toEqual(ref.buckets);
  return ref;
}

const ids = () => all.map((s) => s.id);

describe('M4 in SQL equals the reference', () => {
  for (const yScale of ['linear', 'log'] as const) {
    for (const W of [1, 7, 100, 1000]) {
      test(`${yScale}, W = ${W}, every series over the whole range`, () => same({ series: ids(), xColumn: 'x', x0: 0, x1: 12000, W, yScale }));
    }
    test(`${yScale}: a range that cuts the series (neighbours on both sides)`, () =>
      same({ series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale }));
    test(`${yScale}: a range with fractional edges and ties at column edges`, () =>
      same({ series: ids(), xColumn: 'x', x0: 0.1, x1: 300.1, W: 3, yScale }));
    test(`${yScale}: the time column (some points without one)`, () =>
      same({ series: ids(), xColumn: 'time', x0: 5000, x1: 150000, W: 400, yScale }));
  }
  test('the data exercises what it should: dense and sparse, breaks at edges, values <= 0, restarts', async () => {
    const r = await same({ series: ids(), xColumn: 'x', x0: 0, x1: 12000, W: 1000, yScale: 'log' });
    const cut = await same({ series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale: 'linear' });
    expectExercised(r, cut);
  });
  test('a range between points, and one beyond every point', async () => {
    await same({ series: ids(), xColumn: 'x', x0: 10.5, x1: 10.6, W: 50, yScale: 'linear' });
    await same({ series: ids(), xColumn: 'x', x0: 1e6, x1: 2e6, W: 50, yScale: 'linear' });
  });
  test('a subset of series, unknown ids, duplicates', () =>
    same({ series: [7, 7, 1, 9999, 13, 4], xColumn: 'x', x0: 0, x1: 4000, W: 300, yScale: 'linear' }));
  test('random views', async () => {
    const rand = mulberry32(11);
    for (let k = 0; k < 12; k++) {
      const a = rand() * 6000, b = a + 1 + rand() * 6000;
      const pick = ids().filter(() => rand() < 0.5);
      await same({ series: pick, xColumn: rand() < 0.7 ? 'x' : 'time', x0: a, x1: b, W: randInt(rand, 1, 1500), yScale: rand() < 0.5 ? 'log' : 'linear' });
    }
  });
  test('a bad view is refused before any SQL', async () => {
    await expect(m4Query(store.db, { series: [1], xColumn: 'x', x0: 1, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(RangeError);
    await expect(m4Query(store.db, { series: [1], xColumn: "x; DROP TABLE points" as 'x', x0: 0, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(/unknown x column/);
    expect((await store.db.runAndReadAll('SELECT count(*) FROM points')).getRows()[0][0]).toBeGreaterThan(0n);
  });
});
