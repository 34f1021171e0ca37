/**
 * M4 of a view (m4.ts) over series held as arrays in the store's order: the answer of the SQL
 * queries (m4sql.ts, m4lod.ts) and of the reference (m4ref.ts), computed in one pass over the
 * points in view. What the server's step files (server/stepfiles.ts) are read with: a view then
 * costs its points in view and one binary search per pixel column, with no query at all.
 *
 * A series is given on the step column only (its view x is its step, so the store's order is x,
 * then logged order, and every x is finite): `v` and `y` are a window of its points in that order,
 * points a .. b - 1 are those in view, a - 1 (if a > 0) the last one left of it and b (if
 * b < v.length) the first one right of it. Columns are cut by one binary search each with the
 * view's column function (monotone in x), so the loop over a column's points reads only y: min
 * and max keep the first point of a tie (strict comparisons, as the reference), NaN never
 * compares and ±Infinity (and, on a log y axis, values <= 0) are kept out by one comparison more.
 */
import { lowerBound, lowerBoundAbove } from '../store/search';
import { columnFinder, emptyBuckets, emptyPoints, emptyStats, logCut, type LogCut, type M4Buckets, type M4Points, type M4Result, type M4View } from './m4';

/** What `scan` found: the first least and greatest drawable y (-1: none), values <= 0 skipped on log; denseColumns' next row. */
const found = { min: -1, max: -1, nonPositive: 0, rows: 0 };

/**
 * The first least and greatest drawable y of points [from, to) into `found` (-1: none), with the
 * non-finite and (log) non-positive ones counted; a function of its own keeps the loop small.
 */
function scan(y: Float32Array, from: number, to: number, log: boolean): number {
  let mn = Infinity, mx = -Infinity, imn = -1, imx = -1, nf = 0, np = 0;
  for (let j = from; j < to; j++) {
    const yy = y[j];
    if (yy - yy !== 0) {
      nf++;
      continue;
    }
    if (log && yy <= 0) {
      np++;
      continue;
    }
    if (yy < mn) {
      mn = yy;
      imn = j;
    }
    if (yy > mx) {
      mx = yy;
      imx = j;
    }
  }
  found.min = imn;
  found.max = imx;
  found.nonPositive += np;
  return nf;
}

/**
 * The buckets of points a .. b - 1 of a dense series from row r on (room for a row a column):
 * one binary search of the column function per column, then `scan`. Returns the non-finite
 * count; the row after the last in `found.rows`. A function of its own, called once a series, so
 * the compiler sees every branch of it before it optimises (inside add(), the loop was compiled
 * on the stack and thrown away at its end, every series).
 */
function denseColumns(o: M4Buckets, r: number, id: number, v: Float64Array, y: Float32Array, a: number, b: number, view: M4View, logCol: ((v: number) => number) | null, log: boolean): number {
  const { series, col, n: cn, firstX, firstY, lastX, lastY, minX, minY, maxX, maxY } = o;
  // linear x: the column formula of m4.ts columnOf written out (no call per step of the
  // searches); log x: its column function
  const x0 = view.x0, span = view.x1 - x0, W = view.W, last = W - 1;
  let nf = 0;
  // columns hold about as many points as the one before: guess its end there, check both sides
  // of the guess, and only search (galloping, then halving) where the guess was wrong; a plain
  // binary search costs ~17 unpredictable steps a column, over 2 ns a point here
  let len = Math.max(1, Math.round((b - a) / W));
  // the column of point m (>= a, so never left of column 0)
  const colAt = (m: number) => (logCol ? logCol(v[m]) : Math.min(Math.floor(((v[m] - x0) * W) / span), last));
  for (let k = a; k < b; ) {
    const c0 = logCol ? logCol(v[k]) : Math.min(Math.max(Math.floor(((v[k] - x0) * W) / span), 0), last);
    // the end of column c0: the first point whose column is greater (the column is monotone);
    // every point before lo is in it, hi is past it or b
    let lo = k + 1, hi = Math.min(b, k + len);
    // the guess: if the point before it is in the column all before it are, else it is the end or past it
    if (hi > lo) {
      if (colAt(hi - 1) <= c0) lo = hi;
      else hi--;
    }
    // the guess fell short (lo === hi, hi unknown): gallop on, the same probe each time
    for (let step = len; lo === hi && hi < b && colAt(hi) <= c0; step *= 2) {
      lo = hi + 1;
      hi = Math.min(b, hi + step);
      if (hi > lo) {
        if (colAt(hi - 1) <= c0) lo = hi;
        else hi--;
      }
    }
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (colAt(m) <= c0) lo = m + 1;
      else hi = m;
    }
    const end = lo;
    len = end - k;
    nf += scan(y, k, end, log);
    const imn = found.min, imx = found.max;
    series[r] = id;
    col[r] = c0;
    cn[r] = end - k;
    firstX[r] = v[k];
    firstY[r] = y[k];
    lastX[r] = v[end - 1];
    lastY[r] = y[end - 1];
    minX[r] = imn < 0 ? NaN : v[imn];
    minY[r] = imn < 0 ? NaN : y[imn];
    maxX[r] = imx < 0 ? NaN : v[imx];
    maxY[r] = imx < 0 ? NaN : y[imx];
    r++;
    k = end;
  }
  found.rows = r;
  return nf;
}

