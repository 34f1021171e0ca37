/**
 * A view of a chart with source series (docs/worker-protocol.md, `set` with `sources`): the
 * worker holds none of their points, so it fits x from the listed extents, asks each server for
 * the view's M4 answer (POST /api/view: the sids in view, the x column, x0/x1 = the x domain,
 * W = plot width in device px, the y scale), and draws the answer with the held series through
 * the one decimation (decimate/m4curves.ts).
 *
 * One request per server per view: the M4 answer does not depend on the y domain, so y is
 * fitted afterwards from the answer exactly as the in-memory fitter fits it from the pyramid
 * (padding and ignoreOutliers included), and the request never goes out twice.
 *
 * FrameInfo counts every point of the chart (as frameStats does for held series): the source
 * series' totals come from one extra request over their whole extent (W = 1), asked once per
 * series list, x column and y scale, and again after they grew (forgetTotals); `bytes` is what
 * this view's answers took. A listed series missing from that answer is no longer on its server:
 * the frame names it (`missing`) and draws the rest. A series the server could not answer now
 * (a ClickHouse shard down: named in the answer's header) is named in `unanswered`, not drawn,
 * and its counts are asked again with the next frame.
 *
 * Smoothing (when on, smoothingOn): the server smooths its series over every point (ViewQuery.smoothing,
 * with R = the x-extent of all series of the chart, held and not, hidden too, as the cpu
 * backend takes it) and answers the M4 of the smoothed series; that answer is drawn in the
 * smoothed slots (slot + S) and the raw view, asked beside it when `showRaw`, faint behind.
 */
import type { ScaleType } from '../coords';
import { padDomain, xExtent } from '../decimate/fit';
import { m4Curves } from '../decimate/m4curves';
import type { FrameStats, SourceGrowth, SourcePayload } from '../protocol/messages';
import type { ViewQuery } from '../source/api';
import type { GpuLayout } from '../smooth/layout';
import { smoothingOn } from '../smooth/params';
import type { XColumnName } from '../source/m4';
import type { Series } from '../store/store';
import { frameReply, type ViewMessage } from './frame';
import { fetchView } from './sourcefetch';
import { groupViews, localGroups, sourceGroups } from './sourcegroups';

/** per chart: totals of its source series (and those the server no longer has), by url, x column, y scale and sids */
const totals = new Map<number, Map<string, Promise<Totals>>>();

/** A server's counts of a chart's series; `unanswered`: sids it could not count now (a shard down) */
interface Totals {
  stats: FrameStats;
  missing: string[];
  unanswered: number[];
}

/** per chart: on a log x axis, what the listed extents do not say about x <= 0 (logXFacts) */
const logFacts = new Map<number, Map<string, Promise<Map<number, { nonPositive: number; firstPositive: number }>>>>();

/** The answer kept for (chart, key), asked with `ask` when there is none; a failed one is asked again next time. */
function once<T>(cache: Map<number, Map<string, Promise<T>>>, chart: number, key: string, ask: () => Promise<T>): Promise<T> {
  let per = cache.get(chart);
  if (!per) cache.set(chart, (per = new Map()));
  const known = per.get(key);
  if (known) return known;
  const p = ask();
  p.catch(() => per.delete(key));
  per.set(key, p);
  return p;
}

export function forgetTotals(chart: number): void {
  totals.delete(chart);
  logFacts.delete(chart);
}

/** New listed values for a chart's source series of `url` (live `grew`, a reconnect): replace the held ones. */
export function sourceGrew(chart: number, list: readonly SourcePayload[], url: string, growth: readonly SourceGrowth[]): void {
  const byId = new Map(growth.map((g) => [g.id, g]));
  for (const s of list) {
    const g = s.source.url === url ? byId.get(s.id) : undefined;
    if (!g) continue;
    s.source.sid = g.sid;
    s.source.points = g.points;
    s.source.extent = { ...s.source.extent, ...g.extent };
  }
  forgetTotals(chart); // counted again, by the server
}

/** The source series of a list that have the x column in use, grouped by server. */
export function byServer(sources: readonly SourcePayload[], column: string): Map<string, SourcePayload[]> {
  const out = new Map<string, SourcePayload[]>();
  for (const s of sources) {
    if (!s.source.xColumns.includes(column) || !s.source.extent[column]) continue;
    const list = out.get(s.source.url);
    if (list) list.push(s);
    else out.set(s.source.url, [s]);
  }
  return out;
}

