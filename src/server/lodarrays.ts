/**
 * The level-of-detail blocks (lodbuild.ts) of series that arrive whole in one ingest, built in JS
 * from the arrays the loaders produced, before they are dropped: a new run's log file, the usual
 * ingest. The SQL build reads those points back and orders structs over every one of them (most
 * of an ingest's time: 3.8 of 11.7 s for 5 runs of 1e6 CSV points here); in JS it is one pass
 * over arrays already in store order.
 *
 * `WholeSeries` watches what the point writer stages and keeps (copies of) the points of each
 * series that started at ordinal 0 in this ingest (so it had no points before: ordinals only
 * grow) and arrives in store order: x non-decreasing across its batches, ordinals contiguous (so
 * batch order is (x, ordinal) order). It gives up on a series that breaks either, that holds a
 * -0 y (struct comparisons in SQL may order -0 and 0 either way; the SQL build decides those),
 * and on everything past `budget` points (the rest is built in SQL as before).
 *
 * `writeArrayBlocks` writes their lod_series rows (k and levels by the SQL formulas of
 * lodbuild.ts, from n and the x range counted here) and every level's blocks, by the rules the
 * SQL build states (lodbuild.ts): the first / last point's y, the least finite y at its least x,
 * the same over y > 0, the greatest finite y at its least x; a level from the one below. The
 * tests hold them equal to a build from scratch in SQL after every kind of ingest
 * (test/unit/server-lod-ingest.test.ts).
 */
