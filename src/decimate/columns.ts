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
import { project, toScaled, type AxisMap, type ScaleType } from '../coords';
import { BLOCK, emptyExtent } from '../store/pyramid';
import { gallopBound, lowerBound, lowerBoundAbove } from '../store/search';
import type { Curve } from '../store/store';
import { drawable } from './m4';
import type { F32Out } from './outbuf';
import type { DensityCounter } from './plotimage';

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
  // each column's first point is found from the last one's: a few points on in a sparse view
  for (let c = 1; c < W; c++) bounds[c] = lo = gallopBound(x, lo, n, edges[c]);
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
  return segmentAt(toScaled(ya, view.yScale), toScaled(yb, view.yScale), xa, xb, px);
}

/**
 * Scaled y at device x `px` on the segment from (xa, ta) to (xb, tb) (device x, scaled y, both
 * ends drawable): the right end's when the segment is vertical in device px. The crossings of
 * column edges in crossing() and columnSpans; fewSpans has it inline, with NaN ends (a check
 * here cost its 10,000-run frames ~25%).
 */
function segmentAt(ta: number, tb: number, xa: number, xb: number, px: number): number {
  return !(xb > xa) ? tb : ta + ((tb - ta) * (px - xa)) / (xb - xa);
}

const ext = emptyExtent();

/**
 * Columns of at most this many points are scanned in place on a linear axis (the pyramid scans
 * up to two of its blocks anyway): a sweep's 1,000 runs of 1e4 points hold ~10 a column, and
 * the call and extent object per column cost ~20% of their spans (Node, interleaved A/B).
 */
const SHORT_COLUMN = 2 * BLOCK;

/**
 * Emit [column, top, bottom, slot] per non-empty column into `out`, top <= bottom in device px.
 * Returns the number of spans emitted. This is the worker's innermost loop: runs x columns per
 * frame (9.2M at 10,000 runs). With `counter`, the spans are counted into the density instead
 * of written (`out` is left as it is): a 10,000-run frame's spans are never stored.
 */
export function columnSpans(s: Curve, bounds: Int32Array, view: ColumnView, slot: number, out: F32Out, counter?: DensityCounter): number {
  const W = view.edges.length - 1;
  if (bounds[W] - bounds[0] <= FEW_PER_COLUMN * W) return fewSpans(s, bounds, view, slot, out, counter);
  const log = view.yScale === 'log';
  const y = s.y, n = s.n, yScale = view.yScale;
  edgePoints(s, bounds, view);
  const data = out.reserve(4 * W);
  let k = out.length;
  let left = crossing(s, bounds[0], 0, view);
  for (let c = 0; c < W; c++) {
    const i0 = bounds[c], i1 = bounds[c + 1];
    // crossing(s, i1, c + 1, view), the points' device x taken from edgePoints
    let right = NaN;
    const xa = edgeBefore[c + 1];
    if (i1 > 0 && i1 < n && xa === xa) {
      const ya = y[i1 - 1], yb = y[i1];
      if (drawable(ya, yScale) && drawable(yb, yScale)) right = segmentAt(toScaled(ya, yScale), toScaled(yb, yScale), xa, edgeAfter[c + 1], c + 1);
    }
    let lo = Infinity, hi = -Infinity;
    if (i1 > i0) {
      if (!log && i1 - i0 <= SHORT_COLUMN) {
        // a few points on a linear axis: their extent in place (the pyramid would scan them
        // too, through a call and an extent object, and also find a least positive value)
        for (let i = i0; i < i1; i++) {
          const v = y[i];
          if (v < lo && v !== -Infinity) lo = v;
          if (v > hi && v !== Infinity) hi = v;
        }
      } else {
        ext.min = Infinity; ext.max = -Infinity; ext.minPos = Infinity;
        s.pyramid.query(s.y, i0, i1, ext);
        const mn = log ? ext.minPos : ext.min;
        if (mn <= ext.max) {
          lo = toScaled(mn, view.yScale);
          hi = toScaled(ext.max, view.yScale);
        }
      }
    }
    k = put(data, k, c, lo, hi, left, right, slot, view, counter);
    left = right;
  }
  const emitted = (k - out.length) / 4;
  out.length = k;
  return emitted;
}

