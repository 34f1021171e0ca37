/**
 * The window smoothing modes (running-average, centred, gaussian) against brute-force oracles
 * that transcribe docs/semantics.md (Smoothing) directly, O(n * window) or O(n^2): the O(n)
 * sliding sums and the gaussian's two pointers of src/smooth/window.ts must agree with them to
 * ~1e-12 of the window's values (float64), over NaN, ±Infinity, uneven and repeated x, windows
 * of 1 and larger than the series, 1e6 points of wide dynamic range; continued after appends and
 * fed in pieces (stream.ts) they must equal the from-scratch result bit for bit; the worker's cpu
 * backend (cpu.ts) recomputes only from the first output an append changes.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { smoothedCurve } from '../../src/smooth/cpu';
import { paramsKey, smoothingOn, specProblem } from '../../src/smooth/params';
import { smooth, type SmoothParams } from '../../src/smooth/reference';
import { smoothStream } from '../../src/smooth/stream';
import { gaussianReach, initialWindowState, windowSmoothInto } from '../../src/smooth/window';
import { emptyExtent, scan } from '../../src/store/pyramid';
import { appendToSeries, createSeries, ingestX, type Series } from '../../src/store/store';
import { mulberry32, randInt } from './prng';
import { randomX, randomY, relDiff } from './smooth-data';

// Spy on the window function the backend runs, so a test can tell where a continuation starts.
vi.mock('../../src/smooth/window', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/smooth/window')>();
  return { ...real, windowSmoothInto: vi.fn(real.windowSmoothInto) };
});
/** [first output computed, points known] of each call since the last clear */
const calls = () => vi.mocked(windowSmoothInto).mock.calls.map(([, , , n, , , state]) => [state.next, n]);
beforeEach(() => {
  vi.mocked(windowSmoothInto).mockClear();
});

// --- the oracles: the definitions, written out -------------------------------------------------

/** Mean of the finite y at positions lo..hi (clipped to the series); NaN at a non-finite y[i]. */
function bruteWindow(y: ArrayLike<number>, back: number, ahead: number): Float64Array {
  const n = y.length, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) {
      out[i] = NaN;
      continue;
    }
    let s = 0, k = 0;
    for (let j = Math.max(0, i - back); j <= Math.min(n - 1, i + ahead); j++) {
      if (Number.isFinite(y[j])) (s += y[j]), k++;
    }
    out[i] = s / k;
  }
  return out;
}
const bruteRunningAverage = (y: ArrayLike<number>, window: number) => bruteWindow(y, window - 1, 0);
const bruteCentred = (y: ArrayLike<number>, window: number) => bruteWindow(y, (window - 1) / 2, (window - 1) / 2);

/** Every point j weighted exp(-d^2 / 2 sigma^2) by its x distance d, left out where that weight is below 1e-6. */
function bruteGaussian(x: ArrayLike<number>, y: ArrayLike<number>, sigma: number): Float64Array {
  const n = y.length, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) {
      out[i] = NaN;
      continue;
    }
    let sw = 0, swy = 0;
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(y[j])) continue;
      const d = x[j] - x[i];
      const w = Math.exp(-(d * d) / (2 * sigma * sigma));
      if (w < 1e-6) continue;
      sw += w;
      swy += w * y[j];
    }
    out[i] = swy / sw;
  }
  return out;
}

function oracle(x: ArrayLike<number>, y: ArrayLike<number>, p: SmoothParams): Float64Array {
  if (p.mode === 'running-average') return bruteRunningAverage(y, p.window!);
  if (p.mode === 'centred') return bruteCentred(y, p.window!);
  return bruteGaussian(x, y, p.sigma!);
}

// --- parameters -------------------------------------------------------------------------------

const ra = (window: number): SmoothParams => ({ weight: 0, mode: 'running-average', window, range: 0 });
const centred = (window: number): SmoothParams => ({ weight: 0, mode: 'centred', window, range: 0 });
const gauss = (sigma: number): SmoothParams => ({ weight: 0, mode: 'gaussian', sigma, range: 0 });

// --- the reference ----------------------------------------------------------------------------

