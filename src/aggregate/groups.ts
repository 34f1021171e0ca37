/**
 * The worker's aggregated groups: per chart, group and x column, the aggregate of its runs
 * (align.ts) as three curves (line, low and high edge of the band) that decimate, smooth and
 * hover like any stored series. Kept between views; after appends at the end of its runs only
 * the union x from the least previous last x on are computed again.
 */
import type { AggregateGroup, AggregateSpec } from '../protocol/messages';
import { Pyramid } from '../store/pyramid';
import { lowerBound } from '../store/search';
import { XColumn, type Series } from '../store/store';
import { aggregateRuns, appendedFrom, type AggParams, type Aggregated, type RunState } from './align';

/** A group's curves: each a Series of the union x (slot: the line's or the band's). */
export interface GroupCurves {
  name: string;
  line: Series;
  low: Series;
  high: Series;
  /** float64, before smoothing */
  result: Aggregated;
}

interface Entry {
  params: string;
  members: Series[];
  /** each member's n and rewrites when computed (the Series themselves change with appends) */
  runs: RunState[];
  curves: GroupCurves;
}

const entries = new Map<number, Map<string, Entry>>();

/** The chart's groups as curves, computed or brought up to date. */
export function groupCurves(chart: number, column: string, spec: AggregateSpec, log: boolean, groups: readonly AggregateGroup[], series: readonly Series[]): GroupCurves[] {
  const bySlot = new Map(series.map((s) => [s.slot, s]));
  let mine = entries.get(chart);
  if (!mine) entries.set(chart, (mine = new Map()));
  const p: AggParams = { line: spec.line, band: spec.band, log };
  const params = `${column}|${spec.line}|${spec.band}|${log}`;
  const out: GroupCurves[] = [];
  for (const g of groups) {
    const members = g.members.map((slot) => bySlot.get(slot)).filter((s): s is Series => s !== undefined && s.n > 0);
    const entry = update(mine.get(g.name), members, p, params, g);
    mine.set(g.name, entry);
    out.push(entry.curves);
  }
  return out;
}

/** A chart dropped or its series replaced: its groups go (kept until then, whatever a view asks). */
export function forgetGroups(chart: number): void {
  entries.delete(chart);
}

function update(e: Entry | undefined, members: Series[], p: AggParams, params: string, g: AggregateGroup): Entry {
  // the same runs (a Series has its n and rewrites): where they only grew
  const from = e && e.params === params && members.every((s, k) => s.id === e.members[k]?.id) ? appendedFrom(e.runs, members, (k, i) => members[k].col.x[i]) : null;
  // every view asks: with nothing appended (and the same slots) the curves stand
  if (e && from === Infinity && e.curves.line.slot === g.line && e.curves.low.slot === g.band) return e;
  const result = aggregateRuns(
    members.map((s) => ({ x: s.col.x, y: s.y, n: s.n })),
    p,
    from !== null && e ? { result: e.curves.result, fromX: from } : undefined,
  );
  // the union x below `keep` kept their values
  const keep = from !== null && e ? lowerBound(result.x, 0, result.length, from) : 0;
  const curves = e ? e.curves : undefined;
  const next: GroupCurves = {
    name: g.name,
    line: curve(curves?.line, `${g.name} line`, g.line, result, result.line, keep),
    low: curve(curves?.low, `${g.name} low`, g.band, result, result.low, keep),
    high: curve(curves?.high, `${g.name} high`, g.band, result, result.high, keep),
    result,
  };
  return { params, members, runs: members.map((s) => ({ n: s.n, rewrites: s.rewrites })), curves: next };
}

/**
 * One of the group's curves as a Series over the union x, its float32 values from `keep` on
 * written anew. The Series object stays the same across updates (the smoothing cache is keyed
 * by it).
 */
function curve(prev: Series | undefined, id: string, slot: number, r: Aggregated, values: Float64Array, keep: number): Series {
  const n = r.length;
  const reuse = prev !== undefined && prev.slot === slot && prev.y.length >= n && keep > 0;
  const y = reuse ? prev.y : new Float32Array(Math.max(n, Math.ceil(n * 1.5)));
  const start = reuse ? keep : 0;
  for (let i = start; i < n; i++) y[i] = values[i];
  let nonFinite = 0, nonPositive = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) nonFinite++;
    else if (y[i] <= 0) nonPositive++;
  }
  const col = new XColumn(r.x, n);
  if (!prev) return { id, slot, col, y, n, pyramid: new Pyramid(y, n), nonFinite, nonPositive, rewrites: 0, extra: new Map() };
  if (reuse) prev.pyramid.extend(y, start, n);
  else prev.pyramid = new Pyramid(y, n);
  // values before the old end changed (interpolations the new points reach): derived caches
  // (the smoothed curve) start over; values after it are appended
  if (start < prev.n) prev.rewrites++;
  Object.assign(prev, { slot, col, y, n, nonFinite, nonPositive });
  return prev;
}
