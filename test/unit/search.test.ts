import { describe, it, expect } from 'vitest';
import { gallopBound, lowerBound, lowerBoundAbove } from '../../src/store/search';
import { mulberry32 } from './prng';

/** The definitions, by a linear scan. */
const firstAtLeast = (x: Float64Array, lo: number, hi: number, v: number) => {
  for (let i = lo; i < hi; i++) if (x[i] >= v) return i;
  return hi;
};
const firstAbove = (x: Float64Array, from: number, n: number, v: number) => {
  for (let i = from; i < n; i++) if (x[i] > v) return i;
  return n;
};

describe('search', () => {
  it('lowerBound and lowerBoundAbove match a linear scan on sorted columns with repeated values', () => {
    const rand = mulberry32(7);
    for (let t = 0; t < 200; t++) {
      const n = Math.floor(rand() * 40);
      const x = Float64Array.from({ length: n }, () => Math.floor(rand() * 10)).sort();
      const v = Math.floor(rand() * 12) - 1;
      const lo = Math.floor(rand() * (n + 1));
      const hi = lo + Math.floor(rand() * (n - lo + 1));
      expect(lowerBound(x, lo, hi, v)).toBe(firstAtLeast(x, lo, hi, v));
      expect(gallopBound(x, lo, hi, v)).toBe(firstAtLeast(x, lo, hi, v));
      expect(lowerBoundAbove(x, n, v, lo)).toBe(firstAbove(x, lo, n, v));
      expect(lowerBoundAbove(x, n, v)).toBe(firstAbove(x, 0, n, v));
    }
  });

  it('searches only the first n points of a column with spare capacity', () => {
    const x = Float64Array.from([1, 2, 3, 0, 0]); // capacity 5, 3 points held
    expect(lowerBoundAbove(x, 3, 5)).toBe(3);
    expect(lowerBound(x, 0, 3, 5)).toBe(3);
    expect(gallopBound(x, 0, 3, 5)).toBe(3);
  });
});
