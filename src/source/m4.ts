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
import { columnEdges } from '../coords';
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
  /**
   * pixel columns; on a linear x axis column c holds floor((x - x0) * W / (x1 - x0)) clamped to
   * [0, W - 1]; on a log one the points with edges[c] <= x < edges[c + 1] (the last column also
   * x1), edges = coords.ts columnEdges('log', [x0, x1], W), as the worker cuts its own views
   */
  W: number;
  yScale: ScaleType;
  /** 'linear' when absent; 'log' needs x0 > 0 (points at x <= 0 are left of every log view) */
  xScale?: ScaleType;
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
  if (view.xScale !== undefined && view.xScale !== 'linear' && view.xScale !== 'log') throw new RangeError(`bad x scale ${String(view.xScale)}`);
  if (view.xScale === 'log') {
    if (!(x0 > 0)) throw new RangeError(`bad x range [${x0}, ${x1}] on a log x axis (x0 must be > 0)`);
    // the log10 estimate of a column (logColumnOf) must be within one column: its rounding error,
    // a few ulps of log10 x, has to stay far below a column (only views spanning under ~1e-10
    // of a decade far from 1 come near it)
    const t0 = Math.log10(x0), t1 = Math.log10(x1);
    if (8 * Number.EPSILON * Math.max(1, Math.abs(t0), Math.abs(t1)) * W / (t1 - t0) > 0.25) throw new RangeError(`bad x range [${x0}, ${x1}]: too narrow for ${W} columns on a log x axis`);
  }
  for (const id of view.series) if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new RangeError(`bad series id ${id}`);
  return [...new Set(view.series)].sort((a, b) => a - b);
}

/** The column of x in the view: the one formula both SQL and the reference evaluate. */
export function columnOf(v: number, x0: number, W: number, span: number): number {
  return Math.min(Math.max(Math.floor(((v - x0) * W) / span), 0), W - 1);
}

/**
 * A log-x view's columns: its edges (as the worker cuts them) and the affine map of log10 x onto
 * columns that finds a point's column to within one, corrected against the edges
 * (`logColumnOf`; the SQL of both stores evaluates the same two steps).
 */
export interface LogCut {
  edges: Float64Array;
  /** log10(x0) */
  t0: number;
  /** columns per decade: W / (log10(x1) - log10(x0)) */
  k: number;
}

/** The log cut of a view on a log x axis; null on a linear one. */
export function logCut(view: M4View): LogCut | null {
  if (view.xScale !== 'log') return null;
  const t0 = Math.log10(view.x0);
  return { edges: columnEdges('log', [view.x0, view.x1], view.W), t0, k: view.W / (Math.log10(view.x1) - t0) };
}

/** The column of x (x0 <= x <= x1) in a log view: log10 estimate, then the edges decide. */
export function logColumnOf(v: number, cut: LogCut): number {
  const e = cut.edges, W = e.length - 1;
  let c = Math.min(Math.max(Math.floor((Math.log10(v) - cut.t0) * cut.k), 0), W - 1);
  while (c > 0 && v < e[c]) c--;
  while (c < W - 1 && v >= e[c + 1]) c++;
  return c;
}

/** The column function of a view, linear or log. */
export function columnFinder(view: M4View): (v: number) => number {
  const cut = logCut(view);
  if (cut) return (v) => logColumnOf(v, cut);
  const { x0, W } = view, span = view.x1 - view.x0;
  return (v) => columnOf(v, x0, W, span);
}
