/**
 * What a hover reports: per run, the point nearest in x to the cursor (found by the worker, by
 * binary search on the sorted x, not by a scan on the main thread), with its raw and smoothed
 * value and its other x columns, sorted nearest first.
 */
import { toScaled, type ScaleType } from '../coords';

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
}

export interface HoverInfo {
  /** the data x hovered */
  x: number;
  /** nearest first */
  points: HoverPoint[];
}

export interface RunInfo {
  id: string;
  label: string;
  color: string;
}

export interface HoverInput {
  x: number;
  /** cursor y as a fraction of the plot height (0 = top), or null */
  yFrac: number | null;
  yScale: ScaleType;
  yDomain: readonly [number, number];
  /** plot height, CSS px */
  height: number;
}

/** Sort and label the worker's nearest points. */
export function hoverPoints(
  reply: { slots: Int32Array; index: Float64Array; x: Float64Array; y: Float64Array; smoothed: ArrayLike<number>; columns: { name: string; values: Float64Array }[] },
  runs: (slot: number) => RunInfo | undefined,
  smoothing: boolean,
  at: HoverInput,
): HoverInfo {
  const t0 = toScaled(at.yDomain[0], at.yScale), t1 = toScaled(at.yDomain[1], at.yScale);
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
    });
  }
  points.sort((a, b) => a.distance - b.distance || a.label.localeCompare(b.label));
  return { x: at.x, points };
}
