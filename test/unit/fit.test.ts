import { describe, it, expect } from 'vitest';
import { axisMap, unproject, type ScaleType } from '../../src/coords';
import type { ColumnView } from '../../src/decimate/columns';
import { fitX, fitY } from '../../src/decimate/fit';
import { createSeries, ingestX, type Series } from '../../src/store/store';

function make(x: ArrayLike<number>, y: ArrayLike<number>, slot = 0): Series {
  return createSeries(`s${slot}`, slot, ingestX(Float64Array.from(x)), Float32Array.from(y));
}

/** A view as decimateView builds one (the y map is not read by the fit). */
function view(xDomain: [number, number], W: number, yScale: ScaleType = 'linear', xScale: ScaleType = 'linear'): ColumnView {
  const xmap = axisMap(xScale, xDomain, [0, W]);
  const edges = new Float64Array(W + 1);
  for (let c = 0; c <= W; c++) edges[c] = unproject(xmap, c);
  edges[0] = xDomain[0];
  edges[W] = xDomain[1];
  return { edges, xmap, ymap: xmap, xScale, yScale, height: 100 };
}

describe('fitX', () => {
  it('spans the first to the last point of every series, unpadded', () => {
    expect(fitX([make([0, 5, 9], [1, 1, 1]), make([5, 20], [1, 1], 1)], 'linear')).toEqual([0, 20]);
  });

  it('on a log axis starts at the first positive x', () => {
    expect(fitX([make([-3, 0, 2, 50], [1, 1, 1, 1])], 'log')).toEqual([2, 50]);
  });

  it('widens a single x, and falls back to a default domain without data', () => {
    const [lo, hi] = fitX([make([7], [1])], 'linear');
    expect(lo).toBeLessThan(7);
    expect(hi).toBeGreaterThan(7);
    expect(fitX([], 'linear')).toEqual([0, 1]);
    expect(fitX([make([-1, 0], [1, 1])], 'log')).toEqual([1, 10]);
  });
});

describe('fitY', () => {
  it('fits the values in the x view with 5% padding', () => {
    const s = make([0, 1, 2, 3, 4], [1, 2, 3, 100, 100]);
    const [lo, hi] = fitY([s], view([0, 2], 10), false);
    // in view: 1..3, and the line leaving the view at x = 2 starts at 3
    expect(lo).toBeCloseTo(1 - 0.1, 12);
    expect(hi).toBeCloseTo(3 + 0.1, 12);
  });

  it('takes where a line crosses the view edges, not only the points inside', () => {
    const s = make([0, 10], [0, 10]);
    const [lo, hi] = fitY([s], view([2, 8], 6), false);
    expect(lo).toBeCloseTo(2 - 0.3, 9);
    expect(hi).toBeCloseTo(8 + 0.3, 9);
  });

  it('on a log axis fits log10 of the positive values, padded in decades', () => {
    const s = make([0, 1, 2, 3], [-1, 0, 1, 100]);
    const [lo, hi] = fitY([s], view([0, 3], 10, 'log'), false);
    expect(Math.log10(lo)).toBeCloseTo(-0.1, 12);
    expect(Math.log10(hi)).toBeCloseTo(2.1, 12);
  });

  it('with ignoreOutliers a lone spike among dense data does not set the domain', () => {
    const n = 20_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => (i === 12_345 ? 1000 : Math.sin(i / 500)));
    const v = view([0, n - 1], 200);
    const full = fitY([make(x, y)], v, false);
    const robust = fitY([make(x, y)], v, true);
    expect(full[1]).toBeGreaterThan(1000);
    expect(robust[1]).toBeLessThan(2);
    expect(robust[0]).toBeLessThan(-0.9);
  });

  it('with ignoreOutliers falls back to the full extent when the percentiles coincide', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i === 50 ? 9 : 1));
    const s = make(Array.from({ length: 100 }, (_, i) => i), y);
    expect(fitY([s], view([0, 99], 400), true)).toEqual(fitY([s], view([0, 99], 400), false));
  });

  it('defaults when nothing in view can be drawn', () => {
    expect(fitY([make([0, 1], [NaN, NaN])], view([0, 1], 10), false)).toEqual([0, 1]);
    expect(fitY([make([0, 1], [-1, 0])], view([0, 1], 10, 'log'), true)).toEqual([1, 10]);
  });
});
