/**
 * Log files into the store, with the loaders the browser uses (same series keys, same numbers).
 *
 * Ingesting the same file again adds nothing; a grown file adds only what was appended; a
 * rewritten file replaces its own points and no others (see fileplan.ts for how each is told
 * apart). Files are read in 4 MiB pieces and parsed incrementally, so a file is never held whole
 * in memory (gzip excepted: it is decompressed whole). One call is one transaction.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loaderFor, LoadError } from '../loaders/index';
import { fingerprints, planFile, type FileRow } from './fileplan';
import { WholeSeries } from './lodarrays';
import { updateLod } from './lodbuild';
import { PointWriter } from './pointwriter';
import { concat, Feeder, saveOrigins, type FileRead } from './feeder';
import { fileParses, type PlannedRead } from './feedthread';
import { SeriesCatalog } from './seriescatalog';

export interface IngestOptions {
  /** paths are named relative to it (event files take their run from the folder name) */
  root?: string;
  /** bytes read per piece */
  chunkBytes?: number;
  /**
   * files with at least this many bytes to read are parsed in a parse thread (feedthread.ts)
   * while this one writes; default 8 MiB (starting the thread costs ~50 ms); Infinity: never
   */
  threadBytes?: number;
}

export interface IngestResult {
  /** files read (new, grown or rewritten); unchanged files are not counted */
  files: number;
  /** points added */
  points: number;
  /** points removed (of rewritten files) */
  removed: number;
  seconds: number;
  warnings: string[];
  /** files that could not be read at all, `path: why` */
  errors: string[];
  /** the files were parsed in a parse thread (feedthread.ts), not in the ingest's own */
  parseThread?: boolean;
  /**
   * series that got points and lost none, each with the least step x it got (finite): where a
   * server's held columns of it end at or below that x, the new points only follow them
   * (smoothcache.ts keeps them and reads the rest). Absent: no ingest of this kind tells.
   */
  grewFrom?: [series: number, leastX: number][];
}

const CHUNK = 4 << 20;
/** bytes to read from which an ingest parses in a parse thread (IngestOptions.threadBytes) */
export const THREAD_BYTES = 8 << 20;

export async function ingestFiles(db: DuckDBConnection, paths: string[], opts: IngestOptions = {}): Promise<IngestResult> {
  const result: IngestResult = { files: 0, points: 0, removed: 0, seconds: 0, warnings: [], errors: [] };
  return ingestTransaction(db, result, async (catalog, writer) => {
    const files = await loadFiles(db);
    const planned = await planFiles(paths, files, opts);
    const parses = fileParses(planned, catalog.origins, opts.chunkBytes ?? CHUNK, opts.threadBytes ?? THREAD_BYTES);
    result.parseThread = parses.threaded;
    try {
      for (const [i, p] of planned.entries()) {
        try {
          const read = await ingestOne(db, p, files, catalog, writer, (feed, fh) => parses.parse(i, feed, fh));
          result.files++;
          result.removed += read.removed;
          result.warnings.push(...read.warnings);
        } catch (e) {
          if (!(e instanceof LoadError)) throw e;
          result.errors.push(e.message);
        }
      }
    } finally {
      await parses.close();
    }
  });
}

/**
 * Text posted to the server (POST /api/ingest), read as a file named `name` would be (the name
 * picks the loader and, for rows that name no run, the run). Each post is a file of its own in
 * `files` (path `post:<id>:<name>`, never a path on disk, so no later ingest rereads or
 * replaces it). A text body's missing last line break is added: the body is complete.
 */
export async function ingestBytes(db: DuckDBConnection, name: string, bytes: Uint8Array): Promise<IngestResult> {
  const result: IngestResult = { files: 1, points: 0, removed: 0, seconds: 0, warnings: [], errors: [] };
  const det = loaderFor(name, bytes.subarray(0, 65536)); // LoadError: not a format the loaders read
  if (det.kind !== 'tfevents' && bytes.length > 0 && bytes[bytes.length - 1] !== 10) bytes = concat(bytes, new Uint8Array([10]));
  let id = 0;
  let kind = '';
  return ingestTransaction(
    db,
    result,
    async (catalog, writer) => {
      const r = await db.runAndReadAll('SELECT coalesce(max(id) + 1, 0) FROM files');
      id = Number(r.getRows()[0][0]);
      const feed = new Feeder(name, catalog, writer, id);
      feed.start(det);
      feed.push(bytes);
      feed.end();
      await saveOrigins(db, feed);
      kind = feed.kind;
      result.warnings.push(...feed.warnings);
    },
    // its `files` row records the points the writer committed
    (points) =>
      db.run(`INSERT INTO files VALUES ($1, $2, $3, false, $4, $4, 0, '', '', $5, $6, now())`, [
        id, `post:${id}:${name}`, kind, bytes.length, points, result.warnings.length,
      ]).then(() => undefined),
  );
}

