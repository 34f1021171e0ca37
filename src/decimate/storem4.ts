/**
 * The in-browser store's own answer to an M4 view (src/source/m4.ts): what a server would send
 * for these curves, with the columns cut where this side cuts them (the view's edges, found by
 * the store's binary search). It is the other half of the one decimation contract: drawing
 * m4Curves(storeM4(curves, view)) must give exactly the records of drawing the curves
 * themselves, and the tests hold the server's answer to the same (src/source/m4ref.ts).
 */
import type { ScaleType } from '../protocol/messages';
import { emptyBuckets, emptyPoints, emptyStats, type M4Result } from '../source/m4';
import type { Curve } from '../store/store';
import { columnBounds, viewEnds } from './columns';
import { drawable } from './m4';

/** `curves[i]` answers as server id `i`; `edges`: the view's W + 1 column edges in data x. */
export function storeM4(curves: readonly Curve[], edges: Float64Array, yScale: ScaleType): M4Result {
  const W = edges.length - 1;
  const log = yScale === 'log';
  const stats = emptyStats(curves.length);
  const rows: number[][] = [];
  const pts: [number, number, number][] = [];
  const bounds = new Int32Array(W + 1);
  curves.forEach((s, id) => {
    const x = s.col.x, y = s.y;
    const [b0, b1] = viewEnds(s, edges);
    stats.id[id] = id;
    if (b0 > 0) [stats.beforeX[id], stats.beforeY[id]] = [x[b0 - 1], y[b0 - 1]];
    if (b1 < s.n) [stats.afterX[id], stats.afterY[id]] = [x[b1], y[b1]];
    stats.n[id] = b1 - b0;
    for (let i = b0; i < b1; i++) {
      if (!Number.isFinite(y[i])) stats.nonFinite[id]++;
      else if (log && y[i] <= 0) stats.nonPositive[id]++;
    }
    stats.dense[id] = b1 - b0 > W ? 1 : 0;
    if (!stats.dense[id]) {
      for (let i = b0; i < b1; i++) pts.push([id, x[i], y[i]]);
      return;
    }
    columnBounds(x, s.n, edges, bounds);
    for (let c = 0; c < W; c++) {
      const i0 = bounds[c], i1 = bounds[c + 1];
      if (i1 <= i0) continue;
      let mn = -1, mx = -1;
      for (let i = i0; i < i1; i++) {
        if (!drawable(y[i], yScale)) continue;
        if (mn < 0 || y[i] < y[mn]) mn = i;
        if (mx < 0 || y[i] > y[mx]) mx = i;
      }
      rows.push([id, c, i1 - i0, x[i0], y[i0], x[i1 - 1], y[i1 - 1], mn < 0 ? NaN : x[mn], mn < 0 ? NaN : y[mn], mx < 0 ? NaN : x[mx], mx < 0 ? NaN : y[mx]]);
    }
  });
  const b = emptyBuckets(rows.length);
  const cols = [b.series, b.col, b.n, b.firstX, b.firstY, b.lastX, b.lastY, b.minX, b.minY, b.maxX, b.maxY];
  rows.forEach((r, k) => r.forEach((v, j) => (cols[j][k] = v)));
  const p = emptyPoints(pts.length);
  pts.forEach(([s, x, y], k) => { p.series[k] = s; p.x[k] = x; p.y[k] = y; });
  return { series: stats, buckets: b, points: p };
}
