/**
 * M4 of one view built in a single pass over points that arrive in the store's order (x column,
 * then step, then logged order), one chunk at a time: what the SQL of m4sql.ts computes, for
 * values the SQL cannot see (smoothed y, computed in this process by smoothview.ts).
 *
 * Each point carries two y: `raw` (the stored value) for the per-series counts, which stay those
 * of the raw points in view (source/api.ts, ViewQuery), and `y` (the smoothed value) for
 * everything drawn: first / last / min / max, sparse points, the neighbours outside the view.
 * Tie rules are m4ref.ts's: min and max take the first point in order, first / last are the
 * column's first and last point whatever their y.
 */
import { columnOf as columnOfImport, emptyBuckets, emptyPoints, emptyStats, logColumnOf, logCut, type LogCut, type M4Result, type M4View } from '../source/m4';

// a module-local binding: test runners that rewrite imports into getters would otherwise pay a
// property lookup per point in the loop below
const columnOf = columnOfImport;

export class SeriesM4 {
  n = 0;
  nonFinite = 0;
  nonPositive = 0;
  beforeX = NaN;
  beforeY = NaN;
  afterX = NaN;
  afterY = NaN;
  /** the first point right of the view was seen: nothing later matters */
  done = false;
  // one entry per non-empty column, the first `nc` of each (at most W): typed arrays doubled as
  // columns appear (per-column pushes into plain arrays cost as much as the points when a column
  // holds a few points, measured on 100 series x 1e4)
  nc = 0;
  col = new Int32Array(0);
  cn = new Int32Array(0);
  fx = new Float64Array(0);
  lx = new Float64Array(0);
  mnx = new Float64Array(0);
  mxx = new Float64Array(0);
  // y values are float32 (stored or smoothed into float32): held exactly
  fy = new Float32Array(0);
  ly = new Float32Array(0);
  mny = new Float32Array(0);
  mxy = new Float32Array(0);
  // the first W points in view (all of them for a sparse series, which is drawn from these)
  px: Float64Array;
  py: Float64Array;

  private readonly x0: number;
  private readonly x1: number;
  private readonly W: number;
  private readonly span: number;
  private readonly log: boolean;
  /** a log-x view's columns (null: linear x) */
  private readonly cut: LogCut | null;

  constructor(readonly id: number, view: M4View, cut: LogCut | null = logCut(view)) {
    this.x0 = view.x0;
    this.x1 = view.x1;
    this.W = view.W;
    this.span = view.x1 - view.x0;
    this.log = view.yScale === 'log';
    this.cut = cut;
    this.px = new Float64Array(Math.min(view.W, 1024));
    this.py = new Float64Array(this.px.length);
  }

  /**
   * Points [from, to) of sorted x `v`, smoothed `y`, stored `raw`. The open column lives in
   * locals during the loop (this is the per-point cost of every smoothed view) and is written
   * back to the arrays when it closes and at the end of the call, so chunks can follow.
   */
  feed(v: ArrayLike<number>, y: ArrayLike<number>, raw: ArrayLike<number>, from: number, to: number): void {
    if (this.done) return;
    const { x0, x1, W, span, log, cut } = this;
    let n = this.n, nf = this.nonFinite, np = this.nonPositive;
    let k = this.nc - 1;
    let c = k >= 0 ? this.col[k] : -1;
    let cn = 0, lx = NaN, ly = NaN, mnx = NaN, mny = NaN, mxx = NaN, mxy = NaN;
    if (k >= 0) {
      cn = this.cn[k];
      lx = this.lx[k];
      ly = this.ly[k];
      mnx = this.mnx[k];
      mny = this.mny[k];
      mxx = this.mxx[k];
      mxy = this.mxy[k];
    }
    let i = from;
    for (; i < to; i++) {
      const vi = v[i];
      if (vi >= x0) break;
      this.beforeX = vi;
      this.beforeY = y[i];
    }
    const start = i, n0 = n;
    for (; i < to; i++) {
      const vi = v[i];
      if (vi > x1) {
        this.afterX = vi;
        this.afterY = y[i];
        this.done = true;
        break;
      }
      const r = raw[i];
      if (r - r !== 0) nf++; // NaN or ±Inf
      else if (log && r <= 0) np++;
      n++;
      const yi = y[i];
      const ci = cut ? logColumnOf(vi, cut) : columnOf(vi, x0, W, span);
      const ok = yi - yi === 0 && (!log || yi > 0);
      if (ci !== c) {
        // a closure over these locals would put them on the heap: a method call instead
        if (k >= 0) this.close(k, cn, lx, ly, mnx, mny, mxx, mxy);
        c = ci;
        k++;
        if (k === this.col.length) this.growCols();
        this.col[k] = ci;
        this.fx[k] = vi;
        this.fy[k] = yi;
        cn = 1;
        lx = vi;
        ly = yi;
        mnx = mxx = ok ? vi : NaN;
        mny = mxy = ok ? yi : NaN;
        continue;
      }
      cn++;
      lx = vi;
      ly = yi;
      if (!ok) continue;
      // NaN compares false: the first drawable value of a column always enters; ties keep the first
      if (!(yi >= mny)) (mnx = vi), (mny = yi);
      if (!(yi <= mxy)) (mxx = vi), (mxy = yi);
    }
    if (k >= 0) this.close(k, cn, lx, ly, mnx, mny, mxx, mxy);
    this.nc = k + 1;
    // the points in view of this call are v[start, i): the first of them while n <= W are the
    // sparse points, copied here rather than in the loop (a store there costs it a third)
    const keep = Math.min(i - start, W - n0);
    if (keep > 0) this.keep(v, y, start, keep, n0);
    this.n = n;
    this.nonFinite = nf;
    this.nonPositive = np;
    // dense: the points are not drawn, free them (W may be up to 2^20)
    if (n > W && this.px.length > 0) this.px = this.py = new Float64Array(0);
  }