/**
 * One ingest as one transaction: `body` reads into the series catalog and a point writer; then the
 * points are committed (`recorded` sees how many), the catalog saved, and the transaction
 * committed — or, on any error, nothing of it stays.
 */
async function ingestTransaction(
  db: DuckDBConnection,
  result: IngestResult,
  body: (catalog: SeriesCatalog, writer: PointWriter) => Promise<void>,
  recorded?: (points: number) => Promise<void>,
): Promise<IngestResult> {
  const t0 = performance.now();
  await db.run('BEGIN TRANSACTION');
  let writer: PointWriter | null = null;
  try {
    const catalog = await SeriesCatalog.load(db);
    // series that arrive whole get their blocks built from the arrays (lodarrays.ts)
    const whole = new WholeSeries();
    writer = await PointWriter.open(db, whole);
    await body(catalog, writer);
    const touched = new Map(writer.touched);
    result.points = await writer.commit();
    writer = null;
    // the level-of-detail blocks follow the points in the same transaction
    // (a series that lost points is built again in full: its extents may shrink)
    for (const series of catalog.lostPoints) touched.set(series, NaN);
    result.grewFrom = [...touched].filter(([, fromX]) => Number.isFinite(fromX));
    await updateLod(db, [...touched].map(([series, fromX]) => ({ series, fromX })), whole);
    await recorded?.(result.points);
    await catalog.save(db);
    await db.run('COMMIT');
  } catch (e) {
    if (writer) await writer.abort().catch(() => undefined);
    await db.run('ROLLBACK');
    throw e;
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

async function loadFiles(db: DuckDBConnection): Promise<Map<string, FileRow>> {
  const r = await db.runAndReadAll(
    'SELECT id, path, kind, gzip, size, complete, head_len, head_hash, before_hash, points FROM files',
  );
  const out = new Map<string, FileRow>();
  for (const row of r.getRows()) {
    const [id, path, kind, gzip, size, complete, headLen, headHash, beforeHash, points] = row;
    out.set(String(path), {
      id: Number(id), path: String(path), kind: String(kind), gzip: Boolean(gzip), size: Number(size), complete: Number(complete),
      headLen: Number(headLen), headHash: String(headHash), beforeHash: String(beforeHash), points: Number(points),
    });
  }
  return out;
}

interface Read {
  removed: number;
  warnings: string[];
}

/** How a file's bytes reach its feed: parsed in this thread, or in the parse thread. */
type Parse = (feed: Feeder, fh: FileHandle) => Promise<FileRead>;

/** The files to read, in the order given (each path once; unchanged files left out). */
async function planFiles(paths: string[], files: Map<string, FileRow>, opts: IngestOptions): Promise<PlannedRead[]> {
  const out: PlannedRead[] = [];
  for (const path of new Set(paths)) {
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const row = files.get(path);
      const plan = await planFile(fh, size, row);
      if (plan.action === 'skip') continue;
      out.push({ path, name: opts.root ? relative(opts.root, path) : path, size, plan, row });
    } finally {
      await fh.close();
    }
  }
  return out;
}

async function ingestOne(
  db: DuckDBConnection, p: PlannedRead, files: Map<string, FileRow>, catalog: SeriesCatalog, writer: PointWriter, parse: Parse,
): Promise<Read> {
  const { path, size, plan, row } = p;
  const fh = await open(path, 'r');
  try {
    const id = row?.id ?? Math.max(0, ...[...files.values()].map((f) => f.id + 1));
    let removed = 0;
    if (plan.replace === 'all') removed = await catalog.removeFilePoints(db, id);
    const before = writer.staged;
    const feed = new Feeder(p.name, catalog, writer, id);
    const { gzip, complete, headLen } = await parse(feed, fh);
    await saveOrigins(db, feed);
    const fp = await fingerprints(fh, complete);
    // points of the file now: what it kept (a grown file keeps all) plus what was read
    const kept = row && plan.replace === 'none' ? row.points : 0;
    const points = kept + writer.staged - before;
    if (row) await db.run('DELETE FROM files WHERE id = $1', [id]);
    await db.run(
      `INSERT INTO files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())`,
      [id, path, feed.kind, gzip, size, complete, headLen, fp.headHash, fp.beforeHash, points, feed.warnings.length],
    );
    files.set(path, { id, path, kind: feed.kind, gzip, size, complete, headLen, ...fp, points });
    return { removed, warnings: feed.warnings };
  } finally {
    await fh.close();
  }
}
