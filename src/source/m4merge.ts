/**
 * One M4 answer from answers for disjoint sets of series (a view whose series are answered by
 * different query paths: the level-of-detail tables for some, the raw points for others). Every
 * part is in ascending series order; so is the result.
 */
import { emptyBuckets, emptyPoints, emptyStats, type M4Buckets, type M4Points, type M4Result, type M4SeriesStats } from './m4';

export function mergeM4(parts: readonly M4Result[]): M4Result {
  const live = parts.filter((p) => p.series.id.length > 0);
  if (live.length === 1) return live[0];
  const ns = live.reduce((s, p) => s + p.series.id.length, 0);
  const nb = live.reduce((s, p) => s + p.buckets.series.length, 0);
  const np = live.reduce((s, p) => s + p.points.series.length, 0);
  // the series of all parts in ascending id: [part, index in part]
  const order: [number, number][] = [];
  live.forEach((p, k) => p.series.id.forEach((_, i) => order.push([k, i])));
  order.sort((a, b) => live[a[0]].series.id[a[1]] - live[b[0]].series.id[b[1]]);
  const stats = emptyStats(ns), buckets = emptyBuckets(nb), points = emptyPoints(np);
  // where each part's rows of series i start (rows are grouped by series in ascending id)
  const runs = live.map((p) => ({ b: rowsBySeries(p.buckets.series), p: rowsBySeries(p.points.series) }));
  let ib = 0, ip = 0;
  order.forEach(([k, i], j) => {
    const part = live[k], id = part.series.id[i];
    for (const key of Object.keys(stats) as (keyof M4SeriesStats)[]) stats[key][j] = part.series[key][i];
    const rb = runs[k].b.get(id);
    if (rb) ib = copyRows(part.buckets, buckets, rb, ib);
    const rp = runs[k].p.get(id);
    if (rp) ip = copyRows(part.points, points, rp, ip);
  });
  return { series: stats, buckets, points };
}

function rowsBySeries(series: Int32Array): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (let r = 0; r < series.length; r++) {
    const got = m.get(series[r]);
    if (got) got[1] = r + 1;
    else m.set(series[r], [r, r + 1]);
  }
  return m;
}

function copyRows<T extends M4Buckets | M4Points>(from: T, to: T, [a, b]: [number, number], at: number): number {
  for (const key of Object.keys(from) as (keyof T)[]) {
    const src = from[key] as unknown as Float64Array;
    (to[key] as unknown as Float64Array).set(src.subarray(a, b), at);
  }
  return at + (b - a);
}

/** The answer without the series in `drop`. */
export function withoutSeries(r: M4Result, drop: ReadonlySet<number>): M4Result {
  const keep = (series: Int32Array) => Array.from(series, (s, i) => (drop.has(s) ? -1 : i)).filter((i) => i >= 0);
  const pick = <T extends object>(from: T, rows: number[], make: (n: number) => T): T => {
    const to = make(rows.length);
    for (const key of Object.keys(from) as (keyof T)[]) {
      const src = from[key] as unknown as Float64Array, dst = to[key] as unknown as Float64Array;
      rows.forEach((r, j) => (dst[j] = src[r]));
    }
    return to;
  };
  return {
    series: pick(r.series, keep(r.series.id), emptyStats),
    buckets: pick(r.buckets, keep(r.buckets.series), emptyBuckets),
    points: pick(r.points, keep(r.points.series), emptyPoints),
  };
}
