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
import { columnFinder, emptyBuckets, emptyPoints, emptyStats, type M4Buckets, type M4Points, type M4Result, type M4View } from './m4';

/** The first index in [lo, hi) of sorted `v` whose value is >= x (strict: > x), hi if none. */
export function searchSorted(v: ArrayLike<number>, x: number, strict: boolean, lo = 0, hi = v.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (strict ? v[m] <= x : v[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** What `scan` found: the first least and greatest drawable y (-1: none), values <= 0 skipped on log. */
const found = { min: -1, max: -1, nonPositive: 0 };

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

/** Grow-only typed columns of a result being built. */
class Rows<T extends object> {
  n = 0;
  constructor(public cols: T, private make: (n: number) => T) {}
  reserve(extra: number): void {
    const cap = (Object.values(this.cols)[0] as Float64Array).length;
    if (this.n + extra <= cap) return;
    const next = this.make(Math.max(this.n + extra, cap * 2, 1024));
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
  private readonly log: boolean;
  private next = 0;

  constructor(private readonly view: M4View, ids: readonly number[]) {
    this.stats = emptyStats(ids.length);
    ids.forEach((id, i) => (this.stats.id[i] = id));
    this.column = columnFinder(view);
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
      const col = this.column, q = this.buckets;
      let k = a;
      while (k < b) {
        const c0 = col(v[k]);
        // the end of column c0: the first point whose column is greater (the column is monotone)
        let lo = k + 1, hi = b;
        while (lo < hi) {
          const m = (lo + hi) >>> 1;
          if (col(v[m]) <= c0) lo = m + 1;
          else hi = m;
        }
        const end = lo;
        nf += scan(y, k, end, log);
        const imn = found.min, imx = found.max;
        q.reserve(1);
        const r = q.n++, o = q.cols;
        o.series[r] = id;
        o.col[r] = c0;
        o.n[r] = end - k;
        o.firstX[r] = v[k];
        o.firstY[r] = y[k];
        o.lastX[r] = v[end - 1];
        o.lastY[r] = y[end - 1];
        o.minX[r] = imn < 0 ? NaN : v[imn];
        o.minY[r] = imn < 0 ? NaN : y[imn];
        o.maxX[r] = imx < 0 ? NaN : v[imx];
        o.maxY[r] = imx < 0 ? NaN : y[imx];
        k = end;
      }
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

/** M4 of whole series held in memory (sorted step columns), in ascending id: tests and small stores. */
export function m4Sorted(all: ReadonlyMap<number, { v: Float64Array; y: Float32Array }>, view: M4View, ids: readonly number[]): M4Result {
  const out = new SortedM4(view, ids);
  for (const id of ids) {
    const s = all.get(id);
    if (!s) {
      out.add(new Float64Array(0), new Float32Array(0), 0, 0);
      continue;
    }
    const a = searchSorted(s.v, view.x0, false), b = searchSorted(s.v, view.x1, true, a);
    out.add(s.v, s.y, a, b);
  }
  return out.done();
}
