/**
 * `metricgl ingest` and `metricgl serve` (bin/metricgl.mjs runs the built copy, dist-server/cli.js).
 * `main` returns the exit status and leaves the process to the caller, so tests can run it too.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listLogFiles } from '../node/tail.mjs';
import { tables, type ClickHouseConn } from './clickhouse/conn';
import { ingestFilesClickHouse } from './clickhouse/ingest';
import { ingestFiles, type IngestResult } from './ingest';
import { startSourceServer } from './http';
import { M4_PATHS, type M4Path } from './duckdbbackend';
import { buildLodFile } from './lodbuild';
import { buildStepFiles } from './stepfiles';
import { openStore } from './schema';

export const USAGE = `usage:
  metricgl ingest --db FILE PATH...    read CSV / JSON Lines / tfevents files (folders: recursively)
                                        into the DuckDB store FILE (created when missing); again:
                                        reads only what is new
  metricgl ingest --clickhouse URL [--database D] [--cluster C --shard URL...] PATH...
                                        the same into ClickHouse (tables created when missing)
  metricgl lod --db FILE               build the level-of-detail blocks of every series in FILE
                                        (ingest keeps them up to date; for files written otherwise)
                                        and its step files (FILE.steps/; serve keeps them up to date)
  metricgl serve --db FILE [options]   the HTTP API over FILE (and the explorer, when built)
  metricgl serve --clickhouse URL [--database D] [--cluster C --shard URL...] [options]
                                        the same over a ClickHouse server or cluster
      --logdir DIR      watch DIR and ingest what training scripts append to it
      --port N          default 5180; 0: any free port
      --host H          default 127.0.0.1 (loopback only)
      --cors ORIGIN     a page of ORIGIN (e.g. http://localhost:3000) may call the API; repeatable
      --static DIR      the explorer build to serve at / (default: dist-demo/ of this package, if built)
      --threads N       DuckDB worker threads (default: one per core)
      --m4 PATH         how views are computed: steps (default: from the step files beside FILE,
                        the blocks for the series they do not hold yet), lod (from the blocks),
                        naive (from the points only)
  ClickHouse:
      --clickhouse URL  the server queries go to (http://host:8123); credentials from the
                        environment: METRICGL_CLICKHOUSE_USER, METRICGL_CLICKHOUSE_PASSWORD
      --database D      default metricgl
      --cluster C       spread points over cluster C (remote_servers): a Distributed table over
                        each shard's table, sharded by series
      --shard URL       each shard's HTTP address, in the cluster's shard order (repeat; needed
                        with --cluster: tables and series copies are written to every shard)
      --query-timeout S a view or hover query fails after S seconds (default 60)
  metricgl --help`;

interface Args {
  command: string;
  paths: string[];
  flags: Map<string, string[]>;
}

const VALUED = new Set(['db', 'logdir', 'port', 'host', 'cors', 'static', 'threads', 'm4', 'clickhouse', 'database', 'cluster', 'shard', 'query-timeout']);

function parseArgs(argv: string[]): Args {
  const first = argv[0] ?? '';
  const [command, rest] = first.startsWith('-') ? ['', argv] : [first, argv.slice(1)];
  const out: Args = { command, paths: [], flags: new Map() };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '-h') {
      out.command = 'help';
      continue;
    }
    if (!a.startsWith('--')) {
      out.paths.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (name === 'help') {
      out.command = 'help';
      continue;
    }
    if (!VALUED.has(name)) throw new UsageError(`unknown option ${a}`);
    const value = eq >= 0 ? a.slice(eq + 1) : rest[++i];
    if (value === undefined) throw new UsageError(`${a} needs a value`);
    out.flags.set(name, [...(out.flags.get(name) ?? []), value]);
  }
  return out;
}

class UsageError extends Error {}

const one = (a: Args, name: string): string | undefined => a.flags.get(name)?.at(-1);

function intFlag(a: Args, name: string, min: number, max: number): number | undefined {
  const v = one(a, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} ${v}: an integer from ${min} to ${max}`);
  return n;
}

function dbOf(a: Args): string {
  const db = one(a, 'db');
  if (!db) throw new UsageError('--db FILE is required (the DuckDB store)');
  return resolve(db);
}

/** The ClickHouse store named by --clickhouse and its options; null with --db. */
function clickhouseOf(a: Args): ClickHouseConn | null {
  const url = one(a, 'clickhouse');
  const chOnly = ['database', 'cluster', 'shard', 'query-timeout'].filter((f) => a.flags.has(f));
  if (!url) {
    if (chOnly.length) throw new UsageError(`--${chOnly[0]} goes with --clickhouse URL`);
    return null;
  }
  if (a.flags.has('db')) throw new UsageError('--db and --clickhouse: name one store');
  const checkUrl = (u: string, flag: string) => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UsageError(`--${flag} ${u}: not a URL (http://host:8123)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--${flag} ${u}: http:// or https://`);
    if (parsed.username || parsed.password) throw new UsageError(`--${flag}: no credentials in the URL; set METRICGL_CLICKHOUSE_USER and METRICGL_CLICKHOUSE_PASSWORD`);
    return u.replace(/\/+$/, '');
  };
  const conn: ClickHouseConn = { url: checkUrl(url, 'clickhouse'), database: one(a, 'database') ?? 'metricgl' };
  const cluster = one(a, 'cluster');
  const shards = (a.flags.get('shard') ?? []).map((u) => checkUrl(u, 'shard'));
  if (cluster !== undefined) {
    if (shards.length === 0) throw new UsageError('--cluster needs --shard URL for every shard (ClickHouse 18.16 has no ON CLUSTER without ZooKeeper)');
    conn.cluster = cluster;
    conn.shards = shards;
  } else if (shards.length) throw new UsageError('--shard goes with --cluster C');
  const timeout = intFlag(a, 'query-timeout', 1, 86_400);
  if (timeout !== undefined) conn.queryTimeoutMs = timeout * 1000;
  try {
    tables(conn); // the names are identifiers
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return conn;
}

