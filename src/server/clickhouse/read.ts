/**
 * What a server reads from a ClickHouse store besides views (m4.ts): the series list with its
 * extents, hover, and the points of whole series in store order for smoothing. Each is the
 * DuckDB store's query (seriesindex.ts, hover.ts, smoothview.ts) in 18.16's SQL, feeding the same
 * JS that turns rows into answers, so both stores answer alike (the tests hold them equal).
 *
 * 18.16 has no NULL from an aggregate over no rows (minIf gives 0): where "none" matters the
 * value is NaN, chosen by a count, and read back as null. Ids and per-series values travel as
 * temporary tables (http.ts), numbers from a request are formatted by sqlnumber.ts, the x column
 * is a constant from X_COLUMNS: nothing from a request or a file is SQL text.
 */
import type { HoverPoint, HoverQuery } from '../../source/api';
import type { XColumnName } from '../../source/m4';
import { addPoint, hoverAnswer, type Near, type PassOne } from '../hover';
import type { SmoothCache } from '../smoothcache';
import type { PointChunk } from '../pointchunk';
import type { PointChunks } from '../smoothview';
import type { ExtentRow, SeriesReader, StoredSeries } from '../seriesindex';
import { xColumnSql } from '../xcolumns';
import { tables, type ClickHouseConn } from './conn';
import { query, type ExternalTable, type QueryPurpose } from './http';
import { decodeRowBinary, encodeRowBinary, type ColumnSpec } from './rowbinary';
import { sqlFloat64 } from './sqlnumber';

const IDS = 'metricgl_ids';
const idsTable = (ids: readonly number[]): ExternalTable => ({ name: IDS, structure: 'series Int32', rows: encodeRowBinary([{ type: 'Int32', values: Int32Array.from(ids) }]) });

/** Settings for every query of one answer (skip_unavailable_shards when a shard is down, shards.ts). */
export type Extra = Readonly<Record<string, number>>;

async function rows(conn: ClickHouseConn, sql: string, specs: readonly ColumnSpec[], purpose: QueryPurpose, tablesOf: readonly ExternalTable[] = [], settings: Extra = {}) {
  const buf = await query(conn.url, sql, { purpose, format: 'RowBinary', tables: tablesOf, settings, timeoutMs: conn.queryTimeoutMs });
  return decodeRowBinary(buf, specs).map((c) => c.values);
}

const nanNull = (v: number) => (Number.isNaN(v) ? null : v);
/** finite min / max of a column, NaN when it has none */
const finiteMinMax = (c: string, cond = `isFinite(${c})`) =>
  `if(countIf(${cond}) > 0, minIf(${c}, ${cond}), nan), if(countIf(${cond}) > 0, maxIf(${c}, ${cond}), nan)`;

/** The series list's rows and extents from a ClickHouse store. */
export function clickhouseSeriesReader(conn: ClickHouseConn): SeriesReader {
  const t = tables(conn);
  return {
    async rows(): Promise<StoredSeries[]> {
      const c = await rows(conn, `SELECT id, key, run, metric, fields, points, next_ord, has_time, has_wall, has_epoch FROM ${t.series} FINAL`,
        ['Int32', 'String', 'String', 'String', 'String', 'Int64', 'Int64', 'UInt8', 'UInt8', 'UInt8'], 'series list');
      return Array.from({ length: c[0].length }, (_, i) => ({
        id: Number(c[0][i]), key: String(c[1][i]), run: String(c[2][i]), metric: String(c[3][i]), fields: String(c[4][i]),
        points: Number(c[5][i]), nextOrd: Number(c[6][i]), hasTime: c[7][i] === 1, hasWall: c[8][i] === 1, hasEpoch: c[9][i] === 1,
      }));
    },
    async extents(ids): Promise<ExtentRow[]> {
      if (ids.length === 0) return [];
      const y32 = 'toFloat64(y)';
      const sql = `SELECT series, ${['x', 'time', 'wall', 'epoch'].map((c) => finiteMinMax(c)).join(', ')}, ${finiteMinMax(y32)},
  ${finiteMinMax(y32, `isFinite(y) AND y > 0`)}
FROM ${t.points} WHERE series IN ${IDS} GROUP BY series ORDER BY series`;
      const c = await rows(conn, sql, ['Int32', ...Array<ColumnSpec>(12).fill('Float64')], 'series list', [idsTable(ids)]);
      return Array.from({ length: c[0].length }, (_, i) => [c[0][i], ...c.slice(1).map((col) => nanNull(Number(col[i])))]);
    },
  };
}

/** Points per query when whole series are read for smoothing (~64 MB of answer). */
const POINTS_PER_QUERY = 4 << 20;

/**
 * Whole series in store order, a group of series per query (grouped by `pointsOf`, the series
 * list's counts, to about POINTS_PER_QUERY points), each answer one piece.
 */
