/**
 * The smoothed value at hovered points (HoverQuery.smoothing): for each series, its smoothed
 * column for these parameters read at the point's position, through the same pass that smoothed
 * views draw from (smoothview.ts eachSmoothed, the SmoothCache behind it). After a view at these
 * parameters that is a lookup in the held column; otherwise the series is smoothed, or streamed
 * and smoothed, and held, just as the next view would do.
 *
 * `pos` is the point's position among the series' points with a finite x on the column, in the
 * store's order (the order of the smoothed column); the x read there must be the hovered point's,
 * or the value is left out (NaN) rather than taken from another point.
 */
import type { SmoothParams } from '../smooth/reference';
import type { XColumnName } from '../source/m4';
import type { SmoothCache } from './smoothcache';
import { eachSmoothed, type PointChunks } from './smoothview';

export interface HoveredPoint {
  sid: number;
  pos: number;
  /** its x on the column */
  v: number;
}

/** The smoothed value at each point, by sid (NaN where there is none). */
export async function smoothedAt(
  points: PointChunks, xColumn: XColumnName, params: SmoothParams, at: readonly HoveredPoint[], cache: SmoothCache,
): Promise<Map<number, number>> {
  const sorted = [...at].sort((a, b) => a.sid - b.sid);
  const out = new Map(sorted.map((p) => [p.sid, NaN]));
  if (sorted.length === 0) return out;
  const read = (p: HoveredPoint, v: ArrayLike<number>, s: ArrayLike<number>, i: number) => {
    if (v[i] === p.v) out.set(p.sid, s[i]);
  };
  await eachSmoothed(points, sorted.map((p) => p.sid), xColumn, params, cache, {
    held: (i, raw, s) => {
      const p = sorted[i];
      if (p.pos < raw.v.length) read(p, raw.v, s, p.pos);
    },
    streamed: (i, v, s, _y, from, to, offset) => {
      const p = sorted[i];
      const k = from + p.pos - offset;
      if (k >= from && k < to) read(p, v, s, k);
    },
  });
  return out;
}
