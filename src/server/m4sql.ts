/**
 * M4 pushed down into DuckDB: one query per view answers every series in it (source/m4.ts says
 * what comes back and why that is what the client needs to draw what the in-memory path draws;
 * m4ref.ts is the same computation over arrays, and the tests hold the two equal).
 *
 * The query groups the view's points by (series, pixel column), c = floor((x - x0) * W / span)
 * clamped to [0, W - 1], evaluated in float64 in the same order as `columnOf`, so SQL and the
 * reference put every point in the same column. First / last take raw y (a NaN or, on log, a
 * value <= 0 there is a break at that edge); min / max take drawable y only. The store's order
 * is (x, step, logged order), and ties follow it exactly as in the reference, but that order is
 * compared only where a tie is possible (struct keys over every point cost more than the rest of
 * the query): a first pass takes plain min / max of x and y per column; a second reads only the
 * points that equal one of them (usually one to four per column) and there breaks ties: first /
 * last y by (step, logged order), the x of min / max y as the least x among the points at that y
 * (the first in store order). The neighbours are found the same way: the greatest x left of the
 * view (least right of it), then the tie among points at that x.
 *
 * The answer is read chunk by chunk from DuckDB's vectors into the typed arrays of m4.ts by the
 * assembler both stores share (m4rows.ts), with no JS row or column arrays in between.
 *
 * Every value is a bound parameter: ids as an INTEGER[] (with their min and max as a plain range
 * so zonemaps can prune row groups of other series; the list itself is a semi-join, which DuckDB
 * runs several times faster than list_contains per row), range, W, the log flag. The x column is
 * picked from a fixed table (schema.ts X_COLUMNS): no text from a request or a file reaches SQL.
 */
import { BOOLEAN, DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue, type DuckDBVector } from '@duckdb/node-api';
import { checkView, logCut, type M4Result, type M4View } from '../source/m4';
import { assembleM4 } from './m4rows';
import { xColumnSql } from './xcolumns';

/**
 * The pixel column of the view x expression `v` in SQL: the formula of m4.ts `columnOf`, in the
 * same float64 steps ($x0, $w, $span bound), shared by every DuckDB M4 query.
 */
export function columnSql(v: string, logX = false): string {
  if (!logX) return `LEAST(GREATEST(floor((${v} - $x0) * $w / $span), 0), $w - 1)::INTEGER`;
  // log x (m4.ts logColumnOf): the estimate from log10 (x below the view clamped to x0: log10
  // of x <= 0 is an error in DuckDB, and such x only ever need a column they do not use), then
  // one step down or up where the edges ($edges, the worker's, 1-based here) say so
  const c0 = `LEAST(GREATEST(floor((log10(GREATEST(${v}, $x0)) - $lt0) * $lk), 0), $w - 1)::INTEGER`;
  return `(${c0} - (${c0} > 0 AND ${v} < $edges[${c0} + 1])::INTEGER + (${c0} < $w - 1 AND ${v} >= $edges[${c0} + 2])::INTEGER)`;
}

/** The parameters and types of the view's column formula besides $x0 and $w ($span on linear x). */
export function columnParams(view: M4View): { params: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const cut = logCut(view);
  if (!cut) return { params: { span: view.x1 - view.x0 }, types: { span: DOUBLE } };
  return { params: { edges: listValue([...cut.edges]), lt0: cut.t0, lk: cut.k }, types: { edges: LIST(DOUBLE), lt0: DOUBLE, lk: DOUBLE } };
}

