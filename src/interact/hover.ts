/**
 * What a hover reports: per run, the point nearest in x to the cursor (found by the worker, by
 * binary search on the sorted x, not by a scan on the main thread), with its raw and smoothed
 * value and its other x columns, sorted nearest first.
 */
import { axisMap, project, toScaled, type ScaleType } from '../coords';

export interface HoverPoint {
  id: string;
  label: string;
  /** the run's colour, CSS */
  color: string;
  /** index of the point in the series' sorted order */
  index: number;
  x: number;
  y: number;
  /** smoothed value at the point, null when smoothing is off */
  smoothed: number | null;
  /** the point's values in the series' other x columns (step, epoch, time...) */
  columns: Record<string, number>;
  /** vertical distance in CSS px from the cursor to the drawn value (0 without a cursor y) */
  distance: number;
  /** horizontal distance in CSS px from the hovered x to this point's x */
  distancePx: number;
  /**
   * the run is there at the hovered x: within IN_RANGE_PX of its extent (first..last point).
   * False where it ended before, or starts after, the hovered x; such runs come last.
   */
  inRange: boolean;
  /** x of the run's first and last drawn point (what "starts at" / "ended at" name) */
  firstX: number;
  lastX: number;
}

/** A run counts as present at the cursor up to this many CSS px beyond its first or last point. */
export const IN_RANGE_PX = 8;

export interface HoverInfo {
  /** the data x hovered */
  x: number;
  /** nearest first */
  points: HoverPoint[];
  /** the aggregated groups (option `aggregate`) at the hovered x, in group order; [] without */
  groups: GroupPoint[];
}

/** A group at the hovered x: the aggregate at its union x nearest the cursor (docs/semantics.md, Aggregation). */
export interface GroupPoint {
  name: string;
  /** its colour (its first run's), CSS */
  color: string;
  x: number;
  /** the line ('mean' or 'median', as `line` says) and the band's edges, before smoothing */
  line: number;
  low: number;
  high: number;
  /** runs contributing there */
  n: number;
  /** the smoothed line there, null when smoothing is off */
  smoothed: number | null;
  stat: 'mean' | 'median';
  band: 'none' | 'minmax' | 'std' | 'ci95';
}

export interface RunInfo {
  id: string;
  label: string;
  color: string;
  /**
   * its group (`SeriesInput.group`), when it has one and is aggregated with it (a source run in a
   * group with runs held in the page is not: docs/semantics.md, Aggregation)
   */
  group?: string;
}

export interface HoverInput {
  x: number;
  /** cursor y as a fraction of the plot height (0 = top), or null */
  yFrac: number | null;
  yScale: ScaleType;
  yDomain: readonly [number, number];
  /** plot height, CSS px */
  height: number;
  /** the x axis, for horizontal pixel distances (omitted: every run counts as in range) */
  xScale?: ScaleType;
  xDomain?: readonly [number, number];
  /** plot width, CSS px */
  width?: number;
}

/** Sort and label the worker's nearest points. */
export function hoverPoints(
  reply: {
    slots: Int32Array; index: Float64Array; x: Float64Array; y: Float64Array; smoothed: ArrayLike<number>;
    first?: ArrayLike<number>; last?: ArrayLike<number>; columns: { name: string; values: Float64Array }[];
  },
  runs: (slot: number) => RunInfo | undefined,
  smoothing: boolean,
  at: HoverInput,
): HoverInfo {
  const t0 = toScaled(at.yDomain[0], at.yScale), t1 = toScaled(at.yDomain[1], at.yScale);
  const xmap = at.xScale && at.xDomain && at.width ? axisMap(at.xScale, at.xDomain, [0, at.width]) : null;
  const px = (v: number) => (xmap ? project(xmap, v) : NaN);
  const cursor = px(at.x);
  const points: HoverPoint[] = [];
  for (let j = 0; j < reply.slots.length; j++) {
    const run = runs(reply.slots[j]);
    if (!run) continue;
    const y = reply.y[j];
    const s = smoothing ? reply.smoothed[j] : NaN;
    const shown = Number.isFinite(s) ? s : y;
    // where the drawn value sits, as a fraction of the plot height from the top
    const frac = (t1 - toScaled(shown, at.yScale)) / (t1 - t0);
    const columns: Record<string, number> = {};
    for (const c of reply.columns) if (!Number.isNaN(c.values[j])) columns[c.name] = c.values[j];
    points.push({
      id: run.id,
      label: run.label,
      color: run.color,
      index: reply.index[j],
      x: reply.x[j],
      y,
      smoothed: smoothing ? (Number.isFinite(s) ? s : null) : null,
      columns,
      distance: at.yFrac === null || !Number.isFinite(frac) ? 0 : Math.abs(frac - at.yFrac) * at.height,
      ...presence(reply.x[j], reply.first?.[j] ?? reply.x[j], reply.last?.[j] ?? reply.x[j], cursor, px),
    });
  }
  // runs present at the cursor first, nearest to its height first; then the absent ones
  points.sort((a, b) => Number(b.inRange) - Number(a.inRange) || a.distance - b.distance || a.label.localeCompare(b.label));
  return { x: at.x, points, groups: [] };
}

/**
 * Where a run is relative to the cursor, in CSS px: its nearest point's distance, and whether the
 * cursor lies within its extent (give or take IN_RANGE_PX). Inside the extent a run is drawn there,
 * even between sparse points (eval every 125 steps); outside it the run ended or had not started.
 */
function presence(x: number, first: number, last: number, cursor: number, px: (v: number) => number) {
  const d = Math.abs(px(x) - cursor);
  const lo = Math.min(px(first), px(last)), hi = Math.max(px(first), px(last));
  const inRange = !Number.isFinite(cursor) || (cursor >= lo - IN_RANGE_PX && cursor <= hi + IN_RANGE_PX) || d <= IN_RANGE_PX;
  return { distancePx: Number.isFinite(d) ? d : 0, inRange, firstX: first, lastX: last };
}
