import { describe, it, expect } from 'vitest';
import {
  appendRounds,
  appendToSeries,
  createSeries,
  ingestX,
  storeBytes,
  SharedBatch,
  type Series,
} from '../../src/store/store';
import { lowerBound, lowerBoundAbove } from '../../src/store/search';
import { applyPlan, gather, isSorted, mergePlan, sortPermutation } from '../../src/store/sort';
import { Pyramid, emptyExtent } from '../../src/store/pyramid';
import { mulberry32, randInt } from './prng';

function make(id: string, slot: number, x: ArrayLike<number>, y: ArrayLike<number>): Series {
  return createSeries(id, slot, ingestX(Float64Array.from(x)), Float32Array.from(y));
}

function append(s: Series, x: ArrayLike<number>, y: ArrayLike<number>, batch: SharedBatch | null = null): void {
  appendToSeries(s, ingestX(Float64Array.from(x)), Float32Array.from(y), batch);
}

const xs = (s: Series) => [...s.col.x.subarray(0, s.n)];
const ys = (s: Series) => [...s.y.subarray(0, s.n)];

/** Same points in the same order, same counts, and pyramid queries equal to a fresh pyramid's. */
function expectSameSeries(got: Series, want: Series, seed: number): void {
  expect(got.n).toBe(want.n);
  expect(got.col.n).toBe(want.n);
  expect(xs(got)).toEqual(xs(want));
  expect(ys(got)).toEqual(ys(want));
  expect([got.nonFinite, got.nonPositive]).toEqual([want.nonFinite, want.nonPositive]);
  expect(got.pyramid.length).toBe(want.n);
  const fresh = new Pyramid(want.y, want.n);
  const rand = mulberry32(seed);
  const n = want.n;
  const ranges: [number, number][] = [[0, n], [0, 0], [1, n], [0, Math.min(n, 40)]];
  for (let k = 0; k < 200; k++) {
    const a = randInt(rand, 0, n + 1);
    ranges.push([a, randInt(rand, a, n + 1)]);
  }
  for (const [i0, i1] of ranges) {
    const g = got.pyramid.query(got.y, i0, i1, emptyExtent());
    const w = fresh.query(want.y, i0, i1, emptyExtent());
    expect({ i0, i1, ...g }).toEqual({ i0, i1, ...w });
  }
}

function randomBatch(rand: () => number, m: number, lo: number, hi: number, nonFiniteX = false): [number[], number[]] {
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < m; i++) {
    // integer steps, so batches repeat steps (restarted logs)
    const r = rand();
    x.push(nonFiniteX && r < 0.03 ? NaN : nonFiniteX && r < 0.05 ? Infinity : lo + Math.floor(rand() * (hi - lo)));
    const q = rand();
    y.push(q < 0.05 ? NaN : q < 0.1 ? -rand() : q < 0.12 ? 0 : rand() * 10);
  }
  return [x, y];
}