describe('smooth (window modes) against the brute-force oracles', () => {
  const cases: SmoothParams[] = [ra(1), ra(2), ra(5), ra(64), ra(5000), centred(1), centred(3), centred(9), centred(101), centred(9999), gauss(0.01), gauss(1), gauss(7.5), gauss(300), gauss(1e6)];
  for (const p of cases) {
    it(`smooth(x, y, ${paramsKey(p)}) equals the oracle with NaN, ±Infinity, uneven and repeated x`, () => {
      const rand = mulberry32(0x3a11 + (p.window ?? 0) + Math.round((p.sigma ?? 0) * 10));
      for (let trial = 0; trial < 12; trial++) {
        const n = trial === 0 ? 0 : trial === 1 ? 1 : trial === 2 ? 2 : randInt(rand, 3, p.mode === 'gaussian' ? 1500 : 3000);
        const y = randomY(rand, n);
        if (trial === 3) y[0] = NaN; // the series starts with a skipped point
        if (trial === 4) y.fill(NaN, 0, Math.floor(n / 2)); // a long gap
        const x = randomX(rand, n);
        const got = smooth(x, y, p);
        expect(relDiff(got, oracle(x, y, p))).toBeLessThan(1e-12);
      }
    });
  }

  it('every output lies within the finite values of the series, and a non-finite y is NaN, never ±Infinity', () => {
    const rand = mulberry32(5);
    const y = randomY(rand, 4000), x = randomX(rand, 4000);
    let lo = Infinity, hi = -Infinity;
    for (const v of y) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    for (const p of [ra(30), centred(31), gauss(20)]) {
      const s = smooth(x, y, p);
      for (let i = 0; i < y.length; i++) {
        if (!Number.isFinite(y[i])) expect(s[i]).toBeNaN();
        else expect(s[i] >= lo - 1e-12 && s[i] <= hi + 1e-12, `${paramsKey(p)} at ${i}: ${s[i]}`).toBe(true);
      }
    }
  });

  it('window 1 is the identity, exactly (running-average and centred), and smoothingOn says it is off', () => {
    const rand = mulberry32(6);
    const y = randomY(rand, 3000);
    y[5] = 1e-320;
    y[6] = -0;
    y[7] = 3e38;
    const x = randomX(rand, 3000);
    for (const p of [ra(1), centred(1)]) {
      expect(smoothingOn(p)).toBe(false);
      const s = smooth(x, y, p);
      for (let i = 0; i < y.length; i++) {
        if (Number.isFinite(y[i])) expect(Object.is(s[i], y[i]), `${paramsKey(p)} at ${i}`).toBe(true);
        else expect(s[i]).toBeNaN();
      }
    }
    expect(smoothingOn(ra(2))).toBe(true);
    expect(smoothingOn(centred(3))).toBe(true);
    expect(smoothingOn(gauss(1e-300))).toBe(true);
    expect(smoothingOn({ weight: 0, mode: 'ema' })).toBe(false);
    expect(smoothingOn({ weight: 0.5, mode: 'running-average' })).toBe(false); // the weight is not its parameter
  });

  it('a window larger than the series: running-average is the mean so far, centred the mean of what it reaches, gaussian of huge sigma the plain mean', () => {
    const y = [1, 2, NaN, 4, 8, Infinity, 16];
    const x = [0, 1, 2, 3, 4, 5, 6];
    const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
    const mean = (a: number[]) => sum(a) / a.length;
    expect([...smooth(x, y, ra(100))]).toEqual([1, 1.5, NaN, 7 / 3, 15 / 4, NaN, 31 / 5]);
    // centred 9 on 7 points: positions i-4 .. i+4
    const c = [...smooth(x, y, centred(9))];
    expect(c).toEqual([mean([1, 2, 4, 8]), mean([1, 2, 4, 8]), NaN, mean([1, 2, 4, 8, 16]), mean([1, 2, 4, 8, 16]), NaN, mean([4, 8, 16])]);
    const g = [...smooth(x, y, gauss(1e9))];
    for (const i of [0, 1, 3, 4, 6]) expect(g[i]).toBeCloseTo(mean([1, 2, 4, 8, 16]), 12);
    expect(g[2]).toBeNaN();
    expect(g[5]).toBeNaN();
  });

  it('gaussian weights points by x distance, not index: uneven x, repeated x, the cut at sigma sqrt(2 ln 1e6)', () => {
    const reach = gaussianReach(2);
    expect(reach).toBeCloseTo(2 * Math.sqrt(2 * Math.log(1e6)), 12);
    expect(Math.exp(-(reach * reach) / 8)).toBeCloseTo(1e-6, 15);
    // a point just inside the cut counts, one just outside does not
    const x = [0, reach * 0.999, reach * 1.001 + 100];
    const y = [0, 1, 1000];
    const s = smooth(x, y, gauss(2));
    const w = Math.exp(-((reach * 0.999) ** 2) / 8);
    expect(s[0]).toBeCloseTo(w / (1 + w), 15);
    expect(s[2]).toBe(1000);
    // repeated x average together whatever sigma, and index distance does not matter
    expect([...smooth([5, 5, 5, 1e9], [1, 2, 6, 7], gauss(1e-3))]).toEqual([3, 3, 3, 7]);
  });

  it('gaussian on evenly spaced x takes its weights from a table: the very floats of computing each, on steps and off them', () => {
    // the same sums written out, every weight computed: the table must change no bit
    const direct = (x: number[], y: number[], sigma: number) => {
      const reach = gaussianReach(sigma);
      return y.map((v, i) => {
        if (!Number.isFinite(v)) return NaN;
        let sw = 0, swy = 0;
        for (let j = 0; j < y.length; j++) {
          if (Math.abs(x[j] - x[i]) > reach || !Number.isFinite(y[j])) continue;
          const t = (x[j] - x[i]) / sigma;
          const w = Math.exp(-0.5 * t * t);
          sw += w;
          swy += w * y[j];
        }
        return swy / sw;
      });
    };
    const rand = mulberry32(5);
    const y = Array.from({ length: 400 }, (_, i) => (i % 37 === 5 ? NaN : Math.sin(i / 9) + rand()));
    for (const x of [
      y.map((_, i) => i), // every step
      y.map((_, i) => 125 * i), // every 125 steps (eval)
      y.map((_, i) => 0.1 * i), // not whole: most distances are not k * step
      y.map((_, i) => i + (i > 200 ? 0.5 : 0)), // even, then one gap
    ]) {
      for (const sigma of [0.7, 3, 40, 900]) expect([...smooth(x, y, gauss(sigma))]).toEqual(direct(x, y, sigma));
    }
  });

  it('1e6 points of wide dynamic range: the sliding sum matches the oracle to 1e-12 of each window\'s own values', () => {
    // huge values, then small ones: a plain running sum would keep the rounding of the huge ones
    const n = 1_000_000, rand = mulberry32(99);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = (i < n / 2 ? 1e9 * (1 + rand()) : 0) + rand() - 0.5 + (rand() < 0.01 ? NaN : 0);
    for (const p of [ra(50), centred(51)]) {
      const got = smooth(new Float64Array(n), y, p);
      const want = oracle(new Float64Array(n), y, p);
      const back = p.mode === 'centred' ? 25 : 49, ahead = p.mode === 'centred' ? 25 : 0;
      let worst = 0;
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(want[i])) {
          expect(got[i]).toBeNaN();
          continue;
        }
        let m = 0;
        for (let j = Math.max(0, i - back); j <= Math.min(n - 1, i + ahead); j++) if (Number.isFinite(y[j])) m = Math.max(m, Math.abs(y[j]));
        worst = Math.max(worst, Math.abs(got[i] - want[i]) / m);
      }
      expect(worst, paramsKey(p)).toBeLessThan(1e-12);
    }
  });
});

