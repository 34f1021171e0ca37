/**
 * Hover for charts with source series: the held series answer here (hover.ts), the source ones
 * from their server (POST /api/hover, the nearest point in x of each), merged into one reply.
 * A server that does not answer leaves its runs out of the tooltip (a console warning says why);
 * the held runs' hover is still shown.
 *
 * With smoothing (`sourceSmoothing`, on) the query carries it with the view's R, and the
 * server answers each point's smoothed value from the values its smoothed view is drawn from, so
 * the tooltip shows the value under the cursor's curve, as for series held here.
 */
import type { HoverReply, HoverRequest, SourcePayload } from '../protocol/messages';
import { smoothingOn } from '../smooth/params';
import type { HoverPoint } from '../source/api';
import type { XColumnName } from '../source/m4';
import { fetchHover } from './sourcefetch';
import { byServer } from './sourceview';

/** `range`: R of the chart, as its view computes it (sourceview.ts chartRange). */
export async function sourceHover(msg: HoverRequest, held: HoverReply, sources: readonly SourcePayload[], range: number): Promise<HoverReply> {
  const hidden = new Set(msg.hidden);
  const sm = msg.sourceSmoothing && smoothingOn(msg.sourceSmoothing) ? { ...msg.sourceSmoothing, range } : null;
  const found: { slot: number; p: HoverPoint }[] = [];
  await Promise.all([...byServer(sources, msg.xColumn)].map(async ([url, list]) => {
    const bySid = new Map(list.filter((s) => !hidden.has(s.slot)).map((s) => [s.source.sid, s]));
    if (!bySid.size) return;
    let points: HoverPoint[];
    try {
      points = await fetchHover(url, { series: [...bySid.keys()], xColumn: msg.xColumn as XColumnName, x: msg.x, ...(msg.xScale === 'log' && { xScale: 'log' as const }), ...(sm && { smoothing: sm }) });
    } catch (err) {
      // a hover is not worth failing the chart for: the held runs' tooltip still shows
      console.warn(`metricgl: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    for (const p of points) {
      const s = bySid.get(p.sid);
      if (s && Number.isFinite(p.y)) found.push({ slot: s.slot, p });
    }
  }));
  if (!found.length) return held;
  const k0 = held.slots.length, k = k0 + found.length;
  const names = [...new Set([...held.columns.map((c) => c.name), ...found.flatMap(({ p }) => Object.keys(p.columns))])]
    .filter((n) => n !== msg.xColumn)
    .sort();
  const grow = <T extends Float64Array | Int32Array>(a: T, C: new (n: number) => T): T => {
    const out = new C(k);
    out.set(a);
    return out;
  };
  const r: HoverReply = {
    ...held,
    slots: grow(held.slots, Int32Array), index: grow(held.index, Float64Array), x: grow(held.x, Float64Array), y: grow(held.y, Float64Array),
    smoothed: grow(held.smoothed, Float64Array), first: grow(held.first, Float64Array), last: grow(held.last, Float64Array),
    columns: names.map((name) => {
      const values = new Float64Array(k).fill(NaN);
      const had = held.columns.find((c) => c.name === name);
      if (had) values.set(had.values);
      return { name, values };
    }),
  };
  found.forEach(({ slot, p }, j) => {
    const i = k0 + j;
    r.slots[i] = slot;
    r.index[i] = p.index;
    r.x[i] = p.x;
    r.y[i] = p.y;
    r.smoothed[i] = p.smoothed ?? NaN;
    r.first[i] = p.firstX;
    r.last[i] = p.lastX;
    for (const c of r.columns) {
      const v = (p.columns as Record<string, number | undefined>)[c.name];
      if (v !== undefined) c.values[i] = v;
    }
  });
  return r;
}
