/**
 * The `cpu` smoothing backend, run in the worker: the reference (any mode) over each series'
 * full-resolution y, cached with a min/max pyramid so the smoothed curve is decimated exactly like
 * the raw one. A pure append continues from the stored state: ema, time-weighted and
 * running-average over the new points only (O(k)); centred and gaussian also recompute the last
 * outputs whose windows the new points reach (from `window` / 2 points, or the gaussian reach in
 * x, before the old end). A merge of out-of-order points, or new parameters, starts over (O(N)).
 */
import { Pyramid } from '../store/pyramid';
import type { Curve, Series } from '../store/store';
import { paramsKey, scanned } from './params';
import { initialState, smoothInto, type SmoothParams, type SmoothState } from './reference';
import { initialWindowState, windowSmoothInto, type WindowState } from './window';

interface Cache {
  key: string;
  /** Series.rewrites when computed: a merge rewrites earlier points */
  rewrites: number;
  n: number;
  y: Float32Array;
  pyramid: Pyramid;
  /** the recurrence's state after the last point (ema, time-weighted) */
  state: SmoothState;
  /** the window modes': where later points start to change outputs */
  window: WindowState;
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
    const recurrence = scanned(params.mode);
    const state = recurrence ? smoothInto(s.col.x, s.y, 0, s.n, params, initialState(), y) : initialState();
    const window = recurrence ? initialWindowState() : windowSmoothInto(s.col.x, s.y, 0, s.n, true, params, initialWindowState(), y);
    const pyramid = new Pyramid(y, s.n);
    if (work) work.points += s.n;
    c = { key, rewrites: s.rewrites, n: s.n, y, pyramid, state, window, curve: { col: s.col, y, n: s.n, pyramid } };
    caches.set(s, c);
  } else if (c.n < s.n) {
    // appended on the end: continue the recurrence over the new points only
    if (c.y.length < s.n) {
      const grown = new Float32Array(s.y.length);
      grown.set(c.y.subarray(0, c.n));
      c.y = grown;
    }
    // the first output the new points change: the old end, or before it where windows reach forward
    let from = c.n;
    if (scanned(params.mode)) c.state = smoothInto(s.col.x, s.y, c.n, s.n, params, c.state, c.y);
    else {
      from = c.window.next;
      c.window = windowSmoothInto(s.col.x, s.y, 0, s.n, true, params, c.window, c.y);
    }
    if (work) work.points += s.n - from;
    c.pyramid.extend(c.y, from, s.n);
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
