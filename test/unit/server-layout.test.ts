import { describe, expect, test } from 'vitest';
import { decode, encode, encodedBytes } from '../../src/source/layout';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import { mulberry32 } from './prng';

function series(runs: number, n: number, seed: number): RefSeries[] {
  const rand = mulberry32(seed);
  return Array.from({ length: runs }, (_, id) => ({
    id,
    step: Float64Array.from({ length: n }, (_, k) => k),
    y: Float32Array.from({ length: n }, () => (rand() < 0.01 ? NaN : rand())),
  }));
}

describe('binary layout', () => {
  test('round trip: every array comes back equal, as views into the one buffer', () => {
    const data = [...series(6, 5000, 1), { id: 50, step: [1, 2, 3], y: new Float32Array([1, NaN, 3]) }];
    const r = m4Reference(data, { series: [0, 1, 2, 3, 4, 5, 50, 77], xColumn: 'x', x0: 1, x1: 4000.5, W: 333, yScale: 'log' });
    const buf = encode(r, 333);
    const back = decode(buf);
    expect(back.W).toBe(333);
    expect(back.result).toEqual(r);
    expect(back.result.buckets.firstX.buffer).toBe(buf);
    expect(back.result.points.x.length).toBe(3);
  });

  test('an empty answer', () => {
    const r = m4Reference([], { series: [], xColumn: 'x', x0: 0, x1: 1, W: 10, yScale: 'linear' });
    expect(decode(encode(r, 10)).result).toEqual(r);
  });

  test('bytes per view stay within 64 x columns x runs', () => {
    for (const [runs, W] of [[10, 1000], [100, 1000], [3, 64]]) {
      const r = m4Reference(series(runs, 3 * W, runs), { series: [...Array(runs).keys()], xColumn: 'x', x0: 0, x1: 3 * W, W, yScale: 'linear' });
      expect(r.buckets.series.length).toBe(runs * W);
      const bytes = encode(r, W).byteLength;
      expect(bytes).toBe(encodedBytes({ series: runs, buckets: runs * W, points: 0 }));
      expect(bytes).toBeLessThanOrEqual(64 * W * runs);
    }
  });

  test('refuses what is not an answer', () => {
    expect(() => decode(new ArrayBuffer(8))).toThrow(/too short/);
    expect(() => decode(new ArrayBuffer(64))).toThrow(/magic/);
    const buf = encode(m4Reference(series(1, 10, 3), { series: [0], xColumn: 'x', x0: 0, x1: 9, W: 4, yScale: 'linear' }), 4);
    expect(() => decode(buf.slice(0, buf.byteLength - 8))).toThrow(/bytes/);
  });
});
