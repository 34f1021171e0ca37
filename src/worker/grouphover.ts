/**
 * Hover over aggregated groups (option `aggregate`): per group, its union x nearest the cursor
 * (by binary search), the aggregate there and the smoothed line.
 */
import { groupCurves } from '../aggregate/groups';
import type { GroupHover, HoverRequest } from '../protocol/messages';
import { smoothedCurve } from '../smooth/cpu';
import { smoothingOn } from '../smooth/params';
import type { Series } from '../store/store';
import { nearestDrawable } from './hover';

/** `held`: the chart's series on the x column in use; `range`: R of the time-weighted mode. */
export function groupsAt(msg: HoverRequest, held: readonly Series[], range: number): GroupHover[] {
  const a = msg.aggregate;
  if (!a) return [];
  const params = msg.smoothing && smoothingOn(msg.smoothing) ? { ...msg.smoothing, range } : null;
  const out: GroupHover[] = [];
  for (const g of groupCurves(msg.chart, msg.xColumn, a, msg.yScale === 'log', a.groups, held)) {
    // the nearest union x where the group has a value: its line is NaN exactly where n = 0
    const i = nearestDrawable(g.line, msg.x, msg.xScale);
    if (i < 0) continue;
    const r = g.result;
    out.push({
      name: g.name, x: r.x[i], line: r.line[i], low: r.low[i], high: r.high[i], n: r.n[i],
      smoothed: params ? smoothedCurve(g.line, params).y[i] : NaN,
    });
  }
  return out;
}
