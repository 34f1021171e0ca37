/**
 * A server's M4 answer (src/source/m4.ts) as curves the in-memory decimation draws exactly as it
 * draws the full data (docs/semantics.md, Decimation).
 *
 * Why a curve and not a second span algorithm: everything columnSpans, bridgeGaps, fitY and
 * sparseSegments read of a series in one view is, per pixel column, the min and max of its
 * drawable values, its first and last point (for the polyline's crossings of the column edges),
 * and the last point before / first after the view. A curve made of just those points, in the
 * store's order (before; per column first, min, max, last; after), has the same of all of them,
 * so the same code turns it into the same span and segment records as the full series, and
 * there is one decimation contract, not two to keep in step. A non-finite value strictly inside
 * a column changes nothing drawn there (m4.ts), so the curve leaves it out; a non-drawable first
 * or last point is kept, and breaks the line at that edge as the full data does.
 *
 * Such a curve can hold fewer points than pixel columns while the series is dense, so the regime
 * (spans or real segments) is the answer's, recorded here for decimateView and fitY.
 *
 * A smoothed answer (ViewQuery.smoothing: the M4 of the series smoothed on the server over all
 * its points) becomes curves the same way, in the smoothed slots (slot + S): decimateView draws
 * them as they are and never smooths them again.
 */
import type { M4Result } from '../source/m4';
import { createSeries, ingestX, type Curve, type Series } from '../store/store';

/** Curves built from an answer: their regime (true: dense) as the server decided it, and whether smoothed. */
const answered = new WeakMap<Curve, { dense: boolean; smoothed: boolean }>();

/** The answer's regime for a curve built here; undefined for the store's own series. */
export function answerRegime(c: Curve): boolean | undefined {
  return answered.get(c)?.dense;
}

/** Whether a curve was built from a server's answer (drawn as it is: the server smoothed it, or it is raw). */
export function fromAnswer(c: Curve): boolean {
  return answered.has(c);
}

/** Whether a curve was built from a smoothed answer (its slot is a smoothed slot already). */
export function smoothedAnswer(c: Curve): boolean {
  return answered.get(c)?.smoothed === true;
}

/** Is the curve drawn as column spans in a view of W columns holding points [b0, b1)? */
export function isDense(c: Curve, b0: number, b1: number, W: number): boolean {
  return answered.get(c)?.dense ?? b1 - b0 > W;
}

/**
 * One curve per answered series that has any point (in view or beside it): `slotOf(sid)` names
 * the chart's slot and id for a server id (undefined: not drawn). `smoothedSlots`: the answer is
 * a smoothed one, drawn in slot + smoothedSlots.
 */
