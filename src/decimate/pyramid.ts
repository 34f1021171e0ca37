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

export const BLOCK = 16;
const LOG2_BLOCK = 4;

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

  constructor(y: Float32Array, n: number) {
    this.extend(y, 0, n);
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
   * touching that range and their ancestors are recomputed: O(n - from + log n).
   */
  extend(y: Float32Array, from: number, n: number): void {
    this.n = n;
    let count = Math.ceil(n / BLOCK);
    let first = from >> LOG2_BLOCK;
    // level 0 from raw values
    let level = this.ensure(0, count);
    for (let b = first; b < count; b++) {
      let mn = Infinity, mx = -Infinity, mp = Infinity;
      const end = Math.min(n, (b + 1) * BLOCK);
      for (let i = b * BLOCK; i < end; i++) {
        const v = y[i];
        // NaN fails every comparison; Infinity is excluded explicitly.
        if (v < mn && v !== -Infinity) mn = v;
        if (v > mx && v !== Infinity) mx = v;
        if (v > 0 && v < mp && v !== Infinity) mp = v;
      }
      level[3 * b] = mn;
      level[3 * b + 1] = mx;
      level[3 * b + 2] = mp;
    }
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
      for (let b = first; b < count; b++) {
        const a = 6 * b;
        if (2 * b + 1 < belowCount) {
          level[3 * b] = Math.min(below[a], below[a + 3]);
          level[3 * b + 1] = Math.max(below[a + 1], below[a + 4]);
          level[3 * b + 2] = Math.min(below[a + 2], below[a + 5]);
        } else {
          level[3 * b] = below[a];
          level[3 * b + 1] = below[a + 1];
          level[3 * b + 2] = below[a + 2];
        }
      }
      this.counts[l] = count;
    }
    this.levels.length = l + 1;
    this.counts.length = l + 1;
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