export function clickhouseChunks(conn: ClickHouseConn, pointsOf: (id: number) => number, extra: Extra = {}): PointChunks {
  const t = tables(conn);
  return async function* (ids: readonly number[], xColumn: XColumnName): AsyncIterable<PointChunk> {
    const X = xColumnSql(xColumn);
    const sorted = [...ids].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; ) {
      const group: number[] = [];
      let n = 0;
      while (i < sorted.length && (group.length === 0 || n + pointsOf(sorted[i]) <= POINTS_PER_QUERY)) {
        n += pointsOf(sorted[i]);
        group.push(sorted[i++]);
      }
      const [sid, v, y] = await rows(conn, `SELECT series, ${X} AS v, y FROM ${t.points} WHERE series IN ${IDS} AND isFinite(${X}) ORDER BY series, v, x, ord`,
        ['Int32', 'Float64', 'Float32'], 'view', [idsTable(group)], extra);
      if (sid.length > 0) yield { rows: sid.length, sid: sid as Int32Array, v: v as Float64Array, y: y as Float32Array };
    }
  };
}

/**
 * Hover (hover.ts's rule, its two passes): per series the first / last x with a finite y, the
 * greatest such x before the cursor and the least at or after it, the counts before the cursor;
 * then the points between those two x: how many on each side of the cursor, and the points at
 * exactly those x (their ties broken in JS by hover.ts).
 */
export async function hoverClickHouse(conn: ClickHouseConn, q: HoverQuery, cache: SmoothCache, pointsOf: (id: number) => number, extra: Extra = {}): Promise<HoverPoint[]> {
  const t = tables(conn);
  const X = xColumnSql(q.xColumn);
  const ids = [...new Set(q.series)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const c = sqlFloat64(q.x);
  const ok = `isFinite(y) AND isFinite(${X})`;
  const none = (cond: string, agg: string) => `if(countIf(${cond}) > 0, ${agg}(${X}, ${cond}), nan)`;
  const p1 = await rows(conn, `SELECT series, ${none(ok, 'minIf')}, ${none(ok, 'maxIf')}, ${none(`${ok} AND ${X} < ${c}`, 'maxIf')}, ${none(`${ok} AND ${X} >= ${c}`, 'minIf')},
  countIf(${X} < ${c}), countIf(${X} < ${c} AND isFinite(${X}))
FROM ${t.points} WHERE series IN ${IDS} GROUP BY series ORDER BY series`,
  ['Int32', 'Float64', 'Float64', 'Float64', 'Float64', 'UInt64', 'UInt64'], 'hover', [idsTable(ids)], extra);
  const one: PassOne[] = [];
  for (let i = 0; i < p1[0].length; i++) {
    const s: PassOne = {
      sid: Number(p1[0][i]), first: Number(p1[1][i]), last: Number(p1[2][i]), lm: nanNull(Number(p1[3][i])), rm: nanNull(Number(p1[4][i])),
      nlt: Number(p1[5][i]), nltFinite: Number(p1[6][i]),
    };
    if (s.lm !== null || s.rm !== null) one.push(s);
  }
  const near: Near = { counts: new Map(), at: new Map() };
  if (one.length === 0) return [];
  const window: ExternalTable = {
    name: 'metricgl_hover', structure: 'series Int32, lm Float64, rm Float64',
    rows: encodeRowBinary([
      { type: 'Int32', values: Int32Array.from(one, (s) => s.sid) },
      { type: 'Float64', values: Float64Array.from(one, (s) => s.lm ?? NaN) },
      { type: 'Float64', values: Float64Array.from(one, (s) => s.rm ?? NaN) },
    ]),
  };
  // the window [lm, rm] of each series, the cursor standing in for a side without a point
  const inWindow = `series IN (SELECT series FROM metricgl_hover) AND ${X} >= if(isNaN(lm), ${c}, lm) AND ${X} <= if(isNaN(rm), ${c}, rm)`;
  const from = `FROM ${t.points} ALL INNER JOIN metricgl_hover USING series WHERE ${inWindow}`;
  const counts = await rows(conn, `SELECT series, countIf(${X} >= lm AND ${X} < ${c}), countIf(${X} >= ${c} AND ${X} < rm) ${from} GROUP BY series`,
    ['Int32', 'UInt64', 'UInt64'], 'hover', [window], extra);
  for (let i = 0; i < counts[0].length; i++) near.counts.set(Number(counts[0][i]), { a: Number(counts[1][i]), b: Number(counts[2][i]) });
  const at = await rows(conn, `SELECT series, ${X}, x, ord, y, time, wall, epoch ${from} AND (${X} = lm OR ${X} = rm)`,
    ['Int32', 'Float64', 'Float64', 'Int64', 'Float32', 'Float64', 'Float64', 'Float64'], 'hover', [window], extra);
  for (let i = 0; i < at[0].length; i++) {
    addPoint(near, Number(at[0][i]), {
      v: Number(at[1][i]), x: Number(at[2][i]), o: BigInt(at[3][i] as number), y: Number(at[4][i]),
      time: nanNull(Number(at[5][i])), wall: nanNull(Number(at[6][i])), epoch: nanNull(Number(at[7][i])),
    });
  }
  return hoverAnswer(q, one, near, clickhouseChunks(conn, pointsOf, extra), cache);
}
