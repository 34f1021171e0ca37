import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PointWriter, type PointBatch } from '../../src/server/pointwriter';
import { openStore, type Store } from '../../src/server/schema';

const dir = mkdtempSync(join(tmpdir(), 'mgl-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const batch = (series: number, firstOrd: number, x: number[]): PointBatch => ({
  series, file: 0, firstOrd, x: Float64Array.from(x), y: Float32Array.from(x, (v) => v / 10), time: null, wall: null, epoch: null,
});

/** The rows of `points` in the order they are stored (rowid), as [series, x, ord]. */
async function stored(store: Store): Promise<number[][]> {
  const r = await store.db.runAndReadAll('SELECT series, x, ord FROM points ORDER BY rowid');
  return r.getRows().map((row) => row.map(Number));
}

async function write(name: string, batches: PointBatch[]): Promise<number[][]> {
  const store = await openStore(join(dir, `${name}.duckdb`), { threads: 1 });
  const w = await PointWriter.open(store.db);
  for (const b of batches) w.add(b);
  await w.commit();
  const rows = await stored(store);
  store.close();
  return rows;
}

describe('PointWriter stores an ingest\'s points in (series, x, ord) order', () => {
  const sorted = (rows: number[][]) => [...rows].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);

  test('batches that arrive in order are stored as they came', async () => {
    const rows = await write('in-order', [batch(0, 0, [0, 1, 2]), batch(0, 3, [2, 5]), batch(1, 0, [0, 7])]);
    expect(rows).toEqual([[0, 0, 0], [0, 1, 1], [0, 2, 2], [0, 2, 3], [0, 5, 4], [1, 0, 0], [1, 7, 1]]);
  });

  test('from the first batch out of order on (a lower series after a higher one, a restarted run, NaN x), the rest is stored sorted after the rows before it', async () => {
    const input = [batch(2, 0, [0, 1, 2, 3]), batch(1, 0, [5, 6]), batch(2, 4, [1, 2]), batch(3, 0, [4, 3]), batch(4, 0, [NaN, 1])];
    const rows = await write('out-of-order', input);
    expect(rows.length).toBe(12);
    // the batch in order went straight in; the rest is one sorted run after it
    expect(rows.slice(0, 4)).toEqual([[2, 0, 0], [2, 1, 1], [2, 2, 2], [2, 3, 3]]);
    const rest = rows.slice(4);
    // NaN sorts last in DuckDB; compare the finite part against a plain sort
    const finite = rest.filter((r) => !Number.isNaN(r[1]));
    expect(finite).toEqual(sorted(finite));
    expect(rest.slice(0, 4)).toEqual([[1, 5, 0], [1, 6, 1], [2, 1, 4], [2, 2, 5]]);
    expect(rest.filter((r) => Number.isNaN(r[1]))).toEqual([[4, NaN, 0]]);
  });

  test('time, wall and epoch: NaN and absent ones are NULL on both paths; ord beyond 2^32 is exact', async () => {
    const timed = (series: number, firstOrd: number, x: number[], time: number[] | null): PointBatch => ({
      ...batch(series, firstOrd, x), time: time && Float64Array.from(time), wall: time && Float64Array.from(time, (t) => t * 2), epoch: null,
    });
    const big = 2 ** 33 + 5;
    for (const order of ['in-order', 'staged']) {
      const input = [timed(1, big, [0, 1, 2], [10, NaN, 30]), timed(1, big + 3, [3], null)];
      if (order === 'staged') input.unshift(batch(5, 0, [0]));
      const store = await openStore(join(dir, `nulls-${order}.duckdb`), { threads: 1 });
      const w = await PointWriter.open(store.db);
      for (const b of input) w.add(b);
      await w.commit();
      const r = await store.db.runAndReadAll('SELECT x, ord, time, wall, epoch FROM points WHERE series = 1 ORDER BY x');
      const got = r.getRows().map((row) => row.map((v) => (v === null ? null : Number(v))));
      store.close();
      expect(got, order).toEqual([
        [0, big, 10, 20, null], [1, big + 1, null, null, null], [2, big + 2, 30, 60, null], [3, big + 3, null, null, null],
      ]);
    }
  });

  test('a rollback leaves nothing of either path', async () => {
    const store = await openStore(join(dir, 'rollback.duckdb'), { threads: 1 });
    await store.db.run('BEGIN TRANSACTION');
    const w = await PointWriter.open(store.db);
    for (const b of [batch(2, 0, Array.from({ length: 5000 }, (_, i) => i)), batch(1, 0, [1, 2])]) w.add(b);
    await w.commit();
    expect(Number((await store.db.runAndReadAll('SELECT count(*) FROM points')).getRows()[0][0])).toBe(5002);
    await store.db.run('ROLLBACK');
    expect(Number((await store.db.runAndReadAll('SELECT count(*) FROM points')).getRows()[0][0])).toBe(0);
    store.close();
  });
});