  /** Points v[from, from + m) as sparse points n0.. (room for up to W, doubled as they come). */
  private keep(v: ArrayLike<number>, y: ArrayLike<number>, from: number, m: number, n0: number): void {
    if (n0 + m > this.px.length) {
      const cap = Math.min(this.W, Math.max(n0 + m, this.px.length * 2));
      const px = new Float64Array(cap), py = new Float64Array(cap);
      px.set(this.px.subarray(0, n0));
      py.set(this.py.subarray(0, n0));
      this.px = px;
      this.py = py;
    }
    for (let k = 0; k < m; k++) {
      this.px[n0 + k] = v[from + k];
      this.py[n0 + k] = y[from + k];
    }
  }

  private growCols(): void {
    const cap = Math.min(this.W, Math.max(64, this.col.length * 2));
    const grow = <T extends Int32Array | Float64Array | Float32Array>(a: T, b: T): T => (b.set(a), b);
    this.col = grow(this.col, new Int32Array(cap));
    this.cn = grow(this.cn, new Int32Array(cap));
    this.fx = grow(this.fx, new Float64Array(cap));
    this.lx = grow(this.lx, new Float64Array(cap));
    this.mnx = grow(this.mnx, new Float64Array(cap));
    this.mxx = grow(this.mxx, new Float64Array(cap));
    this.fy = grow(this.fy, new Float32Array(cap));
    this.ly = grow(this.ly, new Float32Array(cap));
    this.mny = grow(this.mny, new Float32Array(cap));
    this.mxy = grow(this.mxy, new Float32Array(cap));
  }

  private close(k: number, cn: number, lx: number, ly: number, mnx: number, mny: number, mxx: number, mxy: number): void {
    this.cn[k] = cn;
    this.lx[k] = lx;
    this.ly[k] = ly;
    this.mnx[k] = mnx;
    this.mny[k] = mny;
    this.mxx[k] = mxx;
    this.mxy[k] = mxy;
  }
}

/** The answer (m4.ts layout) of per-series builders, given in ascending id. */
export function assemble(parts: readonly SeriesM4[], W: number): M4Result {
  const stats = emptyStats(parts.length);
  let nb = 0, np = 0;
  parts.forEach((s, i) => {
    stats.id[i] = s.id;
    stats.n[i] = s.n;
    stats.nonFinite[i] = s.nonFinite;
    stats.nonPositive[i] = s.nonPositive;
    stats.dense[i] = s.n > W ? 1 : 0;
    stats.beforeX[i] = s.beforeX;
    stats.beforeY[i] = s.beforeY;
    stats.afterX[i] = s.afterX;
    stats.afterY[i] = s.afterY;
    if (stats.dense[i]) nb += s.nc;
    else np += s.n;
  });
  const b = emptyBuckets(nb);
  const p = emptyPoints(np);
  let ib = 0, ip = 0;
  parts.forEach((s, i) => {
    if (!stats.dense[i]) {
      for (let k = 0; k < s.n; k++, ip++) {
        p.series[ip] = s.id;
        p.x[ip] = s.px[k];
        p.y[ip] = s.py[k];
      }
      return;
    }
    const m = s.nc;
    b.series.fill(s.id, ib, ib + m);
    const put = <T extends Int32Array | Float64Array | Float32Array>(to: T, from: T) => to.set(from.subarray(0, m), ib);
    put(b.col, s.col);
    put(b.n, s.cn);
    put(b.firstX, s.fx);
    put(b.firstY, s.fy);
    put(b.lastX, s.lx);
    put(b.lastY, s.ly);
    put(b.minX, s.mnx);
    put(b.minY, s.mny);
    put(b.maxX, s.mxx);
    put(b.maxY, s.mxy);
    ib += m;
  });
  return { series: stats, buckets: b, points: p };
}
