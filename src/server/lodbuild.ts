/**
 * The level-of-detail tables of a DuckDB store: per series, blocks of the step axis at widths
 * 2^k, 8 x 2^k, 64 x 2^k, ... each holding what M4 needs of its points, so a view reads a few
 * blocks per pixel column instead of every point (m4lod.ts reads them).
 *
 *   lod_series  one row per series that has blocks: k (level 1's block width is 2^k steps,
 *               about POINTS_PER_BLOCK points a block on average), levels (the top level has at
 *               most ~64 blocks when built in full), n (points at that build), xmin, xmax, and
 *               ext with the finite extents of time, wall and epoch (t/w/e min, max), which
 *               the series list reads instead of scanning the points (seriesindex.ts).
 *   lod         one row per non-empty block: level lv, index b (the block holds the points with
 *               b <= x / width < b + 1, width = 2^(k + 3 (lv - 1))), and over its points: n,
 *               non-finite and finite <= 0 counts, least and greatest x (vmin, vmax), the y of
 *               the first and the last in store order (fy, ly), the least finite y with its
 *               least x (mny, mnx), the same over y > 0 (mpy, mpx: a log axis's minimum), the
 *               greatest finite y with its least x (mxy, mxx). Sorted by (lv, series, b) so a
 *               view's scan is pruned by DuckDB's zonemaps to one level and the series in view.
 *
 * Blocks are ranges of x values, not of positions: points with equal x (a restarted run logs a
 * step twice) always share a block, so the order between blocks is plain x order and ties only
 * ever need resolving among raw points. Only the step column has blocks; a series with a NULL or
 * non-finite x, fewer than MIN_POINTS points or a single x has none and is always read raw.
 *
 * Built from the points in SQL (level 1 by GROUP BY over the points, each higher level from the
 * one below), in batches of whole series; ingest.ts calls updateLod for the series an ingest
 * changed, in the ingest's transaction.
 */
import { DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { writeArrayBlocks, type SeriesArrays, type WholeSeries } from './lodarrays';
import { LOD_DDL, openStore } from './schema';

export const POINTS_PER_BLOCK = 16;
/** series with fewer points are read raw: their whole view costs less than the blocks' rows */
export const MIN_POINTS = 4096;
/** the finite extents of the other x columns, kept with the blocks so a server starts without a scan */
const EXTENTS = ['time', 'wall', 'epoch'].map((c) => `min(${c}) FILTER (WHERE isfinite(${c})) AS ${c[0]}min, max(${c}) FILTER (WHERE isfinite(${c})) AS ${c[0]}max`).join(', ');

/** the top level holds at most about this many blocks a series */
const TOP_BLOCKS = 64;

/**
 * k and levels of a series from its point count and x range, as SQL (evaluated by DuckDB for the
 * SQL build and for the blocks built from arrays alike, so both agree to the bit): level 1 holds
 * ~ppb points a block on average, the top level at most ~TOP_BLOCKS blocks.
 */
export const LOD_FORMULAS = {
  k: (n: string, xmin: string, xmax: string, ppb = POINTS_PER_BLOCK) => `ceil(log2(${ppb} * (${xmax} - ${xmin}) / (${n} - 1)))::INTEGER`,
  levels: (k: string, xmin: string, xmax: string) => `1 + GREATEST(0, ceil(log(GREATEST((${xmax} - ${xmin}) / pow(2, ${k}) / ${TOP_BLOCKS}, 1)) / log(8)))::INTEGER`,
};


export interface LodOptions {
  /** build for these series only (default: every series); their old blocks are replaced */
  series?: readonly number[];
  pointsPerBlock?: number;
  minPoints?: number;
  /** a full build reads about this many points a statement (whole series; default 2^25) */
  batchPoints?: number;
}

/**
 * (Re)build the blocks of `opts.series` (or of every series) in one transaction. Returns the
 * number of series that have blocks afterwards among those built.
 */
export async function buildLod(db: DuckDBConnection, opts: LodOptions = {}): Promise<number> {
  await db.run(LOD_DDL);
  await db.run('BEGIN TRANSACTION');
  try {
    const n = await rebuildLod(db, opts);
    await db.run('COMMIT');
    return n;
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}

/**
 * Build the blocks of every series of the store file at `path` (a file written by something
 * other than `metricgl ingest`, or by a version before the blocks; ingest keeps them up to date
 * itself). Returns the series that have blocks and the seconds taken.
 */
export async function buildLodFile(path: string, opts: LodOptions & { threads?: number } = {}): Promise<{ series: number; seconds: number }> {
  const t0 = performance.now();
  const store = await openStore(path, { threads: opts.threads });
  try {
    return { series: await buildLod(store.db, opts), seconds: (performance.now() - t0) / 1000 };
  } finally {
    store.close();
  }
}

/** a build reads about this many points a statement at most (whole series): its hash tables stay small */
const BATCH_POINTS = 1 << 25;

/** buildLod inside the caller's transaction; every series in batches of whole series. */
export async function rebuildLod(db: DuckDBConnection, opts: LodOptions = {}): Promise<number> {
  if (opts.series) return rebuildSome(db, [...new Set(opts.series)].sort((a, b) => a - b), opts);
  await db.run('DELETE FROM lod');
  await db.run('DELETE FROM lod_series');
  const counts = (await db.runAndReadAll('SELECT series, count(*) FROM points GROUP BY series ORDER BY series')).getRows();
  let built = 0, batch: number[] = [], inBatch = 0;
  for (const [series, n] of counts) {
    batch.push(Number(series));
    inBatch += Number(n);
    if (inBatch >= (opts.batchPoints ?? BATCH_POINTS)) {
      built += await rebuildSome(db, batch, opts);
      (batch = []), (inBatch = 0);
    }
  }
  if (batch.length) built += await rebuildSome(db, batch, opts);
  return built;
}

async function rebuildSome(db: DuckDBConnection, only: number[], opts: LodOptions): Promise<number> {
  const ppb = opts.pointsPerBlock ?? POINTS_PER_BLOCK;
  const minN = Math.max(2, opts.minPoints ?? MIN_POINTS);
  if (only.length === 0) return 0;
  // the series filter: their range (zonemaps prune the scan to it) and the bound list (semi-join)
  const where = (col: string) => `${col} BETWEEN $lo AND $hi AND ${col} IN (SELECT unnest($ids))`;
  const params: Record<string, DuckDBValue> = { ids: listValue(only), lo: only[0], hi: only[only.length - 1] };
  const types: Record<string, DuckDBType> = { ids: LIST(INTEGER), lo: INTEGER, hi: INTEGER };
  await db.run(`DELETE FROM lod WHERE ${where('series')}`, params, types);
  await db.run(`DELETE FROM lod_series WHERE ${where('series')}`, params, types);
  await db.run(`
INSERT INTO lod_series (series, k, levels, n, xmin, xmax, ext, tmin, tmax, wmin, wmax, emin, emax)
SELECT series, k, ${LOD_FORMULAS.levels('k', 'xmin', 'xmax')}, n, xmin, xmax,
  TRUE, tmin, tmax, wmin, wmax, emin, emax
FROM (
  SELECT series, count(*) AS n, min(x) AS xmin, max(x) AS xmax,
    ${LOD_FORMULAS.k('count(*)', 'min(x)', 'max(x)', ppb)} AS k,
    ${EXTENTS}
  FROM points WHERE ${where('series')}
  GROUP BY series
  HAVING count(*) >= ${minN} AND count(x) FILTER (WHERE isfinite(x)) = count(*) AND max(x) > min(x)
)`, params, types);
  await writeBlocks(db, `SELECT series, -'Infinity'::DOUBLE AS xstar FROM lod_series WHERE ${where('series')}`, params, types);
  const r = await db.runAndReadAll(`SELECT count(*) FROM lod_series WHERE ${where('series')}`, params, types);
  return Number(r.getRows()[0][0]);
}

/**
 * The blocks of the series `from` selects (columns series, xstar) made again from their points
 * at x >= xstar, at every level, into lod (their old blocks from xstar on must be gone). xstar
 * is a multiple of the top level's width (or -Infinity): the blocks from there on at every level
 * hold exactly the points from there on. `params` hold lo and hi, the least and greatest id
 * (a range the scan of the points is pruned to).
 */
async function writeBlocks(db: DuckDBConnection, from: string, params: Record<string, DuckDBValue> = {}, types: Record<string, DuckDBType> = {}): Promise<void> {
  // level 1 from the points: structs order by their fields in turn, so min({x, o, y}) is the
  // first point in store order and min({y, x}) the least y at its least x
  await db.run(`
CREATE OR REPLACE TEMP TABLE lod_new AS
SELECT 1::TINYINT AS lv, series, b, n, nf, np, vmin, vmax, f.y AS fy, l.y AS ly, mn.y AS mny, mn.x AS mnx, mp.y AS mpy, mp.x AS mpx, mx.y AS mxy, 0.0 - mx.nx AS mxx
FROM (
  SELECT p.series, floor(p.x / pow(2, s.k))::BIGINT AS b, count(*)::INTEGER AS n,
    (count(*) FILTER (WHERE NOT isfinite(p.y)))::INTEGER AS nf,
    (count(*) FILTER (WHERE isfinite(p.y) AND p.y <= 0))::INTEGER AS np,
    min(p.x) AS vmin, max(p.x) AS vmax,
    min({'x': p.x, 'o': p.ord, 'y': p.y}) AS f, max({'x': p.x, 'o': p.ord, 'y': p.y}) AS l,
    min({'y': p.y, 'x': p.x}) FILTER (WHERE isfinite(p.y)) AS mn,
    min({'y': p.y, 'x': p.x}) FILTER (WHERE isfinite(p.y) AND p.y > 0) AS mp,
    max({'y': p.y, 'nx': -p.x}) FILTER (WHERE isfinite(p.y)) AS mx
  FROM points p JOIN (${from}) u ON p.series = u.series JOIN lod_series s ON p.series = s.series
  WHERE p.series BETWEEN $lo AND $hi AND p.x >= u.xstar
  GROUP BY p.series, b
)`, params, types);
  const top = await db.runAndReadAll(`SELECT coalesce(max(levels), 0) FROM lod_series WHERE series IN (SELECT DISTINCT series FROM lod_new)`);
  const levels = Number(top.getRows()[0][0]);
  // level lv from lv - 1: b >> 3 is floor(b / 8), also for negative b
  for (let lv = 2; lv <= levels; lv++) {
    await db.run(`
INSERT INTO lod_new
SELECT ${lv}::TINYINT, series, b, n, nf, np, vmin, vmax, f.y, l.y, mn.y, mn.x, mp.y, mp.x, mx.y, 0.0 - mx.nx
FROM (
  SELECT l.series, l.b >> 3 AS b, sum(l.n)::INTEGER AS n, sum(l.nf)::INTEGER AS nf, sum(l.np)::INTEGER AS np,
    min(l.vmin) AS vmin, max(l.vmax) AS vmax,
    min({'x': l.vmin, 'y': l.fy}) AS f, max({'x': l.vmax, 'y': l.ly}) AS l,
    min({'y': l.mny, 'x': l.mnx}) FILTER (WHERE l.mny IS NOT NULL) AS mn,
    min({'y': l.mpy, 'x': l.mpx}) FILTER (WHERE l.mpy IS NOT NULL) AS mp,
    max({'y': l.mxy, 'nx': -l.mxx}) FILTER (WHERE l.mxy IS NOT NULL) AS mx
  FROM lod_new l JOIN lod_series s ON l.series = s.series
  WHERE l.lv = ${lv - 1} AND s.levels >= ${lv}
  GROUP BY l.series, l.b >> 3
)`);
  }
  await db.run('INSERT INTO lod SELECT * FROM lod_new ORDER BY lv, series, b');
  await db.run('DROP TABLE lod_new');
}

/** What an ingest changed in one series: the least x of the points it added or removed. */
export interface LodChange {
  series: number;
  /** least x added (NaN: built again in full: some added x is not finite, or points were removed) */
  fromX: number;
}

/** a series whose top level would hold more blocks than this is built again in full */
const MAX_TOP_BLOCKS = 8 * TOP_BLOCKS;

/**
 * Keep the blocks equal to the points after an ingest, inside its transaction: a series with
 * blocks has them made again from the top-level block holding the least x touched (appended
 * points: usually the last top block only); a series without blocks, one whose new points bring
 * a non-finite x, one touched at or before its first x, or one grown past its top level's reach,
 * is built again in full (it may gain or lose its blocks).
 */
export async function updateLod(db: DuckDBConnection, changes: readonly LodChange[], whole: WholeSeries | null = null): Promise<void> {
  if (changes.length === 0) return;
  const lod = await readLodSeries(db);
  const full: number[] = [], part: { series: number; xstar: number }[] = [], arrays: SeriesArrays[] = [];
  for (const c of changes) {
    const s = lod.get(c.series);
    // new in this ingest and held whole (lodarrays.ts): built from its arrays
    const held = !s && Number.isFinite(c.fromX) ? whole?.take(c.series) : null;
    if (held) {
      arrays.push(held);
      continue;
    }
    const wt = s ? blockWidth(s, s.levels) : NaN;
    // from its first point on (a rewritten file, points before the old first): in full, so the
    // block width follows the density of the points as they are now
    if (!s || !Number.isFinite(c.fromX) || c.fromX <= s.xmin || (Math.max(s.xmax, c.fromX) - s.xmin) / wt > MAX_TOP_BLOCKS) full.push(c.series);
    else part.push({ series: c.series, xstar: Math.floor(c.fromX / wt) * wt });
  }
  if (part.length) {
    const params = { ids: listValue(part.map((p) => p.series)), xs: listValue(part.map((p) => p.xstar)) };
    const types = { ids: LIST(INTEGER), xs: LIST(DOUBLE) };
    await db.run('CREATE OR REPLACE TEMP TABLE lod_upd AS SELECT unnest($ids) AS series, unnest($xs) AS xstar', params, types);
    const ids = part.map((p) => p.series);
    await db.run(`DELETE FROM lod USING lod_upd u, lod_series s
      WHERE lod.series = u.series AND s.series = u.series AND lod.b >= floor(u.xstar / pow(2, s.k + 3 * (lod.lv - 1)))`);
    await writeBlocks(db, 'SELECT series, xstar FROM lod_upd', { lo: Math.min(...ids), hi: Math.max(...ids) }, { lo: INTEGER, hi: INTEGER });
    // the x range only widens here (a removal leaves it wider than the points: harmless, the
    // planner only bounds its work by it)
    // extents only widen here: what was removed was built again in full
    const widen = ['x', 't', 'w', 'e'].map((c) => `${c}min = least(lod_series.${c}min, r.${c}min), ${c}max = greatest(lod_series.${c}max, r.${c}max)`).join(', ');
    await db.run(`UPDATE lod_series SET ${widen}
      FROM (SELECT series, min(x) AS xmin, max(x) AS xmax, ${EXTENTS} FROM points
        WHERE series IN (SELECT series FROM lod_upd) AND x >= (SELECT min(xstar) FROM lod_upd) GROUP BY series) r
      WHERE lod_series.series = r.series`);
    await db.run('DROP TABLE lod_upd');
  }
  if (full.length) await rebuildLod(db, { series: full });
  if (arrays.length) await writeArrayBlocks(db, arrays, MIN_POINTS, LOD_FORMULAS);
}

/** The width in steps of a block of series `s` at level `lv` (level 1: 2^k; x8 a level). */
export function blockWidth(s: { k: number }, lv: number): number {
  return 2 ** (s.k + 3 * (lv - 1));
}

/** One row of lod_series, as the view planner reads it. */
export interface LodSeries {
  series: number;
  k: number;
  levels: number;
  xmin: number;
  xmax: number;
  /** points of the series */
  n: number;
}

/** Every series' block parameters (one row a series: held by the server, read again after ingest). */
export async function readLodSeries(db: DuckDBConnection): Promise<Map<number, LodSeries>> {
  const r = await db.runAndReadAll('SELECT series, k, levels, xmin, xmax, n FROM lod_series');
  const m = new Map<number, LodSeries>();
  for (const [series, k, levels, xmin, xmax, n] of r.getRows()) {
    m.set(Number(series), { series: Number(series), k: Number(k), levels: Number(levels), xmin: Number(xmin), xmax: Number(xmax), n: Number(n) });
  }
  return m;
}
