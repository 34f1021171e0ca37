/**
 * Hover over aggregated groups (option `aggregate`): per group, its union x nearest the cursor
 * (by binary search), the aggregate there and the smoothed line.
 */
import { groupCurves } from '../aggregate/groups';
import { leftIsNearer } from '../coords';
import type { GroupHover, HoverRequest } from '../protocol/messages';
import { smoothedCurve } from '../smooth/cpu';
import { smoothingOn } from '../smooth/params';
import { lowerBound } from '../store/search';
import type { Series } from '../store/store';

/** `held`: the chart's series on the x column in use; `range`: R of the time-weighted mode. */
export function groupsAt(msg: HoverRequest, held: readonly Series[], range: number): GroupHover[] {
  const a = msg.aggregate;
  if (!a) return [];
  const params = msg.smoothing && smoothingOn(msg.smoothing) ? { ...msg.smoothing, range } : null;
  const out: GroupHover[] = [];
  for (const g of groupCurves(msg.chart, msg.xColumn, a, msg.yScale === 'log', a.groups, held)) {
    const r = g.result, x = r.x, n = r.length;
    // the nearest union x where the group has a value
    const at = lowerBound(x, 0, n, msg.x);
    let lo = at - 1, hi = at;
    while (lo >= 0 && r.n[lo] === 0) lo--;
    while (hi < n && r.n[hi] === 0) hi++;
    const i = lo < 0 ? hi : hi >= n ? lo : leftIsNearer(msg.x, x[lo], x[hi], msg.xScale) ? lo : hi;
    if (i < 0 || i >= n) continue;
    out.push({
      name: g.name, x: x[i], line: r.line[i], low: r.low[i], high: r.high[i], n: r.n[i],
      smoothed: params ? smoothedCurve(g.line, params).y[i] : NaN,
    });
  }
  return out;
}
