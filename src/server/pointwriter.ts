/**
 * Bulk insert of points from typed arrays.
 *
 * Points are stored sorted by (series, x, ord) within each ingest, so zonemaps prune by series
 * and x. Logs usually arrive in that order already (one series after another, steps rising): the
 * writer checks each batch as it comes and appends it straight into `points` with DuckDB's
 * appender (appendcolumns.ts: raw memory, absent time / wall / epoch and NaN ones as NULL through
 * the validity mask). From the first batch out of order on (a restarted run, files of one run in
 * another order) batches go, written the same way, to a staging table made like `points`, and
 * `commit` moves those into `points` with one sorted `INSERT ... SELECT`. Staging everything cost a second copy of every point (~1 s
 * for 5e6 points here, a third of an ingest's DuckDB time); the sort stays where it is needed.
 * Both appenders live inside the ingest's transaction: a rollback leaves nothing of either.
 */
import { BIGINT, DOUBLE, FLOAT, INTEGER, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { appendColumns, CHUNK_ROWS } from './appendcolumns';
import type { WholeSeries } from './lodarrays';
import type { PointBatch } from './pointbatch';

export type { PointBatch };

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;
const CHUNK = CHUNK_ROWS;
/** `points`' columns, in its order (schema.ts); the staging table is made like it */
const STORED: DuckDBType[] = [INTEGER, DOUBLE, BIGINT, FLOAT, DOUBLE, DOUBLE, DOUBLE, INTEGER];
const TWO32 = 2 ** 32;

/** Writes batches into `points` (in order) or the staging table (the rest); `commit` ends both. */
export class PointWriter {
  private rows = 0;
  private stagedRows = 0;
  /** (series, x) of the last point appended straight into `points` */
  private lastSeries = -Infinity;
  private lastX = -Infinity;
  /** every batch so far went straight into `points` */
  private inOrder = true;
  private readonly scratch = {
    series: new Int32Array(CHUNK),
    ord64: new BigInt64Array(CHUNK),
    nan: new Float64Array(CHUNK).fill(NaN),
    file: new Int32Array(CHUNK),
    /** validity masks of time, wall, epoch */
    valid: [new Uint8Array(CHUNK / 8), new Uint8Array(CHUNK / 8), new Uint8Array(CHUNK / 8)],
  };
  private readonly ordWords = new Int32Array(this.scratch.ord64.buffer);

  private constructor(
    private readonly db: DuckDBConnection,
    private readonly direct: Appender,
    private readonly staging: Appender,
    /** sees every batch (the blocks of series that arrive whole are built from it) */
    private readonly whole: WholeSeries | null,
  ) {}

  static async open(db: DuckDBConnection, whole: WholeSeries | null = null): Promise<PointWriter> {
    await db.run('CREATE OR REPLACE TEMP TABLE points_staging AS SELECT * FROM points LIMIT 0');
    return new PointWriter(db, await db.createAppender('points'), await db.createAppender('points_staging'), whole);
  }

  /** points written so far */
  get staged(): number {
    return this.rows;
  }

  /** per series written: the least x (NaN once an x that is not finite came) */
  readonly touched = new Map<number, number>();

  add(b: PointBatch): void {
    const n = b.x.length;
    if (n > 0) this.touch(b);
    this.whole?.add(b);
    if (n === 0) return;
    if (this.inOrder) this.inOrder = this.follows(b);
    for (let base = 0; base < n; base += CHUNK) this.append(this.inOrder ? this.direct : this.staging, b, base, Math.min(CHUNK, n - base));
    this.rows += n;
    if (!this.inOrder) this.stagedRows += n;
  }

  /** Rows [base, base + m) of b, as `points` stores them, into `to` (points, or the staging table). */
  private append(to: Appender, b: PointBatch, base: number, m: number): void {
    const s = this.scratch;
    s.series.fill(b.series, 0, m);
    const w = this.ordWords; // little-endian int64 as two 32-bit words (no BigInt per point)
    for (let k = 0; k < m; k++) {
      const o = b.firstOrd + base + k;
      w[2 * k] = o % TWO32 | 0;
      w[2 * k + 1] = Math.floor(o / TWO32);
    }
    s.file.fill(b.file, 0, m);
    const time = this.nullable(b.time, base, m, 0);
    const wall = this.nullable(b.wall, base, m, 1);
    const epoch = this.nullable(b.epoch, base, m, 2);
    appendColumns(to, STORED, [s.series, b.x.subarray(base, base + m), s.ord64, b.y.subarray(base, base + m), time, wall, epoch, s.file], m, [
      null, null, null, null, s.valid[0], s.valid[1], s.valid[2], null,
    ]);
  }

  /** A column that stores NaN (or its absence) as NULL: its rows and, in `valid[slot]`, their mask. */
  private nullable(a: Float64Array | null, base: number, m: number, slot: number): Float64Array {
    const mask = this.scratch.valid[slot];
    mask.fill(0);
    if (!a) return this.scratch.nan;
    const rows = a.subarray(base, base + m);
    for (let k = 0; k < m; k++) if (rows[k] === rows[k]) mask[k >> 3] |= 1 << (k & 7);
    return rows;
  }

  private touch(b: PointBatch): void {
    let least = this.touched.get(b.series) ?? Infinity;
    for (let i = 0; i < b.x.length && least === least; i++) {
      const x = b.x[i];
      least = x - x !== 0 ? NaN : Math.min(least, x);
    }
    this.touched.set(b.series, least);
  }

  /**
   * Whether batch `b` continues store order: a later series, or the same one at x not below the
   * last written, with its own x non-decreasing (a NaN x is never in order: the sort places it).
   */
  private follows(b: PointBatch): boolean {
    const x = b.x;
    let prev = b.series === this.lastSeries ? this.lastX : b.series > this.lastSeries ? -Infinity : NaN;
    for (let i = 0; i < x.length; i++) {
      if (!(x[i] >= prev)) return false;
      prev = x[i];
    }
    this.lastSeries = b.series;
    this.lastX = prev;
    return true;
  }

  /** End both appenders and move what was staged into `points`, sorted; returns the rows written. */
  async commit(): Promise<number> {
    this.direct.flushSync();
    this.direct.closeSync();
    this.staging.flushSync();
    this.staging.closeSync();
    if (this.stagedRows > 0) {
      await this.db.run('INSERT INTO points SELECT * FROM points_staging ORDER BY series, x, ord');
    }
    await this.db.run('DROP TABLE points_staging');
    return this.rows;
  }

  /** Drop what was written (the transaction's rollback undoes what reached `points`). */
  async abort(): Promise<void> {
    try {
      this.direct.closeSync();
    } catch {
      // an appender that failed mid-chunk may refuse to close; the rollback discards its rows
    }
    try {
      this.staging.closeSync();
    } finally {
      await this.db.run('DROP TABLE IF EXISTS points_staging');
    }
  }
}
