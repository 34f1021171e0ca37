/**
 * Log files into a ClickHouse store: the DuckDB ingest (server/ingest.ts) with the same loaders,
 * the same file plan (fileplan.ts: a file again adds nothing, a grown one only what is new, a
 * rewritten one replaces its own points) and the same series keys and ordinals, writing through
 * the Distributed table to each series' shard.
 *
 * ClickHouse (18.16) has no transactions, so an ingest that stops midway (the process killed, a
 * shard gone) must be undone by the next. Each ingest has a batch number, stamped on every point
 * it inserts. Before it inserts any, it writes the `files` row of every file it will read with
 * `pending` = that batch; at the end it writes the series rows, then the files rows with pending
 * 0. The next ingest finds a pending batch, deletes its points (and takes them off the series
 * rows that had already counted them), and reads those files again from where they were
 * complete: no point is lost or stored twice.
 *
 * One ingest at a time per store: the server queues its own (backend.ts), but nothing stops a
 * second process (a `metricgl ingest` beside a `serve --logdir` on the same database) from
 * taking the other's batch for an unfinished one. DuckDB's file lock refuses that case; here it
 * is the operator's to avoid (said in the README).
 */
import { open } from 'node:fs/promises';
import { relative } from 'node:path';
import { loaderFor, LoadError } from '../../loaders/index';
import { concat, Feeder } from '../feeder';
import { fileParses } from '../feedthread';
import { fingerprints, planFile, type Plan } from '../fileplan';
import { THREAD_BYTES, type IngestOptions, type IngestResult } from '../ingest';
import type { PointBatch } from '../pointbatch';
import type { SeriesCatalog } from '../seriescatalog';
import { deletePoints, loadCatalog, loadFiles, saveCatalog, saveFiles, saveOrigins, type ClickHouseFileRow } from './catalog';
import { tables, type ClickHouseConn } from './conn';
import { query } from './http';
import { insertPoints } from './insert';
import { decodeRowBinary } from './rowbinary';
import { createClickHouseSchema } from './schema';

const CHUNK = 4 << 20;
/** points held before they are sent (~100 MB of arrays) */
const FLUSH_POINTS = 4 << 20;

/** Collects the feeder's batches and inserts them tagged with the ingest's batch number. */
class ClickHouseWriter {
  private held: PointBatch[] = [];
  private heldPoints = 0;
  staged = 0;

  constructor(private readonly conn: ClickHouseConn, private readonly batch: number, private readonly flushAt = FLUSH_POINTS) {}

  add(b: PointBatch): void {
    if (b.x.length === 0) return;
    this.held.push(b);
    this.heldPoints += b.x.length;
    this.staged += b.x.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.heldPoints >= this.flushAt) await this.flush();
  }

  async flush(): Promise<void> {
    const held = this.held;
    this.held = [];
    this.heldPoints = 0;
    if (held.length) await insertPoints(this.conn, held, this.batch);
  }
}

/** A batch number no other ingest has: the time in µs, plus a random low part. */
const newBatch = () => Date.now() * 1000 + Math.floor(Math.random() * 1000);

interface Session {
  conn: ClickHouseConn;
  catalog: SeriesCatalog;
  files: Map<string, ClickHouseFileRow>;
  writer: ClickHouseWriter;
  batch: number;
  result: IngestResult;
}

export interface ClickHouseIngestOptions extends IngestOptions {
  /** points held before they are sent (default ~4M) */
  flushPoints?: number;
}

/** Load the catalog and files rows, undoing any ingest that did not finish. */
async function begin(conn: ClickHouseConn, flushPoints?: number): Promise<Session> {
  await createClickHouseSchema(conn);
  const files = await loadFiles(conn);
  const catalog = await loadCatalog(conn);
  const stale = [...new Set([...files.values()].map((f) => f.pending).filter((b) => b !== 0))];
  for (const batch of stale) await undoBatch(conn, catalog, batch);
  // their files rows are as before that ingest again (what it read is gone): nothing pending
  const undone = [...files.values()].filter((f) => f.pending !== 0).map((f) => ({ ...f, pending: 0 }));
  if (undone.length) {
    await saveFiles(conn, undone, Date.now());
    for (const f of undone) files.set(f.path, f);
  }
  const batch = newBatch();
  return { conn, catalog, files, writer: new ClickHouseWriter(conn, batch, flushPoints), batch, result: { files: 0, points: 0, removed: 0, seconds: 0, warnings: [], errors: [] } };
}

/**
 * Delete the points of a batch that did not finish. Its series rows were written only if the
 * ingest got that far: a row whose next ordinal lies beyond the batch's greatest ordinal of that
 * series counted the batch, and gives its points back.
 */
async function undoBatch(conn: ClickHouseConn, catalog: SeriesCatalog, batch: number): Promise<void> {
  const t = tables(conn);
  const cols = decodeRowBinary(
    await query(conn.url, `SELECT series, count(), max(ord) FROM ${t.points} WHERE batch = ${batch} GROUP BY series`, { purpose: 'ingest', format: 'RowBinary' }),
    ['Int32', 'UInt64', 'Int64'],
  ).map((c) => c.values as Float64Array | Int32Array);
  for (let i = 0; i < cols[0].length; i++) {
    // (its next ordinal stays: a gap in ordinals orders nothing differently)
    const e = catalog.get(cols[0][i]);
    if (e && e.nextOrd > cols[2][i]) catalog.lose(e.id, cols[1][i]);
  }
  await deletePoints(conn, `batch = ${batch}`);
  await saveCatalog(conn, catalog);
}

