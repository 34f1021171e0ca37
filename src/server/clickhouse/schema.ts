/**
 * The tables of a metricgl store in ClickHouse, created where missing (the ClickHouse side of
 * server/schema.ts; the same columns, in ClickHouse's types).
 *
 *   points_local  on every shard, MergeTree ORDER BY (series, x, ord): a view's scan reads only
 *                 the granules of its series and, on the step axis, of its x range. The issue
 *                 asks for (metric, series, x); the series id already determines the metric (a
 *                 series is run + metric + fields), so a metric column in front would add bytes
 *                 to every row and prune nothing a series id does not.
 *   points        Distributed over points_local, sharded by `series`: every point of a series is
 *                 on one shard (series % shards), so each shard can reduce its own series to M4
 *                 alone (m4.ts relies on it). It exists on every shard, so any one can be asked.
 *   series        one row per series, a full copy on every shard, written to each (insert.ts).
 *                 On 18.16 the alternatives are a Distributed table over one shard's table
 *                 (every series list then crosses to that shard, and it is a single point of
 *                 failure) or a Replicated table (needs ZooKeeper). The table is small (one row
 *                 per series), so copies cost nothing and every shard can read it locally.
 *                 ReplacingMergeTree(updated) ORDER BY id: an ingest writes a new row for a
 *                 series it changed, readers take the latest with FINAL.
 *   files         one row per file read (its path, how far it was read, the fingerprints of
 *                 fileplan.ts), a copy on every shard like `series`, ReplacingMergeTree(updated)
 *                 ORDER BY id: what makes a second ingest of a file add nothing and a grown one
 *                 only what is new. `pending` is the batch of an ingest that wrote points of the
 *                 file but did not finish (0: none): the next ingest deletes that batch's points
 *                 before it reads the file again, so an ingest cut off midway leaves no duplicates.
 *   runs          the clock origin of runs read from event files (relative time), copies likewise.
 *   meta          the schema version, on every server.
 *
 * Without a cluster the same tables are plain MergeTree tables on one server (`points` itself).
 *
 * time / wall / epoch are Float64 with NaN where a point has none, not Nullable: NaN fails every
 * comparison, so such a point falls out of every range on that column with no extra test, the
 * reference (source/m4ref.ts) uses NaN for "none" too, and a Nullable column in 18.16 is a
 * second null-map column read on every scan. y is Float32 as in the store; NaN and ±Inf there
 * are data (breaks in the line), kept as is.
 *
 * 18.16 runs `ON CLUSTER` DDL only through ZooKeeper; the statements go to each shard directly.
 */
import { everyServer, identifier, tables, type ClickHouseConn } from './conn';
import { query, queryText, serverVersion } from './http';

export const CLICKHOUSE_SCHEMA_VERSION = 1;

/**
 * The oldest server this is written and tested against (Debian 12's package). Nothing newer is
 * used; where a newer server would allow better (query parameters, ON CLUSTER with Keeper,
 * RowBinaryWithNamesAndTypes), the module that would change says so.
 */
export const MIN_CLICKHOUSE: readonly [number, number] = [18, 16];

const POINT_COLUMNS = `(
  series Int32,
  x Float64,
  ord Int64,
  y Float32,
  time Float64,
  wall Float64,
  epoch Float64,
  file Int32,
  batch UInt64
)`;

const FILE_COLUMNS = `(
  id Int32,
  path String,
  kind String,
  gzip UInt8,
  size Int64,
  complete Int64,
  head_len Int64,
  head_hash String,
  before_hash String,
  points Int64,
  warnings Int64,
  pending UInt64,
  updated UInt64
)`;

const SERIES_COLUMNS = `(
  id Int32,
  key String,
  run String,
  metric String,
  fields String,
  points Int64,
  next_ord Int64,
  has_time UInt8,
  has_wall UInt8,
  has_epoch UInt8,
  updated UInt64
)`;

/** The statements, in order, that one server runs (every one is IF NOT EXISTS). */
export function schemaStatements(conn: ClickHouseConn): string[] {
  const db = identifier(conn.database, 'database');
  const t = tables(conn);
  const out = [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    `CREATE TABLE IF NOT EXISTS ${t.meta} (key String, value String) ENGINE = ReplacingMergeTree ORDER BY key`,
    `CREATE TABLE IF NOT EXISTS ${t.series} ${SERIES_COLUMNS} ENGINE = ReplacingMergeTree(updated) ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS ${t.files} ${FILE_COLUMNS} ENGINE = ReplacingMergeTree(updated) ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS ${t.runs} (run String, origin Float64) ENGINE = ReplacingMergeTree ORDER BY run`,
    `CREATE TABLE IF NOT EXISTS ${t.pointsLocal} ${POINT_COLUMNS} ENGINE = MergeTree ORDER BY (series, x, ord)`,
  ];
  if (conn.cluster !== undefined) {
    const c = identifier(conn.cluster, 'cluster');
    out.push(`CREATE TABLE IF NOT EXISTS ${t.points} ${POINT_COLUMNS} ENGINE = Distributed(${c}, ${db}, points_local, series)`);
  }
  return out;
}

/**
 * Create what is missing on every server of `conn`, and check the schema version each holds
 * (a store written by another schema is refused, not mixed).
 */
export async function createClickHouseSchema(conn: ClickHouseConn): Promise<void> {
  const servers = everyServer(conn);
  const t = tables(conn);
  if (conn.cluster !== undefined) await checkCluster(conn, servers.length);
  for (const url of servers) {
    const [major, minor] = await serverVersion(url);
    if (major < MIN_CLICKHOUSE[0] || (major === MIN_CLICKHOUSE[0] && minor < MIN_CLICKHOUSE[1])) {
      throw new Error(`ClickHouse schema query failed: ${url} runs ClickHouse ${major}.${minor}; metricgl needs ${MIN_CLICKHOUSE.join('.')} or newer`);
    }
    for (const sql of schemaStatements(conn)) await query(url, sql, { purpose: 'schema' });
    const rows = await queryText(url, `SELECT value FROM ${t.meta} FINAL WHERE key = 'schema'`, 'schema');
    if (rows.length === 0) {
      await query(url, `INSERT INTO ${t.meta} (key, value) FORMAT TabSeparated`, { purpose: 'schema', body: Buffer.from(`schema\t${CLICKHOUSE_SCHEMA_VERSION}\n`) });
    } else if (rows[0][0] !== String(CLICKHOUSE_SCHEMA_VERSION)) {
      throw new Error(`ClickHouse schema query failed: ${url} holds schema ${rows[0][0]}, this server reads ${CLICKHOUSE_SCHEMA_VERSION}`);
    }
  }
}

/** The cluster must be defined on the server asked, with as many shards as addresses given. */
async function checkCluster(conn: ClickHouseConn, addresses: number): Promise<void> {
  // the name is checked by identifier() (letters, digits, _), so quoting it as a string is safe
  identifier(conn.cluster!, 'cluster');
  const rows = await queryText(conn.url, `SELECT count(DISTINCT shard_num) FROM system.clusters WHERE cluster = '${conn.cluster}'`, 'schema');
  const shards = Number(rows[0]?.[0] ?? 0);
  if (shards === 0) throw new Error(`ClickHouse schema query failed: cluster ${conn.cluster} is not defined on ${conn.url} (remote_servers)`);
  if (shards !== addresses) throw new Error(`ClickHouse schema query failed: cluster ${conn.cluster} has ${shards} shards, ${addresses} HTTP addresses given`);
}
