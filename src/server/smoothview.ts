/**
 * The M4 of a view over the smoothed series (ViewQuery.smoothing), computed in the server
 * process where the points are. Smoothing needs every point of a series in order, from its first:
 * the state at the view's left edge depends on all earlier points, so no SQL aggregate over the
 * view's rows can give it. Each series is therefore:
 *
 * - held (smoothcache.ts) with these parameters: one M4 pass over the points in view (binary
 *   search of the view's edges, then m4build.ts), nothing smoothed: a pan or a zoom;
 * - held raw only: smoothed from the held columns with the float64 reference
 *   (src/smooth/reference.ts, any mode) into a float32 column, then the M4 pass: a slider move;
 * - not held: streamed out of the store (DuckDB or ClickHouse: `PointChunks`) in the store's order (x column, step, logged order), typed
 *   columns a data chunk at a time, each chunk smoothed (src/smooth/stream.ts: the recurrence's
 *   state carried across chunks; a window mode's outputs handed on once their window is
 *   complete) and fed to the M4 builder as it arrives, and kept for the cache when the series
 *   fits in it. A series too big to hold is never materialised: memory stays one chunk plus the
 *   buckets, plus for the window modes the points their windows still reach.
 *
 * The smoothed value shown in a hover (hover.ts) is read in the same pass (eachSmoothed), from
 * the same held columns, so the tooltip shows the value the curve is drawn from.
 *
 * Counts per series (n, nonFinite, nonPositive) are those of the raw points in view; everything
 * drawn (first, last, min, max, sparse points, neighbours) is the smoothed value, so on a log axis
 * smoothed values <= 0 are not drawable exactly as raw ones are not.
 */
import { DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { smooth, type SmoothParams } from '../smooth/reference';
import { PointColumns, smoothStream, type Emit, type SmoothStream } from '../smooth/stream';
import { checkView, logCut, type M4Result, type M4View, type XColumnName } from '../source/m4';
import { assemble, SeriesM4 } from './m4build';
import { xColumnSql } from './schema';
import { seriesRuns, type PointChunk } from './pointchunk';
import type { RawColumns, SmoothCache, TailChunks, Ticket } from './smoothcache';

/** The query streaming the view's series, ordered as the store orders points (m4sql.ts). */
function streamSql(xColumn: XColumnName): string {
  const X = xColumnSql(xColumn);
  // y is never NULL as written (pointwriter.ts); coalesce keeps the typed read free of validity
  return `SELECT series, ${X} AS v, coalesce(y, 'NaN'::FLOAT) AS y FROM points
WHERE series BETWEEN $lo AND $hi AND list_contains($ids, series) AND isfinite(${X})
ORDER BY series, ${X}, x, ord`;
}

const YIELD_POINTS = 2e6;

/** First index of sorted `v` with v[i] >= t (strict: v[i] > t). */
function lowerBound(v: Float64Array, t: number, strict: boolean): number {
  let lo = 0, hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? v[mid] <= t : v[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Feed only the points in view and their two neighbours: O(points in view + log n). */
export function feedHeld(m: SeriesM4, raw: RawColumns, s: Float32Array, view: M4View): void {
  const a = lowerBound(raw.v, view.x0, false);
  const b = lowerBound(raw.v, view.x1, true);
  m.feed(raw.v, s, raw.y, Math.max(0, a - 1), Math.min(raw.v.length, b + 1));
}

export function smoothColumns(raw: RawColumns, params: SmoothParams): Float32Array {
  return smooth(raw.v, raw.y, params, new Float32Array(raw.y.length));
}

/** Growable typed columns of one streamed series, given up once past `limit` bytes. */
class Fill extends PointColumns {
  keep = true;

  constructor(private readonly limit: number) {
    super();
  }

  append(v: Float64Array, y: Float32Array, s: Float32Array, from: number, to: number): void {
    if (!this.keep) return;
    if ((this.n + to - from) * 16 > this.limit) {
      this.keep = false;
      this.x = new Float64Array(0);
      this.y = this.s = new Float32Array(0);
      return;
    }
    this.add(v, y, s, from, to);
  }
}

/** A typed view of column `i` of a chunk of `m` rows (valid while the chunk is). */
function column<T extends Float64Array | Float32Array | Int32Array>(chunk: unknown, i: number, m: number, C: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number }): T {
  const data = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk as duckdb.DataChunk, i), m * C.BYTES_PER_ELEMENT);
  return new C(data.buffer as ArrayBuffer, data.byteOffset, m);
}

/**
 * What a pass over smoothed series does with their points. Series are named by their position
 * `i` in the `ids` given to eachSmoothed.
 */
export interface SmoothedVisitor {
  /** the whole series is held: its raw columns and their smoothed y */
  held(i: number, raw: RawColumns, s: Float32Array): void;
  /**
   * points [from, to) of a chunk streamed out of DuckDB (v, s and y are valid only during the
   * call); they are the series' points `offset`.. in the store's order
   */
  streamed(i: number, v: Float64Array, s: Float32Array, y: Float32Array, from: number, to: number, offset: number): void;
}

export type PointChunks = ((ids: readonly number[], xColumn: XColumnName) => AsyncIterable<PointChunk>) & {
  /** the step column of some series from a step x on (smoothcache.ts catchUp); absent: read them in full */
  tail?: TailChunks;
};

/** The query streaming the step column of some series from a step x on each, in store order. */
const TAIL_SQL = `SELECT p.series, p.x AS v, coalesce(p.y, 'NaN'::FLOAT) AS y
FROM points p JOIN (SELECT unnest($ids) AS s, unnest($from) AS f) t ON p.series = t.s
WHERE p.series BETWEEN $lo AND $hi AND p.x >= t.f AND isfinite(p.x)
ORDER BY p.series, p.x, p.ord`;

