/**
 * Dense regime: one vertical span per pixel column per series, from the pyramid.
 *
 * The pixels a one-pixel polyline colours in column c are the run between the column's min and
 * max (M4), joined to the neighbouring columns by the segments that cross the column's edges.
 * Within one column those make a single vertical interval: the min..max of the values in the
 * column widened by the polyline's height where it crosses the column's left and right edges.
 * So one primitive per column per series reproduces the full-resolution raster, spikes included,
 * and an empty column that a long segment crosses gets exactly the piece of that segment.
 *
 * A segment exists between neighbouring points (in x order) only when both are drawable: a NaN
 * (or a value <= 0 on a log axis) breaks the line, and a lone point between breaks is still drawn
 * as a zero-height span.
 */
import type { AxisMap, ScaleType } from '../coords';
import type { Pyramid } from '../store/pyramid';
import { lowerBound } from '../store/store';
import { drawable } from './m4';
import type { F32Out } from './outbuf';
import { emptyExtent } from '../store/pyramid';

/**
 * What decimation reads of a curve: sorted x, y in the same order, and a pyramid over y. A
 * stored series is one; its smoothed version (same x, smoothed y) is another.
 */
export interface Curve {
  readonly col: { readonly x: Float64Array };
  readonly y: Float32Array;
  readonly n: number;
  readonly pyramid: Pyramid;
}

export interface ColumnView {
  /** data-space x at each column edge, W + 1 values */
  edges: Float64Array;
  /** data x -> device px */
  xmap: AxisMap;
  /** data y -> device px (y down) */
  ymap: AxisMap;
  xScale: ScaleType;
  yScale: ScaleType;
  /** plot height in device px */
  height: number;
  /** keep spans outside the plot as they are (when collecting extents, not drawing) */
  noClamp?: boolean;
}

/**
 * bounds[c] = first point of column c, for c = 0..W; bounds[W] is one past the last point that
 * the view holds (x <= edges[W] is kept, like the M4 reference).
 */
export function columnBounds(x: Float64Array, n: number, edges: Float64Array, bounds: Int32Array): void {
  const W = edges.length - 1;
  let lo = lowerBound(x, 0, n, edges[0]);
  bounds[0] = lo;
  for (let c = 1; c < W; c++) bounds[c] = lo = lowerBound(x, lo, n, edges[c]);
  // upper bound of the last edge: first x > edges[W]
  let hi = n;
  const e = edges[W];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= e) lo = mid + 1;
    else hi = mid;
  }
  bounds[W] = lo;
}

/**
 * Scaled y of the polyline where it crosses device-x `px`, on the segment from point i - 1 to i;
 * NaN when there is no such segment (an end of the data, or a break).
 */
export function crossing(s: Curve, i: number, px: number, view: ColumnView): number {
  if (i <= 0 || i >= s.n) return NaN;
  const x = s.col.x, y = s.y;
  const ya = y[i - 1], yb = y[i];
  if (!drawable(ya, view.yScale) || !drawable(yb, view.yScale)) return NaN;
  if (view.xScale === 'log' && !(x[i - 1] > 0)) return NaN;
  const xa = px_(view.xmap, x[i - 1]), xb = px_(view.xmap, x[i]);
  const ta = scaled(ya, view.yScale), tb = scaled(yb, view.yScale);
  if (!(xb > xa)) return tb;
  return ta + ((tb - ta) * (px - xa)) / (xb - xa);
}

const ext = emptyExtent();

/**
 * Emit [column, top, bottom, slot] per non-empty column into `out`, top <= bottom in device px.
 * Returns the number of spans emitted.
 */
export function columnSpans(s: Curve, bounds: Int32Array, view: ColumnView, slot: number, out: F32Out): number {
  const W = view.edges.length - 1;
  const { ymap, height } = view;
  const log = view.yScale === 'log';
  const data = out.reserve(4 * W);
  let k = out.length;
  let left = crossing(s, bounds[0], 0, view);
  for (let c = 0; c < W; c++) {
    const i0 = bounds[c], i1 = bounds[c + 1];
    const right = crossing(s, i1, c + 1, view);
    let lo = Infinity, hi = -Infinity;
    if (i1 > i0) {
      ext.min = Infinity; ext.max = -Infinity; ext.minPos = Infinity;
      s.pyramid.query(s.y, i0, i1, ext);
      const mn = log ? ext.minPos : ext.min;
      if (mn <= ext.max) {
        lo = scaled(mn, view.yScale);
        hi = scaled(ext.max, view.yScale);
      }
    }
    if (left < lo) lo = left;
    if (left > hi) hi = left;
    if (right < lo) lo = right;
    if (right > hi) hi = right;
    left = right;
    if (!(lo <= hi)) continue;
    // scaled -> device px; y grows down, so the max is the top
    let top = (hi - ymap.t0) * ymap.k + ymap.r0;
    let bottom = (lo - ymap.t0) * ymap.k + ymap.r0;
    if (top > bottom) { const t = top; top = bottom; bottom = t; }
    if (!view.noClamp) {
      if (bottom < -1 || top > height + 1) continue;
      if (top < -1) top = -1;
      if (bottom > height + 1) bottom = height + 1;
    }
    data[k] = c;
    data[k + 1] = top;
    data[k + 2] = bottom;
    data[k + 3] = slot;
    k += 4;
  }
  const emitted = (k - out.length) / 4;
  out.length = k;
  return emitted;
}

export function scaled(v: number, scale: ScaleType): number {
  return scale === 'log' ? Math.log10(v) : v;
}

function px_(map: AxisMap, v: number): number {
  return (scaled(v, map.scale) - map.t0) * map.k + map.r0;
}