describe('ingestX', () => {
  it('ingestX(x) keeps a sorted finite column as it is, with no permutation', () => {
    const x = Float64Array.from([0, 1, 1, 2, 5]);
    const inc = ingestX(x);
    expect(inc.perm).toBeNull();
    expect(inc.dropped).toBe(0);
    expect(inc.col.x).toBe(x);
    expect(inc.col.n).toBe(5);
    expect(inc.col.refs).toBe(0);
  });

  it('ingestX(x) sorts stably: points at the same x keep their input order', () => {
    const s = make('s', 0, [3, 1, 2, 1, 3, 1], [30, 10, 20, 11, 31, 12]);
    expect(xs(s)).toEqual([1, 1, 1, 2, 3, 3]);
    expect(ys(s)).toEqual([10, 11, 12, 20, 30, 31]);
  });

  it('ingestX(x) keeps input order among many duplicates of a random column', () => {
    const rand = mulberry32(1);
    const n = 20000;
    const x = Array.from({ length: n }, () => randInt(rand, 0, 50));
    const y = Array.from({ length: n }, (_, i) => i); // exact in float32
    const s = make('s', 0, x, y);
    const want = y.slice().sort((a, b) => x[a] - x[b] || a - b);
    expect(ys(s)).toEqual(want);
  });

  it('ingestX(x) drops non-finite x and counts them', () => {
    const inc = ingestX(Float64Array.from([2, NaN, 1, Infinity, -Infinity, 0]));
    expect(inc.dropped).toBe(3);
    expect([...inc.col.x.subarray(0, inc.col.n)]).toEqual([0, 1, 2]);
    expect([...inc.perm!]).toEqual([5, 2, 0]);
    // sorted apart from ±Infinity at the ends
    const ends = ingestX(Float64Array.from([-Infinity, 1, 2, 3, Infinity]));
    expect(ends.dropped).toBe(2);
    expect([...ends.col.x.subarray(0, ends.col.n)]).toEqual([1, 2, 3]);
  });

  it('ingestX(x) of an empty column is empty', () => {
    const inc = ingestX(new Float64Array(0));
    expect([inc.col.n, inc.dropped]).toEqual([0, 0]);
  });
});

describe('createSeries', () => {
  it('createSeries(id, slot, inc, y) counts non-finite and non-positive values', () => {
    const s = make('s', 4, [0, 1, 2, 3, 4, 5, 6], [1, 0, -1, NaN, Infinity, -Infinity, 2]);
    expect([s.id, s.slot, s.n]).toEqual(['s', 4, 7]);
    expect(s.nonFinite).toBe(3);
    expect(s.nonPositive).toBe(2);
    expect(s.col.refs).toBe(1);
  });

  it('createSeries(id, slot, inc, y) counts points dropped for a non-finite x as non-finite', () => {
    const s = make('s', 0, [0, NaN, 2, 3], [5, 6, NaN, -1]);
    expect(xs(s)).toEqual([0, 2, 3]);
    expect(ys(s)).toEqual([5, NaN, -1]);
    expect(s.nonFinite).toBe(2);
    expect(s.nonPositive).toBe(1);
  });

  it('createSeries(id, slot, inc, y) builds a pyramid over the sorted y', () => {
    const s = make('s', 0, [5, 4, 3, 2, 1], [50, 40, 30, 20, 10]);
    expect(s.pyramid.query(s.y, 0, 2, emptyExtent())).toEqual({ min: 10, max: 20, minPos: 10 });
  });
});

describe('appendRounds', () => {
  it('appendRounds(appends) puts each series once per round, keeping each series\' order', () => {
    const a = (id: string, k: number) => ({ id, k });
    const r = appendRounds([a('x', 1), a('y', 1), a('x', 2), a('z', 1), a('x', 3), a('y', 2)]);
    expect(r).toEqual([[a('x', 1), a('y', 1), a('z', 1)], [a('x', 2), a('y', 2)], [a('x', 3)]]);
    expect(appendRounds([])).toEqual([]);
  });
});

