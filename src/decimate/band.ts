/**
 * A group's band (option `aggregate`): the area between its low and high edge, filled. Within
 * one pixel column the filled area is one interval: from the least value of the low edge there
 * (its points in the column and where it crosses the column's edges) to the greatest of the high
 * edge; the edges are continuous with low <= high, so no hole opens between them. That is the
 * bottom of the low edge's column span and the top of the high edge's, so a band is one span a
 * column, exact at every zoom, from the same column spans as the lines (columns.ts).
 */
import { columnSpans, type ColumnView } from './columns';
import { F32Out } from './outbuf';
import type { Curve } from '../store/store';

const lows = new F32Out(), highs = new F32Out();

/**
 * Emit [column, top, bottom, slot] per column the band covers into `out` (device px, clamped
 * like every span). `boundsOf` gives a curve's column bounds (asked once per edge, each used
 * before the next is asked: they may share memory): the edges of a group aggregated here share
 * their x (the union x), those of a server's answer (two M4 curves) do not. Where only the high
 * edge is drawable (a low edge <= 0 on a log axis) the band reaches the plot's bottom.
 */
export function bandSpans(low: Curve, high: Curve, boundsOf: (c: Curve) => Int32Array, view: ColumnView, slot: number, out: F32Out): number {
  const open = { ...view, noClamp: true };
  lows.length = highs.length = 0;
  columnSpans(low, boundsOf(low), open, 0, lows);
  columnSpans(high, boundsOf(high), open, 0, highs);
  const H = view.height;
  const a = lows.data, b = highs.data;
  const data = out.reserve(highs.length);
  let k = out.length;
  let i = 0;
  for (let j = 0; j < highs.length; j += 4) {
    const c = b[j];
    while (i < lows.length && a[i] < c) i += 4;
    const top = b[j + 1];
    const bottom = i < lows.length && a[i] === c ? a[i + 2] : view.yScale === 'log' ? H + 1 : b[j + 2];
    if (bottom < -1 || top > H + 1) continue;
    data[k] = c;
    data[k + 1] = Math.max(top, -1);
    data[k + 2] = Math.min(bottom, H + 1);
    data[k + 3] = slot;
    k += 4;
  }
  const emitted = (k - out.length) / 4;
  out.length = k;
  return emitted;
}
