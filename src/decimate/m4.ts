/**
 * M4 buckets, the brute-force way: one pass over the points of a view, first/min/max/last per
 * pixel column. This is the definition the fast path (columns.ts: binary search + pyramid) is
 * tested against, and it is what docs/semantics.md (Decimation) promises: for a one-pixel
 * polyline, the pixels of a column are the run from its min to its max plus the joins to its
 * neighbours' first and last.
 *
 * Column c holds the points with edges[c] <= x < edges[c + 1]; the last column also holds
 * x == edges[W], so a view fitted to the data keeps its last point.
 */
import type { ScaleType } from '../coords';

export interface M4Buckets {
  /** index of the first / last point in the column, -1 when empty */
  first: Int32Array;
  last: Int32Array;
  /** min / max of the values a y axis of this scale can show (finite, and > 0 on log); NaN when none */
  min: Float64Array;
  max: Float64Array;
}

/** Can a y axis of this scale draw v? */
export function drawable(v: number, scale: ScaleType): boolean {
  return scale === 'log' ? v > 0 && v !== Infinity : Number.isFinite(v);
}

export function m4(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  edges: Float64Array,
  yScale: ScaleType,
): M4Buckets {
  const W = edges.length - 1;
  const out: M4Buckets = {
    first: new Int32Array(W).fill(-1),
    last: new Int32Array(W).fill(-1),
    min: new Float64Array(W).fill(NaN),
    max: new Float64Array(W).fill(NaN),
  };
  for (let i = 0; i < n; i++) {
    const c = columnOf(edges, x[i]);
    if (c < 0) continue;
    if (out.first[c] < 0) out.first[c] = i;
    out.last[c] = i;
    const v = y[i];
    if (!drawable(v, yScale)) continue;
    if (!(out.min[c] <= v)) out.min[c] = v;
    if (!(out.max[c] >= v)) out.max[c] = v;
  }
  return out;
}

/** Column holding x by a linear scan of the edges (deliberately not a binary search). */
function columnOf(edges: Float64Array, x: number): number {
  const W = edges.length - 1;
  if (!(x >= edges[0]) || x > edges[W]) return -1;
  for (let c = 0; c < W; c++) if (x < edges[c + 1]) return c;
  return W - 1;
}
