import { describe, it, expect } from 'vitest';
import { BLOCK, Pyramid, emptyExtent, scan, type Extent } from '../../src/store/pyramid';
import { mulberry32, randInt } from './prng';

/** Values of every kind the pyramid must handle: negatives, positives, zero, NaN, ±Infinity, tiny positives. */
function nasty(rand: () => number): number {
  const r = rand();
  if (r < 0.05) return NaN;
  if (r < 0.07) return Infinity;
  if (r < 0.09) return -Infinity;
  if (r < 0.11) return 0;
  if (r < 0.13) return rand() * 1e-30; // smallest positives, still normal float32
  return (rand() - 0.5) * 2000;
}

/** n values, some 16-point blocks (and runs of blocks) wholly NaN. */
function randomData(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = nasty(rand);
  const nanBlocks = Math.floor(n / BLOCK / 8);
  for (let k = 0; k < nanBlocks; k++) {
    const b = randInt(rand, 0, Math.ceil(n / BLOCK));
    const len = randInt(rand, 1, 5) * BLOCK;
    y.fill(NaN, b * BLOCK, Math.min(n, b * BLOCK + len));
  }
  return y;
}

function query(p: Pyramid, y: Float32Array, i0: number, i1: number): Extent {
  return p.query(y, i0, i1, emptyExtent());
}

function brute(y: Float32Array, i0: number, i1: number): Extent {
  return scan(y, Math.max(0, i0), Math.min(y.length, i1), emptyExtent());
}

/** The ranges worth checking on n points: edges, block boundaries, level-crossing ones, random ones. */
function ranges(n: number, seed: number, count: number): [number, number][] {
  const rand = mulberry32(seed);
  const out: [number, number][] = [[0, n], [0, 0], [n, n]];
  if (n > 0) out.push([0, 1], [n - 1, n], [1, n - 1], [Math.floor(n / 2), Math.floor(n / 2) + 1]);
  for (let k = 1; k * BLOCK <= n; k *= 2) {
    out.push([0, k * BLOCK], [k * BLOCK, n], [BLOCK - 1, Math.min(n, k * BLOCK + 17)], [Math.min(n, 15), Math.min(n, 33 + 3 * k * BLOCK)]);
  }
  for (let k = 0; k < count; k++) {
    const a = randInt(rand, 0, n + 1);
    const kind = rand();
    let b: number;
    if (kind < 0.2) b = a; // empty
    else if (kind < 0.3) b = Math.min(n, a + 1); // length 1
    else if (kind < 0.5) {
      // block-aligned
      const a0 = Math.floor(a / BLOCK) * BLOCK;
      b = Math.min(n, a0 + randInt(rand, 0, 64) * BLOCK);
      out.push([a0, b]);
      continue;
    } else if (kind < 0.7) b = Math.min(n, a + randInt(rand, 0, 3 * BLOCK)); // around the scan threshold
    else b = randInt(rand, a, n + 1); // long, crosses many levels
    out.push([a, b]);
  }
  return out;
}

function expectSameExtent(got: Extent, want: Extent, what: string): void {
  expect({ what, min: got.min, max: got.max, minPos: got.minPos }).toEqual({ what, min: want.min, max: want.max, minPos: want.minPos });
}

function expectMatchesScan(p: Pyramid, y: Float32Array, n: number, seed: number, count: number): void {
  for (const [i0, i1] of ranges(n, seed, count)) {
    expectSameExtent(query(p, y, i0, i1), brute(y.subarray(0, n), i0, i1), `n=${n} [${i0}, ${i1})`);
  }
}