describe('continuing: appends and pieces equal the whole series bit for bit', () => {
  const modes = [ra(7), ra(300), centred(7), centred(301), gauss(3), gauss(80)];
  for (const p of modes) {
    it(`windowSmoothInto(${paramsKey(p)}) continued after appends (the series ended each time) equals smooth() over all points`, () => {
      const rand = mulberry32(0x77 + (p.window ?? 0) + (p.sigma ?? 0));
      const n = 5000, x = randomX(rand, n), y = randomY(rand, n);
      const want = smooth(x, y, p);
      const out = new Float64Array(n);
      let state = initialWindowState();
      let known = 0;
      while (known < n) {
        known = Math.min(n, known + (rand() < 0.3 ? randInt(rand, 0, 3) : randInt(rand, 1, 700)));
        const first = state.next;
        state = windowSmoothInto(x, y, 0, known, true, p, state, out);
        // only the last outputs are recomputed: at most a window (or the reach in x) before the old end
        expect(first).toBeLessThanOrEqual(known);
        // what is there now is what the series so far gives from scratch
        expect([...out.subarray(0, known)]).toEqual([...smooth(x.subarray(0, known), y.subarray(0, known), p)]);
      }
      expect([...out]).toEqual([...want]);
    });

    it(`smoothStream(${paramsKey(p)}) fed in random pieces hands on each output once, in order, equal to smooth() in float32`, () => {
      const rand = mulberry32(0x99 + (p.window ?? 0) + (p.sigma ?? 0));
      const n = 6000, x = randomX(rand, n), y = Float32Array.from(randomY(rand, n));
      const want = smooth(x, y, p, new Float32Array(n));
      const got = new Float32Array(n).fill(-1);
      let next = 0;
      const emit = (sx: Float64Array, s: Float32Array, sy: Float32Array, from: number, to: number, offset: number) => {
        expect(offset).toBe(next);
        for (let k = from; k < to; k++) {
          expect(sx[k]).toBe(x[offset + k - from]);
          expect(Object.is(sy[k], y[offset + k - from])).toBe(true);
          got[offset + k - from] = s[k];
        }
        next += to - from;
      };
      const stream = smoothStream(p);
      for (let i = 0; i < n; ) {
        const m = Math.min(n - i, rand() < 0.2 ? randInt(rand, 1, 3) : randInt(rand, 1, 900));
        // each piece in a larger chunk, as the store hands them out (other series around it)
        const pad = randInt(rand, 0, 5);
        const cx = new Float64Array(m + 2 * pad).fill(NaN), cy = new Float32Array(m + 2 * pad).fill(NaN);
        cx.set(x.subarray(i, i + m), pad);
        cy.set(y.subarray(i, i + m), pad);
        stream.push(cx, cy, pad, pad + m, emit);
        i += m;
      }
      stream.end(emit);
      expect(next).toBe(n);
      expect([...got]).toEqual([...want]);
    });
  }
});

