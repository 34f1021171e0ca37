/**
 * What a server answers for one view: M4 per pixel column for dense series, the points of sparse
 * ones, and the neighbours just outside the view. The SQL query (server/m4sql.ts) and the float64
 * reference (m4ref.ts) both produce this, column-wise in typed arrays, and layout.ts packs it
 * into one ArrayBuffer as is.
 *
 * Why these fields are what the client needs to draw exactly what the in-memory path draws
 * (docs/semantics.md, Decimation and Non-finite values; src/decimate/columns.ts):
 * - a column's span is min..max of its drawable values (finite, and > 0 on a log axis), widened
 *   where the polyline crosses the column's edges. A crossing lies on the segment from the last
 *   point of one column to the first point of the next, and exists only when both ends are
 *   drawable. So each column carries its first and last point with their raw y, NaN, ±Inf and
 *   (on log) values <= 0 included: a non-drawable first or last point is exactly a break at that
 *   edge. A non-finite value strictly inside a column changes nothing drawn there (the span
 *   covers the column either way), so it is only counted. An empty column between two columns
 *   gets the segment from the previous column's last point to the next one's first.
 * - `before` / `after`: the last point left of the view and the first right of it (raw y), for
 *   the segments that enter and leave the view.
 * - a sparse series (no more points in view than pixel columns) is drawn as its real segments:
 *   every point in view, in order, raw y (a non-drawable y is a gap, a lone point a dot).
 * - counts per series: points in view, non-finite y, and on log finite y <= 0 (FrameInfo).
 *
 * Order is the store's: x, then (on another x column) the step, then the order points were
 * logged in, so repeated steps of a restarted run keep their order. Ties of min / max take the
 * first point in that order.
 */
import type { ScaleType } from '../protocol/messages';
/** The x columns a source holds: the step, relative time (ms), wall time, epoch. */
export type XColumnName = 'x' | 'time' | 'wall' | 'epoch';

export interface M4View {
  /** series ids; answered in ascending order, duplicates once */
  series: readonly number[];
  xColumn: XColumnName;
  /** x range, x0 < x1, both finite and x1 - x0 finite; points with x0 <= x <= x1 are in view */
  x0: number;
  x1: number;
  /** pixel columns; column c holds floor((x - x0) * W / (x1 - x0)) clamped to [0, W - 1] */
  W: number;
  yScale: ScaleType;
}

/** Per requested series, in ascending id. `beforeX` / `afterX` NaN: no such point. */
export interface M4SeriesStats {
  id: Int32Array;
  n: Int32Array;
  nonFinite: Int32Array;
  nonPositive: Int32Array;
  /** 1: answered as buckets; 0: as points */
  dense: Uint8Array;
  beforeX: Float64Array;
  beforeY: Float32Array;
  afterX: Float64Array;
  afterY: Float32Array;
}

/** One row per non-empty column of a dense series, by series then column. */
export interface M4Buckets {
  series: Int32Array;
  col: Int32Array;
  n: Int32Array;
  firstX: Float64Array;
  firstY: Float32Array;
  lastX: Float64Array;
  lastY: Float32Array;
  /** NaN when the column has no drawable value */
  minX: Float64Array;
  minY: Float32Array;
  maxX: Float64Array;
  maxY: Float32Array;
}

/** Every point in view of the sparse series, by series then order. */
export interface M4Points {
  series: Int32Array;
  x: Float64Array;
  y: Float32Array;
}

export interface M4Result {
  series: M4SeriesStats;
  buckets: M4Buckets;
  points: M4Points;
}

export function emptyStats(n: number): M4SeriesStats {
  return {
    id: new Int32Array(n), n: new Int32Array(n), nonFinite: new Int32Array(n), nonPositive: new Int32Array(n), dense: new Uint8Array(n),
    beforeX: new Float64Array(n).fill(NaN), beforeY: new Float32Array(n).fill(NaN), afterX: new Float64Array(n).fill(NaN), afterY: new Float32Array(n).fill(NaN),
  };
}

export function emptyBuckets(n: number): M4Buckets {
  return {
    series: new Int32Array(n), col: new Int32Array(n), n: new Int32Array(n),
    firstX: new Float64Array(n), firstY: new Float32Array(n), lastX: new Float64Array(n), lastY: new Float32Array(n),
    minX: new Float64Array(n), minY: new Float32Array(n), maxX: new Float64Array(n), maxY: new Float32Array(n),
  };
}

export function emptyPoints(n: number): M4Points {
  return { series: new Int32Array(n), x: new Float64Array(n), y: new Float32Array(n) };
}

/** The view's ids sorted and unique, and the view checked (it reaches SQL as parameters only). */
export function checkView(view: M4View): number[] {
  const { x0, x1, W } = view;
  if (!Number.isFinite(x0) || !Number.isFinite(x1) || !(x1 > x0) || !Number.isFinite(x1 - x0)) throw new RangeError(`bad x range [${x0}, ${x1}]`);
  if (!Number.isInteger(W) || W < 1 || W > 1 << 20) throw new RangeError(`bad column count ${W}`);
  for (const id of view.series) if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new RangeError(`bad series id ${id}`);
  return [...new Set(view.series)].sort((a, b) => a - b);
}

/** The column of x in the view: the one formula both SQL and the reference evaluate. */
export function columnOf(v: number, x0: number, W: number, span: number): number {
  return Math.min(Math.max(Math.floor(((v - x0) * W) / span), 0), W - 1);
}
