/**
 * M4 pushed down into DuckDB: one query per view answers every series in it (source/m4.ts says
 * what comes back and why that is what the client needs to draw what the in-memory path draws;
 * m4ref.ts is the same computation over arrays, and the tests hold the two equal).
 *
 * The query groups the view's points by (series, pixel column), c = floor((x - x0) * W / span)
 * clamped to [0, W - 1], evaluated in float64 in the same order as `columnOf`, so SQL and the
 * reference put every point in the same column. First / last take raw y (a NaN or, on log, a
 * value <= 0 there is a break at that edge); min / max take drawable y only. The store's order
 * (x, step, logged order) is a struct key: DuckDB compares structs field by field, which gives
 * first / last / ties exactly as the reference does.
 *
 * Every value is a bound parameter: ids as an INTEGER[] (with their min and max as a plain range
 * so zonemaps can prune row groups of other series), range, W, the log flag. The x column is
 * picked from a fixed table (schema.ts X_COLUMNS): no text from a request or a file reaches SQL.
 */
import { BOOLEAN, DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { checkView, emptyBuckets, emptyPoints, emptyStats, type M4Result, type M4View } from '../source/m4';
import { xColumnSql } from './schema';

/** The query text for an x column (a constant from X_COLUMNS; cached per column). */
export function m4Sql(xColumn: string): string {
  const X = xColumnSql(xColumn);
  const key = `{'v': ${X}, 'x': x, 'o': ord}`;
  const inSeries = `series BETWEEN $lo AND $hi AND list_contains($ids, series)`;
  return `
WITH pts AS MATERIALIZED (
  SELECT series, ${X} AS v, x, ord, y,
    LEAST(GREATEST(floor((${X} - $x0) * $w / $span), 0), $w - 1)::INTEGER AS c,
    (isfinite(y) AND (NOT $log OR y > 0)) AS ok
  FROM points
  WHERE ${inSeries} AND ${X} >= $x0 AND ${X} <= $x1
),
stats AS (
  SELECT series, count(*)::INTEGER AS n,
    (count(*) FILTER (WHERE NOT isfinite(y)))::INTEGER AS nf,
    (count(*) FILTER (WHERE $log AND isfinite(y) AND y <= 0))::INTEGER AS np
  FROM pts GROUP BY series
),
dense AS (SELECT series FROM stats WHERE n > $w),
buckets AS (
  SELECT series, c, count(*)::INTEGER AS n,
    min(v) AS fx, arg_min(y, {'v': v, 'x': x, 'o': ord}) AS fy,
    max(v) AS lx, arg_max(y, {'v': v, 'x': x, 'o': ord}) AS ly,
    arg_min(v, {'y': y, 'v': v, 'x': x, 'o': ord}) FILTER (WHERE ok) AS mnx, min(y) FILTER (WHERE ok) AS mny,
    arg_max(v, {'y': y, 'v': -v, 'x': -x, 'o': -ord}) FILTER (WHERE ok) AS mxx, max(y) FILTER (WHERE ok) AS mxy
  FROM pts WHERE series IN (SELECT series FROM dense) GROUP BY series, c
),
near AS (
  SELECT series, ${X} AS v, y, ${key} AS k, ${X} < $x0 AS left_of
  FROM points WHERE ${inSeries} AND (${X} < $x0 OR ${X} > $x1)
),
nb AS (
  SELECT series, 3 AS kind, arg_max({'v': v, 'y': y}, k) AS p FROM near WHERE left_of GROUP BY series
  UNION ALL
  SELECT series, 4 AS kind, arg_min({'v': v, 'y': y}, k) AS p FROM near WHERE NOT left_of GROUP BY series
)
SELECT 0 AS kind, series, 0 AS c, n, nf, np, NULL::DOUBLE AS fx, NULL::FLOAT AS fy,
  NULL::DOUBLE AS lx, NULL::FLOAT AS ly, NULL::DOUBLE AS mnx, NULL::FLOAT AS mny, NULL::DOUBLE AS mxx, NULL::FLOAT AS mxy,
  NULL::DOUBLE AS sx, NULL::BIGINT AS so FROM stats
UNION ALL SELECT 1, series, c, n, 0, 0, fx, fy, lx, ly, mnx, mny, mxx, mxy, NULL, NULL FROM buckets
UNION ALL SELECT 2, series, c, 1, 0, 0, v, y, NULL, NULL, NULL, NULL, NULL, NULL, x, ord FROM pts
  WHERE series NOT IN (SELECT series FROM dense)
UNION ALL SELECT kind, series, -1, 1, 0, 0, p.v, p.y, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM nb
ORDER BY kind, series, c, fx, sx, so`;
}

const TYPES = { ids: LIST(INTEGER), lo: INTEGER, hi: INTEGER, x0: DOUBLE, x1: DOUBLE, w: DOUBLE, span: DOUBLE, log: BOOLEAN };

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));

/** Run the view's M4 query; the answer has the layout of source/m4.ts. */
export async function m4Query(db: DuckDBConnection, view: M4View): Promise<M4Result> {
  const ids = checkView(view);
  const stats = emptyStats(ids.length);
  if (ids.length === 0) return { series: stats, buckets: emptyBuckets(0), points: emptyPoints(0) };
  const params = {
    ids: listValue(ids), lo: ids[0], hi: ids[ids.length - 1],
    x0: view.x0, x1: view.x1, w: view.W, span: view.x1 - view.x0, log: view.yScale === 'log',
  };
  const reader = await db.runAndReadAll(m4Sql(view.xColumn), params, TYPES);
  const [kind, series, c, n, nf, np, fx, fy, lx, ly, mnx, mny, mxx, mxy] = reader.getColumns();
  const slot = new Map<number, number>(ids.map((id, i) => [id, i]));
  ids.forEach((id, i) => (stats.id[i] = id));
  let nb = 0, np_ = 0;
  for (const k of kind) {
    if (k === 1) nb++;
    else if (k === 2) np_++;
  }
  const b = emptyBuckets(nb);
  const p = emptyPoints(np_);
  let ib = 0, ip = 0;
  for (let r = 0; r < kind.length; r++) {
    const s = Number(series[r]);
    const i = slot.get(s)!;
    switch (kind[r]) {
      case 0:
        stats.n[i] = Number(n[r]);
        stats.nonFinite[i] = Number(nf[r]);
        stats.nonPositive[i] = Number(np[r]);
        stats.dense[i] = stats.n[i] > view.W ? 1 : 0;
        break;
      case 1:
        b.series[ib] = s;
        b.col[ib] = Number(c[r]);
        b.n[ib] = Number(n[r]);
        b.firstX[ib] = num(fx[r]);
        b.firstY[ib] = num(fy[r]);
        b.lastX[ib] = num(lx[r]);
        b.lastY[ib] = num(ly[r]);
        b.minX[ib] = num(mnx[r]);
        b.minY[ib] = num(mny[r]);
        b.maxX[ib] = num(mxx[r]);
        b.maxY[ib] = num(mxy[r]);
        ib++;
        break;
      case 2:
        p.series[ip] = s;
        p.x[ip] = num(fx[r]);
        p.y[ip] = num(fy[r]);
        ip++;
        break;
      case 3:
        stats.beforeX[i] = num(fx[r]);
        stats.beforeY[i] = num(fy[r]);
        break;
      case 4:
        stats.afterX[i] = num(fx[r]);
        stats.afterY[i] = num(fy[r]);
        break;
    }
  }
  return { series: stats, buckets: b, points: p };
}
