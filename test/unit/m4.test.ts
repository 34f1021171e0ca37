import { describe, it, expect } from 'vitest';
import { drawable, m4, type M4Buckets } from '../../src/decimate/m4';

const edges = (...e: number[]) => Float64Array.from(e);

function plain(b: M4Buckets) {
  return { first: [...b.first], last: [...b.last], min: [...b.min], max: [...b.max] };
}

describe('m4', () => {
  it('m4(x, y, n, edges, "linear") gives first/last index and min/max per column', () => {
    // columns [0, 1), [1, 2), [2, 3]
    const x = [0, 0.2, 0.5, 0.9, 1.0, 1.5, 2.0, 2.5, 3.0];
    const y = [5, -1, 7, 2, 3, 3, 10, -4, 0];
    const b = m4(x, y, x.length, edges(0, 1, 2, 3), 'linear');
    expect(plain(b)).toEqual({
      first: [0, 4, 6],
      last: [3, 5, 8],
      min: [-1, 3, -4],
      max: [7, 3, 10],
    });
  });

  it('m4(x, y, n, edges) leaves empty columns at -1 and NaN', () => {
    const x = [0.5, 3.5];
    const y = [1, 2];
    const b = m4(x, y, 2, edges(0, 1, 2, 3, 4), 'linear');
    expect(plain(b)).toEqual({
      first: [0, -1, -1, 1],
      last: [0, -1, -1, 1],
      min: [1, NaN, NaN, 2],
      max: [1, NaN, NaN, 2],
    });
  });

  it('m4(x, y, n, edges) counts a NaN point for first/last but not for min/max', () => {
    const x = [0.1, 0.2, 0.3, 1.5];
    const y = [NaN, 4, NaN, NaN];
    const b = m4(x, y, 4, edges(0, 1, 2), 'linear');
    expect(plain(b)).toEqual({ first: [0, 3], last: [2, 3], min: [4, NaN], max: [4, NaN] });
  });

  it('m4(x, y, n, edges) skips ±Infinity for min/max', () => {
    const b = m4([0, 0.5, 0.7], [Infinity, -Infinity, 2], 3, edges(0, 1), 'linear');
    expect(plain(b)).toEqual({ first: [0], last: [2], min: [2], max: [2] });
  });

  it('m4(x, y, n, edges, "log") skips values <= 0 for min/max but keeps them for first/last', () => {
    const x = [0, 0.5, 0.8, 1.2, 1.4];
    const y = [-3, 0.01, 0, 0, -1];
    const b = m4(x, y, 5, edges(0, 1, 2), 'log');
    expect(plain(b)).toEqual({ first: [0, 3], last: [2, 4], min: [0.01, NaN], max: [0.01, NaN] });
    // the same data on a linear axis uses them
    expect(plain(m4(x, y, 5, edges(0, 1, 2), 'linear'))).toEqual({ first: [0, 3], last: [2, 4], min: [-3, -1], max: [0.01, 0] });
  });

  it('m4(x, y, n, edges) puts x == edges[W] in the last column and x == edges[c] in column c', () => {
    const x = [0, 1, 2, 3];
    const y = [1, 2, 3, 4];
    const b = m4(x, y, 4, edges(0, 1, 2, 3), 'linear');
    expect(plain(b)).toEqual({ first: [0, 1, 2], last: [0, 1, 3], min: [1, 2, 3], max: [1, 2, 4] });
  });

  it('m4(x, y, n, edges) ignores points outside the edges', () => {
    const x = [-1, -0.001, 0, 1.5, 2, 2.0001, 100];
    const y = [100, 100, 1, 2, 3, -100, -100];
    const b = m4(x, y, x.length, edges(0, 1, 2), 'linear');
    expect(plain(b)).toEqual({ first: [2, 3], last: [2, 4], min: [1, 2], max: [1, 3] });
  });

  it('m4(x, y, n, edges) only reads the first n points', () => {
    const b = m4([0.5, 0.6, 0.7], [1, 2, 99], 2, edges(0, 1), 'linear');
    expect(plain(b)).toEqual({ first: [0], last: [1], min: [1], max: [2] });
  });

  it('m4(x, y, n, edges) with a NaN x ignores the point', () => {
    const b = m4([0.5, NaN, 0.7], [1, 50, 2], 3, edges(0, 1), 'linear');
    expect(plain(b)).toEqual({ first: [0], last: [2], min: [1], max: [2] });
  });

  it('m4(x, y, 0, edges) is all empty', () => {
    const b = m4([], [], 0, edges(0, 1, 2), 'linear');
    expect(plain(b)).toEqual({ first: [-1, -1], last: [-1, -1], min: [NaN, NaN], max: [NaN, NaN] });
  });
});

describe('drawable', () => {
  it('drawable(v, "linear") is true for finite values only', () => {
    expect([0, -0, -5, 1e-300, 3.4e38, -1e308].map((v) => drawable(v, 'linear'))).toEqual([true, true, true, true, true, true]);
    expect([NaN, Infinity, -Infinity].map((v) => drawable(v, 'linear'))).toEqual([false, false, false]);
  });

  it('drawable(v, "log") is true for finite values > 0 only', () => {
    expect([1e-300, 0.5, 1, 1e308].map((v) => drawable(v, 'log'))).toEqual([true, true, true, true]);
    expect([0, -0, -1, NaN, Infinity, -Infinity].map((v) => drawable(v, 'log'))).toEqual([false, false, false, false, false, false]);
  });
});
