/**
 * Hover on the server: for each series, the point nearest in x to the cursor, as the worker's
 * in-memory hover picks it (src/worker/hover.ts): among points with a finite y, the last one
 * before the cursor (x < cursor) and the first at or after it (x >= cursor), the nearer of the
 * two, the one before on a tie; order is the store's (x column, step, logged order). `index` is
 * the point's position among all the series' points in that order; `firstX` / `lastX` are the
 * x of the first and last points with a finite y.
 *
 * With `smoothing` (on), each point also carries the smoothed value there, the one the
 * smoothed view draws (hoversmooth.ts); smoothing off (weight 0, window 1: docs/semantics.md) gives no value.
 *
 * Every value a bound parameter, the x column a constant from X_COLUMNS. Series with level-of-
 * detail blocks on the step column are answered from the blocks and a window of raw points
 * around the cursor (`passOneFromBlocks`, one query); the others by plain aggregates over their
 * points, then only the points between the nearest x on each side (`passOne`, `passTwoSql`).
 */
import { BIGINT, BOOLEAN, DOUBLE, INTEGER, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { leftIsNearer } from '../coords';
import { smoothingOn } from '../smooth/params';
import type { HoverPoint, HoverQuery } from '../source/api';
import type { XColumnName } from '../source/m4';
import { smoothedAt } from './hoversmooth';
import { blockWidth, type LodSeries } from './lodbuild';
import { xColumnSql } from './schema';
import type { SmoothCache } from './smoothcache';
import { duckdbChunks, type PointChunks } from './smoothview';

const COLUMNS: XColumnName[] = ['x', 'time', 'wall', 'epoch'];

/**
 * Pass 1, plain aggregates over the series' points (no struct per point: those cost ten times
 * more): per series the first and last x with a finite y, the greatest such x before the cursor
 * (lm) and the least at or after it (rm), and how many points lie before the cursor (all, and
 * those with a finite x: the smoothed column's positions).
 */
function passOneSql(X: string): string {
  return `
SELECT series, min(v) FILTER (WHERE ok), max(v) FILTER (WHERE ok),
  max(v) FILTER (WHERE ok AND v < $c), min(v) FILTER (WHERE ok AND v >= $c),
  count(*) FILTER (WHERE v < $c), count(*) FILTER (WHERE v < $c AND isfinite(v))
FROM (
  SELECT series, ${X} AS v, isfinite(y) AND isfinite(${X}) AS ok FROM points
  WHERE series BETWEEN $lo AND $hi AND series IN (SELECT unnest($ids))
) GROUP BY series ORDER BY series`;
}

/**
 * Pass 2, only the points between lm and rm of each series (a window around the cursor: zonemaps
 * prune the scan to it): how many lie in [lm, cursor) and in [cursor, rm), and every point at lm
 * and at rm (ties among them are broken by (step, logged order) in JS).
 */
function passTwoSql(X: string): string {
  return `
WITH s AS (SELECT unnest($sids) AS series, unnest($lms) AS lm, unnest($rms) AS rm),
w AS MATERIALIZED (
  SELECT p.series, p.${X} AS v, p.x, p.ord, p.y, p.time, p.wall, p.epoch, s.lm, s.rm
  FROM points p JOIN s ON p.series = s.series
  WHERE p.series BETWEEN $lo AND $hi AND p.${X} >= $wa AND p.${X} <= $wb
    AND p.${X} >= coalesce(s.lm, $c) AND p.${X} <= coalesce(s.rm, $c)
)
SELECT 0 AS kind, series, count(*) FILTER (WHERE v >= lm AND v < $c) AS a, count(*) FILTER (WHERE v >= $c AND v < rm) AS b,
  NULL::DOUBLE AS v, NULL::DOUBLE AS x, NULL::BIGINT AS ord, NULL::FLOAT AS y, NULL::DOUBLE AS time, NULL::DOUBLE AS wall, NULL::DOUBLE AS epoch
FROM w GROUP BY series
UNION ALL
SELECT 1, series, 0, 0, v, x, ord, y, time, wall, epoch FROM w WHERE v = lm OR v = rm`;
}

export type Pt = { v: number; o: bigint; y: number; x: number; time: number | null; wall: number | null; epoch: number | null };

/** (x, ord) order of points at one view x */
const before = (a: Pt, b: Pt) => a.x < b.x || (a.x === b.x && a.o < b.o);

/** What the window around the cursor gives: counts in [lm, cursor) and [cursor, rm), the points at lm and rm. */
export interface Near {
  counts: Map<number, { a: number; b: number }>;
  at: Map<number, Pt[]>;
}

export function addPoint(near: Near, sid: number, p: Pt): void {
  const list = near.at.get(sid);
  if (list) list.push(p);
  else near.at.set(sid, [p]);
}

/** What the first pass gives per series. */
export interface PassOne {
  sid: number;
  first: number;
  last: number;
  lm: number | null;
  rm: number | null;
  nlt: number;
  nltFinite: number;
}

async function passOne(db: DuckDBConnection, X: string, ids: readonly number[], c: number): Promise<PassOne[]> {
  if (ids.length === 0) return [];
  const r1 = await db.runAndReadAll(passOneSql(X), { ids: listValue([...ids]), lo: ids[0], hi: ids[ids.length - 1], c }, {
    ids: LIST(INTEGER), lo: INTEGER, hi: INTEGER, c: DOUBLE,
  });
  return r1.getRows().map(([series, first, last, lm, rm, nlt, nltFinite]) => ({
    sid: Number(series), first: Number(first), last: Number(last), lm: lm === null ? null : Number(lm), rm: rm === null ? null : Number(rm),
    nlt: Number(nlt), nltFinite: Number(nltFinite),
  }));
}

/**
 * The first pass from the level-of-detail blocks, for series on the step column with at least
 * two levels: level 2's blocks (~128 points) give the points before and after a window of three
 * of them around the cursor and the first and last blocks holding a finite y; the window's raw
 * points give the nearest x on each side and the count before the cursor. A series is answered
 * here only when that is exact: a nearest point on each side within the window (or no point at
 * all beyond it on that side). The first / last x with a finite y is that of the first / last
 * block holding one when its first / last point has it, else looked up inside that block. The
 * others are left to the scan (`rest`).
 */
export async function passOneFromBlocks(db: DuckDBConnection, ids: readonly number[], c: number, lod: ReadonlyMap<number, LodSeries>): Promise<{ done: PassOne[]; near: Near; rest: number[] }> {
  const plan = ids.flatMap((sid) => {
    const s = lod.get(sid);
    if (!s || s.levels < 2) return [];
    const w = blockWidth(s, 2), b = Math.floor(c / w);
    return [{ sid, w, wa: b - 1, wb: b + 1 }];
  });
  const planned = new Set(plan.map((p) => p.sid));
  const rest = ids.filter((id) => !planned.has(id));
  const near: Near = { counts: new Map(), at: new Map() };
  if (plan.length === 0) return { done: [], near, rest };
  const sids = plan.map((p) => p.sid);
  const params = {
    sids: listValue(sids), ws: listValue(plan.map((p) => p.w)), was: listValue(plan.map((p) => BigInt(p.wa))), wbs: listValue(plan.map((p) => BigInt(p.wb))),
    lo: sids[0], hi: sids[sids.length - 1], c,
    xa: Math.min(...plan.map((p) => p.wa * p.w)), xb: Math.max(...plan.map((p) => (p.wb + 1) * p.w)),
  };
  // one query: per series its pass-one values (kind 2), and what pass two would read, from the
  // same window: the counts in [lm, cursor) and [cursor, rm) (kind 0), the points at lm and rm (kind 1)
  const r = await db.runAndReadAll(`
WITH s AS (SELECT unnest($sids) AS series, unnest($ws) AS w, unnest($was) AS wa, unnest($wbs) AS wb),
blocks AS (
  SELECT l.series, sum(l.n) FILTER (WHERE l.b < s.wa) AS nbefore, sum(l.n) FILTER (WHERE l.b > s.wb) AS nafter,
    arg_min({'x': l.vmin, 'y': l.fy, 'b': l.b}, l.b) FILTER (WHERE l.n > l.nf) AS f, arg_max({'x': l.vmax, 'y': l.ly, 'b': l.b}, l.b) FILTER (WHERE l.n > l.nf) AS t
  FROM lod l JOIN s ON l.series = s.series
  WHERE l.lv = 2 AND l.series BETWEEN $lo AND $hi GROUP BY l.series
),
wp AS MATERIALIZED (
  SELECT p.series, p.x, p.ord, p.y, p.time, p.wall, p.epoch
  FROM points p JOIN s ON p.series = s.series
  WHERE p.series BETWEEN $lo AND $hi AND p.x >= $xa AND p.x < $xb AND p.x >= s.wa * s.w AND p.x < (s.wb + 1) * s.w
),
win AS (
  SELECT series, max(x) FILTER (WHERE isfinite(y) AND x < $c) AS lm, min(x) FILTER (WHERE isfinite(y) AND x >= $c) AS rm,
    count(*) FILTER (WHERE x < $c) AS nlt
  FROM wp GROUP BY series
)
SELECT 2 AS kind, b.series, coalesce(b.nbefore, 0) AS i1, coalesce(b.nafter, 0) AS i2, coalesce(w.nlt, 0) AS i3,
  b.f.x AS d1, b.f.y AS d2, b.t.x AS d3, b.t.y AS d4, w.lm AS d5, w.rm AS d6, b.f.b AS ord, NULL::FLOAT AS y, b.t.b AS tb
FROM blocks b LEFT JOIN win w ON b.series = w.series
UNION ALL
SELECT 0, p.series, count(*) FILTER (WHERE p.x >= w.lm AND p.x < $c), count(*) FILTER (WHERE p.x >= $c AND p.x < w.rm), 0,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM wp p JOIN win w ON p.series = w.series GROUP BY p.series
UNION ALL
SELECT 1, p.series, 0, 0, 0, p.x, p.time, p.wall, p.epoch, NULL, NULL, p.ord, p.y, NULL
FROM wp p JOIN win w ON p.series = w.series WHERE p.x = w.lm OR p.x = w.rm`, params, {
    sids: LIST(INTEGER), ws: LIST(DOUBLE), was: LIST(BIGINT), wbs: LIST(BIGINT), lo: INTEGER, hi: INTEGER, c: DOUBLE, xa: DOUBLE, xb: DOUBLE,
  });
  const done: PassOne[] = [], answered = new Set<number>();
  // series whose first / last block with a finite y starts / ends with a non-finite y: the first /
  // last finite y lies inside that block (it has one): looked up there, one query for all
  const inside: { sid: number; b: number; w: number; last: boolean }[] = [];
  const wOf = new Map(plan.map((p) => [p.sid, p.w]));
  for (const [kind, series, i1, i2, i3, d1, d2, d3, d4, d5, d6, ord, y, tb] of r.getRows()) {
    const sid = Number(series);
    if (Number(kind) === 0) near.counts.set(sid, { a: Number(i1), b: Number(i2) });
    else if (Number(kind) === 1) addPoint(near, sid, { v: Number(d1), o: BigInt(ord as bigint), y: Number(y), x: Number(d1), time: d2 as number | null, wall: d3 as number | null, epoch: d4 as number | null });
    else {
      answered.add(sid);
      const [nbefore, nafter, nlt, fx, fy, tx, ty, lm, rm] = [i1, i2, i3, d1, d2, d3, d4, d5, d6];
      if (fx === null) continue; // no finite y at all: nothing to hover
      const exact = (lm !== null || Number(nbefore) === 0) && (rm !== null || Number(nafter) === 0);
      if (!exact) {
        rest.push(sid);
        continue;
      }
      if (!Number.isFinite(Number(fy))) inside.push({ sid, b: Number(ord), w: wOf.get(sid)!, last: false });
      if (!Number.isFinite(Number(ty))) inside.push({ sid, b: Number(tb), w: wOf.get(sid)!, last: true });
      // every x of a series with blocks is finite: both counts are the same
      const ahead = Number(nbefore) + Number(nlt);
      done.push({ sid, first: Number(fx), last: Number(tx), lm: lm === null ? null : Number(lm), rm: rm === null ? null : Number(rm), nlt: ahead, nltFinite: ahead });
    }
  }
  if (inside.length) {
    const got = (await db.runAndReadAll(`
WITH k AS (SELECT unnest($sids) AS series, unnest($from) AS a, unnest($to) AS z, unnest($last) AS last)
SELECT k.series, k.last, CASE WHEN k.last THEN max(p.x) ELSE min(p.x) END
FROM points p JOIN k ON p.series = k.series
WHERE p.series BETWEEN $lo AND $hi AND p.x >= k.a AND p.x < k.z AND isfinite(p.y) GROUP BY k.series, k.last`, {
      sids: listValue(inside.map((i) => i.sid)), from: listValue(inside.map((i) => i.b * i.w)), to: listValue(inside.map((i) => (i.b + 1) * i.w)),
      last: listValue(inside.map((i) => i.last)), lo: Math.min(...inside.map((i) => i.sid)), hi: Math.max(...inside.map((i) => i.sid)),
    }, { sids: LIST(INTEGER), from: LIST(DOUBLE), to: LIST(DOUBLE), last: LIST(BOOLEAN), lo: INTEGER, hi: INTEGER })).getRows();
    const bySid = new Map(done.map((d) => [d.sid, d]));
    for (const [series, last, x] of got) {
      const d = bySid.get(Number(series))!;
      if (last) d.last = Number(x);
      else d.first = Number(x);
    }
  }
  for (const sid of sids) if (!answered.has(sid)) rest.push(sid);
  // series left to the scan: pass two reads their window, not this one
  for (const sid of rest) {
    near.counts.delete(sid);
    near.at.delete(sid);
  }
  return { done, near, rest: rest.sort((a, b) => a - b) };
}

export async function hoverQuery(db: DuckDBConnection, q: HoverQuery, cache: SmoothCache, lod: ReadonlyMap<number, LodSeries> = new Map()): Promise<HoverPoint[]> {
  const X = xColumnSql(q.xColumn);
  const ids = [...new Set(q.series)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const fast = q.xColumn === 'x' ? await passOneFromBlocks(db, ids, q.x, lod) : { done: [], near: { counts: new Map(), at: new Map() } as Near, rest: ids };
  const scanned = (await passOne(db, X, fast.rest, q.x)).filter((s) => s.lm !== null || s.rm !== null);
  const one = [...fast.done, ...scanned].sort((a, b) => a.sid - b.sid);
  if (one.length === 0) return [];
  const { counts } = fast.near;
  if (scanned.length > 0) {
    // [lm, rm] of every series, or the cursor where a side has no point: [lm, cursor) and [cursor, rm) are counted
    const wa = Math.min(...scanned.map((s) => s.lm ?? q.x)), wb = Math.max(...scanned.map((s) => s.rm ?? q.x));
    const sids = scanned.map((s) => s.sid);
    const r2 = await db.runAndReadAll(passTwoSql(X), {
      sids: listValue(sids), lms: listValue(scanned.map((s) => s.lm)), rms: listValue(scanned.map((s) => s.rm)),
      lo: sids[0], hi: sids[sids.length - 1], wa, wb, c: q.x,
    }, { sids: LIST(INTEGER), lms: LIST(DOUBLE), rms: LIST(DOUBLE), lo: INTEGER, hi: INTEGER, wa: DOUBLE, wb: DOUBLE, c: DOUBLE });
    for (const [kind, series, a, b, v, x, ord, y, time, wall, epoch] of r2.getRows()) {
      const sid = Number(series);
      if (Number(kind) === 0) counts.set(sid, { a: Number(a), b: Number(b) });
      else addPoint(fast.near, sid, { v: Number(v), o: BigInt(ord as bigint), y: Number(y), x: Number(x), time: time as number | null, wall: wall as number | null, epoch: epoch as number | null });
    }
  }
  return hoverAnswer(q, one, fast.near, duckdbChunks(db), cache);
}

/**
 * The hovered point of each series from the first pass and the window around the cursor (any
 * store's): the rule of the worker's hover, the index in store order, and with smoothing the
 * smoothed value there (read from `points` through the smoothing cache).
 */
export async function hoverAnswer(q: HoverQuery, one: readonly PassOne[], near: Near, points: PointChunks, cache: SmoothCache): Promise<HoverPoint[]> {
  const { counts, at } = near;
  const finite = (p: Pt) => p.y - p.y === 0;
  const found: { sid: number; p: Pt; first: number; last: number; index: number; pos: number }[] = [];
  for (const s of one) {
    const pts = at.get(s.sid) ?? [];
    // before the cursor: the last in order among points at lm with a finite y; after: the first at rm
    let lo: Pt | null = null, hi: Pt | null = null;
    for (const p of pts) {
      if (!finite(p)) continue;
      if (p.v === s.lm && (!lo || before(lo, p))) lo = p;
      if (p.v === s.rm && (!hi || before(p, hi))) hi = p;
    }
    const p = !lo ? hi : !hi ? lo : leftIsNearer(q.x, lo.v, hi.v, q.xScale ?? 'linear') ? lo : hi;
    if (!p) continue;
    const c = counts.get(s.sid) ?? { a: 0, b: 0 };
    // points before p in store order: those before its x, then those at its x ahead of it
    const ahead = pts.filter((o) => o.v === p.v && before(o, p)).length;
    const shift = p === lo ? -c.a : c.b;
    found.push({ sid: s.sid, p, first: s.first, last: s.last, index: s.nlt + shift + ahead, pos: s.nltFinite + shift + ahead });
  }
  const sm = q.smoothing && smoothingOn(q.smoothing) ? q.smoothing : null;
  const smoothed = sm ? await smoothedAt(points, q.xColumn, sm, found.map((f) => ({ sid: f.sid, pos: f.pos, v: f.p.v })), cache) : null;
  return found.map(({ sid, p, first, last, index }) => {
    const columns: HoverPoint['columns'] = {};
    for (const c of COLUMNS) {
      const v = p[c];
      if (v !== null && v !== undefined) columns[c] = Number(v);
    }
    const point: HoverPoint = { sid, index, x: p.v, y: Number(p.y), columns, firstX: first, lastX: last };
    if (smoothed) {
      const s = smoothed.get(sid) ?? NaN;
      point.smoothed = Number.isFinite(s) ? s : null;
    }
    return point;
  });
}