export async function sourceFrame(msg: ViewMessage, held: Series[], sources: readonly SourcePayload[], layout: GpuLayout | null) {
  const v = msg.view;
  const column = v.xColumn ?? 'x';
  const servers = byServer(sources, column);
  const hidden = new Set(v.hidden);
  // on a log x axis: per server, the points at x <= 0 (counted, left of every view) and the
  // least x > 0 of each series that has both (where a fitted view starts)
  const logX = v.xScale === 'log' ? await Promise.all([...servers].map(([url, list]) => logXFacts(msg.chart, url, list, column))) : [];
  const xDomain = v.xDomain ? [v.xDomain[0], v.xDomain[1]] as [number, number] : fitSourceX(held, sources, column, hidden, v.xScale, logX);
  const W = Math.max(1, Math.floor(v.width));
  const range = chartRange(held, sources, column);
  const sm = v.smoothing && smoothingOn(v.smoothing) ? { ...v.smoothing, range } : null;
  const S = v.slots ?? held.length + sources.length;
  // groups of source runs are aggregated by their server; with their runs hidden those runs are not asked for
  const groups = sourceGroups(v.aggregate, sources, column);
  const skip = new Set(v.aggregate?.runs === 'hidden' ? groups.flatMap((g) => g.group.members) : []);
  const groupAsk = groups.length
    ? groupViews(v.aggregate!, groups, { xColumn: column as XColumnName, x0: xDomain[0], x1: xDomain[1], W, yScale: v.yScale, ...(v.xScale === 'log' && { xScale: 'log' as const }) }, sm)
    : Promise.resolve([]);
  const asks: Promise<{ curves: Series[]; bytes: number; unanswered: string[] }>[] = [];
  const stats: Promise<Totals & { ids: Map<number, string> }>[] = [];
  for (const [url, list] of servers) {
    const visible = list.filter((s) => !hidden.has(s.slot) && !skip.has(s.slot));
    const bySid = new Map(visible.map((s) => [s.source.sid, s]));
    if (visible.length) {
      const q: ViewQuery = { series: [...bySid.keys()], xColumn: column as XColumnName, x0: xDomain[0], x1: xDomain[1], W, yScale: v.yScale, ...(v.xScale === 'log' && { xScale: 'log' as const }) };
      // the raw view, unless smoothed without it; the smoothed one beside it (same columns)
      const idsOf = (sids: number[]) => sids.flatMap((sid) => bySid.get(sid)?.id ?? []);
      if (!sm || v.showRaw !== false) asks.push(fetchView(url, q).then(({ result, bytes, unanswered }) => ({ curves: m4Curves(result, (sid) => bySid.get(sid)), bytes, unanswered: idsOf(unanswered) })));
      if (sm) asks.push(fetchView(url, { ...q, smoothing: sm }).then(({ result, bytes, unanswered }) => ({ curves: m4Curves(result, (sid) => bySid.get(sid), S), bytes, unanswered: idsOf(unanswered) })));
    }
    const ids = new Map(list.map((s) => [s.source.sid, s.id]));
    stats.push(sourceTotals(msg.chart, url, list, column, v.yScale).then((t) => ({ ...t, ids })));
  }
  // together: a failed ask rejects the frame once, and no other rejection is left unawaited
  const [answers, counted, grouped] = await Promise.all([Promise.all(asks), Promise.all(stats), groupAsk]);
  const sum: FrameStats = { points: 0, nonFinite: 0, nonPositive: 0, bytes: 0 };
  const missing = new Set(counted.flatMap((t) => t.missing));
  // not answered now (a shard down): neither drawn nor gone; the chart says so and asks again
  const unanswered = new Set([
    ...answers.flatMap((a) => a.unanswered), ...counted.flatMap((t) => t.unanswered.flatMap((sid) => t.ids.get(sid) ?? [])), ...grouped.flatMap((g) => g.unanswered),
  ]);
  // counts kept from before (or partial ones) are not kept: the next frame (the chart asks again) counts anew
  if (unanswered.size) forgetTotals(msg.chart);
  for (const { stats: t } of counted) { sum.points += t.points; sum.nonFinite += t.nonFinite; sum.nonPositive += t.nonPositive; }
  // as frameStats counts held series on a log x axis: points at x <= 0 too
  for (const facts of logX) for (const f of facts.values()) sum.nonPositive += f.nonPositive;
  for (const a of [...answers, ...grouped]) sum.bytes += a.bytes;
  const curves = answers.flatMap((a) => a.curves).filter((c) => !missing.has(c.id));
  // the worker aggregates the other groups; the servers' come drawn (their runs, hidden, were not asked for)
  const local = v.aggregate && groups.length ? { ...msg, view: { ...v, aggregate: localGroups(v.aggregate, groups) } } : msg;
  return frameReply(local, held, layout, {
    curves, xDomain, stats: sum, range, serverSmoothed: sm !== null, missing: [...missing], unanswered: [...unanswered], groups: grouped.flatMap((g) => g.lines),
  });
}