const storeName = (ch: ClickHouseConn) => `ClickHouse ${ch.url} database ${ch.database}${ch.cluster ? ` cluster ${ch.cluster} (${ch.shards!.length} shards)` : ''}`;

/** A store another process holds (a running `metricgl serve`) is refused by DuckDB's file lock. */
function storeError(db: string, e: unknown): string {
  const m = (e as Error).message ?? String(e);
  if (/lock/i.test(m)) return `${db} is in use by another process (a running metricgl serve?): POST files to its /api/ingest or give it --logdir`;
  return `${db}: ${m}`;
}

async function ingest(a: Args, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const ch = clickhouseOf(a);
  const db = ch ? null : dbOf(a);
  if (a.paths.length === 0) throw new UsageError('ingest: name the files or folders to read');
  const threads = intFlag(a, 'threads', 1, 1024);
  let store: { ingest(paths: string[], root: string | undefined): Promise<IngestResult>; close(): void };
  if (ch) {
    store = { ingest: (paths, root) => ingestFilesClickHouse(ch, paths, { root }), close: () => undefined };
  } else {
    try {
      const s = await openStore(db!, { threads });
      store = { ingest: (paths, root) => ingestFiles(s.db, paths, { root }), close: () => s.close() };
    } catch (e) {
      err(`metricgl ingest: ${storeError(db!, e)}`);
      return 1;
    }
  }
  const t0 = performance.now();
  let files = 0, points = 0, removed = 0, warnings = 0, failed = 0;
  try {
    // files named one by one go in together (one transaction: the parse thread runs over all of
    // them, and 100 files of 1e5 points took twice as long one transaction each); a folder goes
    // in on its own, its run names relative to it (as serve --logdir DIR names them)
    const groups: { list: string[]; root: string | undefined }[] = [];
    for (const p of a.paths) {
      const abs = resolve(p);
      const st = await stat(abs).catch(() => null);
      if (!st) {
        err(`${p}: no such file or folder`);
        failed++;
        continue;
      }
      if (!st.isDirectory()) {
        const last = groups[groups.length - 1];
        if (last && last.root === undefined) last.list.push(abs);
        else groups.push({ list: [abs], root: undefined });
        continue;
      }
      const list = (await listLogFiles(abs, { gzip: true })).map((f) => f.abs);
      if (list.length === 0) err(`${p}: no CSV, JSON Lines or tfevents files in it`);
      else groups.push({ list, root: abs });
    }
    for (const { list, root } of groups) {
      let r: IngestResult;
      try {
        r = await store.ingest(list, root);
      } catch (e) {
        if (!ch) throw e;
        // a ClickHouse that refuses or is gone: its message names the query, no stack
        err(`metricgl ingest: ${storeName(ch)}: ${(e as Error).message}`);
        return 1;
      }
      files += r.files;
      points += r.points;
      removed += r.removed;
      warnings += r.warnings.length;
      for (const w of r.warnings) err(`warning: ${w}`);
      for (const e of r.errors) err(`not read: ${e}`);
    }
  } finally {
    store.close();
  }
  const s = (performance.now() - t0) / 1000;
  const rate = s > 0 ? Math.round(points / s) : 0;
  out(`ingested ${files} files: ${points} points in ${s.toFixed(2)} s (${rate} points/s)${removed ? `, ${removed} replaced` : ''}, ${warnings} warnings`);
  return failed > 0 ? 1 : 0;
}

