// The ClickHouse side of `npm run bench:source` (MODES=...,clickhouse): a local two-shard
// cluster (test/clickhouse/cluster.mjs: two clickhouse-server processes on this machine), the
// sweep copied into it from the DuckDB file (the same points, so both stores answer the same
// views), the ingest command on files into it, and the per-shard cost of a view read from each
// shard's query_log.
import { createReadStream, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import { startCluster } from '../../test/clickhouse/cluster.mjs';

/** A two-shard cluster and the store's connection; `stop()` when done. */
export async function benchCluster(database) {
  const cluster = await startCluster({ shards: 2, timeoutMs: 60_000 });
  // a full view of 1,000 runs over 1e9 points takes minutes on two shards sharing two cores
  const conn = { url: cluster.shards[0].http, database, cluster: cluster.cluster, shards: cluster.shards.map((s) => s.http), queryTimeoutMs: 1_800_000 };
  return { cluster, conn };
}

/** POST a file as the body of a ClickHouse statement (the statement in the URL). */
function postFile(url, sql, file, settings = {}) {
  const target = new URL(url);
  target.searchParams.set('query', sql);
  for (const [k, v] of Object.entries(settings)) target.searchParams.set(k, String(v));
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', headers: { 'content-length': statSync(file).size } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`ClickHouse insert: HTTP ${res.statusCode}: ${text.slice(0, 300)}`))));
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

/**
 * The DuckDB sweep's points and series into the cluster, a slice of series at a time: DuckDB
 * writes the slice as TSV (NaN for a missing time column), ClickHouse reads it through the
 * Distributed table. Not an ingest path (that is `metricgl ingest --clickhouse`, timed apart):
 * the way the same 1e8 / 1e9 points get into both stores.
 */
export async function copySweep(server, duckPath, conn, tmp, log) {
  await server.createClickHouseSchema(conn);
  const inst = await DuckDBInstance.create(duckPath, { access_mode: 'READ_ONLY' });
  const db = await inst.connect();
  const t0 = performance.now();
  const rows = (await db.runAndReadAll('SELECT id, key, run, metric, fields::VARCHAR, points, next_ord, has_time, has_wall, has_epoch FROM series ORDER BY id')).getRows();
  await server.insertSeries(conn, rows.map(([id, key, run, metric, fields, points, nextOrd, hasTime, hasWall, hasEpoch]) => ({
    id: Number(id), key: String(key), run: String(run), metric: String(metric), fields: String(fields), points: Number(points), nextOrd: Number(nextOrd),
    hasTime: Boolean(hasTime), hasWall: Boolean(hasWall), hasEpoch: Boolean(hasEpoch),
  })));
  const ids = rows.map((r) => Number(r[0]));
  const file = join(tmp, 'copy.tsv');
  let points = 0;
  const SLICE = 50;
  for (let i = 0; i < ids.length; i += SLICE) {
    const lo = ids[i], hi = ids[Math.min(ids.length, i + SLICE) - 1];
    const nan = (c) => `coalesce(${c}, 'NaN'::DOUBLE)`;
    await db.run(`COPY (SELECT series, x, ord, y, ${nan('time')}, ${nan('wall')}, ${nan('epoch')}, file, 0 FROM points WHERE series BETWEEN ${lo} AND ${hi} ORDER BY series, x, ord)
      TO '${file}' (FORMAT csv, DELIMITER '\t', HEADER false)`);
    await postFile(conn.url, `INSERT INTO ${conn.database}.points (series, x, ord, y, time, wall, epoch, file, batch) FORMAT TabSeparated`, file, { insert_distributed_sync: 1 });
    points = Number((await db.runAndReadAll(`SELECT count(*) FROM points WHERE series <= ${hi}`)).getRows()[0][0]);
    log(`clickhouse copy: ${points} points (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  rmSync(file, { force: true });
  db.closeSync();
  inst.closeSync();
  return { seconds: (performance.now() - t0) / 1000, points };
}

/** `metricgl ingest --clickhouse` on files into a database of its own, whole command timed. */
export function timeIngestClickHouse(repo, conn, database, paths) {
  const args = ['ingest', '--clickhouse', conn.url, '--database', database, '--cluster', conn.cluster, ...conn.shards.flatMap((s) => ['--shard', s]), ...paths];
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [join(repo, 'bin/metricgl.mjs'), ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const m = /([\d,]+) points/.exec(out);
  const bytes = paths.reduce((a, p) => a + statSync(p).size, 0);
  return { seconds, points: m ? Number(m[1].replace(/,/g, '')) : NaN, bytes, output: out.trim().split('\n').slice(-2).join(' | ') };
}

async function text(url, sql) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(url), { method: 'POST' }, (res) => {
      let t = '';
      res.on('data', (d) => (t += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(t) : reject(new Error(t.slice(0, 300)))));
    });
    req.on('error', reject);
    req.end(sql);
  });
}

/**
 * One view's cost per shard: the view asked in process (m4QueryClickHouse) with query logging on,
 * then each shard's query_log: the time and rows read of the part it ran (the secondary query),
 * and the bytes of its result sent to the server that was asked. Median of `reps`.
 */
export async function perShardCost(server, conn, view, reps = 3) {
  const runs = [];
  for (let k = 0; k < reps; k++) {
    const id = `bench-${Date.now()}-${k}-${Math.random().toString(36).slice(2, 8)}`;
    const t0 = performance.now();
    // every shard's part as queries of its own (the asked one's too), so each is in its query_log;
    // the statement's parts that read the Distributed table each become one per shard
    await server.m4QueryClickHouse(conn, view, { log_queries: 1, prefer_localhost_replica: 0, query_id: id });
    const total = performance.now() - t0;
    const shards = [];
    for (const url of conn.shards) {
      await text(url, 'SYSTEM FLUSH LOGS');
      const row = (await text(url, `SELECT count(), max(query_duration_ms), sum(read_rows), sum(result_bytes) FROM system.query_log
        WHERE type = 2 AND is_initial_query = 0 AND initial_query_id = '${id}' FORMAT TabSeparated`)).trim().split('\t').map(Number);
      shards.push({ queries: row[0], ms: row[1], rows: row[2], resultBytes: row[3] });
    }
    runs.push({ total, shards });
  }
  runs.sort((a, b) => a.total - b.total);
  return runs[Math.floor(runs.length / 2)];
}
