/**
 * Dense regime: one vertical span per pixel column per series, from the pyramid
 * (docs/semantics.md, Decimation).
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
import { project, projectScaled, toScaled, type AxisMap, type ScaleType } from '../coords';
import { emptyExtent } from '../store/pyramid';
import { lowerBound, lowerBoundAbove } from '../store/search';
import type { Curve } from '../store/store';
import { drawable } from './m4';
import type { F32Out } from './outbuf';

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
  bounds[W] = lowerBoundAbove(x, n, edges[W], lo);
}

/** [first point in view, one past the last], matching columnBounds' bounds[0] and bounds[W]. */
export function viewEnds(s: Curve, edges: Float64Array): [number, number] {
  const x = s.col.x;
  const b0 = lowerBound(x, 0, s.n, edges[0]);
  const b1 = lowerBoundAbove(x, s.n, edges[edges.length - 1]);
  return [b0, Math.max(b0, b1)];
}

/** Column bounds of one series at a time, reused from view to view: grown, never shrunk. */
let bounds = new Int32Array(0);

/** A bounds array for a W-column view (the same one each call: fill it, use it, let it go). */
export function boundsScratch(W: number): Int32Array {
  if (bounds.length < W + 1) bounds = new Int32Array(W + 1);
  return bounds;
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
  const xa = project(view.xmap, x[i - 1]), xb = project(view.xmap, x[i]);
  const ta = toScaled(ya, view.yScale), tb = toScaled(yb, view.yScale);
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
        lo = toScaled(mn, view.yScale);
        hi = toScaled(ext.max, view.yScale);
      }
    }
    if (left < lo) lo = left;
    if (left > hi) hi = left;
    if (right < lo) lo = right;
    if (right > hi) hi = right;
    left = right;
    if (!(lo <= hi)) continue;
    // scaled -> device px; y grows down, so the max is the top
    let top = projectScaled(ymap, hi);
    let bottom = projectScaled(ymap, lo);
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
