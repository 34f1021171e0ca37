/**
 * M4 of one view in ClickHouse: the same answer as the DuckDB query (server/m4sql.ts) and the
 * float64 reference (source/m4ref.ts, the oracle the tests hold this equal to), in the layout of
 * source/m4.ts, read back as RowBinary (about 80 bytes a column of a series, never a row per
 * point of a dense series).
 *
 * One statement, five parts glued by UNION ALL and sorted once:
 *   kind 0  per series: points in view, non-finite y, (log) finite y <= 0
 *   kind 1  per (series, column) of a dense series (n > W): count, first, last, min, max
 *   kind 2  every point in view of a sparse series, in store order
 *   kind 3  the last point left of the view; kind 4 the first right of it
 * Store order is (view x, step, logged order). 18.16 has no window functions; argMin / argMax
 * with a tuple key break ties in that order directly, in one pass: first = argMin(y, (v, x,
 * ord)), last = argMax(...); the min is the drawable point with the least (y, v, x, ord), the
 * max the one with the greatest (y, -v, -x, -ord): the first point in store order at the extreme
 * y, as the reference takes it (so even -0 against 0 comes out as there). Tuple keys are 18.16's
 * slow path (a Field per row compared; ~2x plain min / max over 1e7 points), so there are only
 * four per column, the min and max each returning their (x, y) pair as one tuple (measured:
 * 0.93 -> 0.67 s for 5e6 points on one shard against one aggregate per value). The two-pass tie
 * breaking of m4sql.ts needs the first pass's result in the second, which 18.16 can only
 * recompute (no materialized CTE: five scans) or get back from the client as external data (a
 * second round trip); from the cost of one plain pass (~0.14 s per 5e6 points) the latter might
 * save ~40% and is left for later.
 * The neighbours are two-step: a plain max (min) of x left (right) of the view, then the tie among
 * the few points at exactly that x, so a zoomed view does not compare tuples over every point
 * outside it.
 *
 * Sharding: every point of a series lives on one shard (schema.ts), so each shard computes the
 * final rows of its own series. The subqueries (dense / sparse split, neighbour x) are plain,
 * not GLOBAL, INs over the shard's own `points_local`, which the Distributed table sends to every
 * shard as they are; and `distributed_group_by_no_merge` lets the initiator concatenate the
 * shards' results instead of merging partial aggregate states. Both are correct only because no
 * group spans two shards.
 *
 * Values: the series ids travel as a temporary table (RowBinary in the request body, http.ts),
 * so a view of 20 000 series is no longer query text than one of 2. W, x0, x1 and span are in
 * the text as numbers validated by checkView and formatted by sqlnumber.ts so that they parse
 * back to exactly the same doubles; the x column and the log test are chosen from constants. (A
 * 19.x+ server would take `{x0:Float64}` query parameters instead.) Nothing else from a request
 * reaches the text.
 */
import { checkView, logCut, type M4Result, type M4View } from '../../source/m4';
import { tables, type ClickHouseConn } from './conn';
import { query } from './http';
import { decodeRowBinary, encodeRowBinary, type ColumnSpec } from './rowbinary';
import { sqlFloat64, sqlInt } from './sqlnumber';
import { assembleM4 } from '../m4rows';
import { xColumnSql } from '../xcolumns';


/** The answer's columns, in SELECT order. */
const ANSWER: readonly ColumnSpec[] = [
  'UInt8', 'Int32', 'Int32', 'UInt64', 'UInt64', 'UInt64',
  'Float64', 'Float32', 'Float64', 'Float32', 'Float64', 'Float32', 'Float64', 'Float32',
];

// constants are materialized: a Distributed query in 18.16 refuses a column that is constant in
// the initiator's own stream but arrives as a full column from the other shards ("Cannot convert
// column ... because it is non constant in source stream")
const NAN32 = 'materialize(toFloat32(nan))';
const NAN64 = 'materialize(nan)';
const ZERO64 = 'materialize(toUInt64(0))';

/** The temporary table of a view's series ids (sent with the query, see http.ts). */
const IDS_TABLE = 'metricgl_view_ids';
/** The temporary table of a log-x view's column edges (c, e): c = 0 .. W. */
const EDGES_TABLE = 'metricgl_view_edges';

