/**
 * The `series`, `files` and `runs` rows of a ClickHouse store as an ingest reads and writes them
 * (the ClickHouse side of seriescatalog.ts and ingest.ts's `files` rows).
 *
 * The three tables are copies on every shard (schema.ts); a read asks the query server's copy
 * with FINAL (the newest row of each id), a write goes to every copy with one `updated` stamp.
 * Every value travels as RowBinary (insert.ts); nothing from a file reaches SQL text.
 */
import type { FileRow } from '../fileplan';
import { SeriesCatalog, type SeriesEntry } from '../seriescatalog';
import { everyServer, tables, type ClickHouseConn } from './conn';
import { query } from './http';
import { insertSeries } from './insert';
import { clickhouseSeriesReader } from './read';
import { decodeRowBinary, encodeRowBinary, type ColumnSpec } from './rowbinary';

/** A `files` row: fileplan.ts's, with the batch of an ingest of it that did not finish (0: none). */
export interface ClickHouseFileRow extends FileRow {
  warnings: number;
  pending: number;
}

/** The stored series and run origins. */
export async function loadCatalog(conn: ClickHouseConn): Promise<SeriesCatalog> {
  const t = tables(conn);
  const entries = (await clickhouseSeriesReader(conn).rows()).map((r) => ({ ...r, fields: JSON.parse(r.fields) as Record<string, string> }));
  const o = decodeRowBinary(await query(conn.url, `SELECT run, origin FROM ${t.runs} FINAL`, { purpose: 'ingest', format: 'RowBinary' }), ['String', 'Float64']);
  const origins = Array.from({ length: o[0].values.length }, (_, i): [string, number] => [String(o[0].values[i]), Number(o[1].values[i])]);
  return SeriesCatalog.of(entries, origins);
}

/** Write the changed series rows to every copy. */
export async function saveCatalog(conn: ClickHouseConn, catalog: SeriesCatalog): Promise<void> {
  const dirty: SeriesEntry[] = catalog.dirty();
  await insertSeries(conn, dirty.map((e) => ({
    id: e.id, key: e.key, run: e.run, metric: e.metric, fields: JSON.stringify(e.fields),
    points: e.points, nextOrd: e.nextOrd, hasTime: e.hasTime, hasWall: e.hasWall, hasEpoch: e.hasEpoch,
  })));
  catalog.saved(dirty);
}

/** Write run origins to every copy. */
export async function saveOrigins(conn: ClickHouseConn, origins: readonly [string, number][]): Promise<void> {
  if (origins.length === 0) return;
  const body = encodeRowBinary([
    { type: 'String', values: origins.map((o) => o[0]) },
    { type: 'Float64', values: Float64Array.from(origins, (o) => o[1]) },
  ]);
  for (const url of everyServer(conn)) await query(url, `INSERT INTO ${tables(conn).runs} (run, origin) FORMAT RowBinary`, { purpose: 'ingest', body });
}

const FILE_READ: readonly ColumnSpec[] = ['Int32', 'String', 'String', 'UInt8', 'Int64', 'Int64', 'Int64', 'String', 'String', 'Int64', 'Int64', 'UInt64'];

/** The stored `files` rows by path. */
export async function loadFiles(conn: ClickHouseConn): Promise<Map<string, ClickHouseFileRow>> {
  const cols = decodeRowBinary(
    await query(conn.url, `SELECT id, path, kind, gzip, size, complete, head_len, head_hash, before_hash, points, warnings, pending FROM ${tables(conn).files} FINAL`, { purpose: 'ingest', format: 'RowBinary' }),
    FILE_READ,
  ).map((c) => c.values);
  const out = new Map<string, ClickHouseFileRow>();
  for (let i = 0; i < cols[0].length; i++) {
    const [id, path, kind, gzip, size, complete, headLen, headHash, beforeHash, points, warnings, pending] = cols.map((c) => c[i]);
    out.set(String(path), {
      id: Number(id), path: String(path), kind: String(kind), gzip: Number(gzip) === 1, size: Number(size), complete: Number(complete),
      headLen: Number(headLen), headHash: String(headHash), beforeHash: String(beforeHash), points: Number(points),
      warnings: Number(warnings), pending: Number(pending),
    });
  }
  return out;
}

/** Write `files` rows to every copy (a newer row of the same id replaces the older). */
export async function saveFiles(conn: ClickHouseConn, rows: readonly ClickHouseFileRow[], updated: number): Promise<void> {
  if (rows.length === 0) return;
  const col = <T,>(f: (r: ClickHouseFileRow) => T) => rows.map(f);
  const body = encodeRowBinary([
    { type: 'Int32', values: col((r) => r.id) },
    { type: 'String', values: col((r) => r.path) },
    { type: 'String', values: col((r) => r.kind) },
    { type: 'UInt8', values: col((r) => (r.gzip ? 1 : 0)) },
    { type: 'Int64', values: col((r) => r.size) },
    { type: 'Int64', values: col((r) => r.complete) },
    { type: 'Int64', values: col((r) => r.headLen) },
    { type: 'String', values: col((r) => r.headHash) },
    { type: 'String', values: col((r) => r.beforeHash) },
    { type: 'Int64', values: col((r) => r.points) },
    { type: 'Int64', values: col((r) => r.warnings) },
    { type: 'UInt64', values: col((r) => r.pending) },
    { type: 'UInt64', values: col(() => updated) },
  ]);
  const sql = `INSERT INTO ${tables(conn).files} (id, path, kind, gzip, size, complete, head_len, head_hash, before_hash, points, warnings, pending, updated) FORMAT RowBinary`;
  for (const url of everyServer(conn)) await query(url, sql, { purpose: 'ingest', body });
}

/**
 * Delete points on every shard (`where` is ours: a file id or a batch number, never text from a
 * file) and wait until the deletion is done: 18.16 runs ALTER ... DELETE as a mutation in the
 * background (no mutations_sync yet), and an ingest must not count or show points that are going.
 * The points the ingest inserts next are parts newer than the mutation, which it leaves alone.
 */
export async function deletePoints(conn: ClickHouseConn, where: string, timeoutMs = 120_000): Promise<void> {
  const t = tables(conn);
  const [db, table] = t.pointsLocal.split('.');
  const unquote = (s: string) => s.replace(/\x60/g, ''); // the back-quotes of identifier()
  for (const url of everyServer(conn)) {
    await query(url, `ALTER TABLE ${t.pointsLocal} DELETE WHERE ${where}`, { purpose: 'ingest' });
    const until = Date.now() + timeoutMs;
    for (;;) {
      const left = await query(url, `SELECT count() FROM system.mutations WHERE database = '${unquote(db)}' AND table = '${unquote(table)}' AND is_done = 0`, { purpose: 'ingest', format: 'TabSeparated' });
      if (Number(left.toString().trim()) === 0) break;
      if (Date.now() > until) throw new Error(`ClickHouse ingest query failed: deleting points (${where}) on ${url} did not finish within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