/**
 * The device x of the points on either side of each column edge: edgeBefore[c] of point
 * bounds[c] - 1, edgeAfter[c] of point bounds[c] (NaN where crossing() finds no segment for its
 * x: no such point, or x <= 0 on a log axis). They depend only on the x column and the view, so
 * a sweep's runs, which share one x column, project them once a view, not once a run.
 */
const edgeFor = { x: null as Float64Array | null, n: -1, edges: null as Float64Array | null, xmap: null as AxisMap | null };
let edgeBefore = new Float64Array(0), edgeAfter = new Float64Array(0);

/** Bring edgeBefore / edgeAfter up to date for this curve's x column and view. */
function edgePoints(s: Curve, bounds: Int32Array, view: ColumnView): void {
  const x = s.col.x, n = s.n, W = view.edges.length - 1;
  if (edgeFor.x !== x || edgeFor.n !== n || edgeFor.edges !== view.edges || edgeFor.xmap !== view.xmap) {
    if (edgeBefore.length < W + 1) {
      edgeBefore = new Float64Array(W + 1);
      edgeAfter = new Float64Array(W + 1);
    }
    const logX = view.xScale === 'log', xmap = view.xmap;
    for (let c = 0; c <= W; c++) {
      const i = bounds[c];
      const none = i <= 0 || i >= n || (logX && !(x[i - 1] > 0));
      edgeBefore[c] = none ? NaN : project(xmap, x[i - 1]);
      edgeAfter[c] = none ? NaN : project(xmap, x[i]);
    }
    edgeFor.x = x;
    edgeFor.n = n;
    edgeFor.edges = view.edges;
    edgeFor.xmap = xmap;
  }
}

/**
 * The span of column c over scaled [lo, hi] (its points' extent; lo > hi: none) widened by the
 * crossings of its edges (NaN: no segment there), written at data[k] in device px, clamped to
 * the plot; returns the next k (counted instead with `counter`: k unchanged).
 */
function put(data: Float32Array, k: number, c: number, lo: number, hi: number, left: number, right: number, slot: number, view: ColumnView, counter: DensityCounter | undefined): number {
  // a NaN compares false: left out
  if (left < lo) lo = left;
  if (left > hi) hi = left;
  if (right < lo) lo = right;
  if (right > hi) hi = right;
  if (!(lo <= hi)) return k;
  // scaled -> device px (projectScaled); y grows down, so the max is the top
  const { t0, k: yk, r0 } = view.ymap;
  let top = (hi - t0) * yk + r0;
  let bottom = (lo - t0) * yk + r0;
  if (top > bottom) { const t = top; top = bottom; bottom = t; }
  if (!view.noClamp) {
    const height = view.height;
    if (bottom < -1 || top > height + 1) return k;
    if (top < -1) top = -1;
    if (bottom > height + 1) bottom = height + 1;
  }
  if (counter) {
    counter.count(c, top, bottom);
    return k;
  }
  data[k] = c;
  data[k + 1] = top;
  data[k + 2] = bottom;
  data[k + 3] = slot;
  return k + 4;
}

/**
 * Up to this many points per column on average in view, `fewSpans` answers: a sweep's short
 * runs (10,000 x 1e3) hold a point or two per column, so each point's device x and scaled y are
 * computed once, not once for each of the two edges it meets.
 */
const FEW_PER_COLUMN = 4;

/** Device x and scaled y (NaN where not drawable) of the points a sparse view reads, reused. */
let fewX = new Float64Array(0), fewT = new Float64Array(0);
/**
 * Whose points' device x `fewX` holds: runs of a sweep share one x column, so a view's 10,000
 * runs project their x once, not once each (the same numbers: project() of the same x).
 */
