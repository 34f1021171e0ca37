/**
 * Every point of some series on one x column, in the store's order, as typed columns in this
 * process: from the smoothing cache where held (smoothcache.ts), streamed out of the store
 * otherwise (PointChunks: DuckDB or ClickHouse) and then held where they fit. What a server-side
 * aggregate (aggregates.ts) reads its runs from; a pan or a zoom reads nothing again.
 */
import { PointColumns } from '../smooth/stream';
import type { XColumnName } from '../source/m4';
import type { RawColumns, SmoothCache } from './smoothcache';
import { seriesRuns } from './pointchunk';
import type { PointChunks } from './smoothview';

/** The columns of `ids` (in that order): finite x only, y NaN where none was logged. */
export async function rawColumns(points: PointChunks, ids: readonly number[], xColumn: XColumnName, cache: SmoothCache): Promise<RawColumns[]> {
  const ticket = cache.ticket(ids);
  await cache.catchUp(ids, xColumn, points.tail);
  const out = new Map<number, RawColumns>();
  for (const id of ids) {
    const held = cache.raw(id, xColumn);
    if (held) out.set(id, held);
  }
  const wanted = [...new Set(ids.filter((id) => !out.has(id)))].sort((a, b) => a - b);
  if (wanted.length) {
    const fills = new Map(wanted.map((id) => [id, new PointColumns()]));
    for await (const piece of points(wanted, xColumn)) {
      cache.counters.readPoints += piece.rows;
      seriesRuns(piece, (id, from, to) => fills.get(id)?.add(piece.v, piece.y, null, from, to));
    }
    for (const [id, f] of fills) {
      const raw = { v: f.x.slice(0, f.n), y: f.y.slice(0, f.n) };
      cache.putRaw(ticket, id, xColumn, raw);
      out.set(id, raw);
    }
  }
  return ids.map((id) => out.get(id)!);
}
