/**
 * Writing points and series rows into a ClickHouse store. Every value travels as RowBinary in
 * the request body; the statement names only our own tables and columns.
 *
 * Points go through the Distributed table, which routes each row to its series' shard.
 * `insert_distributed_sync=1` makes the insert return only once every shard has its rows: by
 * default 18.16 queues them on the initiator's disk and sends them later, so a view right after
 * an ingest could miss them. Series rows are written to every shard's copy (schema.ts).
 */
import type { PointBatch } from '../pointbatch';
import type { StoredSeries } from '../seriesindex';
import { everyServer, tables, type ClickHouseConn } from './conn';
import { query } from './http';
import { encodeRowBinary } from './rowbinary';

export type { PointBatch };

/** Rows per insert request: ~48 MB of RowBinary, a block size ClickHouse handles well. */
const ROWS_PER_INSERT = 1 << 20;

const POINT_INSERT = (table: string) => `INSERT INTO ${table} (series, x, ord, y, time, wall, epoch, file, batch) FORMAT RowBinary`;

/**
 * Insert point batches (each one series' points in logged order; ordinals from firstOrd), tagged
 * with the ingest's `batch` (schema.ts: how an ingest cut off midway is undone).
 */
export async function insertPoints(conn: ClickHouseConn, batches: readonly PointBatch[], batch = 0): Promise<number> {
  const t = tables(conn);
  const settings: Record<string, number> = conn.cluster !== undefined ? { insert_distributed_sync: 1 } : {};
  let total = 0;
  let group: PointBatch[] = [];
  let rows = 0;
  const flush = async () => {
    if (rows === 0) return;
    await query(conn.url, POINT_INSERT(t.points), { purpose: 'ingest', body: encodePoints(group, rows, batch), settings });
    total += rows;
    group = [];
    rows = 0;
  };
  for (const b of batches) {
    if (b.y.length !== b.x.length) throw new Error(`series ${b.series}: ${b.x.length} x values but ${b.y.length} y values`);
    for (const c of [b.time, b.wall, b.epoch]) if (c && c.length !== b.x.length) throw new Error(`series ${b.series}: an x column of another length`);
    if (rows > 0 && rows + b.x.length > ROWS_PER_INSERT) await flush();
    group.push(b);
    rows += b.x.length;
  }
  await flush();
  return total;
}

function encodePoints(batches: readonly PointBatch[], n: number, batch: number): Buffer {
  const series = new Int32Array(n), ord = new Float64Array(n), file = new Int32Array(n);
  const x = new Float64Array(n), time = new Float64Array(n), wall = new Float64Array(n), epoch = new Float64Array(n);
  const y = new Float32Array(n);
  let at = 0;
  for (const b of batches) {
    const m = b.x.length;
    series.fill(b.series, at, at + m);
    file.fill(b.file, at, at + m);
    for (let k = 0; k < m; k++) ord[at + k] = b.firstOrd + k;
    x.set(b.x, at);
    y.set(b.y, at);
    if (b.time) time.set(b.time, at); else time.fill(NaN, at, at + m);
    if (b.wall) wall.set(b.wall, at); else wall.fill(NaN, at, at + m);
    if (b.epoch) epoch.set(b.epoch, at); else epoch.fill(NaN, at, at + m);
    at += m;
  }
  return encodeRowBinary([
    { type: 'Int32', values: series },
    { type: 'Float64', values: x },
    { type: 'Int64', values: ord },
    { type: 'Float32', values: y },
    { type: 'Float64', values: time },
    { type: 'Float64', values: wall },
    { type: 'Float64', values: epoch },
    { type: 'Int32', values: file },
    { type: 'UInt64', values: new Float64Array(n).fill(batch) },
  ]);
}

/** One series row as the series table holds it (seriesindex.ts). */
export type SeriesRow = StoredSeries;

/**
 * Write series rows to every server's copy. `updated` orders versions of one series: the newest
 * wins when ReplacingMergeTree merges and in `FINAL` reads.
 */
export async function insertSeries(conn: ClickHouseConn, rows: readonly SeriesRow[], updated = Date.now()): Promise<void> {
  if (rows.length === 0) return;
  const col = <T,>(f: (r: SeriesRow) => T) => rows.map(f);
  const body = encodeRowBinary([
    { type: 'Int32', values: col((r) => r.id) },
    { type: 'String', values: col((r) => r.key) },
    { type: 'String', values: col((r) => r.run) },
    { type: 'String', values: col((r) => r.metric) },
    { type: 'String', values: col((r) => r.fields) },
    { type: 'Int64', values: col((r) => r.points) },
    { type: 'Int64', values: col((r) => r.nextOrd) },
    { type: 'UInt8', values: col((r) => (r.hasTime ? 1 : 0)) },
    { type: 'UInt8', values: col((r) => (r.hasWall ? 1 : 0)) },
    { type: 'UInt8', values: col((r) => (r.hasEpoch ? 1 : 0)) },
    { type: 'UInt64', values: col(() => updated) },
  ]);
  const sql = `INSERT INTO ${tables(conn).series} (id, key, run, metric, fields, points, next_ord, has_time, has_wall, has_epoch, updated) FORMAT RowBinary`;
  for (const url of everyServer(conn)) await query(url, sql, { purpose: 'ingest', body });
}
