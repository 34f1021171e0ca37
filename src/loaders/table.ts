/** The series of one or more files being read, by key, and handing them out. */
import { SeriesBuilder } from './builder';
import { seriesKey, type LoadedSeries } from './rows';

/** Series of one or more files, by key, in the order they were first seen. */
export class MetricTable {
  private readonly byKey = new Map<string, SeriesBuilder>();
  /** per run: wall (epoch ms) of its first point read from an event file */
  readonly runOrigin = new Map<string, number>();

  get size(): number {
    return this.byKey.size;
  }

  /** Total number of points. */
  get points(): number {
    let n = 0;
    for (const s of this.byKey.values()) n += s.n;
    return n;
  }

  get(key: string): SeriesBuilder | undefined {
    return this.byKey.get(key);
  }

  /** The builder of (run, metric, fields), created on first use. `fields` is kept, not copied. */
  series(run: string, metric: string, fields: Record<string, string>): SeriesBuilder {
    const key = seriesKey(run, metric, fields);
    let s = this.byKey.get(key);
    if (!s) {
      s = new SeriesBuilder(key, run, metric, fields);
      this.byKey.set(key, s);
    }
    return s;
  }

  builders(): SeriesBuilder[] {
    return [...this.byKey.values()];
  }

  /** The run's time origin for event files: the first wall seen, fixed from then on. */
  origin(run: string, wall: number): number {
    const o = this.runOrigin.get(run);
    if (o !== undefined) return o;
    this.runOrigin.set(run, wall);
    return wall;
  }

  /** Move every series of `other` into this table (appending to series of the same key). */
  absorb(other: MetricTable): void {
    for (const [run, o] of other.runOrigin) {
      const mine = this.runOrigin.get(run);
      if (mine === undefined || o < mine) this.runOrigin.set(run, o);
    }
    for (const s of other.byKey.values()) {
      const mine = this.byKey.get(s.key);
      if (mine) mine.absorb(s);
      else this.byKey.set(s.key, s);
    }
  }

  /** Recompute time = wall - run origin for series read from event files (after merging). */
  private retime(): void {
    for (const s of this.byKey.values()) {
      if (!s.timeFromWall || !s.wall || !s.time) continue;
      const o = this.runOrigin.get(s.run);
      if (o === undefined) continue;
      for (let i = 0; i < s.n; i++) s.time[i] = s.wall[i] - o;
    }
  }

  /** Every series, all points. */
  columns(): LoadedSeries[] {
    this.retime();
    const out: LoadedSeries[] = [];
    for (const s of this.byKey.values()) {
      if (s.n > 0) out.push(s.columns());
      s.drained = s.n;
    }
    return out;
  }

  /** The points added since the last drain, per series (series with none are left out). */
  drain(): LoadedSeries[] {
    const out: LoadedSeries[] = [];
    for (const s of this.byKey.values()) {
      if (s.n > s.drained) out.push(s.columns(s.drained));
      s.drained = s.n;
    }
    return out;
  }
}

/** The buffers of a series list, for postMessage's transfer list. */
export function transferables(series: LoadedSeries[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of series) {
    for (const c of [s.step, s.value, s.time, s.wall, s.epoch]) if (c) out.push(c.buffer as ArrayBuffer);
  }
  return out;
}
