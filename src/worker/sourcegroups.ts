/**
 * Aggregated groups of source series (option `aggregate` on a chart with `{ id, source }`
 * series; docs/semantics.md, Aggregation). The worker holds none of their points, so a group
 * whose runs are all source series is aggregated by their server (server/aggregates.ts, from
 * every point, with the worker's own float64 code) and comes back as the M4 answer of its three
 * curves (line, low and high edge of the band), drawn as the groups aggregated here are drawn
 * (decimate/view.ts groupLayers): the page never receives the runs' points for a group.
 *
 * Where a group is aggregated the chart decides (chart/runs.ts): its members are either all held
 * here or all series of one server, so a group is a server's when its first run is.
 */
import { m4Curves } from '../decimate/m4curves';
import type { GroupLines } from '../decimate/view';
import type { AggregatedGroup, AggregateGroup, AggregateRequest, GroupHover, HoverRequest, SourcePayload } from '../protocol/messages';
import type { AggregateQuery } from '../source/api';
import type { M4View, XColumnName } from '../source/m4';
import { smoothingOn } from '../smooth/params';
import type { SmoothParams } from '../smooth/reference';
import { fetchAggregated, fetchAggregateHover, fetchAggregateView } from './sourcefetch';

/** A group aggregated on a server: its runs as server ids (in the chart's member order) and chart ids. */
export interface SourceGroup {
  group: AggregateGroup;
  url: string;
  sids: number[];
  ids: string[];
}

/** The chart's groups aggregated on a server: those of source series, with their runs on the x column in use. */
export function sourceGroups(a: AggregateRequest | undefined, sources: readonly SourcePayload[], column: string): SourceGroup[] {
  if (!a) return [];
  const bySlot = new Map(sources.map((s) => [s.slot, s]));
  const out: SourceGroup[] = [];
  for (const g of a.groups) {
    const first = bySlot.get(g.members[0]);
    if (!first) continue; // held here
    const runs = g.members.flatMap((m) => bySlot.get(m) ?? []).filter((s) => s.source.xColumns.includes(column) && s.source.extent[column]);
    if (runs.length) out.push({ group: g, url: first.source.url, sids: runs.map((s) => s.source.sid), ids: runs.map((s) => s.id) });
  }
  return out;
}

/** The request without the groups a server aggregates: what the worker aggregates itself. */
export function localGroups(a: AggregateRequest, groups: readonly SourceGroup[]): AggregateRequest {
  const theirs = new Set(groups.map((g) => g.group.name));
  return { ...a, groups: a.groups.filter((g) => !theirs.has(g.name)) };
}

/** Groups by server. */
function byUrl(groups: readonly SourceGroup[]): Map<string, SourceGroup[]> {
  const out = new Map<string, SourceGroup[]>();
  for (const g of groups) out.set(g.url, [...(out.get(g.url) ?? []), g]);
  return out;
}

function queryOf(a: AggregateRequest, groups: readonly SourceGroup[], column: string, yScale: M4View['yScale']): AggregateQuery {
  return { groups: groups.map((g) => g.sids), xColumn: column as XColumnName, line: a.line, band: a.band, yScale };
}

/**
 * One view of the groups: per server one request for all its groups, smoothed there when the
 * chart smooths (`sm`). `unanswered`: the chart ids of runs of groups their server could not
 * answer now (a shard down); those groups are not drawn.
 */
export async function groupViews(
  a: AggregateRequest, groups: readonly SourceGroup[], view: Omit<M4View, 'series'>, sm: (SmoothParams & { range: number }) | null,
): Promise<{ lines: GroupLines[]; bytes: number; unanswered: string[] }[]> {
  return Promise.all([...byUrl(groups)].map(async ([url, list]) => {
    const { xColumn, yScale, ...rest } = view;
    const { result, bytes, unanswered } = await fetchAggregateView(url, { ...queryOf(a, list, xColumn, yScale), ...rest, ...(sm && { smoothing: sm }) });
    const missing = new Set(unanswered);
    const cut = list.filter((g) => g.sids.some((sid) => missing.has(sid)));
    const edges = ['line', 'low', 'high'] as const;
    const curves = m4Curves(result, (sid) => {
      const g = list[Math.floor(sid / 3)];
      const edge = edges[sid % 3];
      return g && { id: `${g.group.name} ${edge}`, slot: edge === 'line' ? g.group.line : g.group.band };
    });
    const byId = new Map(curves.map((c) => [c.id, c]));
    const lines = list.flatMap((g) => {
      const [line, low, high] = edges.map((e) => byId.get(`${g.group.name} ${e}`));
      return line && low && high ? [{ line, low, high }] : [];
    });
    return { lines, bytes, unanswered: cut.flatMap((g) => g.ids) };
  }));
}

/** The groups at the hovered x, from their servers (a server that does not answer: its groups left out, a warning). */
export async function groupHovers(msg: HoverRequest, groups: readonly SourceGroup[], range: number): Promise<GroupHover[]> {
  const a = msg.aggregate;
  if (!a || !groups.length) return [];
  const sm = msg.sourceSmoothing && smoothingOn(msg.sourceSmoothing) ? { ...msg.sourceSmoothing, range } : null;
  const answers = await Promise.all([...byUrl(groups)].map(async ([url, list]) => {
    try {
      const points = await fetchAggregateHover(url, { ...queryOf(a, list, msg.xColumn, msg.yScale ?? 'linear'), x: msg.x, ...(msg.xScale === 'log' && { xScale: 'log' as const }), ...(sm && { smoothing: sm }) });
      return list.flatMap((g, i) => {
        const p = points[i];
        return p ? [{ name: g.group.name, x: p.x, line: p.line, low: p.low, high: p.high, n: p.n, smoothed: p.smoothed ?? NaN }] : [];
      });
    } catch (err) {
      console.warn(`metricgl: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }));
  return answers.flat();
}

/** One group's whole aggregate from its server (chart.aggregated). */
export function groupAggregated(a: AggregateRequest, g: SourceGroup, column: string, yScale: M4View['yScale']): Promise<AggregatedGroup> {
  return fetchAggregated(g.url, queryOf(a, [g], column, yScale));
}
