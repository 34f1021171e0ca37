/**
 * The `cpu` smoothing backend, run in the worker: the reference recurrence over each series'
 * full-resolution y, cached with a min/max pyramid so the smoothed curve is decimated exactly like
 * the raw one. A pure append continues from the stored state (O(k)); a merge of out-of-order
 * points, or new parameters, starts over (O(N)).
 */
import { Pyramid } from '../store/pyramid';
import type { Curve, Series } from '../store/store';
import { paramsKey } from './params';
import { initialState, smoothInto, type SmoothParams, type SmoothState } from './reference';

interface Cache {
  key: string;
  /** Series.rewrites when computed: a merge rewrites earlier points */
  rewrites: number;
  n: number;
  y: Float32Array;
  pyramid: Pyramid;
  state: SmoothState;
  curve: Curve;
}

const caches = new WeakMap<Series, Cache>();

/**
 * The smoothed curve of a series for these parameters, computed or continued as needed; adds
 * the number of points it smoothed to `work.points`.
 */
export function smoothedCurve(s: Series, params: SmoothParams, work?: { points: number }): Curve {
  const key = paramsKey(params);
  let c = caches.get(s);
  if (!c || c.key !== key || c.rewrites !== s.rewrites || c.n > s.n) {
    const y = new Float32Array(s.y.length);
    const state = smoothInto(s.col.x, s.y, 0, s.n, params, initialState(), y);
    const pyramid = new Pyramid(y, s.n);
    if (work) work.points += s.n;
    c = { key, rewrites: s.rewrites, n: s.n, y, pyramid, state, curve: { col: s.col, y, n: s.n, pyramid } };
    caches.set(s, c);
  } else if (c.n < s.n) {
    // appended on the end: continue the recurrence over the new points only
    if (c.y.length < s.n) {
      const grown = new Float32Array(s.y.length);
      grown.set(c.y.subarray(0, c.n));
      c.y = grown;
    }
    c.state = smoothInto(s.col.x, s.y, c.n, s.n, params, c.state, c.y);
    if (work) work.points += s.n - c.n;
    c.pyramid.extend(c.y, c.n, s.n);
    c.n = s.n;
    c.curve = { col: s.col, y: c.y, n: s.n, pyramid: c.pyramid };
  }
  // a shared x column may have been copied on write since
  if (c.curve.col !== s.col) c.curve = { ...c.curve, col: s.col };
  return c.curve;
}

/** Extent of x over all series of a chart: R of the time-weighted mode. */
export function xRange(series: readonly Series[]): number {
  let lo = Infinity, hi = -Infinity;
  for (const s of series) {
    if (s.n === 0) continue;
    lo = Math.min(lo, s.col.x[0]);
    hi = Math.max(hi, s.col.x[s.n - 1]);
  }
  return hi > lo ? hi - lo : 0;
}
