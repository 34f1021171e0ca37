/**
 * Coordinate spaces, documented once (docs/semantics.md, Coordinate spaces and Precision), and the
 * one projection between them that every stage uses: data -> scaled -> pixels.
 *
 *   data      float64 x and y as the caller passed them (steps to 1e9, epoch ms near 1.7e12).
 *   scaled    t = v on a linear axis, t = log10(v) on a log axis (v <= 0 has no scaled value).
 *   plot px   CSS pixels relative to the plot area's top-left corner; x grows right, y grows down.
 *   device px plot px * devicePixelRatio. Pixel column c covers device x in [c, c + 1).
 *   clip      WebGL clip space, [-1, 1] on both axes, y up.
 *
 * Precision: the worker maps data -> device px in float64 for the current view and hands the GPU
 * float32 device-pixel positions relative to the plot's corner. Because the origin is the view
 * itself, a float32 only has to resolve a few thousand pixels, never an epoch-millisecond value:
 * ten milliseconds of a week-long run at 1.7e12 ms still land on distinct pixel columns. The
 * shaders only do device px -> clip, an exact scale by powers of two plus an offset.
 */

import type { ScaleType } from './protocol/messages';

export type { ScaleType };

/** data -> scaled. Values a log axis cannot show (<= 0, NaN) map to NaN. */
export function toScaled(v: number, scale: ScaleType): number {
  if (scale === 'linear') return v;
  return v > 0 ? Math.log10(v) : NaN;
}

/** scaled -> data. */
export function fromScaled(t: number, scale: ScaleType): number {
  return scale === 'linear' ? t : Math.pow(10, t);
}

/**
 * An affine map from scaled values to pixels: px = k * t + b. Built in float64 from a data
 * domain and a pixel range, so the subtraction of the domain start happens before any rounding.
 */
export interface AxisMap {
  readonly scale: ScaleType;
  /**
   * scaled value at the start of the domain, subtracted first so large x keep their precision;
   * the domain's midpoint instead when its width overflows float64 (see axisMap)
   */
  readonly t0: number;
  /** pixels per scaled unit (0 for a zero-width domain) */
  readonly k: number;
  /** pixel position of t0 */
  readonly r0: number;
}

export function axisMap(
  scale: ScaleType,
  domain: readonly [number, number],
  range: readonly [number, number],
): AxisMap {
  const t0 = toScaled(domain[0], scale);
  const t1 = toScaled(domain[1], scale);
  const span = t1 - t0;
  // A zero-width domain (one point, or all values equal) maps to the middle of the range.
  if (!(span > 0 || span < 0)) return { scale, t0, k: 0, r0: (range[0] + range[1]) / 2 };
  if (!Number.isFinite(span) && Number.isFinite(t0) && Number.isFinite(t1)) {
    // Finite ends as far apart as -1e308..1e308: t1 - t0 overflows to Infinity, and so would
    // v - t0 for v near t1. Anchor at the midpoint instead: every v in the domain is then at most
    // half the width from it, which is finite, and halving is exact in float64.
    const half = t1 / 2 - t0 / 2;
    return { scale, t0: t0 / 2 + t1 / 2, k: (range[1] - range[0]) / 2 / half, r0: (range[0] + range[1]) / 2 };
  }
  return { scale, t0, k: (range[1] - range[0]) / span, r0: range[0] };
}

/** data -> pixels through an AxisMap (NaN where the scale cannot show the value). */
export function project(map: AxisMap, v: number): number {
  return projectScaled(map, toScaled(v, map.scale));
}

/** scaled -> pixels: the second half of `project`, for values already scaled (extents, crossings). */
export function projectScaled(map: AxisMap, t: number): number {
  return (t - map.t0) * map.k + map.r0;
}

/** pixels -> data through an AxisMap. */
export function unproject(map: AxisMap, px: number): number {
  return fromScaled(map.k === 0 ? map.t0 : (px - map.r0) / map.k + map.t0, map.scale);
}

/**
 * The data x at each edge of the W pixel columns of a view (W + 1 values): where the worker cuts
 * a view into columns (decimate/view.ts), and where a server cuts a log-x view (source/m4.ts), so
 * both put every point in the same column. The ends are the domain's own values, so a view fitted
 * to the data holds its first and last point whatever the rounding.
 */
export function columnEdges(scale: ScaleType, domain: readonly [number, number], W: number): Float64Array {
  const xmap = axisMap(scale, domain, [0, W]);
  const edges = new Float64Array(W + 1);
  for (let c = 0; c <= W; c++) edges[c] = unproject(xmap, c);
  edges[0] = domain[0];
  edges[W] = domain[1];
  return edges;
}

/**
 * Whether the point left of a cursor (x `left` < `cursor`) is at least as near as the one right
 * of it (`right` >= `cursor`) on this scale: the hover rule of the worker and of a server. On a
 * log axis distance is in log10 x, and a left point at x <= 0 is never the nearer.
 */
export function leftIsNearer(cursor: number, left: number, right: number, scale: ScaleType): boolean {
  const c = toScaled(cursor, scale);
  return Math.abs(toScaled(left, scale) - c) <= Math.abs(toScaled(right, scale) - c);
}

/** Plot-area rectangle in CSS pixels relative to the container. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}
