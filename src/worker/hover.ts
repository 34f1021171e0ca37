/**
 * The worker's answer to `hover` (docs/worker-protocol.md): for every visible series, the point
 * nearest in x to the cursor's data x, by binary search over the sorted x column, never a scan.
 */
import type { ScaleType } from '../coords';
import type { HoverReply, HoverRequest } from '../protocol/messages';
import { smoothedCurve, xRange } from '../smooth/cpu';
import { smoothingOn } from '../smooth/params';
import { nearestFinite } from '../store/search';
import type { Series } from '../store/store';

/**
 * `all`: the chart's series on the x column in use, hidden ones too (R spans them all); `range`:
 * R when the chart also has source series, whose extents it spans as the view's does.
 */
export function hoverReply(msg: HoverRequest, all: readonly Series[], range = xRange(all)): HoverReply {
  const hidden = new Set(msg.hidden);
  const series = all.filter((s) => !hidden.has(s.slot) && s.n > 0);
  const params = msg.smoothing && smoothingOn(msg.smoothing) ? { ...msg.smoothing, range } : null;
  const names = [...new Set(series.flatMap((s) => [...s.extra.keys()]))].sort();
  const found: { s: Series; i: number }[] = [];
  for (const s of series) {
    const i = nearestDrawable(s, msg.x, msg.xScale);
    if (i >= 0) found.push({ s, i });
  }
  const k = found.length;
  const r: HoverReply = {
    type: 'hover', chart: msg.chart, seq: msg.seq,
    slots: new Int32Array(k), index: new Float64Array(k), x: new Float64Array(k), y: new Float64Array(k),
    smoothed: new Float64Array(k).fill(NaN),
    first: new Float64Array(k), last: new Float64Array(k),
    columns: names.map((name) => ({ name, values: new Float64Array(k).fill(NaN) })),
  };
  found.forEach(({ s, i }, j) => {
    r.slots[j] = s.slot;
    r.index[j] = i;
    r.x[j] = s.col.x[i];
    r.y[j] = s.y[i];
    r.first[j] = s.col.x[edgeDrawable(s, 0, 1)];
    r.last[j] = s.col.x[edgeDrawable(s, s.n - 1, -1)];
    if (params) r.smoothed[j] = smoothedCurve(s, params).y[i];
    for (const c of r.columns) {
      const col = s.extra.get(c.name);
      if (col) c.values[j] = col[i];
    }
  });
  return r;
}

/** The first index from `i` in direction `step` with a finite y (the series has one: hover found it). */
function edgeDrawable(s: Series, i: number, step: 1 | -1): number {
  while (i >= 0 && i < s.n && !Number.isFinite(s.y[i])) i += step;
  return Math.min(s.n - 1, Math.max(0, i));
}

/** Index of the point nearest to x (in axis units) with a finite y; -1 when none nearby. */
export function nearestDrawable(s: Series, x: number, scale: ScaleType): number {
  return nearestFinite(s.col.x, s.y, s.n, x, scale);
}
