import { describe, it, expect, vi, beforeEach } from 'vitest';
import { appendToSeries, createSeries, ingestX, type Series } from '../../src/store/store';
import { emptyExtent, scan } from '../../src/store/pyramid';
import type { Curve } from '../../src/store/store';
import { paramsKey } from '../../src/smooth/params';
import { smoothedCurve, xRange } from '../../src/smooth/cpu';
import { smooth, smoothInto, type SmoothParams } from '../../src/smooth/reference';
import { mulberry32, randInt } from './prng';

// Spy on the recurrence the backend runs, so a test can tell a continuation (over the new points
// only) from a restart (from 0). The spy delegates to the real function.
vi.mock('../../src/smooth/reference', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/smooth/reference')>();
  return { ...real, smoothInto: vi.fn(real.smoothInto) };
});
const calls = () => vi.mocked(smoothInto).mock.calls.map(([, , from, to]) => [from, to]);
beforeEach(() => {
  vi.mocked(smoothInto).mockClear();
});

let nextSlot = 0;
function make(x: ArrayLike<number>, y: ArrayLike<number>): Series {
  const slot = nextSlot++;
  return createSeries(`s${slot}`, slot, ingestX(Float64Array.from(x)), Float32Array.from(y));
}

function append(s: Series, x: ArrayLike<number>, y: ArrayLike<number>): void {
  appendToSeries(s, ingestX(Float64Array.from(x)), Float32Array.from(y), null);
}

/** A new series holding the same sorted points: no cache, no append history. */
function copyOf(s: Series): Series {
  return make(s.col.x.subarray(0, s.n), s.y.subarray(0, s.n));
}

/** Random y with about 5% NaN and 2% ±Infinity; x integer-ish steps in [lo, hi). */
function batch(rand: () => number, m: number, lo: number, hi: number, sorted: boolean): [number[], number[]] {
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < m; i++) {
    x.push(lo + rand() * (hi - lo));
    const q = rand();
    y.push(q < 0.05 ? NaN : q < 0.06 ? Infinity : q < 0.07 ? -Infinity : Math.sin(i / 30) * 5 + rand() * 2 - 0.5);
  }
  if (sorted) x.sort((a, b) => a - b);
  return [x, y];
}

/** The curve agrees with the float64 reference over the series' sorted points (float32 rounding). */
function expectMatchesReference(c: Curve, s: Series, params: SmoothParams): void {
  expect(c.n).toBe(s.n);
  expect(c.col).toBe(s.col);
  const want = smooth(s.col.x.subarray(0, s.n), s.y.subarray(0, s.n), params);
  let scale = 0;
  for (let i = 0; i < s.n; i++) if (Number.isFinite(s.y[i])) scale = Math.max(scale, Math.abs(s.y[i]));
  for (let i = 0; i < s.n; i++) {
    if (!Number.isFinite(s.y[i])) {
      // a skipped point is NaN, never ±Infinity (nothing is drawn there)
      if (!Number.isNaN(c.y[i])) throw new Error(`index ${i}: y ${s.y[i]} is skipped, smoothed ${c.y[i]}`);
      continue;
    }
    const d = Math.abs(c.y[i] - want[i]);
    if (!(d <= 1e-6 * scale)) throw new Error(`index ${i}: smoothed ${c.y[i]}, reference ${want[i]} (scale ${scale})`);
  }
}

/** The curve equals, bit for bit, the curve of a fresh series with the same points. */
function expectSameAsFresh(c: Curve, s: Series, params: SmoothParams): void {
  const f = smoothedCurve(copyOf(s), params);
  expect(c.n).toBe(f.n);
  expect([...c.y.subarray(0, c.n)]).toEqual([...f.y.subarray(0, f.n)]);
}

/** Pyramid queries (whole range and random sub-ranges) equal brute force over the curve's y. */
function expectPyramidMatches(c: Curve, rand: () => number): void {
  const n = c.n;
  const whole = c.pyramid.query(c.y, 0, n, emptyExtent());
  let mn = Infinity, mx = -Infinity, mp = Infinity;
  for (let i = 0; i < n; i++) {
    const v = c.y[i];
    if (!Number.isFinite(v)) continue;
    mn = Math.min(mn, v);
    mx = Math.max(mx, v);
    if (v > 0) mp = Math.min(mp, v);
  }
  expect(whole).toEqual({ min: mn, max: mx, minPos: mp });
  expect(c.pyramid.length).toBe(n);
  for (let k = 0; k < 100; k++) {
    const i0 = randInt(rand, 0, n + 1), i1 = randInt(rand, i0, n + 1);
    expect({ i0, i1, ...c.pyramid.query(c.y, i0, i1, emptyExtent()) }).toEqual({ i0, i1, ...scan(c.y, i0, i1, emptyExtent()) });
  }
}