describe('appendToSeries', () => {
  it('appendToSeries(s, inc, y) in order equals a series built from the concatenation', () => {
    const rand = mulberry32(2);
    let [x, y] = randomBatch(rand, 1000, 0, 100);
    // sorted start, so every batch below takes the fast path
    const p = x.map((_, i) => i).sort((i, j) => x[i] - x[j] || i - j);
    [x, y] = [p.map((i) => x[i]), p.map((i) => y[i])];
    const s = make('s', 0, x, y);
    const allX = [...x], allY = [...y];
    let top = 100;
    for (let round = 0; round < 25; round++) {
      const m = round === 3 ? 0 : round < 10 ? randInt(rand, 1, 5) : randInt(rand, 1, 3000);
      const [bx, by] = randomBatch(rand, m, top, top + 50); // x >= the last: the fast path
      top += 50;
      const colBefore = s.col;
      append(s, bx, by);
      expect(s.col).toBe(colBefore); // unshared: extended in place
      allX.push(...bx);
      allY.push(...by);
      expectSameSeries(s, make('want', 0, allX, allY), round);
    }
  });

  it('appendToSeries(s, inc, y) out of order merges and equals a series built from the concatenation', () => {
    const rand = mulberry32(3);
    const [x, y] = randomBatch(rand, 2000, 0, 500);
    const s = make('s', 0, x, y);
    const allX = [...x], allY = [...y];
    for (let round = 0; round < 12; round++) {
      // overlapping ranges, repeated steps, unsorted batches, some with non-finite x
      const [bx, by] = randomBatch(rand, randInt(rand, 1, 1500), randInt(rand, -50, 400), 600, round % 3 === 0);
      append(s, bx, by);
      allX.push(...bx);
      allY.push(...by);
      expectSameSeries(s, make('want', 0, allX, allY), 100 + round);
    }
  });

  it('appendToSeries(s, inc, y) keeps ties stable: old points before new ones at the same x', () => {
    const s = make('s', 0, [1, 2, 3], [10, 20, 30]);
    append(s, [2, 0, 2], [21, 0, 22]);
    expect(xs(s)).toEqual([0, 1, 2, 2, 2, 3]);
    expect(ys(s)).toEqual([0, 10, 20, 21, 22, 30]);
  });

  it('appendToSeries(s, inc, y) to an empty series equals the batch', () => {
    const s = make('s', 0, [], []);
    append(s, [3, 1, 2], [30, 10, 20]);
    expectSameSeries(s, make('w', 0, [1, 2, 3], [10, 20, 30]), 5);
  });

  for (const [what, batch] of [['in order', [10, 11, 12]], ['out of order', [0.5, 11, 1.5]]] as const) {
    it(`appendToSeries(s, inc, y) ${what} on a shared x column copies on write: the other series keeps its x`, () => {
      const inc = ingestX(Float64Array.from([0, 1, 2, 3]));
      const a = createSeries('a', 0, inc, Float32Array.from([0, 1, 2, 3]));
      const b = createSeries('b', 1, inc, Float32Array.from([5, 6, 7, 8]));
      expect(a.col).toBe(b.col);
      expect(a.col.refs).toBe(2);
      const shared = a.col;
      append(a, batch, [100, 101, 102]);
      expect(a.col).not.toBe(shared);
      expect(b.col).toBe(shared);
      expect([shared.refs, a.col.refs]).toEqual([1, 1]);
      expect(xs(b)).toEqual([0, 1, 2, 3]);
      expect(ys(b)).toEqual([5, 6, 7, 8]);
      expectSameSeries(a, make('w', 0, [0, 1, 2, 3, ...batch], [0, 1, 2, 3, 100, 101, 102]), 6);
      // b can still append on its own afterwards
      append(b, [4], [9]);
      expect(xs(b)).toEqual([0, 1, 2, 3, 4]);
      expect(xs(a)).toEqual([0, 1, 2, 3, ...batch].sort((p, q) => p - q));
    });

    it(`appendToSeries(s, inc, y, batch) ${what}: every reader appending the same batch extends the shared column in place`, () => {
      const inc = ingestX(Float64Array.from([0, 1, 2, 3]));
      const a = createSeries('a', 0, inc, Float32Array.from([0, 1, 2, 3]));
      const b = createSeries('b', 1, inc, Float32Array.from([5, 6, 7, 8]));
      const old = a.col;
      const shared = new SharedBatch([a, b]);
      const batchX = ingestX(Float64Array.from(batch));
      appendToSeries(a, batchX, Float32Array.from([100, 101, 102]), shared);
      appendToSeries(b, batchX, Float32Array.from([200, 201, 202]), shared);
      expect(a.col).toBe(old);
      expect(b.col).toBe(old);
      expect(old.refs).toBe(2);
      expectSameSeries(a, make('w', 0, [0, 1, 2, 3, ...batch], [0, 1, 2, 3, 100, 101, 102]), 7);
      expectSameSeries(b, make('w', 0, [0, 1, 2, 3, ...batch], [5, 6, 7, 8, 200, 201, 202]), 8);
    });

    it(`appendToSeries(s, inc, y, batch) ${what}: readers appending the same batch while another does not share one new column`, () => {
      const inc = ingestX(Float64Array.from([0, 1, 2, 3]));
      const a = createSeries('a', 0, inc, Float32Array.from([0, 1, 2, 3]));
      const b = createSeries('b', 1, inc, Float32Array.from([5, 6, 7, 8]));
      const c = createSeries('c', 2, inc, Float32Array.from([9, 9, 9, 9]));
      const old = a.col;
      const shared = new SharedBatch([a, b]);
      const batchX = ingestX(Float64Array.from(batch));
      appendToSeries(a, batchX, Float32Array.from([100, 101, 102]), shared);
      appendToSeries(b, batchX, Float32Array.from([200, 201, 202]), shared);
      expect(a.col).toBe(b.col);
      expect(a.col).not.toBe(old);
      expect([a.col.refs, old.refs]).toEqual([2, 1]);
      expect(c.col).toBe(old);
      expect(xs(c)).toEqual([0, 1, 2, 3]);
      expectSameSeries(a, make('w', 0, [0, 1, 2, 3, ...batch], [0, 1, 2, 3, 100, 101, 102]), 7);
      expectSameSeries(b, make('w', 0, [0, 1, 2, 3, ...batch], [5, 6, 7, 8, 200, 201, 202]), 8);
    });
  }
});

