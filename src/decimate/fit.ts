/**
 * Fitting the domains a view leaves open (docs/semantics.md, Auto range): x fits every visible
 * series, y what is drawn in the x view, padded; with ignoreOutliers y fits the 5th..95th
 * percentile of the drawn column extents instead.
 */
import { toScaled, type ScaleType } from '../coords';
import { emptyExtent } from '../store/pyramid';
import { lowerBoundAbove } from '../store/search';
import type { Curve, Series } from '../store/store';
import { boundsScratch, columnBounds, columnSpans, crossing, viewEnds, type ColumnView } from './columns';
import { isDense } from './m4curves';
import { F32Out } from './outbuf';

/** Fraction of the fitted y span added above and below, so extremes do not touch the frame. */
const Y_PAD = 0.05;
/** Quantiles of what is drawn for an outlier-ignoring fit (TensorBoard's 5th..95th). */
const LOW_Q = 0.05, HIGH_Q = 0.95;

/** The x extent of the data (on a log axis, of its positive part), padded. */
export function fitX(series: readonly Series[], scale: ScaleType): [number, number] {
  const [lo, hi] = xExtent(series, scale);
  return padDomain(lo, hi, scale, 0);
}

/** [least, greatest] x of the series (on a log axis the least x > 0); [Infinity, -Infinity] for none. */
export function xExtent(series: readonly Series[], scale: ScaleType): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const s of series) {
    const x = s.col.x;
    const first = scale === 'log' ? lowerBoundAbove(x, s.n, 0) : 0;
    if (first >= s.n) continue;
    if (x[first] < lo) lo = x[first];
    if (x[s.n - 1] > hi) hi = x[s.n - 1];
  }
  return [lo, hi];
}

/**
 * The y domain of the curves in the x view: with `ignoreOutliers` their percentiles when those
 * differ, else their extent.
 */
export function fitY(curves: readonly Curve[], view: ColumnView, ignoreOutliers: boolean): [number, number] {
  return (ignoreOutliers && percentileY(curves, view)) || extentY(curves, view);
}

/** The y extent of what is drawn in the x view: points in it and where lines cross its edges. */
function extentY(series: readonly Curve[], view: ColumnView): [number, number] {
  const W = view.edges.length - 1;
  const log = view.yScale === 'log';
  let lo = Infinity, hi = -Infinity;
  const ext = emptyExtent();
  for (const s of series) {
    const [b0, b1] = viewEnds(s, view.edges);
    ext.min = Infinity; ext.max = -Infinity; ext.minPos = Infinity;
    s.pyramid.query(s.y, b0, b1, ext);
    const mn = log ? ext.minPos : ext.min;
    if (mn <= ext.max) {
      lo = Math.min(lo, toScaled(mn, view.yScale));
      hi = Math.max(hi, toScaled(ext.max, view.yScale));
    }
    for (const t of [crossing(s, b0, 0, view), crossing(s, b1, W, view)]) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  // lo/hi are scaled here; pad in scaled units and return data values
  if (!(lo <= hi)) return log ? [1, 10] : [0, 1];
  const span = hi - lo;
  const pad = span > 0 ? span * Y_PAD : log ? 0.5 : Math.max(Math.abs(lo) * 0.1, 1);
  return log ? [Math.pow(10, lo - pad), Math.pow(10, hi + pad)] : [lo - pad, hi + pad];
}

/**
 * The y fit that ignores outliers: the 5th and 95th percentile of the per-column extents of the
 * curves in view (each column's min and max, or the points of a sparse curve), padded. Null when
 * there is nothing to fit or the percentiles coincide (then the full extent is used, so the line
 * is never hidden entirely).
 */
function percentileY(curves: readonly Curve[], view: ColumnView): [number, number] | null {
  const W = view.edges.length - 1;
  const identity: ColumnView = { ...view, ymap: { scale: view.yScale, t0: 0, k: 1, r0: 0 }, noClamp: true };
  const spans = new F32Out();
  const values: number[] = [];
  for (const c of curves) {
    const [b0, b1] = viewEnds(c, view.edges);
    if (!isDense(c, b0, b1, W)) {
      for (let i = b0; i < b1; i++) {
        const v = c.y[i];
        if (Number.isFinite(v) && (view.yScale === 'linear' || v > 0)) values.push(toScaled(v, view.yScale));
      }
      continue;
    }
    const bounds = boundsScratch(W);
    columnBounds(c.col.x, c.n, view.edges, bounds);
    spans.length = 0;
    const n = columnSpans(c, bounds, identity, 0, spans);
    for (let k = 0; k < n; k++) values.push(spans.data[4 * k + 1], spans.data[4 * k + 2]);
  }
  if (values.length < 2) return null;
  // The order statistics at floor(5%) and ceil(95%), rounded outwards: not d3-array's quantile,
  // which interpolates between neighbours. A native typed-array sort, not d3's quickselect:
  // on column extents of 100 runs x 1000 px (200k values) the sort took 20 ms, the two
  // selections 74 (`npm run bench:decimation`, ignoreOutliers row; Node, this 2-core machine).
  const sorted = Float64Array.from(values).sort();
  const lo = sorted[Math.floor(LOW_Q * (sorted.length - 1))];
  const hi = sorted[Math.ceil(HIGH_Q * (sorted.length - 1))];
  if (!(hi > lo)) return null;
  const pad = (hi - lo) * Y_PAD;
  return view.yScale === 'log' ? [Math.pow(10, lo - pad), Math.pow(10, hi + pad)] : [lo - pad, hi + pad];
}

export function padDomain(lo: number, hi: number, scale: ScaleType, frac: number): [number, number] {
  if (!(lo <= hi)) return scale === 'log' ? [1, 10] : [0, 1];
  if (lo === hi) {
    if (scale === 'log') return [lo / Math.SQRT2, hi * Math.SQRT2];
    const d = Math.max(Math.abs(lo) * 1e-3, 0.5);
    return [lo - d, hi + d];
  }
  // halves: hi - lo of finite ends (-1e308..1e308) overflows to Infinity, and Infinity * 0 is
  // NaN; the padded ends stay finite
  const pad = frac > 0 ? (hi / 2 - lo / 2) * 2 * frac : 0;
  return [Math.max(lo - pad, -Number.MAX_VALUE), Math.min(hi + pad, Number.MAX_VALUE)];
}