const ema = (weight: number): SmoothParams => ({ weight, mode: 'ema', range: 0 });
const tw = (weight: number, range: number): SmoothParams => ({ weight, mode: 'time-weighted', range });

describe('smoothedCurve', () => {
  it('smoothedCurve(series, params) equals smooth(x, y, params) up to float32 rounding, NaN at skipped points', () => {
    const rand = mulberry32(101);
    for (let trial = 0; trial < 24; trial++) {
      const n = trial === 0 ? 0 : trial === 1 ? 1 : randInt(rand, 2, 3000);
      // unsorted input half the time: the series is sorted by x, and smoothing follows that order
      const [x, y] = batch(rand, n, -500, 500 + rand() * 1e4, trial % 2 === 0);
      if (trial % 5 === 0 && n > 2) x[1] = NaN; // dropped point
      const s = make(x, y);
      const params = trial % 2 === 0 ? ema([0.6, 0.9, 0.999][trial % 3]) : tw([0.6, 0.9, 0.999][trial % 3], xRange([s]));
      const c = smoothedCurve(s, params);
      expectMatchesReference(c, s, params);
      expectPyramidMatches(c, rand);
    }
  });

  it('smoothedCurve(series, params) is cached: a second call with the same params computes nothing', () => {
    const rand = mulberry32(102);
    const s = make(...batch(rand, 500, 0, 1000, true));
    const a = smoothedCurve(s, ema(0.9));
    expect(calls()).toEqual([[0, 500]]);
    const b = smoothedCurve(s, ema(0.9));
    expect(b).toBe(a);
    expect(calls()).toEqual([[0, 500]]);
  });

  for (const params of [ema(0.9), ema(0.999), tw(0.9, 5000), tw(0.6, 800)]) {
    it(`smoothedCurve(series, ${paramsKey(params)}) continues after appendToSeries in order and equals a from-scratch smoothing`, () => {
      const rand = mulberry32(103);
      const s = make(...batch(rand, 100, 0, 100, false));
      let c = smoothedCurve(s, params);
      const pyramid = c.pyramid;
      let hi = 100;
      for (let k = 0; k < 12; k++) {
        // batches that overflow the capacity (the cached y grows) and small ones; some start exactly at the last x
        const m = k % 3 === 0 ? randInt(rand, 200, 800) : randInt(rand, 0, 20);
        const [x, y] = batch(rand, m, hi, hi + m * 2 + 1, false);
        if (k === 4 && m > 0) x[0] = s.col.x[s.n - 1];
        const n0 = s.n;
        append(s, x, y);
        vi.mocked(smoothInto).mockClear();
        c = smoothedCurve(s, params);
        // continued over the new points only, with the same pyramid
        expect(calls()).toEqual(s.n > n0 ? [[n0, s.n]] : []);
        expect(c.pyramid).toBe(pyramid);
        expectMatchesReference(c, s, params);
        expectSameAsFresh(c, s, params);
        expectPyramidMatches(c, rand);
        hi += m * 2 + 1;
      }
    });
  }

  for (const params of [ema(0.9), tw(0.9, 1000)]) {
    it(`smoothedCurve(series, ${paramsKey(params)}) restarts after an out-of-order append (merge) and equals a from-scratch smoothing`, () => {
      const rand = mulberry32(104);
      const s = make(...batch(rand, 1000, 0, 1000, true));
      let c = smoothedCurve(s, params);
      for (let k = 0; k < 6; k++) {
        // in the middle of the data: a merge rewrites earlier points
        const [x, y] = batch(rand, randInt(rand, 1, 300), 200, 900, k % 2 === 0);
        append(s, x, y);
        vi.mocked(smoothInto).mockClear();
        c = smoothedCurve(s, params);
        expect(calls()).toEqual([[0, s.n]]);
        expectMatchesReference(c, s, params);
        expectSameAsFresh(c, s, params);
        expectPyramidMatches(c, rand);
        // and an in-order append after the merge continues again
        const last = s.col.x[s.n - 1];
        const n0 = s.n;
        append(s, ...batch(rand, 50, last, last + 100, true));
        vi.mocked(smoothInto).mockClear();
        c = smoothedCurve(s, params);
        expect(calls()).toEqual([[n0, s.n]]);
        expectSameAsFresh(c, s, params);
        expectPyramidMatches(c, rand);
      }
    });
  }

  it('smoothedCurve(series, params) recomputes when weight, mode or range change', () => {
    const rand = mulberry32(105);
    const s = make(...batch(rand, 2000, 0, 3000, false));
    const R = xRange([s]);
    const seq = [ema(0.9), ema(0.6), tw(0.6, R), tw(0.6, 2 * R), tw(0.999, R), ema(0.9), ema(0.999), tw(0.6, R)];
    let prev: Curve | null = null;
    for (const params of seq) {
      vi.mocked(smoothInto).mockClear();
      const c = smoothedCurve(s, params);
      expect(calls()).toEqual([[0, s.n]]);
      if (prev) expect(c).not.toBe(prev);
      expectMatchesReference(c, s, params);
      expectSameAsFresh(c, s, params);
      expectPyramidMatches(c, rand);
      prev = c;
    }
  });

  it('smoothedCurve(series, params) after an earlier curve still leaves that curve as it was', () => {
    // A caller holding the curve of old params must not see it overwritten by the new ones.
    const rand = mulberry32(106);
    const s = make(...batch(rand, 300, 0, 300, true));
    const a = smoothedCurve(s, ema(0.9));
    const snapshot = [...a.y.subarray(0, a.n)];
    smoothedCurve(s, ema(0.5));
    expect([...a.y.subarray(0, a.n)]).toEqual(snapshot);
  });

  it('smoothedCurve(series, params) starts from an empty series and continues on its first append', () => {
    const rand = mulberry32(107);
    const s = make([], []);
    const params = ema(0.8);
    const c0 = smoothedCurve(s, params);
    expect(c0.n).toBe(0);
    expectPyramidMatches(c0, rand);
    append(s, ...batch(rand, 100, 0, 100, false));
    const c = smoothedCurve(s, params);
    expectMatchesReference(c, s, params);
    expectSameAsFresh(c, s, params);
    expectPyramidMatches(c, rand);
  });

  it('smoothedCurve(series, params) follows a shared x column copied on write', () => {
    const rand = mulberry32(108);
    const [x, y1] = batch(rand, 400, 0, 400, true);
    const y2 = batch(rand, 400, 0, 1, true)[1];
    const inc = ingestX(Float64Array.from(x));
    const a = createSeries('a', 0, inc, Float32Array.from(y1));
    const b = createSeries('b', 1, inc, Float32Array.from(y2));
    expect(a.col).toBe(b.col);
    const params = tw(0.9, 600);
    smoothedCurve(a, params);
    smoothedCurve(b, params);
    append(a, ...batch(rand, 100, 400, 500, true));
    const ca = smoothedCurve(a, params), cb = smoothedCurve(b, params);
    expect(a.col).not.toBe(b.col);
    expectMatchesReference(ca, a, params);
    expectMatchesReference(cb, b, params);
    expectSameAsFresh(ca, a, params);
    expectSameAsFresh(cb, b, params);
  });
});

