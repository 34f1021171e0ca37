/**
 * Sparse regime (docs/semantics.md, Decimation): when a series has no more points in view than the plot has pixel columns, its
 * real segments are drawn (with the series' width), not column spans. Emits
 * [ax, ay, bx, by, slot] per segment in device px; a lone drawable point between breaks becomes a
 * zero-length segment, which the segment shader draws as a square dot.
 */
import { project } from '../coords';
import type { Curve } from '../store/store';
import type { ColumnView } from './columns';
import { drawable } from './m4';
import type { F32Out } from './outbuf';

/** Device-px margin kept around the plot when clipping segments that reach far outside it. */
const MARGIN = 4;

export function sparseSegments(s: Curve, b0: number, b1: number, view: ColumnView, slot: number, out: F32Out): number {
  const { xmap, ymap, yScale, xScale } = view;
  const W = view.edges.length - 1;
  const x = s.col.x, y = s.y;
  // one point beyond each side of the view, so lines run to the plot's edges
  const first = Math.max(b0 - 1, 0);
  const last = Math.min(b1, s.n - 1);
  const ok = (i: number) => i >= 0 && i < s.n && drawable(y[i], yScale) && (xScale === 'linear' || x[i] > 0);
  const pxOf = (i: number) => project(xmap, x[i]);
  const pyOf = (i: number) => project(ymap, y[i]);
  const data = out.reserve(5 * (last - first + 2));
  let k = out.length;
  for (let i = first; i <= last; i++) {
    if (!ok(i)) continue;
    let ax = pxOf(i), ay = pyOf(i);
    if (i + 1 <= last && ok(i + 1)) {
      let bx = pxOf(i + 1), by = pyOf(i + 1);
      if (bx < -MARGIN || ax > W + MARGIN) continue; // wholly outside (x is sorted: ax <= bx)
      // clip the far ends so float32 never sees a huge coordinate
      if (ax < -MARGIN) { ay += ((by - ay) * (-MARGIN - ax)) / (bx - ax); ax = -MARGIN; }
      if (bx > W + MARGIN) { by = ay + ((by - ay) * (W + MARGIN - ax)) / (bx - ax); bx = W + MARGIN; }
      data[k] = ax; data[k + 1] = ay; data[k + 2] = bx; data[k + 3] = by; data[k + 4] = slot;
      k += 5;
    } else if (!ok(i - 1)) {
      // lone point: no segment on either side
      if (ax < -MARGIN || ax > W + MARGIN) continue;
      data[k] = ax; data[k + 1] = ay; data[k + 2] = ax; data[k + 3] = ay; data[k + 4] = slot;
      k += 5;
    }
  }
  const emitted = (k - out.length) / 5;
  out.length = k;
  return emitted;
}