describe('pyramid.query', () => {
  for (const n of [0, 1, 17, 100, 1000, 4099, 100003]) {
    it(`pyramid.query(y, i0, i1) equals scan on random data with NaN and Infinity (n = ${n})`, () => {
      const y = randomData(n, 1000 + n);
      const p = new Pyramid(y, n);
      expect(p.length).toBe(n);
      expectMatchesScan(p, y, n, 7 + n, n > 10000 ? 600 : 300);
    });
  }

  it('pyramid.query(y, 0, n) of all-NaN data is the empty extent', () => {
    const y = new Float32Array(1000).fill(NaN);
    y[3] = Infinity;
    y[500] = -Infinity;
    const e = query(new Pyramid(y, 1000), y, 0, 1000);
    expect(e).toEqual({ min: Infinity, max: -Infinity, minPos: Infinity });
  });

  it('pyramid.query(y, i0, i1) minPos is the smallest finite value > 0, ignoring zeros, negatives and +Infinity', () => {
    const n = 5000;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = -1 - (i % 7);
    y.fill(0, 100, 200);
    y[1234] = 0.25;
    y[4321] = 0.125;
    y[4000] = Infinity;
    const p = new Pyramid(y, n);
    expect(query(p, y, 0, n)).toEqual({ min: -7, max: 0.25, minPos: 0.125 });
    expect(query(p, y, 0, 4000)).toEqual({ min: -7, max: 0.25, minPos: 0.25 });
    expect(query(p, y, 0, 1234).minPos).toBe(Infinity);
    expect(query(p, y, 0, 1234).max).toBe(0);
  });

  it('pyramid.query(y, i0, i1, out) widens an extent that is already set', () => {
    const rand = mulberry32(5);
    const y = new Float32Array(10000);
    for (let i = 0; i < y.length; i++) y[i] = rand();
    const p = new Pyramid(y, y.length);
    const out = p.query(y, 100, 9000, { min: -5, max: 0.5, minPos: 1e-6 });
    const s = brute(y, 100, 9000);
    expect(out).toEqual({ min: -5, max: s.max, minPos: 1e-6 });
  });

  it('pyramid.query(y, i0, i1) clamps i0 < 0 and i1 > n', () => {
    const y = randomData(333, 9);
    const p = new Pyramid(y, 333);
    expectSameExtent(query(p, y, -50, 1000), brute(y, 0, 333), 'clamped');
  });

  it('pyramid.query(y, i0, i1) ignores values past n when y has spare capacity', () => {
    const y = new Float32Array(256).fill(1);
    y.fill(1e9, 100);
    const p = new Pyramid(y, 100);
    expect(query(p, y, 0, 256)).toEqual({ min: 1, max: 1, minPos: 1 });
  });
});

describe('pyramid.extend', () => {
  it('pyramid.extend(y, oldN, newN) after appends equals a fresh Pyramid', () => {
    const rand = mulberry32(42);
    const full = randomData(60000, 43);
    let cap = 8;
    let y = new Float32Array(cap);
    let n = 0;
    const p = new Pyramid(y, 0);
    // batch sizes: single points across block boundaries, then larger chunks that add levels
    const sizes = [1, 1, 1, 13, 1, 1, 16, 17, 31, 1, 200, 3, 1000, 5000, 1, 16 * 64, 20000, 7];
    while (n < full.length) {
      const m = Math.min(full.length - n, sizes.length ? sizes.shift()! : randInt(rand, 1, 9000));
      if (n + m > cap) {
        cap = Math.max(n + m, cap * 2);
        const next = new Float32Array(cap);
        next.set(y.subarray(0, n));
        y = next;
      }
      y.set(full.subarray(n, n + m), n);
      const oldN = n;
      n += m;
      p.extend(y, oldN, n);
      expect(p.length).toBe(n);
      const fresh = new Pyramid(y, n);
      for (const [i0, i1] of ranges(n, n, 60)) {
        const want = query(fresh, y, i0, i1);
        expectSameExtent(query(p, y, i0, i1), want, `after append to ${n}: [${i0}, ${i1})`);
        expectSameExtent(want, brute(y.subarray(0, n), i0, i1), `fresh at ${n}: [${i0}, ${i1})`);
      }
    }
  });

  it('pyramid.extend(y, from, n) after changing values from the middle on equals a fresh Pyramid', () => {
    const rand = mulberry32(77);
    const n = 50000;
    const y = randomData(n, 78);
    const p = new Pyramid(y, n);
    for (let round = 0; round < 12; round++) {
      const from = round === 0 ? 0 : round === 1 ? n - 1 : randInt(rand, 0, n);
      // overwrite a stretch, including the current extremes when they lie in it
      const end = Math.min(n, from + randInt(rand, 1, 20000));
      const before = brute(y, from, end);
      for (let i = from; i < end; i++) {
        const v = y[i];
        if (v === before.max || v === before.min) y[i] = 0.5;
        else if (rand() < 0.3) y[i] = nasty(rand);
      }
      p.extend(y, from, n);
      const fresh = new Pyramid(y, n);
      for (const [i0, i1] of ranges(n, round, 150)) {
        const want = query(fresh, y, i0, i1);
        expectSameExtent(query(p, y, i0, i1), want, `round ${round} from ${from}: [${i0}, ${i1})`);
        expectSameExtent(want, brute(y, i0, i1), `fresh round ${round}: [${i0}, ${i1})`);
      }
    }
  });

  it('pyramid.extend(y, from, n) lowers the extent when the old extreme is overwritten', () => {
    const y = new Float32Array(1000).fill(1);
    y[900] = 1000;
    const p = new Pyramid(y, 1000);
    expect(query(p, y, 0, 1000).max).toBe(1000);
    y[900] = 2;
    p.extend(y, 900, 1000);
    expect(query(p, y, 0, 1000)).toEqual({ min: 1, max: 2, minPos: 1 });
  });
});