async function lod(a: Args, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const db = dbOf(a);
  if (!existsSync(db)) throw new UsageError(`lod: ${db} does not exist`);
  try {
    const threads = intFlag(a, 'threads', 1, 1024);
    const r = await buildLodFile(db, { threads });
    out(`level-of-detail blocks for ${r.series} series in ${r.seconds.toFixed(1)} s`);
    const s = await buildStepFiles(db, { threads });
    out(`step files for ${s.series} series (${s.points} points written) in ${s.seconds.toFixed(1)} s`);
    return 0;
  } catch (e) {
    err(`metricgl lod: ${storeError(db, e)}`);
    return 1;
  }
}

function defaultStatic(): string | null {
  // dist-server/cli.js -> the package's dist-demo/
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist-demo');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

async function serve(a: Args, out: (s: string) => void, err: (s: string) => void, signals: boolean): Promise<number> {
  const ch = clickhouseOf(a);
  const db = ch ? undefined : dbOf(a);
  const logdir = one(a, 'logdir');
  if (logdir && !(await stat(logdir).catch(() => null))?.isDirectory()) throw new UsageError(`--logdir ${logdir}: not a folder`);
  const m4 = (one(a, 'm4') ?? 'steps') as M4Path;
  if (!M4_PATHS.includes(m4)) throw new UsageError(`--m4 ${m4}: ${M4_PATHS.join(', ')}`);
  let server;
  try {
    server = await startSourceServer({
      db, clickhouse: ch ?? undefined, logdir: logdir ?? null, port: intFlag(a, 'port', 0, 65535) ?? 5180, host: one(a, 'host'), cors: a.flags.get('cors') ?? [],
      staticRoot: one(a, 'static') ?? defaultStatic(), threads: intFlag(a, 'threads', 1, 1024), m4, warn: err,
    });
  } catch (e) {
    err(`metricgl serve: ${ch ? `${storeName(ch)}: ${(e as Error).message}` : storeError(db!, e)}`);
    return 1;
  }
  out(`metricgl serve: ${server.url}/ (store ${ch ? storeName(ch) : db}${logdir ? `, watching ${resolve(logdir)}` : ''})`);
  if (!signals) return 0;
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(() => (out('metricgl serve: stopped'), done()));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** Run one command line; the exit status. `signals`: serve until SIGINT / SIGTERM (false: return once listening). */
export async function main(argv: string[], io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) }, signals = true): Promise<number> {
  try {
    const a = parseArgs(argv);
    if (a.command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (a.command === '') throw new UsageError('name a command: ingest, lod or serve');
    if (a.command === 'ingest') return await ingest(a, io.out, io.err);
    if (a.command === 'serve') return await serve(a, io.out, io.err, signals);
    if (a.command === 'lod') return await lod(a, io.out, io.err);
    throw new UsageError(`unknown command ${JSON.stringify(a.command)}`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`metricgl: ${e.message}\n${USAGE}`);
    return 2;
  }
}
