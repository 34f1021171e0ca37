import { describe, it, expect } from 'vitest';
import { initialState, smooth, smoothInto, type SmoothParams } from '../../src/smooth/reference';
import { mulberry32, randInt } from './prng';
import { randomX, randomY, relDiff } from './smooth-data';

/**
 * TensorBoard's smoothing loop, transcribed literally (line_chart_v2 classicSmoothing, with the
 * non-finite output fixed to NaN as DESIGN.md says nothing is drawn there).
 */
function tensorBoardEma(y: ArrayLike<number>, w: number): Float64Array {
  const out = new Float64Array(y.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    const debias = w === 0 ? 1 : 1 - Math.pow(w, n);
    out[i] = last / debias;
  }
  return out;
}

/** DESIGN.md's time-weighted formula, transcribed literally. */
function designTimeWeighted(x: ArrayLike<number>, y: ArrayLike<number>, w: number, R: number): Float64Array {
  const out = new Float64Array(y.length);
  let S = 0;
  let D = 0;
  for (let i = 0; i < y.length; i++) {
    const d = i === 0 || R === 0 ? 0 : ((x[i] - x[i - 1]) * 1000) / R;
    const a = Math.pow(w, d);
    S = a * S;
    D = a * D;
    const v = y[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    S += v;
    D += 1;
    out[i] = S / D;
  }
  return out;
}

const ema = (weight: number): SmoothParams => ({ weight, mode: 'ema', range: 0 });
const tw = (weight: number, range: number): SmoothParams => ({ weight, mode: 'time-weighted', range });

describe('smooth (ema)', () => {
  for (const w of [0, 0.6, 0.9, 0.999]) {
    it(`smooth(x, y, {mode: 'ema', weight: ${w}}) equals TensorBoard's loop`, () => {
      const rand = mulberry32(0x5eed + Math.round(w * 1000));
      for (let trial = 0; trial < 20; trial++) {
        const n = trial === 0 ? 0 : trial === 1 ? 1 : randInt(rand, 2, 3000);
        const y = randomY(rand, n);
        if (trial === 2 && n > 0) y[0] = NaN; // leading gap
        const x = randomX(rand, n);
        const got = smooth(x, y, ema(w));
        expect(got.length).toBe(n);
        expect(relDiff(got, tensorBoardEma(y, w))).toBeLessThan(1e-12);
      }
    });
  }

  it("smooth(x, y, {mode: 'ema', weight: 0.9}) equals TensorBoard's loop on large magnitudes and all-gap data", () => {
    const rand = mulberry32(77);
    const y = randomY(rand, 2000).map((v) => v * 1e30);
    expect(relDiff(smooth(randomX(rand, 2000), y, ema(0.9)), tensorBoardEma(y, 0.9))).toBeLessThan(1e-12);
    const gaps = [NaN, Infinity, -Infinity, NaN];
    expect([...smooth([0, 1, 2, 3], gaps, ema(0.9))].every(Number.isNaN)).toBe(true);
  });

  it("smooth(x, y, {mode: 'ema', weight: 0}) returns the input exactly, NaN at non-finite", () => {
    const rand = mulberry32(11);
    const y = randomY(rand, 5000);
    y[0] = 1e-320; // a subnormal survives too
    y[1] = -0;
    const got = smooth(randomX(rand, y.length), y, ema(0));
    for (let i = 0; i < y.length; i++) {
      if (Number.isFinite(y[i])) expect(got[i]).toBe(y[i]);
      else expect(got[i]).toBeNaN();
    }
  });

  it("smooth(x, y, {mode: 'ema'}) ignores x entirely", () => {
    const rand = mulberry32(12);
    const y = randomY(rand, 500);
    const a = smooth(randomX(rand, 500), y, ema(0.8));
    const b = smooth(randomX(rand, 500), y, { weight: 0.8, mode: 'ema', range: 12345 });
    expect([...a]).toEqual([...b]);
  });
});

describe('smooth (time-weighted)', () => {
  for (const w of [0, 0.6, 0.9, 0.999]) {
    it(`smooth(x, y, {mode: 'time-weighted', weight: ${w}}) equals DESIGN's formula on uneven spacing`, () => {
      const rand = mulberry32(0x7173 + Math.round(w * 1000));
      for (let trial = 0; trial < 20; trial++) {
        const n = trial === 0 ? 0 : trial === 1 ? 1 : randInt(rand, 2, 3000);
        const x = randomX(rand, n);
        const y = randomY(rand, n);
        if (trial === 2 && n > 0) y[0] = NaN;
        // R from the series itself, or a wider chart extent (other series reach further)
        const own = n > 0 ? x[n - 1] - x[0] : 0;
        const R = trial % 3 === 0 ? own : own * (1 + rand() * 4) + rand() * 100;
        const got = smooth(x, y, tw(w, R));
        expect(got.length).toBe(n);
        expect(relDiff(got, designTimeWeighted(x, y, w, R))).toBeLessThan(1e-12);
      }
    });
  }

  it("smooth(x, y, {mode: 'time-weighted', range: 0}) uses d = 0: the running mean of the finite values", () => {
    const rand = mulberry32(21);
    const x = new Float64Array(300).fill(42);
    const y = randomY(rand, 300);
    const got = smooth(x, y, tw(0.9, 0));
    expect(relDiff(got, designTimeWeighted(x, y, 0.9, 0))).toBeLessThan(1e-12);
    let sum = 0, k = 0;
    const mean = y.map((v) => (Number.isFinite(v) ? ((sum += v), ++k, sum / k) : NaN));
    expect(relDiff(got, mean)).toBeLessThan(1e-12);
  });

  it("smooth(x, y, {mode: 'time-weighted'}) lets x pass at a skipped point: the state decays by its a", () => {
    // w = 0.5, R = 1000, d = 1 per step. Points: 4, NaN (x passes), 10.
    //   S = 4, D = 1; skip: S = 2, D = 0.5; then S = 1 + 10 = 11, D = 0.25 + 1 = 1.25.
    const got = smooth([0, 1, 2], [4, NaN, 10], tw(0.5, 1000));
    expect(got[0]).toBe(4);
    expect(got[1]).toBeNaN();
    expect(got[2]).toBeCloseTo(11 / 1.25, 14);
    // ema keeps the state at a gap instead: 4, NaN, then as if the NaN were not there
    const e = smooth([0, 1, 2], [4, NaN, 10], ema(0.5));
    expect(e[2]).toBeCloseTo((0.5 * 0.5 * 4 + 0.5 * 10) / (1 - 0.25), 14);
  });

  for (const [label, step, R] of [
    ['x from 0 to 1000', 1, 1000],
    ['x from 0 to 5000 step 5', 5, 5000],
  ] as const) {
    it(`smooth(x, y, {mode: 'time-weighted'}) equals ema on 1001 evenly spaced finite points, ${label}`, () => {
      const rand = mulberry32(31 + step);
      const x = Float64Array.from({ length: 1001 }, (_, i) => i * step);
      expect(x[1000] - x[0]).toBe(R);
      const y = randomY(rand, 1001, false);
      for (const w of [0, 0.3, 0.6, 0.9, 0.99, 0.999]) {
        const t = smooth(x, y, tw(w, R));
        expect(relDiff(t, smooth(x, y, ema(w)))).toBeLessThan(1e-12);
        expect(relDiff(t, tensorBoardEma(y, w))).toBeLessThan(1e-12);
      }
    });
  }

  it("smooth(x, y, {mode: 'time-weighted'}) is resolution independent, ema is not", () => {
    // The same smooth function (no noise) sampled at step 1 and at step 0.5 over [0, 1000].
    const f = (x: number) => 2 + Math.sin(x / 80) + 0.001 * x;
    const coarseX = Float64Array.from({ length: 1001 }, (_, i) => i);
    const fineX = Float64Array.from({ length: 2001 }, (_, i) => i / 2);
    const coarseY = coarseX.map(f);
    const fineY = fineX.map(f);
    const R = 1000;
    const worst = (a: Float64Array, b: Float64Array) => {
      // b is sampled twice as densely: shared x at b[2i]
      let m = 0;
      for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[2 * i]) / Math.abs(a[i]));
      return m;
    };
    for (const w of [0.9, 0.95, 0.99]) {
      const twDiff = worst(smooth(coarseX, coarseY, tw(w, R)), smooth(fineX, fineY, tw(w, R)));
      const emaDiff = worst(smooth(coarseX, coarseY, ema(w)), smooth(fineX, fineY, ema(w)));
      expect(twDiff).toBeLessThan(1e-2);
      // ema's window is a number of points, so doubling the density halves it in x
      expect(emaDiff).toBeGreaterThan(1e-2);
      expect(emaDiff).toBeGreaterThan(5 * twDiff);
    }
  });
});

