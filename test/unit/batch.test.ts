import { describe, it, expect } from 'vitest';
import { ColumnBatch } from '../../src/data/batch';

describe('ColumnBatch', () => {
  it('ColumnBatch.add copies an x array passed by several series once', () => {
    const b = new ColumnBatch();
    const x = [0, 1, 2];
    b.add('a', 0, x, [1, 1, 1]);
    b.add('b', 1, x, [2, 2, 2]);
    expect(b.xs.length).toBe(1);
    expect(b.series.map((s) => s.xKey)).toEqual([0, 0]);
  });

  it('ColumnBatch(separateCalls).add copies an x array again when it was refilled between calls, and only then', () => {
    const b = new ColumnBatch(true);
    const x = new Float64Array([3]);
    b.add('a', 0, x, [10]);
    b.add('b', 1, x, [20]); // same steps: shared
    x[0] = 4;
    b.add('a', 0, x, [11]); // refilled: a copy of its own
    x[0] = NaN;
    b.add('c', 2, x, [1]);
    b.add('d', 3, x, [1]); // NaN equals NaN here: shared
    expect(b.series.map((s) => s.xKey)).toEqual([0, 0, 1, 2, 2]);
    expect(b.xs.map((p) => [...p.x])).toEqual([[3], [4], [NaN]]);
    expect([...b.series[2].y]).toEqual([11]);
  });
});