import { BIGINT, DOUBLE, FLOAT, INTEGER, LIST, listValue, TINYINT, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { appendColumns } from './appendcolumns';
import type { PointBatch } from './pointbatch';

/** The SQL of k and levels (lodbuild.ts LOD_FORMULAS). */
export interface LodFormulas {
  k(n: string, xmin: string, xmax: string): string;
  levels(k: string, xmin: string, xmax: string): string;
}

type Extent = [number, number] | null;

/** A series being held: its points so far (copies) and the finite extents of its other x columns. */
interface Held {
  x: Float64Array[];
  y: Float32Array[];
  /** points held = the ordinal its next batch must start at (it started at 0) */
  n: number;
  lastX: number;
  ext: { time: Extent; wall: Extent; epoch: Extent };
}

/** One series whole: its points in store order. */
export interface SeriesArrays {
  series: number;
  x: Float64Array;
  y: Float32Array;
  /** finite extents of time, wall, epoch (null: none finite) */
  ext: Held['ext'];
}

/** The extent `e` widened by the finite values of `v`. */
function widen(e: Extent, v: Float64Array | null): Extent {
  if (!v) return e;
  for (let i = 0; i < v.length; i++) {
    const t = v[i];
    if (t - t !== 0) continue;
    if (!e) e = [t, t];
    else if (t < e[0]) e[0] = t;
    else if (t > e[1]) e[1] = t;
  }
  return e;
}

export class WholeSeries {
  private readonly held = new Map<number, Held | null>();
  private points = 0;

  constructor(private readonly budget = 1 << 24) {}

  add(b: PointBatch): void {
    const n = b.x.length;
    if (n === 0) return;
    let h = this.held.get(b.series);
    if (h === null) return;
    if (h === undefined) h = { x: [], y: [], n: 0, lastX: -Infinity, ext: { time: null, wall: null, epoch: null } };
    let ok = b.firstOrd === h.n && this.points + n <= this.budget;
    let last = h.lastX;
    for (let i = 0; ok && i < n; i++) {
      const x = b.x[i], y = b.y[i];
      if (!(x >= last) || (y === 0 && 1 / y < 0)) ok = false;
      last = x;
    }
    if (!ok) {
      this.points -= h.n;
      this.held.set(b.series, null);
      return;
    }
    h.x.push(b.x.slice());
    h.y.push(b.y.slice());
    h.ext = { time: widen(h.ext.time, b.time), wall: widen(h.ext.wall, b.wall), epoch: widen(h.ext.epoch, b.epoch) };
    h.n += n;
    h.lastX = last;
    this.points += n;
    this.held.set(b.series, h);
  }

  /** The series held whole (its parts joined, then let go). */
  take(series: number): SeriesArrays | null {
    const h = this.held.get(series);
    this.held.delete(series);
    if (!h) return null;
    this.points -= h.n;
    const x = new Float64Array(h.n), y = new Float32Array(h.n);
    let at = 0;
    for (let k = 0; k < h.x.length; k++) {
      x.set(h.x[k], at);
      y.set(h.y[k], at);
      at += h.x[k].length;
    }
    return { series, x, y, ext: h.ext };
  }
}

/** Blocks of one level of one series, column-wise; NaN in mny .. mxx: none (NULL in lod). */
interface Blocks {
  b: Float64Array;
  n: Int32Array;
  nf: Int32Array;
  np: Int32Array;
  vmin: Float64Array;
  vmax: Float64Array;
  fy: Float32Array;
  ly: Float32Array;
  mny: Float32Array;
  mnx: Float64Array;
  mpy: Float32Array;
  mpx: Float64Array;
  mxy: Float32Array;
  mxx: Float64Array;
  length: number;
}

function emptyBlocks(cap: number): Blocks {
  return {
    b: new Float64Array(cap), n: new Int32Array(cap), nf: new Int32Array(cap), np: new Int32Array(cap),
    vmin: new Float64Array(cap), vmax: new Float64Array(cap), fy: new Float32Array(cap), ly: new Float32Array(cap),
    mny: new Float32Array(cap), mnx: new Float64Array(cap), mpy: new Float32Array(cap), mpx: new Float64Array(cap),
    mxy: new Float32Array(cap), mxx: new Float64Array(cap), length: 0,
  };
}

/** Level 1: blocks of width 2^k over points in store order. */
export function levelOne(x: Float64Array, y: Float32Array, k: number): Blocks {
  const w = 2 ** k;
  const n = x.length;
  // blocks are value ranges: at most one a point, and no more than the x range holds
  const out = emptyBlocks(Math.min(n, Math.floor(x[n - 1] / w) - Math.floor(x[0] / w) + 1));
  let j = -1, cur = NaN;
  for (let i = 0; i < n; i++) {
    const xi = x[i], yi = y[i];
    const b = Math.floor(xi / w);
    if (b !== cur) {
      j++;
      cur = b;
      out.b[j] = b;
      out.vmin[j] = xi;
      out.fy[j] = yi;
      out.mny[j] = out.mnx[j] = out.mpy[j] = out.mpx[j] = out.mxy[j] = out.mxx[j] = NaN;
    }
    out.n[j]++;
    out.vmax[j] = xi;
    out.ly[j] = yi;
    if (yi - yi !== 0) {
      out.nf[j]++;
      continue;
    }
    if (yi <= 0) out.np[j]++;
    // strict: at equal y the earlier point (the least x) stays; NaN: none yet
    if (!(out.mny[j] <= yi)) { out.mny[j] = yi; out.mnx[j] = xi; }
    if (yi > 0 && !(out.mpy[j] <= yi)) { out.mpy[j] = yi; out.mpx[j] = xi; }
    if (!(out.mxy[j] >= yi)) { out.mxy[j] = yi; out.mxx[j] = xi; }
  }
  out.length = j + 1;
  return out;
}

/** The level above `lo`: blocks b >> 3, their parts combined (children are in x order). */
export function levelUp(lo: Blocks): Blocks {
  const out = emptyBlocks(lo.length);
  let j = -1, cur = NaN;
  for (let i = 0; i < lo.length; i++) {
    const b = Math.floor(lo.b[i] / 8);
    if (b !== cur) {
      j++;
      cur = b;
      out.b[j] = b;
      out.vmin[j] = lo.vmin[i];
      out.fy[j] = lo.fy[i];
      out.mny[j] = out.mnx[j] = out.mpy[j] = out.mpx[j] = out.mxy[j] = out.mxx[j] = NaN;
    }
    out.n[j] += lo.n[i];
    out.nf[j] += lo.nf[i];
    out.np[j] += lo.np[i];
    out.vmax[j] = lo.vmax[i];
    out.ly[j] = lo.ly[i];
    if (!(out.mny[j] <= lo.mny[i]) && lo.mny[i] === lo.mny[i]) { out.mny[j] = lo.mny[i]; out.mnx[j] = lo.mnx[i]; }
    if (!(out.mpy[j] <= lo.mpy[i]) && lo.mpy[i] === lo.mpy[i]) { out.mpy[j] = lo.mpy[i]; out.mpx[j] = lo.mpx[i]; }
    if (!(out.mxy[j] >= lo.mxy[i]) && lo.mxy[i] === lo.mxy[i]) { out.mxy[j] = lo.mxy[i]; out.mxx[j] = lo.mxx[i]; }
  }
  out.length = j + 1;
  return out;
}

const STAGE: [string, DuckDBType][] = [
  ['lv', TINYINT], ['series', INTEGER], ['b', BIGINT], ['n', INTEGER], ['nf', INTEGER], ['np', INTEGER],
  ['vmin', DOUBLE], ['vmax', DOUBLE], ['fy', FLOAT], ['ly', FLOAT], ['mny', FLOAT], ['mnx', DOUBLE],
  ['mpy', FLOAT], ['mpx', DOUBLE], ['mxy', FLOAT], ['mxx', DOUBLE],
];

/**
 * Blocks and lod_series rows for series held whole (no blocks before); those too small for
 * blocks (fewer than `minPoints`, one x) get none, as in SQL. `formulas`: lodbuild.ts's SQL for
 * k and levels from (n, xmin, xmax), evaluated by DuckDB so both builds agree to the bit.
 */
export async function writeArrayBlocks(db: DuckDBConnection, list: readonly SeriesArrays[], minPoints: number, formulas: LodFormulas): Promise<void> {
  const some = list.filter((s) => s.x.length >= minPoints && s.x[s.x.length - 1] > s.x[0]);
  if (some.length === 0) return;
  const col = (f: (s: SeriesArrays) => number | null) => some.map(f);
  const params = {
    ids: listValue(col((s) => s.series)), ns: listValue(col((s) => s.x.length)),
    x0: listValue(col((s) => s.x[0])), x1: listValue(col((s) => s.x[s.x.length - 1])),
    ...Object.fromEntries((['time', 'wall', 'epoch'] as const).flatMap((c) => [
      [`${c[0]}0`, listValue(col((s) => s.ext[c]?.[0] ?? null))], [`${c[0]}1`, listValue(col((s) => s.ext[c]?.[1] ?? null))],
    ])),
  };
  const types = {
    ids: LIST(INTEGER), ns: LIST(BIGINT), x0: LIST(DOUBLE), x1: LIST(DOUBLE),
    t0: LIST(DOUBLE), t1: LIST(DOUBLE), w0: LIST(DOUBLE), w1: LIST(DOUBLE), e0: LIST(DOUBLE), e1: LIST(DOUBLE),
  };
  const rows = (await db.runAndReadAll(`
INSERT INTO lod_series (series, k, levels, n, xmin, xmax, ext, tmin, tmax, wmin, wmax, emin, emax)
SELECT series, k, ${formulas.levels('k', 'xmin', 'xmax')}, n, xmin, xmax, TRUE, tmin, tmax, wmin, wmax, emin, emax
FROM (
  SELECT *, ${formulas.k('n', 'xmin', 'xmax')} AS k FROM (
    SELECT unnest($ids) AS series, unnest($ns) AS n, unnest($x0) AS xmin, unnest($x1) AS xmax,
      unnest($t0) AS tmin, unnest($t1) AS tmax, unnest($w0) AS wmin, unnest($w1) AS wmax, unnest($e0) AS emin, unnest($e1) AS emax
  )
)
RETURNING series, k, levels`, params, types)).getRows();
  const plan = new Map(rows.map(([s, k, levels]) => [Number(s), { k: Number(k), levels: Number(levels) }]));
  await db.run(`CREATE OR REPLACE TEMP TABLE lod_js(${STAGE.map(([n, t]) => `${n} ${t.toString()}`).join(', ')})`);
  const appender = await db.createAppender('lod_js');
  try {
    for (const s of some) {
      const p = plan.get(s.series)!;
      let level = levelOne(s.x, s.y, p.k);
      for (let lv = 1; lv <= p.levels; lv++) {
        if (lv > 1) level = levelUp(level);
        const m = level.length;
        const b = BigInt64Array.from(level.b.subarray(0, m), (v) => BigInt(v));
        appendColumns(appender, STAGE.map((c) => c[1]), [
          new Int8Array(m).fill(lv), new Int32Array(m).fill(s.series), b, level.n, level.nf, level.np,
          level.vmin, level.vmax, level.fy, level.ly, level.mny, level.mnx, level.mpy, level.mpx, level.mxy, level.mxx,
        ], m);
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  const nul = (c: string) => `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END`;
  await db.run(`INSERT INTO lod SELECT lv, series, b, n, nf, np, vmin, vmax, fy, ly,
    ${['mny', 'mnx', 'mpy', 'mpx', 'mxy', 'mxx'].map(nul).join(', ')} FROM lod_js ORDER BY lv, series, b`);
  await db.run('DROP TABLE lod_js');
}
