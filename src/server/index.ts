/**
 * The metricgl server for a node program that embeds it (built as dist-server/index.js): start
 * the HTTP API over a DuckDB store, or fill a store from log files without serving it. What the
 * CLI (cli.ts) does is made of these; the HTTP API's own types are those of src/source/api.ts,
 * re-exported here so that a program talking to a server it started needs no second import.
 *
 *   const server = await startSourceServer({ db: 'runs.duckdb', logdir: 'logs/' });
 *   // … server.url; later: await server.close()
 *
 *   const store = await openStore('runs.duckdb');      // the file is locked while open
 *   try { await ingestFiles(store.db, ['logs/a.csv'], { root: 'logs' }); } finally { store.close(); }
 *
 *   await buildLodFile('runs.duckdb');  // level-of-detail blocks for a file not written by ingest
 *   await buildStepFiles('runs.duckdb'); // its step files (runs.duckdb.steps/; a server keeps them up to date)
 *
 * Over ClickHouse: `startSourceServer({ clickhouse: { url, database, cluster?, shards? } })` and
 * `ingestFilesClickHouse(conn, paths)` (tables created where missing).
 */
export { startSourceServer, type ServerStats, type SourceServer, type SourceServerOptions } from './http';
export { ingestFiles, type IngestOptions, type IngestResult } from './ingest';
export { openStore, type Store } from './schema';
export { buildLodFile, type LodOptions } from './lodbuild';
export { buildStepFiles, stepFilesDir } from './stepfiles';
export type { ClickHouseConn } from './clickhouse/conn';
export { ingestFilesClickHouse } from './clickhouse/ingest';
export { createClickHouseSchema } from './clickhouse/schema';
export { insertSeries } from './clickhouse/insert';
export { m4QueryClickHouse } from './clickhouse/m4';
export { API } from '../source/api';
export type {
  HoverPoint, HoverQuery, IngestReply, LiveGrew, SeriesQuery, SourceInfo, SourceSeries, ViewQuery,
} from '../source/api';
export type { XColumnName } from '../source/m4';
