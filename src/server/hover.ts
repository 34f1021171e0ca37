/**
 * Hover on the server: for each series, the point nearest in x to the cursor, as the worker's
 * in-memory hover picks it (src/worker/hover.ts): among points with a finite y, the last one
 * before the cursor (x < cursor) and the first at or after it (x >= cursor), the nearer of the
 * two, the one before on a tie; order is the store's (x column, step, logged order). `index` is
 * the point's position among all the series' points in that order; `firstX` / `lastX` are the
 * x of the first and last points with a finite y.
 *
 * Two queries, every value a bound parameter, the x column a constant from X_COLUMNS.
 */
import { BIGINT, DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { HoverPoint, HoverQuery } from '../source/api';
import type { XColumnName } from '../source/m4';
import { xColumnSql } from './schema';

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

function indexSql(X: string): string {
  return `
WITH c AS (SELECT unnest($sids) AS s, unnest($vs) AS cv, unnest($xs) AS cx, unnest($os) AS co)
SELECT c.s, count(p.series) FROM c LEFT JOIN points p ON p.series = c.s
  AND (p.${X} < c.cv OR (p.${X} = c.cv AND (p.x < c.cx OR (p.x = c.cx AND p.ord < c.co))))
GROUP BY c.s`;
}

type Pt = { v: number; o: bigint; y: number; x: number; time: number | null; wall: number | null; epoch: number | null };

export async function hoverQuery(db: DuckDBConnection, q: HoverQuery): Promise<HoverPoint[]> {
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
  const index = new Map(ix.getRows().map(([s, n]) => [Number(s), Number(n)]));
  return found.map(({ sid, p, first, last }) => {
    const columns: HoverPoint['columns'] = {};
    for (const c of COLUMNS) {
      const v = p[c];
      if (v !== null && v !== undefined) columns[c] = Number(v);
    }
    return { sid, index: index.get(sid) ?? 0, x: Number(p.v), y: Number(p.y), columns, firstX: first, lastX: last };
  });
}
