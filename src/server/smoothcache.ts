/**
 * What smoothview.ts keeps between views, in the server process: per (series, x column) the raw
 * points in the store's order (x as float64, y as float32: 12 bytes a point), and per smoothing
 * parameters (smooth/params.ts paramsKey: mode and what it depends on) the smoothed y of those points (float32: 4 bytes a point).
 *
 * Why both: a pan or zoom at the same weight reuses the smoothed column (an M4 pass over the
 * points in view, nothing smoothed); a slider move (a new weight) smooths again every point of
 * every series, but from the raw columns held here, so DuckDB is not read again. Only a series not
 * held (first view, evicted, or changed by an ingest) is streamed out of DuckDB.
 *
 * One LRU over series entries, bounded by bytes; each entry keeps its last few parameter sets. An
 * ingest invalidates the series it changed. A fill that read DuckDB before an invalidation of its
 * series must not be stored after it (its points are the old ones): fills carry a ticket of the
 * series' generations taken before reading, and `put` drops a fill whose ticket is stale.
 */
import { paramsKey, type SmoothParams } from '../smooth/params';
import type { XColumnName } from '../source/m4';

/** Points of one series on one x column, in the store's order; finite x only. */
export interface RawColumns {
  v: Float64Array;
  y: Float32Array;
}

interface Entry {
  sid: number;
  raw: RawColumns;
  /** by paramsKey, oldest first */
  smoothed: Map<string, Float32Array>;
  bytes: number;
}

export interface Ticket {
  epoch: number;
  gens: Map<number, number>;
}

export const DEFAULT_CACHE_BYTES = 512 << 20;
/** parameter sets kept per series: a slider drag moves on, a pan at one weight stays */
const SMOOTHED_PER_SERIES = 4;

export class SmoothCache {
  /** Map order is recency: oldest first */
  private readonly entries = new Map<string, Entry>();
  private readonly gens = new Map<number, number>();
  private epoch = 0;
  private used = 0;
  /** what was done, for tests and timings: points streamed out of DuckDB, points smoothed */
  readonly counters = { readPoints: 0, smoothedPoints: 0 };

  constructor(readonly maxBytes = DEFAULT_CACHE_BYTES) {}

  /** The largest series held: bigger ones are streamed and smoothed for each view, never held. */
  get maxEntryBytes(): number {
    return this.maxBytes / 4;
  }

  get bytes(): number {
    return this.used;
  }

  ticket(sids: readonly number[]): Ticket {
    return { epoch: this.epoch, gens: new Map(sids.map((s) => [s, this.gens.get(s) ?? 0])) };
  }

  /** Whether nothing of the ticket's series changed since it was taken (aggregates.ts keeps results by it). */
  isFresh(t: Ticket): boolean {
    for (const sid of t.gens.keys()) if (!this.fresh(t, sid)) return false;
    return true;
  }

  /** The raw columns held for a series (null: not held), whatever smoothing is in use. */
  raw(sid: number, xColumn: XColumnName): RawColumns | null {
    return this.touch(`${sid}:${xColumn}`)?.raw ?? null;
  }

  private fresh(t: Ticket, sid: number): boolean {
    return t.epoch === this.epoch && (t.gens.get(sid) ?? -1) === (this.gens.get(sid) ?? 0);
  }

  private touch(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  /** The raw columns held and the smoothed y for `params` (null: not computed yet). */
  get(sid: number, xColumn: XColumnName, params: SmoothParams): { raw: RawColumns; smoothed: Float32Array | null } | null {
    const e = this.touch(`${sid}:${xColumn}`);
    if (!e) return null;
    const k = paramsKey(params);
    const s = e.smoothed.get(k) ?? null;
    if (s) {
      e.smoothed.delete(k);
      e.smoothed.set(k, s);
    }
    return { raw: e.raw, smoothed: s };
  }

  /** Hold raw columns read under `ticket` (dropped when stale or too big). */
  putRaw(t: Ticket, sid: number, xColumn: XColumnName, raw: RawColumns): void {
    const bytes = raw.v.byteLength + raw.y.byteLength;
    if (!this.fresh(t, sid) || bytes > this.maxEntryBytes) return;
    this.drop(`${sid}:${xColumn}`);
    this.entries.set(`${sid}:${xColumn}`, { sid, raw, smoothed: new Map(), bytes });
    this.used += bytes;
    this.evict();
  }

  /** Hold a smoothed y beside the raw columns it was computed from (only if they are still held). */
  putSmoothed(t: Ticket, sid: number, xColumn: XColumnName, params: SmoothParams, raw: RawColumns, s: Float32Array): void {
    const e = this.entries.get(`${sid}:${xColumn}`);
    if (!e || e.raw !== raw || !this.fresh(t, sid)) return;
    const k = paramsKey(params);
    const old = e.smoothed.get(k);
    if (old) (e.smoothed.delete(k), (e.bytes -= old.byteLength), (this.used -= old.byteLength));
    e.smoothed.set(k, s);
    e.bytes += s.byteLength;
    this.used += s.byteLength;
    while (e.smoothed.size > SMOOTHED_PER_SERIES) {
      const [oldest, arr] = e.smoothed.entries().next().value as [string, Float32Array];
      e.smoothed.delete(oldest);
      e.bytes -= arr.byteLength;
      this.used -= arr.byteLength;
    }
    this.evict();
  }

  /** Forget these series (an ingest changed their points). */
  invalidate(sids: Iterable<number>): void {
    const set = new Set(sids);
    for (const s of set) this.gens.set(s, (this.gens.get(s) ?? 0) + 1);
    for (const [key, e] of [...this.entries]) if (set.has(e.sid)) this.drop(key);
  }

  /** Forget everything (an ingest removed points of series it does not list). */
  clear(): void {
    this.epoch++;
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.used -= e.bytes;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.used <= this.maxBytes) break;
      this.drop(key);
    }
  }
}