describe('xRange', () => {
  it('xRange(series) is the largest last x minus the smallest first x', () => {
    const rand = mulberry32(201);
    for (let trial = 0; trial < 50; trial++) {
      const k = randInt(rand, 1, 6);
      const all: Series[] = [];
      let lo = Infinity, hi = -Infinity;
      for (let j = 0; j < k; j++) {
        const n = randInt(rand, 0, 50);
        const a = rand() * 2000 - 1000, b = a + rand() * 500;
        const [x, y] = batch(rand, n, a, b, false); // unsorted: the series sorts it
        for (const v of x) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        all.push(make(x, y));
      }
      expect(xRange(all)).toBe(hi > lo ? hi - lo : 0);
    }
  });

  it('xRange(series) follows appends and merges', () => {
    const s = make([10, 20, 30], [1, 2, 3]);
    const t = make([15, 16], [1, 2]);
    expect(xRange([s, t])).toBe(20);
    append(s, [40, 50], [1, 1]);
    expect(xRange([s, t])).toBe(40);
    append(t, [-5], [0]); // merge before the start
    expect(xRange([s, t])).toBe(55);
  });

  it('xRange(series) is 0 for no series, empty series, one point, or all points at one x', () => {
    expect(xRange([])).toBe(0);
    expect(xRange([make([], [])])).toBe(0);
    expect(xRange([make([], []), make([], [])])).toBe(0);
    expect(xRange([make([7], [1])])).toBe(0);
    expect(xRange([make([7], [1]), make([], []), make([7, 7], [1, 2])])).toBe(0);
    expect(xRange([make([NaN, 3], [1, 1])])).toBe(0); // the non-finite x is dropped
    expect(xRange([make([], []), make([1, 4], [1, 1])])).toBe(3);
  });
});

describe('paramsKey', () => {
  it('paramsKey(params) separates weight and mode, and range only for time-weighted', () => {
    expect(paramsKey(ema(0.9))).toBe(paramsKey({ weight: 0.9, mode: 'ema', range: 123 }));
    expect(paramsKey(ema(0.9))).not.toBe(paramsKey(ema(0.6)));
    expect(paramsKey(ema(0.9))).not.toBe(paramsKey(tw(0.9, 0)));
    expect(paramsKey(tw(0.9, 10))).not.toBe(paramsKey(tw(0.9, 20)));
    expect(paramsKey(tw(0.9, 10))).not.toBe(paramsKey(tw(0.6, 10)));
  });
});