/** R of the time-weighted mode: the x-extent of every series of the chart on the column, hidden ones too. */
export function chartRange(held: readonly Series[], sources: readonly SourcePayload[], column: string): number {
  let lo = Infinity, hi = -Infinity;
  for (const s of held) {
    if (s.n === 0) continue;
    lo = Math.min(lo, s.col.x[0]);
    hi = Math.max(hi, s.col.x[s.n - 1]);
  }
  for (const s of sources) {
    const e = s.source.extent[column];
    if (!e) continue;
    lo = Math.min(lo, e[0]);
    hi = Math.max(hi, e[1]);
  }
  return hi > lo ? hi - lo : 0;
}

/**
 * The x domain fitting the visible held series and the listed extents of the visible source
 * series, as fitX fits held series: on a log x axis from each series' least x > 0 (`logX`).
 */
function fitSourceX(
  held: readonly Series[], sources: readonly SourcePayload[], column: string, hidden: Set<number>, scale: ScaleType,
  logX: readonly Map<number, { firstPositive: number }>[],
): [number, number] {
  let [lo, hi] = xExtent(held.filter((s) => !hidden.has(s.slot)), scale);
  const firstPositive = new Map<number, number>();
  for (const facts of logX) for (const [slot, f] of facts) firstPositive.set(slot, f.firstPositive);
  for (const s of sources) {
    const e = s.source.extent[column];
    if (!e || hidden.has(s.slot)) continue;
    const first = scale === 'linear' || e[0] > 0 ? e[0] : firstPositive.get(s.slot) ?? NaN;
    if (!(first <= e[1])) continue; // on log: no x > 0
    lo = Math.min(lo, first);
    hi = Math.max(hi, e[1]);
  }
  return padDomain(lo, hi, scale, 0);
}

/**
 * On a log x axis, per slot of the series of `url` whose listed extent starts at x <= 0: how many
 * points lie at x <= 0 (FrameInfo counts them as held series' are) and the least x > 0 (NaN:
 * none). One M4 view of one column over [least x, 0] answers both: its count, and the first point
 * right of it. Asked once per series list and x column, like the totals.
 */
function logXFacts(chart: number, url: string, list: readonly SourcePayload[], column: string) {
  const some = list.filter((s) => s.source.extent[column]![0] <= 0);
  const key = `${url} ${column} ${some.map((s) => s.source.sid).join(',')}`;
  return once(logFacts, chart, key, async () => {
    const out = new Map<number, { nonPositive: number; firstPositive: number }>();
    if (some.length === 0) return out;
    const lo = Math.min(-1, ...some.map((s) => s.source.extent[column]![0]));
    const bySid = new Map(some.map((s) => [s.source.sid, s.slot]));
    const { result: r } = await fetchView(url, { series: [...bySid.keys()], xColumn: column as XColumnName, x0: lo, x1: 0, W: 1, yScale: 'linear' });
    for (let i = 0; i < r.series.id.length; i++) {
      const slot = bySid.get(r.series.id[i]);
      if (slot !== undefined) out.set(slot, { nonPositive: r.series.n[i], firstPositive: r.series.afterX[i] });
    }
    return out;
  });
}

/** Every point of these series on the column, counted by the server (one column over the whole extent). */
function sourceTotals(chart: number, url: string, list: readonly SourcePayload[], column: string, yScale: 'linear' | 'log') {
  const key = `${url} ${column} ${yScale} ${list.map((s) => s.source.sid).join(',')}`;
  return once(totals, chart, key, async (): Promise<Totals> => {
    let lo = Infinity, hi = -Infinity;
    for (const s of list) {
      const e = s.source.extent[column]!;
      lo = Math.min(lo, e[0]);
      hi = Math.max(hi, e[1]);
    }
    if (!(hi > lo)) hi = lo + Math.max(1, Math.abs(lo) * 1e-6);
    const { result: r, unanswered } = await fetchView(url, { series: list.map((s) => s.source.sid), xColumn: column as XColumnName, x0: lo, x1: hi, W: 1, yScale });
    const t: FrameStats = { points: 0, nonFinite: 0, nonPositive: 0, bytes: 0 };
    const seen = new Set<number>();
    for (let i = 0; i < r.series.id.length; i++) {
      if (r.series.n[i] > 0) seen.add(r.series.id[i]);
      t.points += r.series.n[i]; t.nonFinite += r.series.nonFinite[i]; t.nonPositive += r.series.nonPositive[i];
    }
    // listed with points over this extent, yet none there: the server no longer has it
    // (unless it could not be asked: a shard down)
    const notAsked = new Set(unanswered);
    const missing = list.filter((s) => s.source.points > 0 && !seen.has(s.source.sid) && !notAsked.has(s.source.sid)).map((s) => s.id);
    return { stats: t, missing, unanswered };
  });
}
