/**
 * M4 of a view from the level-of-detail tables (lodbuild.ts): the answer of m4sql.ts, equal to
 * the reference (m4ref.ts) in every field, reading blocks where m4sql.ts reads points.
 *
 * Per series the planner (`planLod`) picks the level that reads the fewest rows a column
 * (`linearLevel`). At that level a block is *whole* when its nominal range
 * [b w, (b + 1) w) lies inside the view and inside one pixel column (the column of both ends is
 * the same: the column formula is monotone in x, so every point of the block is in that column);
 * a whole block enters its column as one part with its n, first, last, min and max. The points
 * of the other blocks between the two that hold x0 and x1 (those straddling a column boundary
 * or a view edge: about one per column) are read raw, each its own part; from level 2 on (linear
 * x) they are read as their children one level down instead (`children`: the whole ones as
 * blocks, only the others raw), so the raw points a column costs are those of one small block.
 * Which blocks are not
 * whole is decided once per view in JS (`straddlers`, the column formula of m4.ts); the block
 * rows and the points both test membership in that one list, so every point is counted exactly
 * once, and the points' test is a semi-join on floor(x / w) with no per-point arithmetic beyond
 * it. The level balances the two: a column reads its whole blocks as one row each and the raw
 * points of the block at its edge (`linearLevel`). Parts combine per column as
 * in m4sql.ts: first / last by (x, logged order), min / max by (y, least x); counts are sums.
 *
 * Neighbours without a scan outside the view: the last point left of x0 is a raw point of the
 * block holding x0, or the last point of the nearest block left of it among the children of the
 * top-level block holding x0 (those are read), or the last point of the nearest top-level block
 * left of that one (the top level has a few dozen blocks a series). The same on the right.
 *
 * Series read raw (m4sql.ts): those without blocks (small, or with a non-finite x), and every
 * series on an x column other than the step. A series with blocks but so zoomed in that no level
 * reads fewer rows than its points in view is read raw within the view, with its neighbours
 * still from the blocks; one with fewer points in view than columns (sparse: drawn from its
 * points) is asked again that way, in a second query.
 */