export function m4Curves(r: M4Result, slotOf: (sid: number) => { id: string; slot: number } | undefined, smoothedSlots?: number): Series[] {
  const st = r.series, b = r.buckets, p = r.points;
  const smoothed = smoothedSlots !== undefined;
  // Two passes: where each series' buckets or points lie and how many points its curve has,
  // then the points, written into one x and one y array that all curves are views of. A view
  // of 1,000 runs holds millions of points: no per-point lists, no allocation per series. The
  // loops are functions of typed arrays alone, so V8 optimises each once and keeps it (one
  // function over all of it was optimised and thrown away several times a view).
  const S = st.id.length;
  // per series: its buckets [kb0, kb1), its points [kp0, kp1), its curve's points from at[i]
  const kb0 = new Int32Array(S), kb1 = new Int32Array(S), kp0 = new Int32Array(S), kp1 = new Int32Array(S), at = new Int32Array(S + 1);
  const to: ({ id: string; slot: number } | undefined)[] = [];
  let kb = 0, kp = 0, total = 0;
  for (let i = 0; i < S; i++) {
    const sid = st.id[i];
    // buckets and points are ordered by series (ascending, as stats are), then column / order
    kb0[i] = kb = runStart(b.series, kb, sid);
    kp0[i] = kp = runStart(p.series, kp, sid);
    kb1[i] = kb = runEnd(b.series, kb, sid);
    kp1[i] = kp = runEnd(p.series, kp, sid);
    at[i] = total;
    to.push(slotOf(sid));
    const n = (Number.isNaN(st.beforeX[i]) ? 0 : 2) + (Number.isNaN(st.afterX[i]) ? 0 : 1) +
      (st.dense[i] === 1 ? densePoints(b.minX, b.maxX, b.n, kb0[i], kb1[i]) : kp1[i] - kp0[i]);
    if (to[i]) total += n;
  }
  at[S] = total;
  const xs = new Float64Array(total), ys = new Float32Array(total);
  const out: Series[] = [];
  for (let i = 0; i < S; i++) {
    const t = to[i];
    const from = at[i], end = at[i + 1];
    if (!t || end === from) continue;
    let j = from;
    if (!Number.isNaN(st.beforeX[i])) {
      // sparseSegments draws `before` as a dot when neither neighbour is drawable; the answer
      // does not say whether the point before it is, so take the usual case (it is): a copy of
      // `before` stands for it. Nothing else reads that far left.
      xs[j] = xs[j + 1] = st.beforeX[i];
      ys[j] = ys[j + 1] = st.beforeY[i];
      j += 2;
    }
    const dense = st.dense[i] === 1;
    if (dense) j = denseFill(b, kb0[i], kb1[i], xs, ys, j);
    else j = copyPoints(p.x, p.y, kp0[i], kp1[i], xs, ys, j);
    if (!Number.isNaN(st.afterX[i])) { xs[j] = st.afterX[i]; ys[j] = st.afterY[i]; }
    const s = createSeries(t.id, t.slot + (smoothed ? smoothedSlots : 0), ingestX(xs.subarray(from, end)), ys.subarray(from, end));
    answered.set(s, { dense, smoothed });
    out.push(s);
  }
  return out;
}

/** The first index from `k` on whose series is not below `sid` (the column is sorted). */
function runStart(series: Int32Array, k: number, sid: number): number {
  while (k < series.length && series[k] < sid) k++;
  return k;
}

/** One past the last index from `k` on whose series is `sid`. */
function runEnd(series: Int32Array, k: number, sid: number): number {
  while (k < series.length && series[k] === sid) k++;
  return k;
}

/** Points of the curve of buckets [from, end): first, min and max where there, last where n > 1. */
function densePoints(minX: Float64Array, maxX: Float64Array, n: Int32Array, from: number, end: number): number {
  let c = 0;
  for (let k = from; k < end; k++) c += 1 + (minX[k] === minX[k] ? 1 : 0) + (maxX[k] === maxX[k] ? 1 : 0) + (n[k] > 1 ? 1 : 0);
  return c;
}

/** Buckets [from, end) as curve points from xs[j] on (see densePoints); returns the next j. */
function denseFill(b: M4Result['buckets'], from: number, end: number, xs: Float64Array, ys: Float32Array, j: number): number {
  const { firstX, firstY, minX, minY, maxX, maxY, lastX, lastY, n } = b;
  for (let k = from; k < end; k++) {
    xs[j] = firstX[k];
    ys[j++] = firstY[k];
    const mnX = minX[k], mxX = maxX[k];
    const mn = mnX === mnX, mx = mxX === mxX; // not NaN
    // min and max in x order, so the curve stays sorted (ties: either order draws the same)
    if (mn && mx && mxX < mnX) {
      xs[j] = mxX; ys[j++] = maxY[k];
      xs[j] = mnX; ys[j++] = minY[k];
    } else {
      if (mn) { xs[j] = mnX; ys[j++] = minY[k]; }
      if (mx) { xs[j] = mxX; ys[j++] = maxY[k]; }
    }
    if (n[k] > 1) { xs[j] = lastX[k]; ys[j++] = lastY[k]; }
  }
  return j;
}

/** A sparse series' points [from, end) from xs[j] on; returns the next j. */
function copyPoints(x: Float64Array, y: Float32Array, from: number, end: number, xs: Float64Array, ys: Float32Array, j: number): number {
  xs.set(x.subarray(from, end), j);
  ys.set(y.subarray(from, end), j);
  return j + end - from;
}
