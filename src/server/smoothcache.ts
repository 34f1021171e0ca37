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
 *
 * A live run grows at its end: an ingest whose least new step x is at or above the last x held
 * for a series (on the step column) keeps those raw columns as what they are, a prefix of the
 * series in store order, and marks them behind; `catchUp` then reads only the points from that
 * last x on (tailchunks: new points have later logged orders, so they follow the held ones) and
 * appends them. Its smoothed columns go (a window reaches back). `rewrites` counts the other
 * changes, so aggregates.ts can tell a series that only grew from one that changed.
 */
import { paramsKey, type SmoothParams } from '../smooth/params';
import { PointColumns } from '../smooth/stream';
import { seriesRuns, type PointChunk } from './pointchunk';
import type { XColumnName } from '../source/m4';

/** Points of one series on one x column, in the store's order; finite x only. */
export interface RawColumns {
  v: Float64Array;
  y: Float32Array;
}

interface Entry {
  sid: number;
  raw: RawColumns;
  /** points logged after `raw` are not in it yet (catchUp reads them) */
  behind: boolean;
  /** by paramsKey, oldest first */
  smoothed: Map<string, Float32Array>;
  bytes: number;
}

export interface Ticket {
  epoch: number;
  gens: Map<number, number>;
}

/** Points of some series from a step x on each (at x >= from.get(id)), in store order. */
export type TailChunks = (from: ReadonlyMap<number, number>) => AsyncIterable<PointChunk>;

export const DEFAULT_CACHE_BYTES = 512 << 20;
/** parameter sets kept per series: a slider drag moves on, a pan at one weight stays */
const SMOOTHED_PER_SERIES = 4;

export class SmoothCache {
  /** Map order is recency: oldest first */
  private readonly entries = new Map<string, Entry>();
  private readonly gens = new Map<number, number>();
  /** per series: changes other than points appended after those held (aggregates.ts) */
  private readonly rewritten = new Map<number, number>();
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

  /** The raw columns held for a series (null: not held, or behind), whatever smoothing is in use. */
  raw(sid: number, xColumn: XColumnName): RawColumns | null {
    const e = this.touch(`${sid}:${xColumn}`);
    return e && !e.behind ? e.raw : null;
  }

  /** How often a series changed other than by growing at its end (by an ingest this cache was told of). */
  rewrites(sid: number): number {
    return (this.rewritten.get(sid) ?? 0) + this.epoch;
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
    if (!e || e.behind) return null;
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
    this.entries.set(`${sid}:${xColumn}`, { sid, raw, behind: false, smoothed: new Map(), bytes });
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

  /**
   * Forget these series (an ingest changed their points), but for `grewFrom`'s: the least step x
   * each got, whose held step columns ending at or below it are kept, behind (see catchUp).
   */
  invalidate(sids: Iterable<number>, grewFrom: ReadonlyMap<number, number> = new Map()): void {
    const set = new Set(sids);
    for (const s of set) this.gens.set(s, (this.gens.get(s) ?? 0) + 1);
    const kept = new Set<number>();
    for (const [key, e] of [...this.entries]) {
      if (!set.has(e.sid)) continue;
      const from = grewFrom.get(e.sid), v = e.raw.v;
      if (key === `${e.sid}:x` && from !== undefined && v.length > 0 && v[v.length - 1] <= from) {
        for (const arr of e.smoothed.values()) (e.bytes -= arr.byteLength), (this.used -= arr.byteLength);
        e.smoothed.clear();
        e.behind = true;
        kept.add(e.sid);
      } else this.drop(key);
    }
    // a series not held is not known to have only grown: counted as changed
    for (const s of set) if (!kept.has(s)) this.rewritten.set(s, (this.rewritten.get(s) ?? 0) + 1);
  }

  /**
   * Bring the held step columns of `ids` that are behind up to date: one read of the points from
   * each one's last held x on (the held points at that x come first again and are skipped), then
   * held as one column again. Call before reading the cache for a view.
   */
  async catchUp(ids: readonly number[], xColumn: XColumnName, tail: TailChunks | undefined): Promise<void> {
    if (xColumn !== 'x') return;
    const behind = new Map<number, Entry>();
    for (const id of ids) {
      const e = this.entries.get(`${id}:x`);
      if (e?.behind) behind.set(id, e);
    }
    if (behind.size === 0) return;
    if (!tail) {
      for (const id of behind.keys()) this.drop(`${id}:x`);
      return;
    }
    const ticket = this.ticket([...behind.keys()]);
    const from = new Map<number, number>(), skip = new Map<number, number>();
    for (const [id, e] of behind) {
      const v = e.raw.v, last = v[v.length - 1];
      let m = 0;
      while (m < v.length && v[v.length - 1 - m] === last) m++;
      from.set(id, last);
      skip.set(id, m);
    }
    const fills = new Map([...behind.keys()].map((id) => [id, new PointColumns()]));
    for await (const piece of tail(from)) {
      this.counters.readPoints += piece.rows;
      seriesRuns(piece, (id, a, b) => {
        const left = skip.get(id) ?? 0, drop = Math.min(left, b - a);
        if (drop) skip.set(id, left - drop);
        if (b > a + drop) fills.get(id)?.add(piece.v, piece.y, null, a + drop, b);
      });
    }
    for (const [id, e] of behind) {
      const f = fills.get(id)!, old = e.raw;
      // still the entry this read was for, and nothing changed since (else it is dropped or read in full)
      if (this.entries.get(`${id}:x`) !== e || !this.fresh(ticket, id) || skip.get(id) !== 0) {
        if (this.entries.get(`${id}:x`) === e) this.drop(`${id}:x`);
        continue;
      }
      const v = new Float64Array(old.v.length + f.n), yy = new Float32Array(old.y.length + f.n);
      v.set(old.v);
      v.set(f.x.subarray(0, f.n), old.v.length);
      yy.set(old.y);
      yy.set(f.y.subarray(0, f.n), old.y.length);
      this.drop(`${id}:x`);
      this.putRaw(ticket, id, 'x', { v, y: yy });
    }
  }

  /** Forget everything (an ingest removed points of series it does not list). */
  clear(): void {
    // every series counts as rewritten (rewrites() adds the epoch)
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
