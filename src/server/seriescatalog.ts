/**
 * The `series` and `runs` tables held in memory for one ingest: a series key maps to its id, and
 * each series counts its points and the ordinal its next point gets. Saved back at the end of the
 * ingest's transaction. Thousands of series, not billions of points: a Map is the right place.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LoadedSeries } from '../loaders/index';

export interface SeriesEntry {
  id: number;
  key: string;
  run: string;
  metric: string;
  fields: Record<string, string>;
  points: number;
  nextOrd: number;
  hasTime: boolean;
  hasWall: boolean;
  hasEpoch: boolean;
  /** not yet in the table */
  fresh: boolean;
  /** changed since loaded */
  dirty: boolean;
}

export class SeriesCatalog {
  private readonly byKey = new Map<string, SeriesEntry>();
  private readonly byId = new Map<number, SeriesEntry>();
  private nextId = 0;
  /** run -> time origin (epoch ms) of runs read from event files */
  readonly origins = new Map<string, number>();

  /** A catalog of stored rows (any store's), with the runs' clock origins. */
  static of(rows: readonly Omit<SeriesEntry, 'fresh' | 'dirty'>[], origins: Iterable<[string, number]>): SeriesCatalog {
    const c = new SeriesCatalog();
    for (const r of rows) c.put({ ...r, fresh: false, dirty: false });
    for (const [run, origin] of origins) c.origins.set(run, origin);
    return c;
  }

  static async load(db: DuckDBConnection): Promise<SeriesCatalog> {
    const c = new SeriesCatalog();
    const r = await db.runAndReadAll('SELECT id, key, run, metric, fields::VARCHAR, points, next_ord, has_time, has_wall, has_epoch FROM series');
    for (const [id, key, run, metric, fields, points, nextOrd, hasTime, hasWall, hasEpoch] of r.getRows()) {
      c.put({
        id: Number(id), key: String(key), run: String(run), metric: String(metric),
        fields: JSON.parse(String(fields)) as Record<string, string>,
        points: Number(points), nextOrd: Number(nextOrd),
        hasTime: Boolean(hasTime), hasWall: Boolean(hasWall), hasEpoch: Boolean(hasEpoch), fresh: false, dirty: false,
      });
    }
    const o = await db.runAndReadAll('SELECT run, origin FROM runs');
    for (const [run, origin] of o.getRows()) c.origins.set(String(run), Number(origin));
    return c;
  }

  private put(e: SeriesEntry): void {
    this.byKey.set(e.key, e);
    this.byId.set(e.id, e);
    this.nextId = Math.max(this.nextId, e.id + 1);
  }

  /** The entry of a series id, if there is one. */
  get(id: number): SeriesEntry | undefined {
    return this.byId.get(id);
  }

  /** The entry of a loaded series, created when its key is new. */
  entry(s: LoadedSeries): SeriesEntry {
    let e = this.byKey.get(s.key);
    if (!e) {
      e = {
        id: this.nextId, key: s.key, run: s.run, metric: s.metric, fields: { ...s.fields }, points: 0, nextOrd: 0,
        hasTime: false, hasWall: false, hasEpoch: false, fresh: true, dirty: true,
      };
      this.put(e);
    }
    return e;
  }

  /** the series that lost points in this ingest */
  readonly lostPoints = new Set<number>();

  /** Delete a file's points; returns how many. */
  async removeFilePoints(db: DuckDBConnection, file: number): Promise<number> {
    const where = 'file = $1';
    const r = await db.runAndReadAll(`SELECT series, count(*)::BIGINT FROM points WHERE ${where} GROUP BY series`, [file]);
    let removed = 0;
    for (const [series, n] of r.getRows()) removed += this.lose(Number(series), Number(n));
    if (removed > 0) await db.run(`DELETE FROM points WHERE ${where}`, [file]);
    return removed;
  }

  /** `n` points of `series` are being deleted (its file was rewritten); returns n. */
  lose(series: number, n: number): number {
    this.lostPoints.add(series);
    const e = this.byId.get(series);
    if (e) {
      e.points -= n;
      e.dirty = true;
    }
    return n;
  }

  /** The entries changed since loaded or saved. */
  dirty(): SeriesEntry[] {
    return [...this.byKey.values()].filter((e) => e.dirty);
  }

  /** The entries are stored now. */
  saved(entries: readonly SeriesEntry[]): void {
    for (const e of entries) e.fresh = e.dirty = false;
  }

  async save(db: DuckDBConnection): Promise<void> {
    for (const e of this.byKey.values()) {
      if (!e.dirty) continue;
      if (!e.fresh) await db.run('DELETE FROM series WHERE id = $1', [e.id]);
      await db.run('INSERT INTO series VALUES ($1, $2, $3, $4, $5::JSON, $6, $7, $8, $9, $10)', [
        e.id, e.key, e.run, e.metric, JSON.stringify(e.fields), e.points, e.nextOrd, e.hasTime, e.hasWall, e.hasEpoch,
      ]);
      e.fresh = false;
      e.dirty = false;
    }
  }
}
