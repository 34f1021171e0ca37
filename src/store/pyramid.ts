/**
 * A min/max level-of-detail pyramid over one y column, so the extent of any index range costs
 * O(BLOCK + log N) instead of O(N). A view change then costs O(pixels x log N) per series.
 *
 * Level 0 summarises blocks of BLOCK points; each level above halves the count. Per block it
 * keeps min and max of the finite values and the smallest positive finite value (what a log axis
 * can show). With BLOCK = 16 that is 12 bytes per 16 points per level, about 1.5 bytes per point
 * in all: x (8) + y (4) + pyramid stays under the 16 bytes per point budget.
 *
 * Non-finite values never enter a block. An empty block holds min = +Inf, max = -Inf.
 */

import { level0Kernel, levelUpKernel, type Tally } from './kernels';

export type { Tally };

export const BLOCK = 16;
const LOG2_BLOCK = 4;

/*
 * The pyramid is built with integer compares: a float32's bits, with the magnitude bits flipped
 * when the sign is set, order like the floats (-0 just below +0, NaNs beyond the infinities), and
 * an integer min/max can be written without branches. Noisy data (every training curve) makes a
 * branchy min/max mispredict on most blocks: building over 1e7 noisy points took 51 ms that way,
 * 23 ms this way (`npm run bench:decimation`, Node, this 2-core machine).
 */
const KEY_NEG_ZERO = -1, KEY_POS_INF = 0x7f800000, KEY_NEG_INF = -0x7f800001;

/** A float32 bit pattern to its order key, and back: the transform is its own inverse. */
function key(bits: number): number {
  return bits ^ ((bits >> 31) & 0x7fffffff);
}

/** Extent of finite values in a range; min > max when the range holds none. */
export interface Extent {
  min: number;
  max: number;
  /** smallest finite value > 0, +Inf when none */
  minPos: number;
}

export function emptyExtent(): Extent {
  return { min: Infinity, max: -Infinity, minPos: Infinity };
}

export class Pyramid {
  /** per level: [min, max, minPos] interleaved */
  private levels: Float32Array[] = [];
  /** blocks in use per level */
  private counts: number[] = [];
  private n = 0;
  /** what the build counted over y[0..n) */
  readonly built: Tally;

  constructor(y: Float32Array, n: number) {
    this.built = this.extend(y, 0, n);
  }

  get length(): number {
    return this.n;
  }

  /** Bytes held by the pyramid (for the memory budget). */
  get bytes(): number {
    let b = 0;
    for (const l of this.levels) b += l.byteLength;
    return b;
  }

  /**
   * Account for y[from..n) having changed or been appended (from <= old length). Only the blocks
   * touching that range and their ancestors are recomputed: O(n - from + log n). Returns the
   * non-finite and the finite non-positive values of y[from..n), counted on the way (the store
   * needs them and this is the one pass over the points).
   */
  extend(y: Float32Array, from: number, n: number): Tally {
    this.n = n;
    let count = Math.ceil(n / BLOCK);
    let first = from >> LOG2_BLOCK;
    let level = this.ensure(0, count);
    // the same loops in WebAssembly where there are enough points (kernels.ts says why)
    const tally = level0Kernel(y, from, n, level) ?? level0(y, from, n, level);
    this.counts[0] = count;
    // levels above from the level below
    let l = 0;
    while (count > 1) {
      const below = level;
      const belowCount = count;
      count = (count + 1) >> 1;
      first >>= 1;
      l++;
      level = this.ensure(l, count);
      if (!levelUpKernel(below, belowCount, level, first, count)) levelUp(below, belowCount, level, first, count);
      this.counts[l] = count;
    }
    this.levels.length = l + 1;
    this.counts.length = l + 1;
    return tally;
  }

  /** Widens `out` by the finite values of y[i0..i1). */
  query(y: Float32Array, i0: number, i1: number, out: Extent): Extent {
    if (i1 > this.n) i1 = this.n;
    if (i0 < 0) i0 = 0;
    if (i1 - i0 <= 2 * BLOCK) return scan(y, i0, i1, out);
    // ragged ends from raw values, whole blocks from the pyramid
    let b0 = (i0 + BLOCK - 1) >> LOG2_BLOCK;
    let b1 = i1 >> LOG2_BLOCK;
    scan(y, i0, b0 * BLOCK, out);
    scan(y, b1 * BLOCK, i1, out);
    let l = 0;
    while (b0 < b1) {
      const level = this.levels[l];
      if (b0 & 1) take(level, b0++, out);
      if (b1 & 1) take(level, --b1, out);
      b0 >>= 1;
      b1 >>= 1;
      l++;
    }
    return out;
  }

  private ensure(l: number, count: number): Float32Array {
    let level = this.levels[l];
    if (!level || level.length < 3 * count) {
      // grow geometrically so appends stay amortised O(1) per block
      const cap = level ? Math.max(3 * count, Math.ceil(level.length * 1.5)) : 3 * count;
      const next = new Float32Array(cap);
      if (level) next.set(level.subarray(0, 3 * (this.counts[l] ?? 0)));
      this.levels[l] = level = next;
    }
    return level;
  }
}

