/**
 * Aggregated groups of a server's series (option `aggregate` on source series; docs/semantics.md,
 * Aggregation), computed in the server process where the points are: each group's runs read in
 * full (rawcolumns.ts: held columns or one stream out of the store), aggregated by the worker's
 * own code (src/aggregate/align.ts) in float64, then kept here as three float32 curves over the
 * union x (line, low and high edge of the band, as the worker keeps them: aggregate/groups.ts).
 *
 * A view is then the M4 of those curves (m4build.ts, the pass smoothed views use), so the page
 * receives a few values per pixel column per group, never the runs: a spike of one run shows in
 * the min-max band at every zoom, as it does in memory. With smoothing the curves are smoothed
 * over every union x (float64 reference, into float32) and kept beside them per parameters. A
 * hover reads the same arrays (its group's union x nearest the cursor), and aggregated() the
 * whole group.
 *
 * Kept until a member changes: each entry holds the smoothing cache's ticket of its members,
 * taken before they were read; an ingest that touches one makes it stale (SmoothCache.isFresh).
 * A live run grows at its end: when every member of a stale entry only grew (the cache's
 * `rewrites` unchanged, no member shorter), the held columns are caught up with the new points
 * alone (SmoothCache.catchUp) and only the union x from the least previous last x on are
 * aggregated again (align.ts, as the worker does after appends); anything else aggregates anew.
 */
import { aggregateRuns, appendedFrom, copyAggregated, type AggParams, type Aggregated, type RunState } from '../aggregate/align';
import { loadTQuantile } from '../aggregate/tquantile';
import type { AggregatedGroup } from '../protocol/messages';
import { paramsKey } from '../smooth/params';
import { smooth, type SmoothParams } from '../smooth/reference';
import type { AggregateHoverQuery, AggregateQuery, AggregateViewQuery, GroupAt } from '../source/api';
import { checkView, logCut, type M4Result, type M4View } from '../source/m4';
import { nearestFinite } from '../store/search';
import { assemble, SeriesM4 } from './m4build';
import { rawColumns } from './rawcolumns';
import type { SmoothCache, Ticket } from './smoothcache';
import { feedHeld, type PointChunks } from './smoothview';

/** line, low edge, high edge */
type Curves = [Float32Array, Float32Array, Float32Array];

interface Entry {
  ticket: Ticket;
  /** each member's point count and SmoothCache.rewrites when read */
  runs: RunState[];
  /** what align.ts computed (the entry's own: `group`'s float64 arrays are views of it) */
  result: Aggregated;
  /** the aggregate, exactly `x.length` union x */
  group: AggregatedGroup & { lineF64: Float64Array; lowF64: Float64Array; highF64: Float64Array };
  curves: Curves;
  /** by paramsKey, oldest first */
  smoothed: Map<string, Curves>;
  bytes: number;
}

export const DEFAULT_AGGREGATE_BYTES = 256 << 20;
const SMOOTHED_PER_GROUP = 4;

/** The groups' aggregates kept between views: an LRU bounded by bytes. */
export class AggregateCache {
  private readonly entries = new Map<string, Entry>();
  private used = 0;
  /** groups aggregated (in full, or only past what grew) and curves smoothed, for tests and timings */
  readonly counters = { aggregated: 0, extended: 0, smoothed: 0 };

  constructor(readonly maxBytes = DEFAULT_AGGREGATE_BYTES) {}

  /** The entry kept for `key`: fresh, or stale (taken out: an ingest changed a member since). */
  get(key: string, cache: SmoothCache): { fresh: Entry } | { stale: Entry } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (!cache.isFresh(e.ticket)) {
      this.used -= e.bytes;
      return { stale: e };
    }
    this.entries.set(key, e);
    return { fresh: e };
  }

  put(key: string, e: Entry, cache: SmoothCache): void {
    if (!cache.isFresh(e.ticket)) return;
    const old = this.entries.get(key);
    if (old) (this.entries.delete(key), (this.used -= old.bytes));
    this.entries.set(key, e);
    this.used += e.bytes;
    this.evict();
  }

  grew(e: Entry, bytes: number): void {
    e.bytes += bytes;
    this.used += bytes;
    this.evict();
  }

  private evict(): void {
    for (const [key, e] of this.entries) {
      if (this.used <= this.maxBytes || this.entries.size === 1) break;
      this.entries.delete(key);
      this.used -= e.bytes;
    }
  }
}

/** What reads the points: the store's streams and the caches. */
export interface AggregateStores {
  points: PointChunks;
  cache: SmoothCache;
  aggregates: AggregateCache;
}