/** The statement for a view; it reads the ids from the temporary table IDS_TABLE. */
export function m4SqlClickHouse(conn: ClickHouseConn, view: M4View): string {
  const t = tables(conn);
  const X = xColumnSql(view.xColumn);
  const x0 = sqlFloat64(view.x0), x1 = sqlFloat64(view.x1), span = sqlFloat64(view.x1 - view.x0);
  const W = sqlInt(view.W, 1, 1 << 20);
  const inIds = `series IN ${IDS_TABLE}`;
  const inView = `${X} >= ${x0} AND ${X} <= ${x1}`;
  const ok = view.yScale === 'log' ? '(isFinite(y) AND y > 0)' : 'isFinite(y)';
  // the same float64 steps as columnOf: ((v - x0) * W) / span, floored, clamped
  let col = `toInt32(least(greatest(floor(((${X} - ${x0}) * ${sqlFloat64(view.W)}) / ${span}), 0), ${sqlInt(view.W - 1, 0)}))`;
  const cut = logCut(view);
  if (cut) {
    // log x (source/m4.ts logColumnOf): the log10 estimate, then one step where the worker's
    // edges say so; every x here is in view, so > 0. The edges come as the temporary table
    // EDGES_TABLE (W + 1 literals would overflow the URL the statement travels in), read once
    // into an array (1-based) by a scalar subquery, sorted by column so the order is certain
    const edges = `(SELECT arrayMap(t -> tupleElement(t, 2), arraySort(groupArray((c, e)))) FROM ${EDGES_TABLE})`;
    const c0 = `toInt32(least(greatest(floor((log10(${X}) - ${sqlFloat64(cut.t0)}) * ${sqlFloat64(cut.k)}), 0), ${sqlInt(view.W - 1, 0)}))`;
    col = `toInt32(${c0} - ((${c0} > 0) AND (${X} < arrayElement(${edges}, ${c0} + 1))) + ((${c0} < ${sqlInt(view.W - 1, 0)}) AND (${X} >= arrayElement(${edges}, ${c0} + 2))))`;
  }
  // store order within a series; on the step column the step is the view x itself
  const order = X === 'x' ? ['x', 'ord'] : [X, 'x', 'ord'];
  const key = `(${order.join(', ')})`;
  const minKey = `(y, ${order.join(', ')})`;
  const maxKey = `(y, ${order.map((c) => `-${c}`).join(', ')})`;
  const inSeries = (set: string) => `series IN (SELECT series FROM ${t.pointsLocal} WHERE ${inIds} AND ${inView} GROUP BY series HAVING ${set})`;
  const stats = `
  SELECT materialize(toUInt8(0)) AS kind, series, materialize(toInt32(0)) AS c,
    count() AS n,
    countIf(NOT isFinite(y)) AS nf,
    ${view.yScale === 'log' ? 'countIf(isFinite(y) AND y <= 0)' : ZERO64} AS np,
    ${NAN64} AS fx, ${NAN32} AS fy, ${NAN64} AS lx, ${NAN32} AS ly, ${NAN64} AS mnx, ${NAN32} AS mny, ${NAN64} AS mxx, ${NAN32} AS mxy,
    materialize(toFloat64(0)) AS sx, materialize(toInt64(0)) AS so
  FROM ${t.points} WHERE ${inIds} AND ${inView}
  GROUP BY series`;
  // one aggregate per extreme, its value the (x, y) pair: identical aggregates are computed once,
  // so each tupleElement below reads the same state
  const mn = `argMinIf((${X}, y), ${minKey}, ${ok})`, mx = `argMaxIf((${X}, y), ${maxKey}, ${ok})`;
  const some = `countIf(${ok}) > 0`;
  const buckets = `
  SELECT materialize(toUInt8(1)) AS kind, series, ${col} AS c,
    count() AS n, ${ZERO64} AS nf, ${ZERO64} AS np,
    min(${X}) AS fx, argMin(y, ${key}) AS fy, max(${X}) AS lx, argMax(y, ${key}) AS ly,
    if(${some}, tupleElement(${mn}, 1), ${NAN64}) AS mnx, if(${some}, tupleElement(${mn}, 2), ${NAN32}) AS mny,
    if(${some}, tupleElement(${mx}, 1), ${NAN64}) AS mxx, if(${some}, tupleElement(${mx}, 2), ${NAN32}) AS mxy,
    materialize(toFloat64(0)) AS sx, materialize(toInt64(0)) AS so
  FROM ${t.points} WHERE ${inIds} AND ${inView} AND ${inSeries(`count() > ${W}`)}
  GROUP BY series, c`;
  // a positive IN (not NOT IN dense): the primary key then skips the granules of dense series
  const points = `
  SELECT materialize(toUInt8(2)) AS kind, series, materialize(toInt32(0)) AS c,
    materialize(toUInt64(1)) AS n, ${ZERO64} AS nf, ${ZERO64} AS np,
    ${X} AS fx, y AS fy, ${NAN64} AS lx, ${NAN32} AS ly, ${NAN64} AS mnx, ${NAN32} AS mny, ${NAN64} AS mxx, ${NAN32} AS mxy,
    x AS sx, ord AS so
  FROM ${t.points} WHERE ${inIds} AND ${inView} AND ${inSeries(`count() <= ${W}`)}`;
  // the neighbours: the greatest x left of the view (least right of it), a plain max over one
  // column; then the store-order tie among the few points at exactly that x
  const tie = X === 'x' ? 'ord' : '(x, ord)';
  const neighbour = (kind: number, side: string, pick: 'max' | 'min') => `
  SELECT materialize(toUInt8(${kind})) AS kind, series, materialize(toInt32(0)) AS c,
    materialize(toUInt64(1)) AS n, ${ZERO64} AS nf, ${ZERO64} AS np,
    any(${X}) AS fx, ${pick === 'max' ? 'argMax' : 'argMin'}(y, ${tie}) AS fy,
    ${NAN64} AS lx, ${NAN32} AS ly, ${NAN64} AS mnx, ${NAN32} AS mny, ${NAN64} AS mxx, ${NAN32} AS mxy,
    materialize(toFloat64(0)) AS sx, materialize(toInt64(0)) AS so
  FROM ${t.points}
  WHERE ${inIds} AND (series, ${X}) IN (SELECT series, ${pick}(${X}) FROM ${t.pointsLocal} WHERE ${inIds} AND isFinite(${X}) AND ${side} GROUP BY series)
  GROUP BY series`;
  return `SELECT kind, series, c, n, nf, np, fx, fy, lx, ly, mnx, mny, mxx, mxy FROM (${stats}
  UNION ALL${buckets}
  UNION ALL${points}
  UNION ALL${neighbour(3, `${X} < ${x0}`, 'max')}
  UNION ALL${neighbour(4, `${X} > ${x1}`, 'min')}
) ORDER BY kind, series, c, fx, sx, so`;
}

