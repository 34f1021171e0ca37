import { beforeAll, describe, expect, it } from 'vitest';
import { aggregateRuns, type AggParams, type AggRun, type Aggregated } from '../../src/aggregate/align';
import { loadTQuantile } from '../../src/aggregate/tquantile';
import { aggregateReference } from '../../src/aggregate/reference';
import { mulberry32, randInt } from './prng';

beforeAll(() => loadTQuantile()); // ci95 bands

const run = (x: number[], y: number[]): AggRun => ({ x: Float64Array.from(x), y: Float32Array.from(y), n: x.length });

/** Equal to the reference at every union x, within float64 rounding (relative 1e-9). */
function expectReference(got: Aggregated, runs: AggRun[], p: AggParams): void {
  const want = aggregateReference(runs, p);
  expect(Array.from(got.x.subarray(0, got.length))).toEqual(want.x);
  expect(Array.from(got.n.subarray(0, got.length))).toEqual(want.n);
  for (const key of ['line', 'low', 'high'] as const) {
    const a = got[key], b = want[key];
    for (let j = 0; j < b.length; j++) {
      if (Number.isNaN(b[j])) {
        expect(a[j], `${key} at x = ${want.x[j]}`).toBeNaN();
        continue;
      }
      const tol = 1e-9 * Math.max(1, Math.abs(b[j]));
      if (!(Math.abs(a[j] - b[j]) <= tol)) expect({ key, x: want.x[j], got: a[j] }).toEqual({ key, x: want.x[j], got: b[j] });
    }
  }
}

function randomRuns(rand: () => number, count: number, shared: boolean): AggRun[] {
  const common = shared ? randomX(rand, randInt(rand, 1, 300)) : null;
  return Array.from({ length: count }, () => {
    const x = common ?? randomX(rand, randInt(rand, 0, 300));
    const y = new Float32Array(x.length);
    let v = 1 + rand() * 5;
    for (let i = 0; i < x.length; i++) {
      v *= 0.97 + rand() * 0.05;
      const r = rand();
      y[i] = r < 0.05 ? NaN : r < 0.06 ? Infinity : r < 0.09 ? -rand() : r < 0.1 ? 0 : v;
    }
    return { x, y, n: x.length };
  });
}

/** Sorted x, uneven, with repeated values (a restarted run) and long gaps. */
function randomX(rand: () => number, n: number): Float64Array {
  const x = new Float64Array(n);
  let t = Math.floor(rand() * 50);
  for (let i = 0; i < n; i++) {
    t += rand() < 0.08 ? 0 : rand() < 0.9 ? 1 + Math.floor(rand() * 3) : 40 * rand();
    x[i] = t;
  }
  return x;
}

const lines = ['mean', 'median'] as const;
const bands = ['none', 'minmax', 'std', 'ci95'] as const;

describe('aggregateRuns', () => {
  it('equals the float64 reference for every line and band, linear and log y, shared and own x', () => {
    const rand = mulberry32(15);
    for (let round = 0; round < 48; round++) {
      const p: AggParams = { line: lines[round % 2], band: bands[(round >> 1) % 4], log: round % 16 >= 8 };
      const runs = randomRuns(rand, randInt(rand, 1, 7), round % 3 === 0);
      expectReference(aggregateRuns(runs, p), runs, p);
    }
  });

  it('aligns runs on the union of their x: a point where a run has one, else the interpolation; none outside its range', () => {
    const a = run([0, 2, 4], [1, 3, 5]);
    const b = run([1, 2, 3], [10, 20, 30]);
    const got = aggregateRuns([a, b], { line: 'mean', band: 'minmax', log: false });
    expect(Array.from(got.x.subarray(0, got.length))).toEqual([0, 1, 2, 3, 4]);
    // x = 0: a only; 1: a interpolated (2) and b (10); 2: both points; 3: a (4) and b (30); 4: a only
    expect(Array.from(got.n.subarray(0, 5))).toEqual([1, 2, 2, 2, 1]);
    expect(Array.from(got.line.subarray(0, 5))).toEqual([1, 6, 11.5, 17, 5]);
    expect(Array.from(got.low.subarray(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(got.high.subarray(0, 5))).toEqual([1, 10, 20, 30, 5]);
  });

  it('interpolates in log space on a log y axis, and leaves out values <= 0 there', () => {
    const a = run([0, 2], [1, 100]);
    const b = run([1, 2], [-1, 50]);
    const got = aggregateRuns([a, b], { line: 'mean', band: 'none', log: true });
    // x = 1: a's log-space midpoint 10; b's -1 is not drawable on a log axis
    expect(got.n[1]).toBe(1);
    expect(got.line[1]).toBeCloseTo(10, 12);
    expect(got.line[2]).toBe(75);
  });

  it('takes the median of an even n as the mean of the middle two; a NaN point leaves its run out; n = 0 is NaN', () => {
    const runs = [run([0, 1], [1, NaN]), run([0, 1], [2, NaN]), run([0, 1], [10, NaN]), run([0, 1], [4, NaN])];
    const got = aggregateRuns(runs, { line: 'median', band: 'minmax', log: false });
    expect(got.line[0]).toBe(3);
    expect(got.n[1]).toBe(0);
    expect(got.line[1]).toBeNaN();
    expect(got.low[1]).toBeNaN();
  });

  it('std is mean +- the sample standard deviation, ci95 mean +- t(0.975, n - 1) s / sqrt(n); n = 1 collapses the band', () => {
    const runs = [run([0, 1], [1, 7]), run([0], [3])];
    const std = aggregateRuns(runs, { line: 'mean', band: 'std', log: false });
    // x = 0: values 1 and 3, mean 2, s = sqrt(2)
    expect(std.low[0]).toBeCloseTo(2 - Math.SQRT2, 12);
    expect(std.high[0]).toBeCloseTo(2 + Math.SQRT2, 12);
    // x = 1: only the first run (the second ends at 0)
    expect([std.n[1], std.low[1], std.line[1], std.high[1]]).toEqual([1, 7, 7, 7]);
    const ci = aggregateRuns(runs, { line: 'mean', band: 'ci95', log: false });
    expect(ci.high[0] - 2).toBeCloseTo((12.706204736174694 * Math.SQRT2) / Math.SQRT2, 9);
  });

  it('after appends, computing from the least previous last x equals computing from scratch', () => {
    const rand = mulberry32(77);
    for (let round = 0; round < 24; round++) {
      const p: AggParams = { line: lines[round % 2], band: bands[round % 4], log: round % 5 === 0 };
      const full = randomRuns(rand, randInt(rand, 1, 6), round % 2 === 0);
      // each run cut somewhere, then grown back to its whole length
      const cut = full.map((r) => ({ ...r, n: randInt(rand, 0, r.n) }));
      let result = aggregateRuns(cut, p);
      let fromX = Infinity;
      for (let k = 0; k < full.length; k++) {
        if (full[k].n === cut[k].n) continue;
        fromX = Math.min(fromX, cut[k].n > 0 ? cut[k].x[cut[k].n - 1] : -Infinity);
      }
      if (fromX === Infinity) continue;
      result = aggregateRuns(full, p, { result, fromX });
      expectReference(result, full, p);
    }
  });
});