/** DuckDB's points, streamed a data chunk at a time (typed views of its vectors, no copies). */
export function duckdbChunks(db: DuckDBConnection): PointChunks {
  const chunks = async function* (sql: string, params: Record<string, DuckDBValue>, types: Record<string, DuckDBType>): AsyncIterable<PointChunk> {
    const result = await db.stream(sql, params, types);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      const m = chunk.rowCount;
      yield { rows: m, sid: column(chunk.chunk, 0, m, Int32Array), v: column(chunk.chunk, 1, m, Float64Array), y: column(chunk.chunk, 2, m, Float32Array) };
    }
  };
  const all: PointChunks = (wanted, xColumn) =>
    chunks(streamSql(xColumn), { ids: listValue([...wanted]), lo: wanted[0], hi: wanted[wanted.length - 1] }, { ids: LIST(INTEGER), lo: INTEGER, hi: INTEGER });
  all.tail = (from) => {
    const ids = [...from.keys()].sort((a, b) => a - b);
    return chunks(
      TAIL_SQL,
      { ids: listValue(ids), from: listValue(ids.map((id) => from.get(id)!)), lo: ids[0], hi: ids[ids.length - 1] },
      { ids: LIST(INTEGER), from: LIST(DOUBLE), lo: INTEGER, hi: INTEGER },
    );
  };
  return all;
}

/** Stream and smooth the series at `slots` of `ids`, for `visit`; hold those that fit. */
async function streamSeries(
  points: PointChunks, ids: readonly number[], slots: number[], xColumn: XColumnName, params: SmoothParams, cache: SmoothCache, ticket: Ticket, visit: SmoothedVisitor,
): Promise<void> {
  const wanted = slots.map((i) => ids[i]);
  const slotOf = new Map(slots.map((i) => [ids[i], i]));
  const fills = new Map(wanted.map((id) => [id, new Fill(cache.maxEntryBytes)]));
  // the series smoothed now: points come in series order, so one at a time (a window mode holds
  // the points its windows still reach until the series ends)
  let current = null as { id: number; stream: SmoothStream; emit: Emit } | null;
  const ended = new Set<number>();
  const finish = () => {
    if (!current) return;
    current.stream.end(current.emit);
    ended.add(current.id);
    current = null;
  };
  // views of the piece's memory, read before the next piece (the fill copies what it keeps)
  for await (const piece of points(wanted, xColumn)) {
    const { v, y } = piece;
    cache.counters.readPoints += piece.rows;
    seriesRuns(piece, (id, from, to) => {
      if (current?.id !== id) {
        finish();
        if (ended.has(id)) throw new Error(`smoothing: points of series ${id} came after its end (PointChunks must order points by series)`);
        const slot = slotOf.get(id)!, f = fills.get(id)!;
        current = {
          id,
          stream: smoothStream(params),
          emit: (sv, ss, sy, a, b, offset) => {
            cache.counters.smoothedPoints += b - a;
            visit.streamed(slot, sv, ss, sy, a, b, offset);
            f.append(sv, sy, ss, a, b);
          },
        };
      }
      current!.stream.push(v, y, from, to, current!.emit);
    });
  }
  finish();
  for (const [id, f] of fills) {
    if (!f.keep) continue;
    const raw = { v: f.x.slice(0, f.n), y: f.y.slice(0, f.n) };
    cache.putRaw(ticket, id, xColumn, raw);
    cache.putSmoothed(ticket, id, xColumn, params, raw, f.s.slice(0, f.n));
  }
}

/**
 * Every point of the series `ids` on `xColumn`, smoothed with `params` over all of each series'
 * points in the store's order, handed to `visit`: from the cache where the smoothed column is
 * held, smoothed from the held raw columns where only they are (and then held), streamed out of
 * DuckDB otherwise (and held when it fits). Smoothed views and the smoothed value of a hover both
 * read their values here, so a tooltip shows exactly what the curve is drawn from.
 */
export async function eachSmoothed(
  points: PointChunks, ids: readonly number[], xColumn: XColumnName, params: SmoothParams, cache: SmoothCache, visit: SmoothedVisitor,
): Promise<void> {
  // taken before anything is awaited: an ingest from here on makes what is read now stale
  const ticket = cache.ticket(ids);
  await cache.catchUp(ids, xColumn, points.tail);
  const missing: number[] = [];
  let work = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const held = cache.get(id, xColumn, params);
    if (!held) {
      missing.push(i);
      continue;
    }
    let s = held.smoothed;
    if (!s) {
      s = smoothColumns(held.raw, params);
      cache.counters.smoothedPoints += s.length;
      cache.putSmoothed(ticket, id, xColumn, params, held.raw, s);
      work += s.length;
    }
    visit.held(i, held.raw, s);
    // a slider move over many points is synchronous work: let other requests in between series
    if (work > YIELD_POINTS) {
      work = 0;
      await new Promise((ok) => setImmediate(ok));
    }
  }
  if (missing.length > 0) await streamSeries(points, ids, missing, xColumn, params, cache, ticket, visit);
}

/** The view's M4 over its smoothed series (smoothing on; off is the raw view, m4sql.ts). */
export async function smoothedView(points: PointChunks, view: M4View, params: SmoothParams, cache: SmoothCache): Promise<M4Result> {
  const ids = checkView(view);
  const cut = logCut(view);
  const parts = ids.map((id) => new SeriesM4(id, view, cut));
  await eachSmoothed(points, ids, view.xColumn, params, cache, {
    held: (i, raw, s) => feedHeld(parts[i], raw, s, view),
    streamed: (i, v, s, y, from, to) => parts[i].feed(v, s, y, from, to),
  });
  return assemble(parts, view.W);
}
