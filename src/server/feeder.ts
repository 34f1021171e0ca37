/**
 * One parser over (part of) a file, its series given ids by the catalog and their points handed
 * to the store's writer as they complete: the part of an ingest both stores share (DuckDB:
 * ingest.ts, ClickHouse: clickhouse/ingest.ts).
 */
import type { FileHandle } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { createFileParser, isGzip, loaderFor, MetricTable, type FileParser, type LoadedSeries } from '../loaders/index';
import { csvHeaderLength, lastLineEnd, lastRecordEnd, readAt, type FileRow, type Plan } from './fileplan';
import type { PointBatch } from './pointbatch';
import type { SeriesCatalog } from './seriescatalog';

/** Where the points go: the DuckDB PointWriter, or the ClickHouse one. */
export interface BatchSink {
  add(b: PointBatch): void;
}

/**
 * The parse half of a feed: a file's bytes through its loader, each series' new points handed to
 * `onSeries` as pieces complete. It runs where the parse runs: in the ingest's thread (Feeder) or
 * in a parse thread (feedthread.ts), which posts the series back.
 */
export class FileFeed {
  private parser: FileParser | null = null;
  protected readonly table = new MetricTable();
  readonly warnings: string[] = [];

  constructor(
    readonly name: string,
    /** the stored runs' clock origins: event files continue them (relative time = wall - the run's first wall) */
    origins: Iterable<[string, number]>,
    protected readonly onSeries: (s: LoadedSeries) => void,
  ) {
    for (const [run, origin] of origins) this.table.runOrigin.set(run, origin);
  }

  get kind(): string {
    return this.parser?.kind ?? 'unknown';
  }

  /** the runs' clock origins now: the stored ones and those this file set */
  get runOrigins(): ReadonlyMap<string, number> {
    return this.table.runOrigin;
  }

  start(det: ReturnType<typeof loaderFor>): void {
    this.parser = createFileParser(this.name, det, { table: this.table });
  }

  /** `drain: false` for the header line fed again before an offset: it yields no points. */
  push(bytes: Uint8Array, drain = true): void {
    if (bytes.length === 0 || !this.parser) return;
    this.parser.push(bytes);
    if (drain) this.drain();
  }

  end(): void {
    this.parser?.end();
    this.drain();
    if (this.parser) this.warnings.push(...this.parser.warnings.splice(0));
  }

  private drain(): void {
    for (const s of this.table.drain()) this.onSeries(s);
  }
}

/** What a parse thread says of a file once it has read it (feedthread.ts). */
export interface ParsedFile {
  read: FileRead;
  kind: string;
  warnings: string[];
  origins: [string, number][];
}

/** A file's series into a store: the catalog gives them ids, the writer takes their points. */
export class Feeder extends FileFeed {
  /** the loader's kind, when another thread parsed the file */
  private parsedKind: string | null = null;

  constructor(
    name: string,
    private readonly catalog: SeriesCatalog,
    writer: BatchSink,
    file: number,
  ) {
    super(name, catalog.origins, (s) => writeSeries(catalog, writer, file, s));
  }

  override get kind(): string {
    return this.parsedKind ?? super.kind;
  }

  /** Series parsed by another thread, in the order it sent them. */
  take(series: readonly LoadedSeries[]): void {
    for (const s of series) this.onSeries(s);
  }

  /** The end of a file another thread parsed: its loader's kind, warnings and clock origins. */
  adopt(parsed: ParsedFile): void {
    this.parsedKind = parsed.kind;
    this.warnings.push(...parsed.warnings);
    for (const [run, origin] of parsed.origins) this.table.runOrigin.set(run, origin);
  }

  /** Runs whose clock origin this file set (event files), now in the catalog: the store saves them. */
  newOrigins(): [string, number][] {
    const out: [string, number][] = [];
    for (const [run, origin] of this.table.runOrigin) {
      if (this.catalog.origins.has(run)) continue;
      this.catalog.origins.set(run, origin);
      out.push([run, origin]);
    }
    return out;
  }
}

/** One series' new points: its catalog entry (id, counts) and the batch for the writer. */
function writeSeries(catalog: SeriesCatalog, writer: BatchSink, file: number, s: LoadedSeries): void {
  const entry = catalog.entry(s);
  writer.add({ series: entry.id, file, firstOrd: entry.nextOrd, x: s.step, y: s.value, time: s.time, wall: s.wall, epoch: s.epoch });
  entry.nextOrd += s.step.length;
  entry.points += s.step.length;
  entry.hasTime ||= s.time !== null;
  entry.hasWall ||= s.wall !== null;
  entry.hasEpoch ||= s.epoch !== null;
  entry.dirty = true;
}

/** The DuckDB store's `runs` rows for the origins a file set. */
export async function saveOrigins(db: DuckDBConnection, feed: Feeder): Promise<void> {
  for (const [run, origin] of feed.newOrigins()) await db.run('INSERT INTO runs VALUES ($1, $2)', [run, origin]);
}

/** What reading a file told: gzip or not, the offset read to (`complete`), the CSV header's length. */
export interface FileRead {
  gzip: boolean;
  complete: number;
  headLen: number;
}

/**
 * Read what `plan` says of a file into `feed`, in pieces of `chunk` bytes (a gzip file: whole).
 * From an offset, the header the file's row recorded is fed again first (it yields no points).
 * `afterPiece` runs after each piece (a writer that sends what it holds).
 */
export async function feedFile(
  fh: FileHandle, size: number, plan: Extract<Plan, { action: 'read' }>, row: FileRow | undefined, feed: FileFeed, chunk: number,
  afterPiece?: () => Promise<void>,
): Promise<FileRead> {
  const name = feed.name;
  const head = await readAt(fh, 0, Math.min(size, 65536));
  if (isGzip(head)) {
    const bytes = new Uint8Array(gunzipSync(await readAt(fh, 0, size)));
    feed.start(loaderFor(name.replace(/\.gz$/i, ''), bytes.subarray(0, 65536)));
    feed.push(bytes);
    feed.end();
    return { gzip: true, complete: size, headLen: 0 };
  }
  let headLen = 0;
  const det = loaderFor(name, row && plan.from > 0 ? await readAt(fh, 0, Math.min(row.complete, 65536)) : head);
  const text = det.kind !== 'tfevents';
  feed.start(det);
  if (plan.from > 0 && row) {
    headLen = row.headLen;
    if (headLen > 0) feed.push(await readAt(fh, 0, headLen), false);
  }
  let pos = plan.from;
  let pending = new Uint8Array(0);
  let fed = 0;
  for (;;) {
    const piece = await readAt(fh, pos, Math.min(chunk, size - pos));
    if (piece.length === 0) break;
    pos += piece.length;
    const all = concat(pending, piece);
    const cut = text ? lastLineEnd(all) : lastRecordEnd(all);
    // until the first complete line, `all` is the file from byte 0: the header is in it
    if (det.kind === 'csv' && plan.from === 0 && fed === 0) headLen = csvHeaderLength(all.subarray(0, cut));
    feed.push(all.subarray(0, cut));
    fed += cut;
    pending = all.slice(cut);
    await afterPiece?.();
  }
  feed.end();
  // a last line without its line break is not read (the loaders skip it as possibly cut off
  // mid-write): the next ingest reads it from `complete` once it is finished
  return { gzip: false, complete: pos - pending.length, headLen };
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
