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
 * series list, x column and y scale; `bytes` is what this view's answers took.
 */
import { padDomain } from '../decimate/fit';
import { m4Curves } from '../decimate/m4curves';
import type { FrameStats, SourcePayload } from '../protocol/messages';
import type { GpuLayout } from '../smooth/layout';
import type { XColumnName } from '../source/m4';
import type { Series } from '../store/store';
import { frameReply, type ViewMessage } from './frame';
import { fetchView } from './sourcefetch';

/** per chart: totals of its source series, by url, x column, y scale and sids */
const totals = new Map<number, Map<string, Promise<FrameStats>>>();

export function forgetTotals(chart: number): void {
  totals.delete(chart);
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
  if (v.xScale === 'log' && servers.size) throw new Error('view query: source series are not drawn on a log x axis yet');
  const hidden = new Set(v.hidden);
  const xDomain = v.xDomain ? [v.xDomain[0], v.xDomain[1]] as [number, number] : fitSourceX(held, sources, column, hidden);
  const W = Math.max(1, Math.floor(v.width));
  const asks: Promise<{ curves: Series[]; bytes: number }>[] = [];
  const stats: Promise<FrameStats>[] = [];
  for (const [url, list] of servers) {
    const visible = list.filter((s) => !hidden.has(s.slot));
    const bySid = new Map(visible.map((s) => [s.source.sid, s]));
    if (visible.length) {
      const q = { series: [...bySid.keys()], xColumn: column as XColumnName, x0: xDomain[0], x1: xDomain[1], W, yScale: v.yScale };
      asks.push(fetchView(url, q).then(({ result, bytes }) => ({ curves: m4Curves(result, (sid) => bySid.get(sid)), bytes })));
    }
    stats.push(sourceTotals(msg.chart, url, list, column, v.yScale));
  }
  const answers = await Promise.all(asks);
  const counted = await Promise.all(stats);
  const sum: FrameStats = { points: 0, nonFinite: 0, nonPositive: 0, bytes: 0 };
  for (const t of counted) { sum.points += t.points; sum.nonFinite += t.nonFinite; sum.nonPositive += t.nonPositive; }
  for (const a of answers) sum.bytes += a.bytes;
  return frameReply(msg, held, layout, { curves: answers.flatMap((a) => a.curves), xDomain, stats: sum });
}

/** The x domain fitting the visible held series and the listed extents of the visible source series. */
function fitSourceX(held: readonly Series[], sources: readonly SourcePayload[], column: string, hidden: Set<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const s of held) {
    if (hidden.has(s.slot) || s.n === 0) continue;
    lo = Math.min(lo, s.col.x[0]);
    hi = Math.max(hi, s.col.x[s.n - 1]);
  }
  for (const s of sources) {
    const e = s.source.extent[column];
    if (!e || hidden.has(s.slot)) continue;
    lo = Math.min(lo, e[0]);
    hi = Math.max(hi, e[1]);
  }
  return padDomain(lo, hi, 'linear', 0);
}

/** Every point of these series on the column, counted by the server (one column over the whole extent). */
function sourceTotals(chart: number, url: string, list: readonly SourcePayload[], column: string, yScale: 'linear' | 'log'): Promise<FrameStats> {
  const key = `${url} ${column} ${yScale} ${list.map((s) => s.source.sid).join(',')}`;
  let per = totals.get(chart);
  if (!per) totals.set(chart, (per = new Map()));
  const known = per.get(key);
  if (known) return known;
  let lo = Infinity, hi = -Infinity;
  for (const s of list) {
    const e = s.source.extent[column]!;
    lo = Math.min(lo, e[0]);
    hi = Math.max(hi, e[1]);
  }
  if (!(hi > lo)) hi = lo + Math.max(1, Math.abs(lo) * 1e-6);
  const q = { series: list.map((s) => s.source.sid), xColumn: column as XColumnName, x0: lo, x1: hi, W: 1, yScale };
  const p = fetchView(url, q).then(({ result: r }) => {
    const t: FrameStats = { points: 0, nonFinite: 0, nonPositive: 0, bytes: 0 };
    for (let i = 0; i < r.series.id.length; i++) { t.points += r.series.n[i]; t.nonFinite += r.series.nonFinite[i]; t.nonPositive += r.series.nonPositive[i]; }
    return t;
  });
  p.catch(() => per.delete(key)); // asked again next view
  per.set(key, p);
  return p;
}