describe('XColumn', () => {
  it('xColumn.nonPositive() counts the points with x <= 0', () => {
    expect(ingestX(Float64Array.from([3, -1, 0, 2, -5])).col.nonPositive()).toBe(3);
    expect(ingestX(Float64Array.from([1, 2])).col.nonPositive()).toBe(0);
  });
});

describe('storeBytes', () => {
  it('storeBytes(series) counts a shared x column once', () => {
    const n = 10000;
    const inc = ingestX(Float64Array.from({ length: n }, (_, i) => i));
    const a = createSeries('a', 0, inc, new Float32Array(n).fill(1));
    const b = createSeries('b', 1, inc, new Float32Array(n).fill(2));
    const one = storeBytes([a]);
    expect(one).toBe(8 * n + 4 * n + a.pyramid.bytes);
    expect(storeBytes([a, b])).toBe(8 * n + 2 * 4 * n + a.pyramid.bytes + b.pyramid.bytes);
    const c = make('c', 2, Float64Array.from({ length: n }, (_, i) => i), new Float32Array(n));
    expect(storeBytes([a, b, c])).toBe(storeBytes([a, b]) + storeBytes([c]));
  });

  it('storeBytes(series) stays <= 16 bytes per point for 1e6 points', () => {
    const n = 1_000_000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.sin(i);
    }
    const s = createSeries('s', 0, ingestX(x), y);
    expect(storeBytes([s]) / n).toBeLessThanOrEqual(16);
    expect(storeBytes([s])).toBeGreaterThanOrEqual(12 * n);
  });

  it('storeBytes(series) stays <= 16 bytes per point for 1e6 points grown by appends', () => {
    const n = 1_000_000, chunk = 10_000;
    const s = make('s', 0, [], []);
    for (let k = 0; k < n; k += chunk) {
      const x = new Float64Array(chunk), y = new Float32Array(chunk);
      for (let i = 0; i < chunk; i++) {
        x[i] = k + i;
        y[i] = Math.cos(k + i);
      }
      appendToSeries(s, ingestX(x), y, null);
    }
    expect(s.n).toBe(n);
    expect(storeBytes([s]) / n).toBeLessThanOrEqual(16);
  });
});