describe('smoothInto', () => {
  for (const mode of ['ema', 'time-weighted'] as const) {
    it(`smoothInto(x, y, from, to, {mode: '${mode}'}, state, out) over random chunks equals one pass from scratch`, () => {
      const rand = mulberry32(mode === 'ema' ? 41 : 42);
      for (let trial = 0; trial < 30; trial++) {
        const n = randInt(rand, 0, 2000);
        const x = randomX(rand, n);
        const y = randomY(rand, n);
        const w = [0, 0.6, 0.9, 0.999][trial % 4];
        const params: SmoothParams = { weight: w, mode, range: n > 0 ? x[n - 1] - x[0] : 0 };
        const whole = new Float64Array(n);
        const end = smoothInto(x, y, 0, n, params, initialState(), whole);
        expect([...whole]).toEqual([...smooth(x, y, params)]);

        const parts = new Float64Array(n);
        let state = initialState();
        for (let i = 0; i < n; ) {
          const k = Math.min(n - i, randInt(rand, 0, 60)); // empty chunks too
          state = smoothInto(x, y, i, i + k, params, state, parts);
          i += k;
        }
        expect([...parts]).toEqual([...whole]);
        expect(state).toEqual(end);
      }
    });
  }

  it('smoothInto(x, y, from, to, params, state, out) writes only out[from..to) and leaves state untouched', () => {
    const x = [0, 1, 2, 3, 4, 5];
    const y = [1, 2, NaN, 4, 5, 6];
    for (const mode of ['ema', 'time-weighted'] as const) {
      const out = new Float64Array(6).fill(-7);
      const s0 = initialState();
      const copy = { ...s0 };
      smoothInto(x, y, 2, 4, { weight: 0.5, mode, range: 5 }, s0, out);
      expect(s0).toEqual(copy);
      expect(out[0]).toBe(-7);
      expect(out[1]).toBe(-7);
      expect(out[2]).toBeNaN();
      expect(out[3]).toBe(4); // first finite point of a fresh state is the point itself
      expect(out[4]).toBe(-7);
      expect(out[5]).toBe(-7);
    }
  });

  it('smoothInto(x, y, from, to, params, state, out) writes float32 output too', () => {
    const rand = mulberry32(43);
    const x = randomX(rand, 1000);
    const y = randomY(rand, 1000);
    const params = tw(0.9, x[999] - x[0]);
    const out32 = new Float32Array(1000);
    smoothInto(x, y, 0, 1000, params, initialState(), out32);
    expect([...out32]).toEqual([...Float32Array.from(smooth(x, y, params))]);
  });
});
