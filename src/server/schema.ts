/**
 * The DuckDB file of a metricgl server: what it holds, and opening it.
 *
 *   series  one row per series key (run \0 metric \0 fields, see loaders/rows.ts); `next_ord` is
 *           the ordinal the next ingested point of the series gets, so points keep the order they
 *           were logged in (restarted runs log the same step twice: semantics.md, Order).
 *   points  one row per point. Inserted sorted by (series, x, ord) in every ingest, so DuckDB's
 *           zonemaps (min/max per row group) prune a view's scan to the row groups of its series
 *           and x range; `compact` re-sorts the whole table after many small appends. `time`,
 *           `wall`, `epoch` are NULL where the point has none. `file` is the file that gave the
 *           point, so a rewritten file replaces its own points only.
 *   files   one row per ingested path: how far it was read and fingerprints of what was read, so
 *           ingesting again reads only what was appended, and a rewritten file replaces only its
 *           own points (see ingest.ts).
 *   runs    the time origin of each run read from event files (their relative time is wall minus
 *           the run's first wall), kept so that a grown event file continues the same clock.
 *   lod, lod_series  the level-of-detail blocks of the step column (lodbuild.ts), empty until
 *           built: a view reads the raw points of a series without blocks.
 *
 * Nothing from a file is ever spliced into SQL: names, paths and values are bound parameters.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export const SCHEMA_VERSION = 1;

/** the level-of-detail tables (lodbuild.ts says what they hold) */
export const LOD_DDL = `
CREATE TABLE IF NOT EXISTS lod_series(series INTEGER NOT NULL, k INTEGER NOT NULL, levels INTEGER NOT NULL, n BIGINT NOT NULL, xmin DOUBLE NOT NULL, xmax DOUBLE NOT NULL);
ALTER TABLE lod_series ADD COLUMN IF NOT EXISTS ext BOOLEAN;
ALTER TABLE lod_series ADD COLUMN IF NOT EXISTS tmin DOUBLE;
ALTER TABLE lod_series ADD COLUMN IF NOT EXISTS tmax DOUBLE;
ALTER TABLE lod_series ADD COLUMN IF NOT EXISTS wmin DOUBLE;
ALTER TABLE lod_series ADD COLUMN IF NOT EXISTS wmax DOUBLE;
ALTER TABLE lod_series ADD COLUMN IF NOT EXISTS emin DOUBLE;
ALTER TABLE lod_series ADD COLUMN IF NOT EXISTS emax DOUBLE;
CREATE TABLE IF NOT EXISTS lod(
  lv TINYINT NOT NULL, series INTEGER NOT NULL, b BIGINT NOT NULL, n INTEGER NOT NULL, nf INTEGER NOT NULL, np INTEGER NOT NULL,
  vmin DOUBLE NOT NULL, vmax DOUBLE NOT NULL, fy FLOAT, ly FLOAT, mny FLOAT, mnx DOUBLE, mpy FLOAT, mpx DOUBLE, mxy FLOAT, mxx DOUBLE
);`;

const DDL = `
CREATE TABLE IF NOT EXISTS meta(key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS series(
  id INTEGER NOT NULL,
  key VARCHAR NOT NULL,
  run VARCHAR NOT NULL,
  metric VARCHAR NOT NULL,
  fields JSON NOT NULL,
  points BIGINT NOT NULL,
  next_ord BIGINT NOT NULL,
  has_time BOOLEAN NOT NULL,
  has_wall BOOLEAN NOT NULL,
  has_epoch BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS points(
  series INTEGER NOT NULL,
  x DOUBLE,
  ord BIGINT NOT NULL,
  y FLOAT,
  time DOUBLE,
  wall DOUBLE,
  epoch DOUBLE,
  file INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS files(
  id INTEGER NOT NULL,
  path VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  gzip BOOLEAN NOT NULL,
  size BIGINT NOT NULL,
  complete BIGINT NOT NULL,
  head_len BIGINT NOT NULL,
  head_hash VARCHAR NOT NULL,
  before_hash VARCHAR NOT NULL,
  points BIGINT NOT NULL,
  warnings BIGINT NOT NULL,
  ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS runs(run VARCHAR NOT NULL, origin DOUBLE NOT NULL);
${LOD_DDL}
`;

export { X_COLUMNS, xColumnSql, type XColumnName } from './xcolumns';

export interface Store {
  instance: DuckDBInstance;
  db: DuckDBConnection;
  close(): void;
}

/** Create the tables that are missing. */
export async function createSchema(db: DuckDBConnection): Promise<void> {
  await db.run(DDL);
  const r = await db.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema'`);
  const rows = r.getRows();
  if (rows.length === 0) await db.run(`INSERT INTO meta VALUES ('schema', $1)`, [String(SCHEMA_VERSION)]);
  else if (rows[0][0] !== String(SCHEMA_VERSION)) throw new Error(`the store has schema ${String(rows[0][0])}, this server reads ${SCHEMA_VERSION}`);
}

/** Open (or create) the store at `path` with its schema. `threads` caps DuckDB's worker threads. */
export async function openStore(path: string, opts: { threads?: number } = {}): Promise<Store> {
  const config: Record<string, string> = {};
  if (opts.threads) config.threads = String(opts.threads);
  const instance = await DuckDBInstance.create(path, config);
  const db = await instance.connect();
  await createSchema(db);
  return {
    instance,
    db,
    close() {
      db.closeSync();
      instance.closeSync();
    },
  };
}

/** Rewrite `points` fully sorted by (series, x, ord): after many appends each sorted on its own. */
export async function compact(db: DuckDBConnection): Promise<void> {
  await db.run('BEGIN TRANSACTION');
  try {
    await db.run('CREATE OR REPLACE TEMP TABLE points_sorted AS SELECT * FROM points ORDER BY series, x, ord');
    await db.run('DELETE FROM points');
    await db.run('INSERT INTO points SELECT * FROM points_sorted');
    await db.run('DROP TABLE points_sorted');
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}
