/**
 * Where each series' points live in the GPU smoothing texture, decided in the worker (which has
 * the sorted columns) and sent to the main thread as (y or SKIP, dx or -1) pairs. Each series
 * gets room to grow, so a live append writes only its new points; a series that outgrows its
 * room, or a change of the series set, lays everything out anew.
 */
import type { GpuUpload } from '../protocol/messages';
import { capacityFor, type Series } from '../store/store';
import { GPU_BLOCK, ROW, SKIP } from './constants';

export interface Placement {
  offset: number;
  capacity: number;
  /** points already sent */
  sent: number;
  /** Series.rewrites when sent: a merge rewrote earlier points */
  rewrites: number;
}

export interface GpuLayout {
  places: Map<Series, Placement>;
  rows: number;
  version: number;
}

/** Room for a series' points in the texture: an eighth more (at least 1024), in whole texels. */
function placeCapacity(n: number): number {
  return capacityFor(n, Math.max(1024, n >> 3), GPU_BLOCK);
}

/** Total capacity of a fresh layout of these series (points). */
export function layoutSize(series: readonly Series[]): number {
  let total = 0;
  for (const s of series) total += placeCapacity(s.n);
  return total;
}

/**
 * Bring the layout up to date with the series: returns what to upload (null when nothing
 * changed) and the layout to keep.
 */
export function syncLayout(series: readonly Series[], prev: GpuLayout | null): { layout: GpuLayout; upload: GpuUpload | null } {
  const fits =
    prev &&
    prev.places.size === series.length &&
    series.every((s) => {
      const p = prev.places.get(s);
      return p && s.n <= p.capacity;
    });
  if (!fits) {
    const places = new Map<Series, Placement>();
    let offset = 0;
    for (const s of series) {
      const capacity = placeCapacity(s.n);
      places.set(s, { offset, capacity, sent: s.n, rewrites: s.rewrites });
      offset += capacity;
    }
    const rows = Math.max(1, Math.ceil(offset / ROW));
    const data = new Float32Array(rows * ROW * 2);
    // padding: skipped, and marked like a series' start (dx -1), so that a gaussian's walk along a
    // series stops at its end; the scan resets there, which no real point's prefix passes
    for (let i = 0; i < data.length; i += 2) {
      data[i] = SKIP;
      data[i + 1] = -1;
    }
    for (const s of series) pack(s, 0, s.n, data, places.get(s)!.offset);
    const layout = { places, rows, version: (prev?.version ?? 0) + 1 };
    return { layout, upload: { rows, full: true, chunks: [{ offset: 0, data }] } };
  }
  const chunks: GpuUpload['chunks'] = [];
  for (const s of series) {
    const p = prev.places.get(s)!;
    const from = p.rewrites !== s.rewrites ? 0 : p.sent;
    if (from >= s.n) continue;
    const data = new Float32Array((s.n - from) * 2);
    pack(s, from, s.n, data, 0);
    chunks.push({ offset: p.offset + from, data });
    p.sent = s.n;
    p.rewrites = s.rewrites;
  }
  return { layout: prev, upload: chunks.length ? { rows: prev.rows, full: false, chunks } : null };
}

/** Write points [from, to) of a series as (y or SKIP, dx or -1) pairs at out[2 * at ...]. */
function pack(s: Series, from: number, to: number, out: Float32Array, at: number): void {
  const x = s.col.x, y = s.y;
  for (let i = from, k = 2 * at; i < to; i++, k += 2) {
    const v = y[i];
    out[k] = Number.isFinite(v) ? v : SKIP;
    // the difference in float64, then rounded: precise even at epoch-millisecond x
    out[k + 1] = i === 0 ? -1 : x[i] - x[i - 1];
  }
}