/** Series rows, then the files rows with nothing pending: the ingest is complete. */
async function finish(s: Session, done: ClickHouseFileRow[], t0: number): Promise<IngestResult> {
  await s.writer.flush();
  s.result.points = s.writer.staged;
  await saveCatalog(s.conn, s.catalog);
  await saveFiles(s.conn, done.map((f) => ({ ...f, pending: 0 })), Date.now());
  s.result.seconds = (performance.now() - t0) / 1000;
  return s.result;
}

/** Read log files into the store at `conn` (created when missing). */
export async function ingestFilesClickHouse(conn: ClickHouseConn, paths: string[], opts: ClickHouseIngestOptions = {}): Promise<IngestResult> {
  const t0 = performance.now();
  const s = await begin(conn, opts.flushPoints);
  // plan every file first: their rows are marked pending before any point is written
  const planned: { path: string; size: number; plan: Extract<Plan, { action: 'read' }>; row: ClickHouseFileRow | undefined; id: number }[] = [];
  let nextId = Math.max(0, ...[...s.files.values()].map((f) => f.id + 1));
  for (const path of paths) {
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const row = s.files.get(path);
      const plan = await planFile(fh, size, row);
      if (plan.action === 'skip') continue;
      planned.push({ path, size, plan, row, id: row?.id ?? nextId++ });
    } finally {
      await fh.close();
    }
  }
  if (planned.length === 0) return finish(s, [], t0);
  const blank = { kind: '', gzip: false, size: 0, complete: 0, headLen: 0, headHash: '', beforeHash: '', points: 0, warnings: 0 };
  await saveFiles(conn, planned.map((p) => ({ ...(p.row ?? { ...blank, id: p.id, path: p.path }), pending: s.batch })), Date.now());
  const done: ClickHouseFileRow[] = [];
  const name = (path: string) => (opts.root ? relative(opts.root, path) : path);
  const parses = fileParses(planned.map((p) => ({ ...p, name: name(p.path) })), s.catalog.origins, opts.chunkBytes ?? CHUNK, opts.threadBytes ?? THREAD_BYTES);
  s.result.parseThread = parses.threaded;
  try {
    for (const [i, p] of planned.entries()) {
      const fh = await open(p.path, 'r');
      try {
        if (p.plan.replace === 'all') s.result.removed += await removeFilePoints(conn, s.catalog, p.id);
        const before = s.writer.staged;
        const feed = new Feeder(name(p.path), s.catalog, s.writer, p.id);
        const read = await parses.parse(i, feed, fh, () => s.writer.flushIfFull());
        await saveOrigins(conn, feed.newOrigins());
        const fp = await fingerprints(fh, read.complete);
        const kept = p.row && p.plan.replace === 'none' ? p.row.points : 0;
        done.push({
          id: p.id, path: p.path, kind: feed.kind, gzip: read.gzip, size: p.size, complete: read.complete, headLen: read.headLen, ...fp,
          points: kept + s.writer.staged - before, warnings: feed.warnings.length, pending: s.batch,
        });
        s.result.files++;
        s.result.warnings.push(...feed.warnings);
      } catch (e) {
        if (!(e instanceof LoadError)) throw e;
        s.result.errors.push(e.message);
      } finally {
        await fh.close();
      }
    }
  } finally {
    await parses.close();
  }
  return finish(s, done, t0);
}

/** Text posted to the server, read as a file named `name` (ingest.ts ingestBytes). */
export async function ingestBytesClickHouse(conn: ClickHouseConn, name: string, bytes: Uint8Array): Promise<IngestResult> {
  const t0 = performance.now();
  const det = loaderFor(name, bytes.subarray(0, 65536));
  if (det.kind !== 'tfevents' && bytes.length > 0 && bytes[bytes.length - 1] !== 10) bytes = concat(bytes, new Uint8Array([10]));
  const s = await begin(conn);
  const id = Math.max(0, ...[...s.files.values()].map((f) => f.id + 1));
  const row: ClickHouseFileRow = {
    id, path: `post:${id}:${name}`, kind: det.kind, gzip: false, size: bytes.length, complete: bytes.length, headLen: 0, headHash: '', beforeHash: '',
    points: 0, warnings: 0, pending: s.batch,
  };
  await saveFiles(conn, [row], Date.now());
  const feed = new Feeder(name, s.catalog, s.writer, id);
  feed.start(det);
  feed.push(bytes);
  feed.end();
  await saveOrigins(conn, feed.newOrigins());
  s.result.files = 1;
  s.result.warnings.push(...feed.warnings);
  return finish(s, [{ ...row, points: s.writer.staged, warnings: feed.warnings.length }], t0);
}

/** Delete a rewritten file's points; returns how many. */
async function removeFilePoints(conn: ClickHouseConn, catalog: SeriesCatalog, file: number): Promise<number> {
  const t = tables(conn);
  const cols = decodeRowBinary(
    await query(conn.url, `SELECT series, count() FROM ${t.points} WHERE file = ${file} GROUP BY series`, { purpose: 'ingest', format: 'RowBinary' }),
    ['Int32', 'UInt64'],
  ).map((c) => c.values as Float64Array | Int32Array);
  let removed = 0;
  for (let i = 0; i < cols[0].length; i++) removed += catalog.lose(cols[0][i], cols[1][i]);
  if (removed > 0) await deletePoints(conn, `file = ${file}`);
  return removed;
}
