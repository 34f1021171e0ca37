/**
 * The answer of an M4 query as both stores return it, put into the layout of source/m4.ts. The
 * DuckDB query (m4sql.ts) and the ClickHouse one (clickhouse/m4.ts) select the same fourteen
 * columns, one row per piece of the answer, tagged by `kind`:
 *
 *   kind 0  per series: n, non-finite, non-positive
 *   kind 1  per (series, column) of a dense series: n, first, last, min, max with their x
 *   kind 2  a point of a sparse series (x in fx, y in fy), in store order
 *   kind 3  the last point left of the view (fx, fy); kind 4 the first right of it
 *
 * columns: kind, series, c, n, nf, np, fx, fy, lx, ly, mnx, mny, mxx, mxy. Each store hands its
 * rows over as blocks (DuckDB: one per data chunk; ClickHouse: the decoded RowBinary) with a
 * reader per column; a null reads as NaN (no such point).
 */
import { emptyBuckets, emptyPoints, emptyStats, type M4Result } from '../source/m4';

/** Rows of the answer: `col(j)` reads column j at row r (null: none). */
export interface M4RowBlock {
  rows: number;
  col(j: number): (r: number) => number | null;
}

/** The M4Result of the series `ids` (ascending) from the rows; `store` names the store in errors. */
export function assembleM4(ids: readonly number[], W: number, blocks: readonly M4RowBlock[], store: string): M4Result {
  const stats = emptyStats(ids.length);
  ids.forEach((id, i) => (stats.id[i] = id));
  let nb = 0, npt = 0;
  for (const block of blocks) {
    const kind = block.col(0);
    for (let r = 0; r < block.rows; r++) {
      const k = kind(r);
      if (k === 1) nb++;
      else if (k === 2) npt++;
    }
  }
  const b = emptyBuckets(nb);
  const p = emptyPoints(npt);
  const slot = new Map<number, number>(ids.map((id, i) => [id, i]));
  const slotOf = (s: number) => {
    const i = slot.get(s);
    if (i === undefined) throw new Error(`${store} view query failed: answer for series ${s}, which was not asked for`);
    return i;
  };
  let ib = 0, ip = 0;
  for (const block of blocks) {
    const [kind, series, c, n, nf, np, fx, fy, lx, ly, mnx, mny, mxx, mxy] = Array.from({ length: 14 }, (_, j) => {
      const read = block.col(j);
      return (r: number) => read(r) ?? NaN;
    });
    for (let r = 0; r < block.rows; r++) {
      const s = series(r);
      switch (kind(r)) {
        case 0: {
          const i = slotOf(s);
          stats.n[i] = n(r);
          stats.nonFinite[i] = nf(r);
          stats.nonPositive[i] = np(r);
          stats.dense[i] = stats.n[i] > W ? 1 : 0;
          break;
        }
        case 1:
          b.series[ib] = s;
          b.col[ib] = c(r);
          b.n[ib] = n(r);
          b.firstX[ib] = fx(r);
          b.firstY[ib] = fy(r);
          b.lastX[ib] = lx(r);
          b.lastY[ib] = ly(r);
          b.minX[ib] = mnx(r);
          b.minY[ib] = mny(r);
          b.maxX[ib] = mxx(r);
          b.maxY[ib] = mxy(r);
          ib++;
          break;
        case 2:
          p.series[ip] = s;
          p.x[ip] = fx(r);
          p.y[ip] = fy(r);
          ip++;
          break;
        case 3: {
          const i = slotOf(s);
          stats.beforeX[i] = fx(r);
          stats.beforeY[i] = fy(r);
          break;
        }
        case 4: {
          const i = slotOf(s);
          stats.afterX[i] = fx(r);
          stats.afterY[i] = fy(r);
          break;
        }
      }
    }
  }
  return { series: stats, buckets: b, points: p };
}