/** Run the view's M4 query on `conn`; the answer has the layout of source/m4.ts. */
export async function m4QueryClickHouse(conn: ClickHouseConn, view: M4View, extra: Readonly<Record<string, number>> = {}): Promise<M4Result> {
  const ids = checkView(view);
  if (ids.length === 0) return assembleM4(ids, view.W, [], 'ClickHouse');
  const sql = m4SqlClickHouse(conn, view);
  const buf = await query(conn.url, sql, {
    purpose: 'view',
    format: 'RowBinary',
    timeoutMs: conn.queryTimeoutMs,
    tables: [
      { name: IDS_TABLE, structure: 'series Int32', rows: encodeRowBinary([{ type: 'Int32', values: ids }]) },
      ...edgesTable(view),
    ],
    // every group (a series, or a column of one) lives on one shard: each shard's result is
    // final, the initiator only concatenates (no merge of partial states, ~15% faster)
    settings: { ...(conn.cluster !== undefined ? { distributed_group_by_no_merge: 1 } : {}), ...extra },
  });
  const cols = decodeRowBinary(buf, ANSWER).map((c) => c.values) as [
    Uint8Array, Int32Array, Int32Array, Float64Array, Float64Array, Float64Array,
    Float64Array, Float32Array, Float64Array, Float32Array, Float64Array, Float32Array, Float64Array, Float32Array,
  ];
  return assembleM4(ids, view.W, [{ rows: cols[0].length, col: (j) => (r) => cols[j][r] }], 'ClickHouse');
}

/** The edges of a log-x view as a temporary table (none on a linear x axis). */
function edgesTable(view: M4View) {
  const cut = logCut(view);
  if (!cut) return [];
  const c = Int32Array.from({ length: cut.edges.length }, (_, k) => k);
  return [{ name: EDGES_TABLE, structure: 'c Int32, e Float64', rows: encodeRowBinary([{ type: 'Int32', values: c }, { type: 'Float64', values: cut.edges }]) }];
}
