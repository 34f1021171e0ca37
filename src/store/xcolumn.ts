/**
 * Switching the x axis among a series' x columns (step, epoch, relative time, wall time): the
 * worker keeps every column in the primary (x) order, and presents a series under another column
 * as a Series whose x is that column. Steps and times of one run grow together, so that column
 * is usually sorted already and the view shares y and the pyramid: no copy, no re-send of y.
 * A column that is not sorted in that order (a log that restarted its clock) gets a sorted copy
 * of its own, built once and rebuilt when the series changes.
 */
import { Pyramid } from './pyramid';
import { gather, isSorted, isSortedFinite, sortPermutation } from './sort';
import { XColumn, type Series } from './store';

interface Derived {
  view: Series;
  /** source n and rewrites when built */
  n: number;
  rewrites: number;
  sorted: boolean;
}

const derived = new WeakMap<Series, Map<string, Derived>>();

/**
 * The series as seen on x column `column` ('x' is the primary one); null when the series has no
 * such column (it is not drawn on that axis).
 */
export function onColumn(s: Series, column: string): Series | null {
  if (column === 'x') return s;
  const c = s.extra.get(column);
  if (!c) return null;
  let per = derived.get(s);
  if (!per) derived.set(s, (per = new Map()));
  let d = per.get(column);
  const stale = !d || d.n !== s.n || d.rewrites !== s.rewrites;
  if (d && !stale) return d.view;
  // appended on the end of a sorted column: it stays sorted if the new part continues in order
  const sorted = d && d.sorted && d.rewrites === s.rewrites && d.n <= s.n
    ? isSorted(c, s.n, Math.max(0, d.n - 1)) && (s.n === 0 || Number.isFinite(c[s.n - 1]))
    : isSortedFinite(c, s.n);
  let view: Series;
  if (sorted) {
    // shares y, pyramid and counters with the source; only x differs. The same object across
    // appends, so caches keyed by it (smoothed curves, GPU layout) continue instead of restarting.
    // its extra columns include the primary x, so a hover can still report the step
    view = d?.sorted ? d.view : { ...s, col: new XColumn(c, s.n), extra: new Map([['x', s.col.x], ...s.extra]) };
    view.col.x = c;
    view.col.n = s.n;
    Object.assign(view, { y: s.y, n: s.n, pyramid: s.pyramid, nonFinite: s.nonFinite, nonPositive: s.nonPositive, rewrites: s.rewrites });
    view.extra.set('x', s.col.x);
    for (const [name, col] of s.extra) view.extra.set(name, col); // appends may have reallocated them
  } else {
    const perm = sortPermutation(c.subarray(0, s.n));
    const x = gather(c, perm, new Float64Array(perm.length));
    const y = gather(s.y, perm, new Float32Array(perm.length));
    view = {
      ...s,
      col: new XColumn(x, perm.length),
      y,
      n: perm.length,
      pyramid: new Pyramid(y, perm.length),
      nonFinite: s.nonFinite + (s.n - perm.length),
      // other columns are in the source's order, not this copy's: a hover reports none of them
      extra: new Map(),
    };
  }
  d = { view, n: s.n, rewrites: s.rewrites, sorted };
  per.set(column, d);
  return view;
}