/** The query text for an x column (a constant from X_COLUMNS) and x scale. */
export function m4Sql(xColumn: string, logX = false): string {
  const X = xColumnSql(xColumn);
  const inSeries = `series BETWEEN $lo AND $hi AND series IN (SELECT unnest($ids))`;
  const pIn = `p.series BETWEEN $lo AND $hi AND p.series IN (SELECT unnest($ids))`;
  // the order among points of one series with the same view x: step, then logged order (on the
  // step column itself the step is that x, so the logged order alone)
  const tie = X === 'x' ? 'ord' : `{'x': x, 'o': ord}`;
  const pTie = X === 'x' ? 'p.ord' : `{'x': p.x, 'o': p.ord}`;
  return `
WITH pts AS MATERIALIZED (
  SELECT series, ${X} AS v, x, ord, y,
    ${columnSql(X, logX)} AS c,
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
b0 AS (
  SELECT series, c, count(*)::INTEGER AS n, min(v) AS fx, max(v) AS lx,
    min(y) FILTER (WHERE ok) AS mny, max(y) FILTER (WHERE ok) AS mxy
  FROM pts WHERE series IN (SELECT series FROM dense) GROUP BY series, c
),
cand AS (
  SELECT p.series, p.c, p.v, p.x, p.ord, p.y, p.ok, b0.fx, b0.lx, b0.mny, b0.mxy
  FROM pts p JOIN b0 ON p.series = b0.series AND p.c = b0.c
  WHERE p.v = b0.fx OR p.v = b0.lx OR (p.ok AND (p.y = b0.mny OR p.y = b0.mxy))
),
b1 AS (
  SELECT series, c,
    arg_min(y, ${tie}) FILTER (WHERE v = fx) AS fy,
    arg_max(y, ${tie}) FILTER (WHERE v = lx) AS ly,
    min(v) FILTER (WHERE ok AND y = mny) AS mnx,
    min(v) FILTER (WHERE ok AND y = mxy) AS mxx
  FROM cand GROUP BY series, c
),
buckets AS (
  SELECT b0.series, b0.c, n, fx, fy, lx, ly, mnx, mny, mxx, mxy
  FROM b0 JOIN b1 ON b0.series = b1.series AND b0.c = b1.c
),
edge AS (
  SELECT series, max(${X}) FILTER (WHERE ${X} < $x0) AS lm, min(${X}) FILTER (WHERE ${X} > $x1) AS rm
  FROM points WHERE ${inSeries} AND (${X} < $x0 OR ${X} > $x1) GROUP BY series
),
nb AS (
  SELECT p.series, 3 AS kind, arg_max({'v': p.${X}, 'y': p.y}, ${pTie}) AS p
  FROM points p JOIN edge e ON p.series = e.series AND p.${X} = e.lm WHERE ${pIn} GROUP BY p.series
  UNION ALL
  SELECT p.series, 4 AS kind, arg_min({'v': p.${X}, 'y': p.y}, ${pTie}) AS p
  FROM points p JOIN edge e ON p.series = e.series AND p.${X} = e.rm WHERE ${pIn} GROUP BY p.series
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

const TYPES = { ids: LIST(INTEGER), lo: INTEGER, hi: INTEGER, x0: DOUBLE, x1: DOUBLE, w: DOUBLE, log: BOOLEAN };

/** Run the view's M4 query; the answer has the layout of source/m4.ts. */
export async function m4Query(db: DuckDBConnection, view: M4View): Promise<M4Result> {
  const ids = checkView(view);
  if (ids.length === 0) return assembleM4(ids, view.W, [], 'DuckDB');
  const params = {
    ids: listValue(ids), lo: ids[0], hi: ids[ids.length - 1],
    x0: view.x0, x1: view.x1, w: view.W, log: view.yScale === 'log',
  };
  const col = columnParams(view);
  return runM4(db, m4Sql(view.xColumn, view.xScale === 'log'), { ...params, ...col.params }, { ...TYPES, ...col.types }, ids, view.W);
}

/** Run an M4 query selecting the rows of m4rows.ts and assemble its answer for `ids`. */
export async function runM4(
  db: DuckDBConnection, sql: string, params: Record<string, DuckDBValue>, types: Record<string, DuckDBType>, ids: readonly number[], W: number,
): Promise<M4Result> {
  const result = await db.run(sql, params, types);
  const chunks = await result.fetchAllChunks();
  return assembleM4(ids, W, chunks.map((chunk) => ({
    rows: chunk.rowCount,
    col: (j: number) => {
      const v = chunk.getColumnVector(j) as DuckDBVector<number>;
      return (r: number) => v.getItem(r);
    },
  })), 'DuckDB');
}