describe('pyramid.bytes', () => {
  it('pyramid.bytes is under 2 bytes per point for n = 1e6', () => {
    const n = 1e6;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = Math.sin(i);
    const p = new Pyramid(y, n);
    expect(p.bytes).toBeGreaterThan(0);
    expect(p.bytes / n).toBeLessThan(2);
    // level 0 alone is 12 bytes per 16-point block
    expect(p.bytes).toBeGreaterThanOrEqual((12 * n) / BLOCK);
  });

  it('pyramid.bytes stays under 2 bytes per point when grown by appends to 1e6', () => {
    const n = 1e6;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = Math.cos(i);
    const p = new Pyramid(y, 0);
    for (let m = 0; m < n; ) {
      const next = Math.min(n, m + 77777);
      p.extend(y, m, next);
      m = next;
    }
    expect(p.bytes / n).toBeLessThan(2);
    expectSameExtent(query(p, y, 0, n), brute(y, 0, n), 'grown');
  });
});

describe('pyramid.extend counts what it reads', () => {
  /** A loss curve (every block positive and finite: the fast path) with rare bad values. */
  function lossLike(n: number, seed: number): Float32Array {
    const rand = mulberry32(seed);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = rand() < 0.002 ? nasty(rand) : 2 + Math.exp(-i / 500) + rand() * 0.1;
    return y;
  }
  function reference(y: Float32Array, i0: number, i1: number) {
    let nonFinite = 0, nonPositive = 0;
    for (let i = i0; i < i1; i++) {
      if (!Number.isFinite(y[i])) nonFinite++;
      else if (y[i] <= 0) nonPositive++;
    }
    return { nonFinite, nonPositive };
  }

  for (const [name, make] of [['loss-like', lossLike], ['random', randomData]] as const) {
    it(`build and appends tally non-finite and non-positive values and keep every extent exact (${name})`, () => {
      const n = 20_011;
      const y = make(n, 77);
      const p = new Pyramid(y, 5003);
      expect(p.built).toEqual(reference(y, 0, 5003));
      // appends starting mid-block count only the new points
      let at = 5003;
      for (const step of [1, 15, 16, 17, 999, 14_000]) {
        const to = Math.min(n, at + step);
        expect(p.extend(y, at, to)).toEqual(reference(y, at, to));
        at = to;
      }
      expect(at).toBe(n);
      expectMatchesScan(p, y, n, 5, 300);
    });
  }
});
