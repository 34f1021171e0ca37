/**
 * Hover on the server: for each series, the point nearest in x to the cursor, as the worker's
 * in-memory hover picks it (src/worker/hover.ts): among points with a finite y, the last one
 * before the cursor (x < cursor) and the first at or after it (x >= cursor), the nearer of the
 * two, the one before on a tie; order is the store's (x column, step, logged order). `index` is
 * the point's position among all the series' points in that order; `firstX` / `lastX` are the
 * x of the first and last points with a finite y.
 *
 * With `smoothing` (weight > 0), each point also carries the smoothed value there, the one the
 * smoothed view draws (hoversmooth.ts); weight 0 is no smoothing (docs/semantics.md), so no value.
 *
 * Two queries, every value a bound parameter, the x column a constant from X_COLUMNS.
 */
import { BIGINT, DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { HoverPoint, HoverQuery } from '../source/api';
import type { XColumnName } from '../source/m4';
import { smoothedAt } from './hoversmooth';
import { xColumnSql } from './schema';
import type { SmoothCache } from './smoothcache';

const COLUMNS: XColumnName[] = ['x', 'time', 'wall', 'epoch'];

function nearestSql(X: string): string {
  const key = `{'v': ${X}, 'x': x, 'o': ord}`;
  const point = `{'v': ${X}, 'o': ord, 'y': y, 'x': x, 'time': time, 'wall': wall, 'epoch': epoch}`;
  return `
WITH p AS (
  SELECT series, ${X} AS v, ${key} AS k, ${point} AS pt FROM points
  WHERE series BETWEEN $lo AND $hi AND list_contains($ids, series) AND isfinite(y) AND isfinite(${X})
)
SELECT series, min(v), max(v), arg_max(pt, k) FILTER (WHERE v < $c), arg_min(pt, k) FILTER (WHERE v >= $c)
FROM p GROUP BY series ORDER BY series`;
}

/** Per point: its index among all the series' points, and among those with a finite x (the smoothed column's). */
function indexSql(X: string): string {
  return `
WITH c AS (SELECT unnest($sids) AS s, unnest($vs) AS cv, unnest($xs) AS cx, unnest($os) AS co)
SELECT c.s, count(p.series), count(p.series) FILTER (WHERE isfinite(p.${X})) FROM c LEFT JOIN points p ON p.series = c.s
  AND (p.${X} < c.cv OR (p.${X} = c.cv AND (p.x < c.cx OR (p.x = c.cx AND p.ord < c.co))))
GROUP BY c.s`;
}

type Pt = { v: number; o: bigint; y: number; x: number; time: number | null; wall: number | null; epoch: number | null };

export async function hoverQuery(db: DuckDBConnection, q: HoverQuery, cache: SmoothCache): Promise<HoverPoint[]> {
  const X = xColumnSql(q.xColumn);
  const ids = [...new Set(q.series)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const r = await db.runAndReadAll(nearestSql(X), { ids: listValue(ids), lo: ids[0], hi: ids[ids.length - 1], c: q.x }, {
    ids: LIST(INTEGER), lo: INTEGER, hi: INTEGER, c: DOUBLE,
  });
  const found: { sid: number; p: Pt; first: number; last: number }[] = [];
  for (const [series, first, last, before, after] of r.getRowsJS()) {
    const lo = before as Pt | null, hi = after as Pt | null;
    const p = !lo ? hi : !hi ? lo : Math.abs(q.x - Number(lo.v)) <= Math.abs(Number(hi.v) - q.x) ? lo : hi;
    if (p) found.push({ sid: Number(series), p, first: Number(first), last: Number(last) });
  }
  if (found.length === 0) return [];
  const ix = await db.runAndReadAll(indexSql(X), {
    sids: listValue(found.map((f) => f.sid)), vs: listValue(found.map((f) => Number(f.p.v))),
    xs: listValue(found.map((f) => Number(f.p.x))), os: listValue(found.map((f) => BigInt(f.p.o))),
  }, { sids: LIST(INTEGER), vs: LIST(DOUBLE), xs: LIST(DOUBLE), os: LIST(BIGINT) });
  const rows = ix.getRows();
  const index = new Map(rows.map(([s, n]) => [Number(s), Number(n)]));
  const sm = q.smoothing && q.smoothing.weight > 0 ? q.smoothing : null;
  const xOf = new Map(found.map((f) => [f.sid, Number(f.p.v)]));
  const smoothed = sm
    ? await smoothedAt(db, q.xColumn, sm, rows.map(([s, , pos]) => ({ sid: Number(s), pos: Number(pos), v: xOf.get(Number(s))! })), cache)
    : null;
  return found.map(({ sid, p, first, last }) => {
    const columns: HoverPoint['columns'] = {};
    for (const c of COLUMNS) {
      const v = p[c];
      if (v !== null && v !== undefined) columns[c] = Number(v);
    }
    const point: HoverPoint = { sid, index: index.get(sid) ?? 0, x: Number(p.v), y: Number(p.y), columns, firstX: first, lastX: last };
    if (smoothed) {
      const s = smoothed.get(sid) ?? NaN;
      point.smoothed = Number.isFinite(s) ? s : null;
    }
    return point;
  });
}
