/**
 * Binary search over a sorted float64 x column: the per-pixel-column bounds of every view, the
 * view's ends, the hover's nearest point and the non-positive prefix of a log axis all ask it.
 *
 * Written for typed arrays rather than taken from d3-array's bisector: the bisector compares
 * through a generic `ascending` and checks the needle for NaN on every call, which made the
 * per-column bounds of a 1000-px view about twice as slow (37 against 67-90 µs over 1e7 points,
 * Node, this 2-core machine), and the bounds run once per dense series per view.
 */

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