describe('lowerBound', () => {
  it('lowerBound(x, lo, hi, v) and lowerBoundAbove(x, n, v) find the first x >= v and x > v', () => {
    const x = Float64Array.from([1, 2, 2, 2, 5]);
    expect([0, 1, 2, 3, 5, 6].map((v) => lowerBound(x, 0, 5, v))).toEqual([0, 0, 1, 4, 4, 5]);
    expect([0, 1, 2, 3, 5, 6].map((v) => lowerBoundAbove(x, 5, v))).toEqual([0, 1, 4, 4, 5, 5]);
    expect(lowerBound(x, 2, 5, 0)).toBe(2);
  });
});

describe('sort', () => {
  it('isSorted(x, n) is true for non-decreasing x and false for NaN or a descent', () => {
    expect(isSorted([])).toBe(true);
    expect(isSorted([1])).toBe(true);
    expect(isSorted([NaN])).toBe(true);
    expect(isSorted([1, 1, 2, Infinity])).toBe(true);
    expect(isSorted([2, 1])).toBe(false);
    expect(isSorted([1, NaN, 2])).toBe(false);
    expect(isSorted([1, 2, 0], 2)).toBe(true);
    expect(isSorted([1, 2, 0], 3)).toBe(false);
  });

  it('sortPermutation(x) is a stable ascending permutation of the finite values', () => {
    expect([...sortPermutation([3, NaN, 1, 3, -Infinity, 1, Infinity])]).toEqual([2, 5, 0, 3]);
    const rand = mulberry32(4);
    const x = Array.from({ length: 5000 }, () => (rand() < 0.05 ? NaN : randInt(rand, -20, 20) / 4));
    const want = x.map((_, i) => i).filter((i) => Number.isFinite(x[i])).sort((a, b) => x[a] - x[b] || a - b);
    expect([...sortPermutation(x)]).toEqual(want);
  });

  it('gather(src, perm, out) reads src in permutation order', () => {
    expect([...gather([10, 20, 30], Uint32Array.from([2, 0]), new Float64Array(2))]).toEqual([30, 10]);
  });

  it('mergePlan(a, n, b, m) merges stably, a before b on ties, and applyPlan follows it', () => {
    const a = Float64Array.from([1, 2, 2, 5]), b = Float64Array.from([0, 2, 6]);
    const plan = mergePlan(a, 4, b, 3);
    expect([...plan]).toEqual([-1, 0, 1, 2, -2, 3, -3]);
    expect([...applyPlan(plan, a, b, new Float64Array(7))]).toEqual([0, 1, 2, 2, 2, 5, 6]);
    expect([...applyPlan(plan, [10, 20, 21, 50], [0, 22, 60], new Float32Array(7))]).toEqual([0, 10, 20, 21, 22, 50, 60]);
  });

  it('mergePlan(a, n, b, m) only reads the first n and m values', () => {
    const plan = mergePlan(Float64Array.from([1, 3, 99]), 2, Float64Array.from([2, -99]), 1);
    expect([...plan]).toEqual([0, -1, 1]);
    expect([...mergePlan(new Float64Array(0), 0, Float64Array.from([1, 2]), 2)]).toEqual([-1, -2]);
  });

  it('applyPlan(mergePlan(a, b)) equals a stable sort of the concatenation on random data', () => {
    const rand = mulberry32(5);
    const n = 3000, m = 1700;
    const a = Float64Array.from({ length: n }, () => randInt(rand, 0, 300)).sort();
    const b = Float64Array.from({ length: m }, () => randInt(rand, 0, 300)).sort();
    const plan = mergePlan(a, n, b, m);
    // tag each value with its origin: a's tags 0..n-1, b's tags n..n+m-1
    const tags = applyPlan(plan, Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: m }, (_, j) => n + j), new Float64Array(n + m));
    const all = [...a, ...b];
    const want = all.map((_, i) => i).sort((i, j) => all[i] - all[j] || i - j);
    expect([...tags]).toEqual(want);
  });
});