const fewFor = { x: null as ArrayLike<number> | null, xmap: null as ColumnView['xmap'] | null, first: -1, last: -1 };

/** px[i - first] = project(xmap, x[i]) for i in [first, last], the scale's branch taken once. */
function projectAll(x: Float64Array, first: number, last: number, xmap: AxisMap, px: Float64Array): void {
  const { t0, k, r0 } = xmap;
  if (xmap.scale === 'linear') for (let i = first; i <= last; i++) px[i - first] = (x[i] - t0) * k + r0;
  else for (let i = first; i <= last; i++) px[i - first] = project(xmap, x[i]);
}

/** ty[i - first] = the scaled y[i], NaN where not drawable, for i in [first, last]. */
function scaleAll(y: Float32Array, first: number, last: number, scale: ScaleType, ty: Float64Array): void {
  if (scale === 'linear') {
    for (let i = first; i <= last; i++) {
      const v = y[i];
      ty[i - first] = v - v === 0 ? v : NaN; // finite
    }
  } else {
    for (let i = first; i <= last; i++) {
      const v = y[i];
      ty[i - first] = drawable(v, scale) ? toScaled(v, scale) : NaN;
    }
  }
}

/** columnSpans for a curve with few points in view: the same arithmetic over cached points. */
function fewSpans(s: Curve, bounds: Int32Array, view: ColumnView, slot: number, out: F32Out, counter: DensityCounter | undefined): number {
  const W = view.edges.length - 1;
  const x = s.col.x, y = s.y, n = s.n;
  const { xmap, yScale } = view;
  const logX = view.xScale === 'log';
  // the crossings read points bounds[0] - 1 .. bounds[W]
  const first = Math.max(bounds[0] - 1, 0), last = Math.min(bounds[W], n - 1);
  if (fewX.length < last - first + 1) {
    fewX = new Float64Array(Math.max(last - first + 1, 2 * fewX.length));
    fewT = new Float64Array(fewX.length);
    fewFor.x = null;
  }
  const px = fewX, ty = fewT;
  if (fewFor.x !== x || fewFor.xmap !== xmap || fewFor.first !== first || fewFor.last !== last) {
    projectAll(x, first, last, xmap, px);
    fewFor.x = x;
    fewFor.xmap = xmap;
    fewFor.first = first;
    fewFor.last = last;
  }
  scaleAll(y, first, last, yScale, ty);
  const data = out.reserve(4 * W);
  let k = out.length;
  let left = NaN;
  for (let c = -1; c < W; c++) {
    // the crossing of the column's right edge, as crossing(s, i1, c + 1, view); NaN: none
    const i1 = bounds[c + 1];
    let right = NaN;
    if (i1 > 0 && i1 < n && !(logX && !(x[i1 - 1] > 0))) {
      const ta = ty[i1 - 1 - first], tb = ty[i1 - first], xa = px[i1 - 1 - first], xb = px[i1 - first];
      // segmentAt's arithmetic; a NaN end (not drawable) makes the crossing NaN: no segment
      right = !(xb > xa) ? tb + 0 * ta : ta + ((tb - ta) * (c + 1 - xa)) / (xb - xa);
    }
    if (c < 0) {
      left = right; // the left edge of column 0
      continue;
    }
    const i0 = bounds[c];
    let lo = Infinity, hi = -Infinity;
    // the column's extent over the cached scaled values (NaN: not drawable, left out); the
    // scale is monotone, so the extent of scaled values is the scaled extent of the values
    for (let i = i0 - first; i < i1 - first; i++) {
      const t = ty[i];
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    k = put(data, k, c, lo, hi, left, right, slot, view, counter);
    left = right;
  }
  const emitted = (k - out.length) / 4;
  out.length = k;
  return emitted;
}