describe('specProblem', () => {
  it('names the field, what it must be and the value', () => {
    expect(specProblem('centred', 4, undefined)).toEqual({ field: 'window', must: "odd for mode 'centred' (a window centred on its point)", got: 4 });
    expect(specProblem('running-average', 4, undefined)).toBeNull();
    expect(specProblem('running-average', undefined, undefined)?.field).toBe('window');
    expect(specProblem('gaussian', undefined, 0)?.field).toBe('sigma');
    expect(specProblem('gaussian', undefined, 1e-9)).toBeNull();
    expect(specProblem('ema', undefined, undefined)).toBeNull();
    expect(specProblem('ema', 0, undefined)?.field).toBe('window');
  });

  it('paramsKey separates the window modes by their parameter only', () => {
    expect(paramsKey(ra(5))).not.toBe(paramsKey(centred(5)));
    expect(paramsKey(ra(5))).not.toBe(paramsKey(ra(6)));
    expect(paramsKey(gauss(2))).not.toBe(paramsKey(gauss(3)));
    expect(paramsKey(ra(5))).toBe(paramsKey({ ...ra(5), range: 123, weight: 0.9, sigma: 4 }));
    expect(paramsKey(gauss(2))).toBe(paramsKey({ ...gauss(2), range: 9, window: 3 }));
  });
});

// --- the worker's cpu backend ------------------------------------------------------------------

let nextSlot = 0;
function make(x: ArrayLike<number>, y: ArrayLike<number>): Series {
  const slot = nextSlot++;
  return createSeries(`w${slot}`, slot, ingestX(Float64Array.from(x)), Float32Array.from(y));
}
const append = (s: Series, x: ArrayLike<number>, y: ArrayLike<number>) => appendToSeries(s, ingestX(Float64Array.from(x)), Float32Array.from(y), null);

