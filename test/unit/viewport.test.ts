import { describe, expect, it } from 'vitest';
import { between, panBy, validDomain, zoomAt } from '../../src/interact/viewport';

describe('zoomAt', () => {
  it('zoomAt([0, 100], linear, 0.25, 0.5) keeps the value under the cursor fixed', () => {
    const d = zoomAt([0, 100], 'linear', 0.25, 0.5);
    expect(d).toEqual([12.5, 62.5]);
    expect(d[0] + (d[1] - d[0]) * 0.25).toBeCloseTo(25, 12);
  });
  it('zoomAt on a log axis zooms in log space', () => {
    const d = zoomAt([1, 1e4], 'log', 0.5, 0.5);
    expect(d[0]).toBeCloseTo(10, 9);
    expect(d[1]).toBeCloseTo(1000, 9);
  });
  it('zoomAt(d, scale, at, 1 / f) undoes zoomAt(d, scale, at, f)', () => {
    const z = zoomAt(zoomAt([3, 7], 'linear', 0.3, 0.8), 'linear', 0.3, 1 / 0.8);
    expect(z[0]).toBeCloseTo(3, 12);
    expect(z[1]).toBeCloseTo(7, 12);
  });
});

describe('panBy', () => {
  it('panBy([0, 10], linear, 0.5) moves the view by half its width', () => {
    expect(panBy([0, 10], 'linear', 0.5)).toEqual([5, 15]);
  });
  it('panBy on log moves by decades', () => {
    const d = panBy([1, 100], 'log', 0.5);
    expect(d[0]).toBeCloseTo(10, 9);
    expect(d[1]).toBeCloseTo(1000, 9);
  });
  it('panBy keeps epoch-millisecond precision', () => {
    const d = panBy([1.7e12, 1.7e12 + 10], 'linear', 0.1);
    expect(d[0]).toBe(1.7e12 + 1);
    expect(d[1]).toBe(1.7e12 + 11);
  });
});

describe('between', () => {
  it('between([0, 100], linear, 0.6, 0.2) is the box in either drag direction', () => {
    const d = between([0, 100], 'linear', 0.6, 0.2);
    expect(d[0]).toBeCloseTo(20, 12);
    expect(d[1]).toBeCloseTo(60, 12);
  });
});

describe('validDomain', () => {
  it('validDomain rejects reversed, empty, non-finite, non-positive log and float-exhausted domains', () => {
    expect(validDomain([1, 1], 'linear')).toBeNull();
    expect(validDomain([2, 1], 'linear')).toBeNull();
    expect(validDomain([NaN, 1], 'linear')).toBeNull();
    expect(validDomain([0, 1], 'log')).toBeNull();
    expect(validDomain([1, 1 + 1e-14], 'linear')).toBeNull();
    expect(validDomain([1.7e12, 1.7e12 + 10], 'linear')).toEqual([1.7e12, 1.7e12 + 10]);
  });
});
