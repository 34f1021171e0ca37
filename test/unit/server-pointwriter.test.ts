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

describe('PointWriter stores points in (series, x, ord) order', () => {
  const sorted = (rows: number[][]) => [...rows].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);

  test('batches that arrive in order are stored as they came', async () => {
    const rows = await write('in-order', [batch(0, 0, [0, 1, 2]), batch(0, 3, [2, 5]), batch(1, 0, [0, 7])]);
    expect(rows).toEqual([[0, 0, 0], [0, 1, 1], [0, 2, 2], [0, 2, 3], [0, 5, 4], [1, 0, 0], [1, 7, 1]]);
  });

  test('out of order (a restarted run, a lower series after a higher one, NaN x) is sorted', async () => {
    const input = [batch(2, 0, [0, 1, 2, 3]), batch(1, 0, [5, 6]), batch(2, 4, [1, 2]), batch(3, 0, [4, 3]), batch(4, 0, [NaN, 1])];
    const rows = await write('out-of-order', input);
    expect(rows.length).toBe(12);
    // NaN sorts last in DuckDB; compare the finite part against a plain sort
    const finite = rows.filter((r) => !Number.isNaN(r[1]));
    expect(finite).toEqual(sorted(finite));
    expect(rows.slice(0, 8)).toEqual([[1, 5, 0], [1, 6, 1], [2, 0, 0], [2, 1, 1], [2, 1, 4], [2, 2, 2], [2, 2, 5], [2, 3, 3]]);
  });
});
