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
  const out: Series[] = [];
  let kb = 0, kp = 0;
  for (let i = 0; i < st.id.length; i++) {
    const sid = st.id[i];
    const xs: number[] = [], ys: number[] = [];
    const add = (x: number, y: number) => { xs.push(x); ys.push(y); };
    if (!Number.isNaN(st.beforeX[i])) {
      // sparseSegments draws `before` as a dot when neither neighbour is drawable; the answer
      // does not say whether the point before it is, so take the usual case (it is): a copy of
      // `before` stands for it. Nothing else reads that far left.
      add(st.beforeX[i], st.beforeY[i]);
      add(st.beforeX[i], st.beforeY[i]);
    }
    // buckets and points are ordered by series (ascending, as stats are), then column / order
    while (kb < b.series.length && b.series[kb] < sid) kb++;
    while (kp < p.series.length && p.series[kp] < sid) kp++;
    if (st.dense[i]) {
      for (; kb < b.series.length && b.series[kb] === sid; kb++) {
        add(b.firstX[kb], b.firstY[kb]);
        const mn = !Number.isNaN(b.minX[kb]), mx = !Number.isNaN(b.maxX[kb]);
        // min and max in x order, so the curve stays sorted (ties: either order draws the same)
        if (mn && mx && b.maxX[kb] < b.minX[kb]) { add(b.maxX[kb], b.maxY[kb]); add(b.minX[kb], b.minY[kb]); }
        else {
          if (mn) add(b.minX[kb], b.minY[kb]);
          if (mx) add(b.maxX[kb], b.maxY[kb]);
        }
        if (b.n[kb] > 1) add(b.lastX[kb], b.lastY[kb]);
      }
    } else {
      for (; kp < p.series.length && p.series[kp] === sid; kp++) add(p.x[kp], p.y[kp]);
    }
    if (!Number.isNaN(st.afterX[i])) add(st.afterX[i], st.afterY[i]);
    const to = slotOf(sid);
    if (!to || xs.length === 0) continue;
    const smoothed = smoothedSlots !== undefined;
    const s = createSeries(to.id, to.slot + (smoothed ? smoothedSlots : 0), ingestX(Float64Array.from(xs)), Float32Array.from(ys));
    answered.set(s, { dense: st.dense[i] === 1, smoothed });
    out.push(s);
  }
  return out;
}