/** Grow-only typed columns of a result being built. */
class Rows<T extends object> {
  n = 0;
  private cap = 0;
  constructor(public cols: T, private make: (n: number) => T) {}
  reserve(extra: number): void {
    if (this.n + extra <= this.cap) return;
    this.cap = Math.max(this.n + extra, this.cap * 2, 1024);
    const next = this.make(this.cap);
    for (const k of Object.keys(next) as (keyof T)[]) (next[k] as unknown as Float64Array).set((this.cols[k] as unknown as Float64Array).subarray(0, this.n));
    this.cols = next;
  }
  done(): T {
    const out = this.make(this.n);
    for (const k of Object.keys(out) as (keyof T)[]) (out[k] as unknown as Float64Array).set((this.cols[k] as unknown as Float64Array).subarray(0, this.n));
    return out;
  }
}

/** Builds one M4Result series by series, in ascending id (the caller's order). */
export class SortedM4 {
  private readonly stats;
  private readonly buckets = new Rows<M4Buckets>(emptyBuckets(0), emptyBuckets);
  private readonly points = new Rows<M4Points>(emptyPoints(0), emptyPoints);
  private readonly column: (v: number) => number;
  /** a log x axis's cut (null: linear, whose column formula add() writes out) */
  private readonly cut: LogCut | null;
  private readonly log: boolean;
  private next = 0;

  constructor(private readonly view: M4View, ids: readonly number[]) {
    this.stats = emptyStats(ids.length);
    ids.forEach((id, i) => (this.stats.id[i] = id));
    this.column = columnFinder(view);
    this.cut = logCut(view);
    this.log = view.yScale === 'log';
  }

  /** The next series (ids in the order given): its window of points, those in view a .. b - 1. */
  add(v: Float64Array, y: Float32Array, a: number, b: number): void {
    const i = this.next++;
    const s = this.stats, id = s.id[i], W = this.view.W, log = this.log;
    if (a > 0) {
      s.beforeX[i] = v[a - 1];
      s.beforeY[i] = y[a - 1];
    }
    if (b < v.length) {
      s.afterX[i] = v[b];
      s.afterY[i] = y[b];
    }
    const n = b - a;
    s.n[i] = n;
    let nf = 0, np = 0;
    if (n <= W) {
      // sparse: every point in view, as it is
      const p = this.points;
      p.reserve(n);
      const c = p.cols;
      for (let k = a; k < b; k++) {
        const yy = y[k];
        if (yy - yy !== 0) nf++;
        else if (log && yy <= 0) np++;
        c.series[p.n] = id;
        c.x[p.n] = v[k];
        c.y[p.n] = yy;
        p.n++;
      }
    } else {
      s.dense[i] = 1;
      const q = this.buckets;
      q.reserve(W); // at most a row a column: denseColumns writes without checks
      nf += denseColumns(q.cols, q.n, id, v, y, a, b, this.view, this.cut ? this.column : null, log);
      q.n = found.rows;
    }
    s.nonFinite[i] = nf;
    s.nonPositive[i] = np + found.nonPositive;
    found.nonPositive = 0;
  }

  /** The answer; every id must have been added. */
  done(): M4Result {
    if (this.next !== this.stats.id.length) throw new Error(`M4 of ${this.stats.id.length} series built from ${this.next}`);
    return { series: this.stats, buckets: this.buckets.done(), points: this.points.done() };
  }
}

/** M4 of whole series held in memory (sorted step columns), in ascending id: what the tests hold SortedM4 to. */
export function m4Sorted(all: ReadonlyMap<number, { v: Float64Array; y: Float32Array }>, view: M4View, ids: readonly number[]): M4Result {
  const out = new SortedM4(view, ids);
  for (const id of ids) {
    const s = all.get(id);
    if (!s) {
      out.add(new Float64Array(0), new Float32Array(0), 0, 0);
      continue;
    }
    const a = lowerBound(s.v, 0, s.v.length, view.x0), b = lowerBoundAbove(s.v, s.v.length, view.x1, a);
    out.add(s.v, s.y, a, b);
  }
  return out.done();
}