/** One group's entry: kept, or aggregated now from its members' columns. */
async function groupEntry(s: AggregateStores, sids: readonly number[], q: AggregateQuery): Promise<Entry> {
  const p: AggParams = { line: q.line, band: q.band, log: q.yScale === 'log' };
  // members in the order the chart lists them: the mean's float64 sum is taken in that order, as the worker takes it
  const key = `${q.xColumn}|${p.line}|${p.band}|${p.log}|${sids.join(',')}`;
  const kept = s.aggregates.get(key, s.cache);
  if (kept && 'fresh' in kept) return kept.fresh;
  const ticket = s.cache.ticket(sids);
  const rewrites = sids.map((sid) => s.cache.rewrites(sid));
  const raws = await rawColumns(s.points, sids, q.xColumn, s.cache);
  const runs = raws.map((c) => ({ x: c.v, y: c.y, n: c.v.length }));
  if (p.band === 'ci95') await loadTQuantile();
  const now: RunState[] = runs.map((run, k) => ({ n: run.n, rewrites: rewrites[k] }));
  const from = kept ? appendedFrom(kept.stale.runs, now, (k, i) => runs[k].x[i]) : null;
  // the stale entry may still be read by a request under way: its arrays stay as they are
  const r = aggregateRuns(runs, p, from !== null && kept ? { result: copyAggregated(kept.stale.result), fromX: from } : undefined);
  s.aggregates.counters[from !== null ? 'extended' : 'aggregated']++;
  const n = r.length;
  const lineF64 = r.line.subarray(0, n), lowF64 = r.low.subarray(0, n), highF64 = r.high.subarray(0, n);
  const group = {
    x: r.x.subarray(0, n), line: Float32Array.from(lineF64), low: Float32Array.from(lowF64), high: Float32Array.from(highF64), n: r.n.subarray(0, n),
    lineF64, lowF64, highF64,
  };
  const e: Entry = {
    ticket, runs: now, result: r, group, curves: [group.line, group.low, group.high], smoothed: new Map(),
    bytes: r.x.length * 34 + n * 12,
  };
  s.aggregates.put(key, e, s.cache);
  return e;
}

/** The entry's curves smoothed with `params` over every union x (kept per parameters). */
function smoothedCurves(s: AggregateStores, e: Entry, params: SmoothParams): Curves {
  const k = paramsKey(params);
  const kept = e.smoothed.get(k);
  if (kept) return kept;
  const x = e.group.x;
  const out = e.curves.map((c) => smooth(x, c, params, new Float32Array(c.length))) as Curves;
  s.aggregates.counters.smoothed++;
  e.smoothed.set(k, out);
  let bytes = 3 * out[0].byteLength;
  while (e.smoothed.size > SMOOTHED_PER_GROUP) {
    const [oldest, arr] = e.smoothed.entries().next().value as [string, Curves];
    e.smoothed.delete(oldest);
    bytes -= 3 * arr[0].byteLength;
  }
  s.aggregates.grew(e, bytes);
  return out;
}

/**
 * The entry of each group whose series are all `answered` (null for the others: a series the
 * store cannot answer now), one group at a time (a group's runs are read in one stream).
 */
async function entries(s: AggregateStores, q: AggregateQuery, answered: readonly number[]): Promise<(Entry | null)[]> {
  const can = new Set(answered);
  const out: (Entry | null)[] = [];
  for (const sids of q.groups) out.push(sids.every((id) => can.has(id)) ? await groupEntry(s, sids, q) : null);
  return out;
}

/**
 * The M4 view of each group's line, low and high edge: series 3g, 3g + 1, 3g + 2 (groups with a
 * series not `answered` left out).
 */
export async function aggregateView(s: AggregateStores, q: AggregateViewQuery, smoothing: SmoothParams | null, answered: readonly number[]): Promise<M4Result> {
  const view: M4View = { series: [], xColumn: q.xColumn, x0: q.x0, x1: q.x1, W: q.W, yScale: q.yScale, ...(q.xScale && { xScale: q.xScale }) };
  checkView(view);
  const cut = logCut(view);
  const parts: SeriesM4[] = [];
  (await entries(s, q, answered)).forEach((e, g) => {
    if (!e) return;
    const drawn = smoothing ? smoothedCurves(s, e, smoothing) : e.curves;
    for (let k = 0; k < 3; k++) {
      const m = new SeriesM4(3 * g + k, view, cut);
      // counts are those of the aggregate's own values (NaN where no run contributes)
      feedHeld(m, { v: e.group.x, y: e.curves[k] }, drawn[k], view);
      parts.push(m);
    }
  });
  return assemble(parts, view.W);
}

/** Per group, the aggregate at its union x nearest the cursor where its line is drawable (null: none). */
export async function aggregateHover(s: AggregateStores, q: AggregateHoverQuery, smoothing: SmoothParams | null, answered: readonly number[]): Promise<(GroupAt | null)[]> {
  return (await entries(s, q, answered)).map((e) => {
    if (!e) return null;
    const g = e.group;
    const i = nearestFinite(g.x, g.line, g.x.length, q.x, q.xScale ?? 'linear');
    if (i < 0) return null;
    const sm = smoothing ? smoothedCurves(s, e, smoothing)[0][i] : NaN;
    return { x: g.x[i], line: g.lineF64[i], low: g.lowF64[i], high: g.highF64[i], n: g.n[i], smoothed: Number.isFinite(sm) ? sm : null };
  });
}

/** The first group's whole aggregate, before smoothing (chart.aggregated); null when a series of it is not `answered`. */
export async function aggregatedGroup(s: AggregateStores, q: AggregateQuery, answered: readonly number[]): Promise<AggregatedGroup | null> {
  const [e] = await entries(s, { ...q, groups: q.groups.slice(0, 1) }, answered);
  if (!e) return null;
  const { x, line, low, high, n } = e.group;
  return { x, line, low, high, n };
}