/**
 * Level-0 blocks from y[from..n) (whole blocks, from the one holding `from`), counting the
 * non-finite and non-positive values of y[from..n). A block of finite values that are all > 0
 * (a loss curve) or all < 0 is decided by its min and max keys; anything else (a NaN, an
 * infinity, a zero, a sign change) takes the exact path for that block alone.
 */
export function level0(y: Float32Array, from: number, n: number, level: Float32Array): Tally {
  const tally: Tally = { nonFinite: 0, nonPositive: 0 };
  const bits = new Int32Array(y.buffer, y.byteOffset, y.length);
  const out = new Int32Array(level.buffer, level.byteOffset, level.length);
  const count = Math.ceil(n / BLOCK);
  for (let b = from >> LOG2_BLOCK; b < count; b++) {
    const i0 = b * BLOCK, end = Math.min(n, i0 + BLOCK);
    let mn = 0x7fffffff, mx = -0x80000000;
    for (let i = i0; i < end; i++) {
      const v = bits[i];
      const k = v ^ ((v >> 31) & 0x7fffffff); // key(v), written out: this is the hot loop
      mn ^= (mn ^ k) & -+(k < mn);
      mx ^= (mx ^ k) & -+(k > mx);
    }
    const o = 3 * b;
    if (mn > 0 && mx < KEY_POS_INF) {
      out[o] = out[o + 2] = key(mn);
      out[o + 1] = key(mx);
    } else if (mx < KEY_NEG_ZERO && mn > KEY_NEG_INF) {
      out[o] = key(mn);
      out[o + 1] = key(mx);
      out[o + 2] = KEY_POS_INF; // no positive value: minPos = +Infinity
      tally.nonPositive += end - Math.max(from, i0);
    } else {
      exactBlock(y, i0, end, Math.max(from, i0), level, o, tally);
    }
  }
  return tally;
}

/** Blocks [first, count) of a level from pairs of the level below (min, max, min), branch-free. */
export function levelUp(below: Float32Array, belowCount: number, level: Float32Array, first: number, count: number): void {
  const src = new Int32Array(below.buffer, below.byteOffset, below.length);
  const out = new Int32Array(level.buffer, level.byteOffset, level.length);
  for (let b = first; b < count; b++) {
    const a = 6 * b, o = 3 * b;
    if (2 * b + 1 >= belowCount) {
      out[o] = src[a];
      out[o + 1] = src[a + 1];
      out[o + 2] = src[a + 2];
      continue;
    }
    let p = key(src[a]), q = key(src[a + 3]);
    out[o] = key(p ^ ((p ^ q) & -+(q < p)));
    p = key(src[a + 1]);
    q = key(src[a + 4]);
    out[o + 1] = key(p ^ ((p ^ q) & -+(q > p)));
    p = key(src[a + 2]);
    q = key(src[a + 5]);
    out[o + 2] = key(p ^ ((p ^ q) & -+(q < p)));
  }
}

/** One level-0 block with every rule spelled out; counts the values of y[countFrom..end). */
function exactBlock(y: Float32Array, i0: number, end: number, countFrom: number, level: Float32Array, o: number, tally: Tally): void {
  let mn = Infinity, mx = -Infinity, mp = Infinity;
  for (let i = i0; i < end; i++) {
    const v = y[i];
    // NaN fails every comparison; Infinity is excluded explicitly (and is never < mp = Infinity).
    if (v < mn && v !== -Infinity) mn = v;
    if (v > mx && v !== Infinity) mx = v;
    if (v > 0 && v < mp) mp = v;
    if (i >= countFrom) {
      if (v - v !== 0) tally.nonFinite++;
      else if (v <= 0) tally.nonPositive++;
    }
  }
  level[o] = mn;
  level[o + 1] = mx;
  level[o + 2] = mp;
}

function take(level: Float32Array, b: number, out: Extent): void {
  const mn = level[3 * b], mx = level[3 * b + 1], mp = level[3 * b + 2];
  if (mn < out.min) out.min = mn;
  if (mx > out.max) out.max = mx;
  if (mp < out.minPos) out.minPos = mp;
}

/** Brute-force extent of y[i0..i1): the reference the pyramid is tested against. */
export function scan(y: ArrayLike<number>, i0: number, i1: number, out: Extent): Extent {
  let mn = out.min, mx = out.max, mp = out.minPos;
  for (let i = i0; i < i1; i++) {
    const v = y[i];
    if (v < mn && v !== -Infinity) mn = v;
    if (v > mx && v !== Infinity) mx = v;
    if (v > 0 && v < mp && v !== Infinity) mp = v;
  }
  out.min = mn;
  out.max = mx;
  out.minPos = mp;
  return out;
}
