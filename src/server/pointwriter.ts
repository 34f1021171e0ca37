/**
 * Bulk insert of points from typed arrays.
 *
 * Points go through a staging table filled by DuckDB's appender straight from the typed arrays
 * (appendcolumns.ts). One
 * `INSERT ... SELECT` then moves the batch into `points`, sorted by (series, x, ord), so each
 * batch is stored sorted and zonemaps prune by series and x; absent time / wall / epoch arrive as
 * NaN and become NULL there. Logs usually arrive sorted already (one series after another, steps
 * rising), so the writer checks the order as it stages and sorts only when something came out of
 * order (a restarted run, files of one run in another order): the sort is most of an ingest's
 * DuckDB time otherwise.
 */
import { DOUBLE, FLOAT, INTEGER, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { appendColumns, CHUNK_ROWS } from './appendcolumns';
import type { WholeSeries } from './lodarrays';
import type { PointBatch } from './pointbatch';

export type { PointBatch };

const CHUNK = CHUNK_ROWS;
const COLUMNS: [string, DuckDBType][] = [
  ['series', INTEGER],
  ['x', DOUBLE],
  ['ord', DOUBLE],
  ['y', FLOAT],
  ['time', DOUBLE],
  ['wall', DOUBLE],
  ['epoch', DOUBLE],
  ['file', INTEGER],
];
const TYPES = COLUMNS.map((c) => c[1]);

/** Collects batches into the staging table; `commit` moves them into `points`, sorted. */
export class PointWriter {
  private rows = 0;
  /** (series, x) of the last staged point, and whether everything staged is in store order */
  private lastSeries = -Infinity;
  private lastX = -Infinity;
  private inOrder = true;
  private readonly scratch = {
    series: new Int32Array(CHUNK),
    ord: new Float64Array(CHUNK),
    nan: new Float64Array(CHUNK).fill(NaN),
    file: new Int32Array(CHUNK),
  };

  private constructor(
    private readonly db: DuckDBConnection,
    private readonly appender: Awaited<ReturnType<DuckDBConnection['createAppender']>>,
    /** sees every batch staged (the blocks of series that arrive whole are built from it) */
    private readonly whole: WholeSeries | null,
  ) {}

  static async open(db: DuckDBConnection, whole: WholeSeries | null = null): Promise<PointWriter> {
    // ord is staged as DOUBLE (exact to 2^53) so it can be copied from a Float64Array
    await db.run(`CREATE OR REPLACE TEMP TABLE points_staging(${COLUMNS.map(([n, t]) => `${n} ${t.toString()}`).join(', ')})`);
    return new PointWriter(db, await db.createAppender('points_staging'), whole);
  }

  get staged(): number {
    return this.rows;
  }

  /** per series staged: the least x (NaN once an x that is not finite came) */
  readonly touched = new Map<number, number>();

  add(b: PointBatch): void {
    const n = b.x.length;
    if (n > 0) this.touch(b);
    this.whole?.add(b);
    const s = this.scratch;
    if (this.inOrder && n > 0) this.inOrder = this.follows(b);
    for (let base = 0; base < n; base += CHUNK) {
      const m = Math.min(CHUNK, n - base);
      s.series.fill(b.series, 0, m);
      for (let k = 0; k < m; k++) s.ord[k] = b.firstOrd + base + k;
      s.file.fill(b.file, 0, m);
      const cols: ArrayBufferView[] = [
        s.series,
        b.x.subarray(base, base + m),
        s.ord,
        b.y.subarray(base, base + m),
        b.time ? b.time.subarray(base, base + m) : s.nan,
        b.wall ? b.wall.subarray(base, base + m) : s.nan,
        b.epoch ? b.epoch.subarray(base, base + m) : s.nan,
        s.file,
      ];
      appendColumns(this.appender, TYPES, cols, m);
    }
    this.rows += n;
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
   * last staged, with its own x non-decreasing (a NaN x is never in order: the sort places it).
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

  /** Move what was staged into `points`, sorted; returns the number of rows moved. */
  async commit(): Promise<number> {
    this.appender.flushSync();
    this.appender.closeSync();
    const nul = (c: string) => `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END`;
    await this.db.run(
      `INSERT INTO points SELECT series, x, ord::BIGINT, y, ${nul('time')}, ${nul('wall')}, ${nul('epoch')}, file
       FROM points_staging${this.inOrder ? '' : ' ORDER BY series, x, ord'}`,
    );
    await this.db.run('DROP TABLE points_staging');
    return this.rows;
  }

  /** Drop what was staged. */
  async abort(): Promise<void> {
    try {
      this.appender.closeSync();
    } finally {
      await this.db.run('DROP TABLE IF EXISTS points_staging');
    }
  }
}
