/**
 * Binary search over a sorted float64 x column: the per-pixel-column bounds of every view, the
 * view's ends, the hover's nearest point and the non-positive prefix of a log axis all ask it.
 *
 * Written for typed arrays rather than taken from d3-array's bisector: the bisector compares
 * through a generic `ascending` and checks the needle for NaN on every call, which made the
 * per-column bounds of a 1000-px view about twice as slow (37 against 67-90 µs over 1e7 points,
 * Node, this 2-core machine), and the bounds run once per dense series per view.
 */

import { leftIsNearer, type ScaleType } from '../coords';

/**
 * Index of the point nearest to `v` (in axis units on `scale`) among the first n with a finite
 * y, the left one on a tie; -1 when none has one. The hover rule of every series and group.
 */
export function nearestFinite(x: Float64Array, y: ArrayLike<number>, n: number, v: number, scale: ScaleType): number {
  const i = lowerBound(x, 0, n, v);
  // walk outwards from the insertion point to the first finite value on each side
  let lo = i - 1, hi = i;
  while (lo >= 0 && !Number.isFinite(y[lo])) lo--;
  while (hi < n && !Number.isFinite(y[hi])) hi++;
  if (lo < 0) return hi < n ? hi : -1;
  if (hi >= n) return lo;
  return leftIsNearer(v, x[lo], x[hi], scale) ? lo : hi;
}

/** First index in x[lo..hi) with x >= v; hi when there is none. */
export function lowerBound(x: Float64Array, lo: number, hi: number, v: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * lowerBound(x, lo, hi, v) found from lo outwards: x[lo], x[lo + 1], x[lo + 3], ... until one is
 * >= v, then a binary search in the last step. O(log d) for an answer d past lo: the column
 * bounds of a view step from one column's first point to the next, a few points apart in a
 * server's answer or a sweep's short run, where a search over all of [lo, hi) takes ~12 steps.
 */
export function gallopBound(x: Float64Array, lo: number, hi: number, v: number): number {
  let step = 1, end = lo;
  while (end < hi && x[end] < v) {
    lo = end + 1;
    end = lo + step;
    step <<= 1;
  }
  return lowerBound(x, lo, Math.min(end, hi), v);
}

/**
 * First index in x[from..n) with x > v; n when there is none. From 0 it is how many of the
 * first n points are <= v.
 */
export function lowerBoundAbove(x: Float64Array, n: number, v: number, from = 0): number {
  let lo = from, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
