/**
 * The float64 reference of the pushed-down M4 query (server/m4sql.ts): the same answer (m4.ts),
 * computed the plain way over arrays. It is the oracle of the SQL in the tests and the
 * definition of every tie rule, so it is written for clarity, not speed.
 */
import { columnEdges } from '../coords';
import { checkView, columnOf, emptyBuckets, emptyPoints, emptyStats, type M4Result, type M4View, type XColumnName } from './m4';

/** One series as logged: point k has ordinal k. `columns` holds the other x columns (NaN: none). */
export interface RefSeries {
  id: number;
  step: ArrayLike<number>;
  y: Float32Array;
  columns?: Partial<Record<Exclude<XColumnName, 'x'>, ArrayLike<number>>>;
}

interface P {
  v: number;
  x: number;
  o: number;
  y: number;
}

/** The store's order: view x, then step, then logged order. */
function before(a: P, b: P): number {
  return a.v - b.v || a.x - b.x || a.o - b.o;
}

export function m4Reference(all: readonly RefSeries[], view: M4View): M4Result {
  const ids = checkView(view);
  const { x0, x1, W } = view;
  const span = x1 - x0;
  const log = view.yScale === 'log';
  const ok = (y: number) => Number.isFinite(y) && (!log || y > 0);
  // on a log x axis the column is where the worker's edges put x (the definition, by a plain scan)
  const edges = view.xScale === 'log' ? columnEdges('log', [x0, x1], W) : null;
  const column = (v: number) => {
    if (!edges) return columnOf(v, x0, W, span);
    let c = 0;
    while (c < W - 1 && v >= edges[c + 1]) c++;
    return c;
  };
  const stats = emptyStats(ids.length);
  const rows: { s: number; c: number; n: number; f: P; l: P; mn: P | null; mx: P | null }[] = [];
  const pts: { s: number; p: P }[] = [];
  ids.forEach((id, i) => {
    stats.id[i] = id;
    const pts_: P[] = [];
    for (const s of all) {
      if (s.id !== id) continue;
      const vs = view.xColumn === 'x' ? s.step : s.columns?.[view.xColumn];
      if (!vs) continue;
      for (let k = 0; k < s.y.length; k++) pts_.push({ v: vs[k], x: s.step[k], o: k, y: s.y[k] });
    }
    const sorted = pts_.filter((p) => Number.isFinite(p.v)).sort(before);
    const inView = sorted.filter((p) => p.v >= x0 && p.v <= x1);
    const left = sorted.filter((p) => p.v < x0).at(-1);
    const right = sorted.find((p) => p.v > x1);
    if (left) [stats.beforeX[i], stats.beforeY[i]] = [left.v, left.y];
    if (right) [stats.afterX[i], stats.afterY[i]] = [right.v, right.y];
    stats.n[i] = inView.length;
    stats.nonFinite[i] = inView.filter((p) => !Number.isFinite(p.y)).length;
    stats.nonPositive[i] = log ? inView.filter((p) => Number.isFinite(p.y) && p.y <= 0).length : 0;
    stats.dense[i] = inView.length > W ? 1 : 0;
    if (!stats.dense[i]) {
      for (const p of inView) pts.push({ s: id, p });
      return;
    }
    const byCol = new Map<number, P[]>();
    for (const p of inView) {
      const c = column(p.v);
      let list = byCol.get(c);
      if (!list) byCol.set(c, (list = []));
      list.push(p);
    }
    for (const c of [...byCol.keys()].sort((a, b) => a - b)) {
      const list = byCol.get(c)!;
      let mn: P | null = null, mx: P | null = null;
      for (const p of list) {
        if (!ok(p.y)) continue;
        if (!mn || p.y < mn.y) mn = p;
        if (!mx || p.y > mx.y) mx = p;
      }
      rows.push({ s: id, c, n: list.length, f: list[0], l: list[list.length - 1], mn, mx });
    }
  });
  const b = emptyBuckets(rows.length);
  rows.forEach((r, k) => {
    b.series[k] = r.s;
    b.col[k] = r.c;
    b.n[k] = r.n;
    b.firstX[k] = r.f.v;
    b.firstY[k] = r.f.y;
    b.lastX[k] = r.l.v;
    b.lastY[k] = r.l.y;
    b.minX[k] = r.mn ? r.mn.v : NaN;
    b.minY[k] = r.mn ? r.mn.y : NaN;
    b.maxX[k] = r.mx ? r.mx.v : NaN;
    b.maxY[k] = r.mx ? r.mx.y : NaN;
  });
  const p = emptyPoints(pts.length);
  pts.forEach((q, k) => {
    p.series[k] = q.s;
    p.x[k] = q.p.v;
    p.y[k] = q.p.y;
  });
  return { series: stats, buckets: b, points: p };
}