import { BIGINT, BOOLEAN, DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { checkView, columnFinder, logCut, type M4Result, type M4View } from '../source/m4';
import { mergeM4, withoutSeries } from '../source/m4merge';
import { blockWidth, type LodSeries } from './lodbuild';
import { columnSql, columnParams, m4Query, runM4 } from './m4sql';

/** How one series is read for a view from its blocks. */
export interface LodPlan {
  series: number;
  /** the level read, >= 1 */
  lv: number;
  /** block width at lv */
  bw: number;
  /** read every point in [b0 bw, (b1 + 1) bw) raw: the blocks are too wide for the columns */
  allRaw: boolean;
  /**
   * the level whose blocks are read at the edges (lv - 1 on a linear x with lv >= 2, else lv):
   * a block of lv that is not whole is read as its children at elv, the whole ones as blocks and
   * the others raw; its width
   */
  elv: number;
  ew: number;
  /** the blocks holding x0 and x1 */
  b0: number;
  b1: number;
  /** the blocks read at lv: the children of the top-level blocks t0 .. t1 */
  ba: number;
  bz: number;
  top: number;
  t0: number;
  t1: number;
  /** the series' x range (lod_series) */
  xmin: number;
  xmax: number;
}

/** The plan of a view: series read from blocks, and series read raw. */
export function planLod(view: M4View, lod: ReadonlyMap<number, LodSeries>, forceRaw: ReadonlySet<number> = new Set()): { plans: LodPlan[]; raw: number[] } {
  const ids = checkView(view);
  const plans: LodPlan[] = [], raw: number[] = [];
  const cw = (view.x1 - view.x0) / view.W;
  const cut = logCut(view);
  const logLevels = new Map<string, number>();
  for (const id of ids) {
    const s = lod.get(id);
    if (!s || view.xColumn !== 'x') {
      raw.push(id);
      continue;
    }
    // linear x: the level reading the fewest rows a column (linearLevel); log x: the columns
    // narrow to the left, see logLevel
    let fit: number;
    if (cut) {
      const key = `${s.k}/${s.levels}/${s.xmin}/${s.xmax}/${s.n}`;
      fit = logLevels.get(key) ?? logLevel(s, view, cut.edges);
      logLevels.set(key, fit);
    } else fit = linearLevel(s, cw);
    const allRaw = fit < 1 || forceRaw.has(id);
    const lv = allRaw ? 1 : Math.min(s.levels, fit);
    const elv = !cut && !allRaw && lv >= 2 ? lv - 1 : lv;
    const bw = blockWidth(s, lv), wt = blockWidth(s, s.levels), m = 8 ** (s.levels - lv);
    const t0 = Math.floor(view.x0 / wt), t1 = Math.floor(view.x1 / wt);
    plans.push({
      series: id, lv, bw, elv, ew: blockWidth(s, elv), allRaw, b0: Math.floor(view.x0 / bw), b1: Math.floor(view.x1 / bw),
      ba: t0 * m, bz: (t1 + 1) * m - 1, top: s.levels, t0, t1, xmin: s.xmin, xmax: s.xmax,
    });
  }
  return { plans, raw };
}

/**
 * What a column's descent costs in rows: ~7 children, and a little for the second level's read.
 * 10 keeps a view of 131 points a column (100 runs x 1e6 at 1/8 of the range) on level 1; with 7
 * it descended, 10 % faster at 100 runs in view and 10 % slower at 10 (measured in process).
 */
const DESCENT_ROWS = 10;

/**
 * The level of a series in a linear-x view, 0 to read it raw: the one reading the fewest rows a
 * column, blocks no wider than a column: its whole blocks (cw / bw), and at the column's edge
 * the raw points of the block there (level 1), or from level 2 on that block's children one
 * level down (about 7 of them whole, split between the two columns, and the points of the one
 * holding the edge; DESCENT_ROWS). At 1,050 points a column (16-point blocks at level 1):
 * level 2, 8 + 7 + 16 rows, where level 1 alone reads 65 + 16 and level 2 without its children 8 + 128.
 */
function linearLevel(s: LodSeries, cw: number): number {
  const density = s.n / (s.xmax - s.xmin);
  let best = 0, bestCost = cw * density;
  for (let lv = 1; lv <= s.levels; lv++) {
    const bw = blockWidth(s, lv);
    if (bw > cw) break;
    const cost = cw / bw + (lv === 1 ? bw * density : DESCENT_ROWS + (bw / 8) * density);
    if (cost < bestCost) { best = lv; bestCost = cost; }
  }
  return best;
}

/**
 * The level of a series in a log-x view, 0 to read it raw: the one reading the fewest rows.
 * Columns widen to the right, so no one level is a quarter of every column: a level's cost is its
 * block rows plus the points of the blocks holding an edge (read raw; where columns are narrower
 * than the blocks that is every block, and every point there). Any level gives the exact answer
 * (straddlers), this only picks the cheapest; points are taken as spread evenly over the series' x range.
 */
function logLevel(s: LodSeries, view: M4View, edges: Float64Array): number {
  const lo = Math.max(view.x0, s.xmin), hi = Math.min(view.x1, s.xmax);
  if (!(hi > lo)) return 1;
  const density = s.n / (s.xmax - s.xmin);
  let best = 0, bestCost = (hi - lo) * density;
  for (let lv = 1; lv <= s.levels; lv++) {
    const bw = blockWidth(s, lv);
    let strad = 2, last = NaN;
    for (let c = 0; c < edges.length; c++) {
      const e = edges[c];
      if (e < lo || e > hi) continue;
      const b = Math.floor(e / bw);
      if (b !== last) { strad++; last = b; }
    }
    const cost = Math.min(strad * bw, hi - lo) * density + (hi - lo) / bw;
    if (cost < bestCost) { best = lv; bestCost = cost; }
  }
  return best;
}

/**
 * The query for a group of series with the same plan but the ids (so every block width, block
 * range and the list of blocks that are not whole are constants: no per-point join). `allRaw`:
 * every point between the blocks holding x0 and x1 is read raw. `range`: the ids are every id
 * from the least to the greatest, a plain range (no semi-join per point).
 */
function lodSql(allRaw: boolean, range: boolean, logX: boolean, descend: boolean): string {
  const IDS = (col: string) => `${col} BETWEEN $slo AND $shi${range ? '' : ` AND ${col} IN (SELECT unnest($ids))`}`;
  // with `descend`, the whole children (one level down) of the blocks that are not whole, as
  // parts of their own (l = $elv); the neighbours below read the blocks of $lv only
  return `
WITH blk AS MATERIALIZED (
  SELECT $lv AS l, series, b, n, nf, np, vmin, vmax, fy, ly, mny, mnx, mpy, mpx, mxy, mxx,
    ${allRaw ? 'FALSE' : '(b BETWEEN $b0 AND $b1 AND NOT (b IN (SELECT unnest($strad))))'} AS whole, ${columnSql('b * $bw', logX)} AS c
  FROM lod WHERE lv = $lv AND ${IDS('series')} AND b BETWEEN $ba AND $bz
  ${descend ? `UNION ALL
  SELECT $elv, series, b, n, nf, np, vmin, vmax, fy, ly, mny, mnx, mpy, mpx, mxy, mxx, TRUE, ${columnSql('b * $ew', logX)}
  FROM lod WHERE lv = $elv AND ${IDS('series')} AND b BETWEEN $ka AND $kz AND b IN (SELECT unnest($kids))` : ''}
),
raw AS MATERIALIZED (
  SELECT series, x AS v, ord, y, ${columnSql('x', logX)} AS c, (isfinite(y) AND (NOT $log OR y > 0)) AS ok,
    -- left of, in, right of the view: the readers filter on this, not on x (a filter on x would be
    -- pushed into the scan below the block test, evaluated on every point)
    CASE WHEN x < $x0 THEN -1 WHEN x > $x1 THEN 1 ELSE 0 END AS pos
  FROM points
  WHERE ${IDS('series')} AND x >= $b0 * $bw AND x < ($b1 + 1) * $bw
    ${allRaw ? '' : `AND floor(x / ${descend ? '$ew' : '$bw'}) IN (SELECT unnest(${descend ? '$edge' : '$strad'}))`}
),
inview AS (SELECT * FROM raw WHERE pos = 0),
stats AS (
  SELECT series, sum(n)::INTEGER AS n, sum(nf)::INTEGER AS nf, sum(np)::INTEGER AS np FROM (
    SELECT series, n, nf, CASE WHEN $log THEN np ELSE 0 END AS np FROM blk WHERE whole
    UNION ALL
    -- every raw point, unfiltered: with a reader that does not filter, DuckDB does not push the
    -- readers' filters on pos into the scan of the points (where they cost more than the rest)
    SELECT series, count(*) FILTER (WHERE pos = 0), count(*) FILTER (WHERE pos = 0 AND NOT isfinite(y)),
      count(*) FILTER (WHERE pos = 0 AND $log AND isfinite(y) AND y <= 0) FROM raw GROUP BY series
  ) GROUP BY series
  HAVING sum(n) > 0
),
dense AS (SELECT series FROM stats WHERE n > $w),
parts AS (
  SELECT series, c, n, vmin AS fx, 0::BIGINT AS fo, fy, vmax AS lx, 0::BIGINT AS lo, ly,
    CASE WHEN $log THEN mpy ELSE mny END AS mny, CASE WHEN $log THEN mpx ELSE mnx END AS mnx,
    CASE WHEN $log AND mxy <= 0 THEN NULL ELSE mxy END AS mxy, CASE WHEN $log AND mxy <= 0 THEN NULL ELSE mxx END AS mxx
  FROM blk WHERE whole AND series IN (SELECT series FROM dense)
  UNION ALL
  SELECT series, c, 1, v, ord, y, v, ord, y, CASE WHEN ok THEN y END, CASE WHEN ok THEN v END, CASE WHEN ok THEN y END, CASE WHEN ok THEN v END
  FROM inview WHERE series IN (SELECT series FROM dense)
),
g AS (
  SELECT series, c, sum(n)::INTEGER AS n, min(fx) AS fx, max(lx) AS lx, min(mny) AS mny, max(mxy) AS mxy
  FROM parts GROUP BY series, c
),
cand AS (
  SELECT p.series, p.c, p.fx = g.fx AS isf, p.fo, p.fy, p.lx = g.lx AS isl, p.lo, p.ly, p.mny = g.mny AS ismn, p.mnx, p.mxy = g.mxy AS ismx, p.mxx
  FROM parts p JOIN g ON p.series = g.series AND p.c = g.c
  WHERE p.fx = g.fx OR p.lx = g.lx OR p.mny = g.mny OR p.mxy = g.mxy
),
t AS (
  SELECT series, c, arg_min(fy, fo) FILTER (WHERE isf) AS fy, arg_max(ly, lo) FILTER (WHERE isl) AS ly,
    min(mnx) FILTER (WHERE ismn) AS mnx, min(mxx) FILTER (WHERE ismx) AS mxx
  FROM cand GROUP BY series, c
),
buckets AS (
  SELECT g.series, g.c, n, fx, fy, lx, ly, mnx, mny, mxx, mxy FROM g JOIN t ON g.series = t.series AND g.c = t.c
),
tops AS (
  SELECT series, b, vmin, vmax, fy, ly FROM lod WHERE lv = $top AND ${IDS('series')} AND (b < $t0 OR b > $t1)
),
nb AS (
  SELECT series, 3 AS kind, max({'x': x, 'o': o, 'y': y}) AS p FROM (
    SELECT series, v AS x, ord AS o, y FROM raw WHERE pos = -1
    UNION ALL SELECT series, vmax, 0, ly FROM blk WHERE l = $lv AND b < $b0
    UNION ALL SELECT series, vmax, 0, ly FROM tops WHERE b < $t0
  ) GROUP BY series
  UNION ALL
  SELECT series, 4 AS kind, min({'x': x, 'o': o, 'y': y}) AS p FROM (
    SELECT series, v AS x, ord AS o, y FROM raw WHERE pos = 1
    UNION ALL SELECT series, vmin, 0, fy FROM blk WHERE l = $lv AND b > $b1
    UNION ALL SELECT series, vmin, 0, fy FROM tops WHERE b > $t1
  ) GROUP BY series
)
SELECT 0 AS kind, series, 0 AS c, n, nf, np, NULL::DOUBLE AS fx, NULL::FLOAT AS fy,
  NULL::DOUBLE AS lx, NULL::FLOAT AS ly, NULL::DOUBLE AS mnx, NULL::FLOAT AS mny, NULL::DOUBLE AS mxx, NULL::FLOAT AS mxy,
  NULL::DOUBLE AS sx, NULL::BIGINT AS so FROM stats
UNION ALL SELECT 1, series, c, n, 0, 0, fx, fy, lx, ly, mnx, mny, mxx, mxy, NULL, NULL FROM buckets
${allRaw ? `UNION ALL SELECT 2, series, c, 1, 0, 0, v, y, NULL, NULL, NULL, NULL, NULL, NULL, v, ord
  FROM inview WHERE series NOT IN (SELECT series FROM dense)` : ''}
UNION ALL SELECT kind, series, -1, 1, 0, 0, p.x, p.y, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM nb
ORDER BY kind, series, c, fx, sx, so`;
}

const SQL = new Map<string, string>();
const sqlFor = (allRaw: boolean, range: boolean, logX: boolean, descend: boolean) => {
  const key = `${allRaw}/${range}/${logX}/${descend}`;
  if (!SQL.has(key)) SQL.set(key, lodSql(allRaw, range, logX, descend));
  return SQL.get(key)!;
};

export const LOD_TYPES = {
  ids: LIST(INTEGER), strad: LIST(DOUBLE), kids: LIST(DOUBLE), edge: LIST(DOUBLE), elv: INTEGER, ew: DOUBLE, ka: BIGINT, kz: BIGINT,
  slo: INTEGER, shi: INTEGER, lv: INTEGER, top: INTEGER, bw: DOUBLE,
  b0: BIGINT, b1: BIGINT, ba: BIGINT, bz: BIGINT, t0: BIGINT, t1: BIGINT,
  x0: DOUBLE, x1: DOUBLE, w: DOUBLE, log: BOOLEAN,
};

/** at most this many blocks are tested for wholeness in JS (a view far wider than its data) */
const MAX_TESTED = 1 << 22;

/**
 * The blocks b0 .. b1 of width bw that are not whole in the view, those overlapping the data
 * range [xmin, xmax] (blocks beyond it hold no point): the same test as a whole block's in SQL,
 * evaluated here once for the group rather than per point.
 */
export function straddlers(view: M4View, bw: number, b0: number, b1: number, xmin: number, xmax: number): number[] {
  const { x0, x1 } = view, column = columnFinder(view);
  const from = Math.max(b0, Math.floor(xmin / bw)), to = Math.min(b1, Math.floor(xmax / bw));
  if (to - from > MAX_TESTED) throw new RangeError(`a view of ${to - from} blocks: plan error`);
  const out: number[] = [];
  for (let b = from; b <= to; b++) {
    const lo = b * bw, hi = (b + 1) * bw;
    if (!(lo >= x0 && hi <= x1 && column(lo) === column(hi))) out.push(b);
  }
  return out;
}

/**
 * The children (width `ew`, 8 to a block) of the blocks `strad` that overlap the data range:
 * those whole in the view (read as blocks) and the others (read raw), by the same test.
 */
export function children(view: M4View, strad: readonly number[], ew: number, xmin: number, xmax: number): { whole: number[]; edge: number[] } {
  const { x0, x1 } = view, column = columnFinder(view);
  const lo = Math.floor(xmin / ew), hi = Math.floor(xmax / ew);
  const whole: number[] = [], edge: number[] = [];
  for (const b of strad) {
    for (let k = Math.max(8 * b, lo), end = Math.min(8 * b + 7, hi); k <= end; k++) {
      const a = k * ew, z = (k + 1) * ew;
      (a >= x0 && z <= x1 && column(a) === column(z) ? whole : edge).push(k);
    }
  }
  return { whole, edge };
}

/** The bound parameters of one group's query (plans equal but for the series, ascending). */
export function lodParams(view: M4View, plans: readonly LodPlan[], column = columnParams(view)) {
  const ids = plans.map((p) => p.series), p = plans[0];
  const xmin = plans.reduce((m, q) => Math.min(m, q.xmin), Infinity), xmax = plans.reduce((m, q) => Math.max(m, q.xmax), -Infinity);
  const strad = p.allRaw ? [] : straddlers(view, p.bw, p.b0, p.b1, xmin, xmax);
  const down = descends(p) ? children(view, strad, p.ew, xmin, xmax) : null;
  return {
    ...(p.allRaw ? {} : { strad: listValue(strad) }),
    ...(down ? { kids: listValue(down.whole), edge: listValue(down.edge), elv: p.elv, ew: p.ew, ka: big(down.whole[0] ?? 0), kz: big(down.whole[down.whole.length - 1] ?? -1) } : {}),
    ...(isRange(ids) ? {} : { ids: listValue(ids) }),
    slo: ids[0], shi: ids[ids.length - 1], lv: p.lv, top: p.top, bw: p.bw,
    b0: big(p.b0), b1: big(p.b1), ba: big(p.ba), bz: big(p.bz), t0: big(p.t0), t1: big(p.t1),
    x0: view.x0, x1: view.x1, w: view.W, log: view.yScale === 'log',
    ...column.params,
  };
}

const big = (v: number) => BigInt(v);
/** the plan reads the blocks at its edges as their children (elv = lv - 1; never when all raw) */
const descends = (p: LodPlan) => p.elv !== p.lv;
const isRange = (ids: readonly number[]) => ids[ids.length - 1] - ids[0] + 1 === ids.length;

async function runGroup(db: DuckDBConnection, view: M4View, plans: readonly LodPlan[]): Promise<M4Result> {
  const ids = plans.map((p) => p.series);
  const column = columnParams(view);
  const params = lodParams(view, plans, column);
  const types = Object.fromEntries(Object.entries({ ...LOD_TYPES, ...column.types }).filter(([k]) => k in params));
  return runM4(db, sqlFor(plans[0].allRaw, isRange(ids), view.xScale === 'log', descends(plans[0])), params, types, ids, view.W);
}

/** One query per group of series planned alike (most views: one), their answers merged. */
async function runPlans(db: DuckDBConnection, view: M4View, plans: readonly LodPlan[]): Promise<M4Result> {
  const groups = new Map<string, LodPlan[]>();
  for (const p of plans) {
    const key = `${p.lv}/${p.bw}/${p.elv}/${p.ew}/${p.allRaw}/${p.top}/${p.ba}/${p.bz}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const parts: M4Result[] = [];
  for (const g of groups.values()) parts.push(await runGroup(db, view, g));
  return mergeM4(parts);
}

/**
 * The view's M4 from the blocks where a series has them, from its points where not (m4sql.ts);
 * equal to m4Query's answer.
 */
export async function m4LodQuery(db: DuckDBConnection, view: M4View, lod: ReadonlyMap<number, LodSeries>): Promise<M4Result> {
  const { plans, raw } = planLod(view, lod);
  const parts: M4Result[] = [];
  if (raw.length) parts.push(await m4Query(db, { ...view, series: raw }));
  if (plans.length) {
    const first = await runPlans(db, view, plans);
    // sparse in view but read from blocks: its points are needed, read it raw within the view
    const again = plans.filter((p, i) => !p.allRaw && first.series.n[i] > 0 && first.series.n[i] <= view.W).map((p) => p.series);
    if (again.length === 0) parts.push(first);
    else {
      const redo = new Set(again);
      parts.push(withoutSeries(first, redo));
      parts.push(await runPlans(db, view, planLod({ ...view, series: again }, lod, redo).plans));
    }
  }
  return parts.length ? mergeM4(parts) : m4Query(db, view);
}