function expectCurveIsReference(s: Series, p: SmoothParams): void {
  const c = smoothedCurve(s, p);
  expect(c.n).toBe(s.n);
  const want = smooth(s.col.x.subarray(0, s.n), s.y.subarray(0, s.n), p, new Float32Array(s.n));
  expect([...c.y.subarray(0, c.n)]).toEqual([...want]);
  // the pyramid over the smoothed values equals brute force after every change
  expect(c.pyramid.query(c.y, 0, c.n, emptyExtent())).toEqual(scan(c.y, 0, c.n, emptyExtent()));
  const rand = mulberry32(c.n);
  for (let k = 0; k < 30; k++) {
    const i0 = randInt(rand, 0, c.n + 1), i1 = randInt(rand, i0, c.n + 1);
    expect(c.pyramid.query(c.y, i0, i1, emptyExtent())).toEqual(scan(c.y, i0, i1, emptyExtent()));
  }
}

describe('smoothedCurve (window modes)', () => {
  for (const p of [ra(20), centred(21), gauss(15)]) {
    it(`smoothedCurve(series, ${paramsKey(p)}) equals the reference, and appends recompute only from the first output they change`, () => {
      const rand = mulberry32(0xc0 + (p.window ?? 0));
      const x0 = randomX(rand, 3000), y0 = randomY(rand, 3000);
      const s = make(x0, y0);
      const work = { points: 0 };
      const c0 = smoothedCurve(s, p, work);
      expect(work.points).toBe(3000);
      expectCurveIsReference(s, p);
      const pyramid = c0.pyramid;
      for (let k = 0; k < 10; k++) {
        const n0 = s.n, last = s.col.x[s.n - 1];
        const m = k % 3 === 0 ? randInt(rand, 100, 900) : randInt(rand, 1, 15);
        // in order (the first may repeat the last x), with gaps now and then
        const x = new Float64Array(m);
        for (let i = 0, v = last; i < m; i++) x[i] = v += rand() < 0.1 ? 0 : rand() < 0.05 ? 40 * rand() : 2 * rand();
        append(s, x, randomY(rand, m));
        vi.mocked(windowSmoothInto).mockClear();
        work.points = 0;
        const c = smoothedCurve(s, p, work);
        // continued from the first output the new points reach, over the series as it is now
        expect(calls()).toHaveLength(1);
        const [from, n] = calls()[0];
        expect(n).toBe(s.n);
        if (p.mode === 'running-average') expect(from).toBe(n0);
        else if (p.mode === 'centred') expect(from).toBe(Math.max(0, n0 - 10));
        else {
          // the first output whose reach in x gets to the old last point
          const reach = gaussianReach(p.sigma!);
          let want = n0;
          while (want > 0 && s.col.x[n0 - 1] - s.col.x[want - 1] <= reach) want--;
          expect(from).toBe(want);
        }
        expect(work.points).toBe(s.n - from);
        expect(c.pyramid).toBe(pyramid);
        expectCurveIsReference(s, p);
      }
    });
  }

  it('smoothedCurve recomputes from scratch after an out-of-order append (a merge), and for each new window or sigma', () => {
    const rand = mulberry32(0xd1);
    const s = make(randomX(rand, 2000), randomY(rand, 2000));
    for (const p of [ra(10), centred(11), ra(11), gauss(4), gauss(5), centred(11)]) {
      vi.mocked(windowSmoothInto).mockClear();
      smoothedCurve(s, p);
      expect(calls()).toEqual([[0, s.n]]);
      expectCurveIsReference(s, p);
    }
    append(s, [s.col.x[100] + 0.25, s.col.x[5]], [1, 2]); // in the middle: a merge
    vi.mocked(windowSmoothInto).mockClear();
    smoothedCurve(s, centred(11));
    expect(calls()).toEqual([[0, s.n]]);
    expectCurveIsReference(s, centred(11));
  });

  it('two runs sharing one x column, one appended (copy on write): each smoothed over its own points only', () => {
    const rand = mulberry32(0xe2);
    const x = randomX(rand, 800);
    const inc = ingestX(x);
    const a = createSeries('a2', 900, inc, Float32Array.from(randomY(rand, 800)));
    const b = createSeries('b2', 901, inc, Float32Array.from(randomY(rand, 800, false)));
    for (const p of [centred(31), gauss(9)]) {
      smoothedCurve(a, p);
      smoothedCurve(b, p);
    }
    append(a, [x[799] + 1, x[799] + 2], [5, NaN]);
    for (const p of [centred(31), gauss(9)]) {
      expectCurveIsReference(a, p);
      expectCurveIsReference(b, p);
    }
  });
});
