/**
 * A group's aggregate over every point of its runs (docs/semantics.md, Aggregation), in float64:
 * the worker's implementation, kept up to date on appends. `reference.ts` beside it is the test
 * oracle, written the plain way.
 *
 * - x: the union of the runs' x (each value once).
 * - At each x, every run whose own x range [first x, last x] covers it contributes: its value
 *   where it has a point there (its last one when it has several at that x), else the linear
 *   interpolation between its two neighbours (of log10 y on a log y axis). A neighbour or point
 *   that is not drawable (NaN, +-Inf; <= 0 on a log axis) makes the run not contribute there.
 * - n = the runs contributing; line = their mean or median (even n: the mean of the two middle
 *   values); band: minmax (least and greatest value), std (mean +- the sample standard
 *   deviation), ci95 (mean +- t(0.975, n - 1) s / sqrt(n); tquantile.ts, which must be loaded
 *   first), none (the line). n = 1: the band is the line. n = 0: NaN.
 *
 * One merge walk: a cursor per run moves forward through its points as x grows, so the cost is
 * O(union x x runs) plus a sort per x for the median.
 */
import { tQuantile975 } from './tquantile';
import type { AggregateSpec } from '../protocol/messages';
import { lowerBound } from '../store/search';

/** A run as the aggregate reads it: sorted x, y in the same order, n points. */
export interface AggRun {
  readonly x: Float64Array;
  readonly y: Float32Array;
  readonly n: number;
}

/** What the aggregate depends on: its statistics and whether y is on a log axis. */
export interface AggParams extends Pick<AggregateSpec, 'line' | 'band'> {
  log: boolean;
}

/** Per union x: the line, the band's edges and n (float64, grown with spare capacity). */
export interface Aggregated {
  x: Float64Array;
  line: Float64Array;
  low: Float64Array;
  high: Float64Array;
  n: Uint16Array;
  /** union x values in use */
  length: number;
}

/** Values above this many runs contributing are still counted, but n saturates at 65535. */
const N_MAX = 65535;

/**
 * The aggregate of `runs`. With `prev` (the aggregate of the same runs before points were
 * appended at x >= fromX, nothing else changed) only the union x from fromX on are computed
 * again: below it no run's value changed.
 */
export function aggregateRuns(runs: readonly AggRun[], p: AggParams, prev?: { result: Aggregated; fromX: number }): Aggregated {
  const keep = prev ? lowerBound(prev.result.x, 0, prev.result.length, prev.fromX) : 0;
  const from = prev ? prev.fromX : -Infinity;
  const tail = unionFrom(runs, from);
  const total = keep + tail.length;
  const out = prev && prev.result.x.length >= total ? prev.result : grown(prev?.result, keep, total);
  out.x.set(tail, keep);
  out.length = total;
  // a cursor per run: its first point at or after the x being computed
  const at = runs.map((r) => lowerBound(r.x, 0, r.n, tail.length ? tail[0] : Infinity));
  const vals = new Float64Array(runs.length);
  for (let j = keep; j < total; j++) {
    const x = out.x[j];
    let n = 0;
    for (let k = 0; k < runs.length; k++) {
      const r = runs[k];
      let i = at[k];
      while (i < r.n && r.x[i] < x) i++;
      at[k] = i;
      const v = valueAt(r, i, x, p.log);
      if (v === v) vals[n++] = v;
    }
    stats(vals, n, p, out, j);
  }
  return out;
}

/**
 * Run r's value at x, given i = its first point with x >= the x asked; NaN where it does not
 * contribute.
 */
function valueAt(r: AggRun, i: number, x: number, log: boolean): number {
  if (i < r.n && r.x[i] === x) {
    // its last point at this x
    let j = i;
    while (j + 1 < r.n && r.x[j + 1] === x) j++;
    return drawable(r.y[j], log) ? r.y[j] : NaN;
  }
  if (i === 0 || i >= r.n) return NaN; // outside the run's x range
  const ya = r.y[i - 1], yb = r.y[i];
  if (!drawable(ya, log) || !drawable(yb, log)) return NaN;
  const t = (x - r.x[i - 1]) / (r.x[i] - r.x[i - 1]);
  if (!log) return ya + (yb - ya) * t;
  const la = Math.log10(ya), lb = Math.log10(yb);
  return Math.pow(10, la + (lb - la) * t);
}

function drawable(v: number, log: boolean): boolean {
  return log ? v > 0 && v !== Infinity : Number.isFinite(v);
}

/** The statistics of vals[0..n) into out at j (the median reorders vals). */
function stats(vals: Float64Array, n: number, p: AggParams, out: Aggregated, j: number): void {
  out.n[j] = Math.min(n, N_MAX);
  if (n === 0) {
    out.line[j] = out.low[j] = out.high[j] = NaN;
    return;
  }
  let sum = 0;
  for (let k = 0; k < n; k++) sum += vals[k];
  const mean = sum / n;
  let line = mean;
  if (p.line === 'median') {
    const sorted = vals.subarray(0, n).sort();
    line = n % 2 ? sorted[(n - 1) >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
  out.line[j] = line;
  if (p.band === 'minmax') {
    let lo = Infinity, hi = -Infinity;
    for (let k = 0; k < n; k++) {
      if (vals[k] < lo) lo = vals[k];
      if (vals[k] > hi) hi = vals[k];
    }
    out.low[j] = lo;
    out.high[j] = hi;
    return;
  }
  if (p.band === 'none' || n === 1) {
    out.low[j] = out.high[j] = line;
    return;
  }
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (vals[k] - mean) * (vals[k] - mean);
  const s = Math.sqrt(ss / (n - 1));
  const half = p.band === 'std' ? s : (tQuantile975(n - 1) * s) / Math.sqrt(n);
  out.low[j] = mean - half;
  out.high[j] = mean + half;
}

/** The distinct x >= from of all runs, ascending. */
function unionFrom(runs: readonly AggRun[], from: number): Float64Array {
  // a sweep's runs share one step array: its distinct values are the union
  const first = runs[0];
  if (first && runs.every((r) => r.x === first.x && r.n === first.n)) return distinct(first.x, lowerBound(first.x, 0, first.n, from), first.n);
  const parts: Float64Array[] = [];
  let total = 0;
  for (const r of runs) {
    const part = r.x.subarray(lowerBound(r.x, 0, r.n, from), r.n);
    parts.push(part);
    total += part.length;
  }
  const all = new Float64Array(total);
  let o = 0;
  for (const part of parts) {
    all.set(part, o);
    o += part.length;
  }
  all.sort();
  return distinct(all, 0, total);
}

/** The distinct values of sorted a[lo..hi). */
function distinct(a: Float64Array, lo: number, hi: number): Float64Array {
  const out = new Float64Array(hi - lo);
  let m = 0;
  for (let i = lo; i < hi; i++) if (m === 0 || a[i] !== out[m - 1]) out[m++] = a[i];
  return out.subarray(0, m);
}

/** A copy of `r` (room to grow by half), for an update that must leave `r` as it is. */
export function copyAggregated(r: Aggregated): Aggregated {
  const out = grown(r, r.length, r.length);
  out.length = r.length;
  return out;
}

/** A run as it was when its group was aggregated: its point count and its rewrites counter. */
export interface RunState {
  n: number;
  rewrites: number;
}

/**
 * Where the runs changed since `before` only by points appended at their ends: the least of their
 * previous last x (nothing below it changed; Infinity: none grew), the `fromX` of an update;
 * null when anything else changed (a run rewritten or shorter, one that had no points, another
 * count of runs): aggregated anew. `x(k, i)`: run k's i-th x now.
 */
export function appendedFrom(before: readonly RunState[], now: readonly RunState[], x: (k: number, i: number) => number): number | null {
  if (before.length !== now.length) return null;
  let from = Infinity;
  for (let k = 0; k < now.length; k++) {
    const was = before[k], is = now[k];
    if (is.rewrites !== was.rewrites || is.n < was.n) return null;
    if (is.n === was.n) continue;
    if (was.n === 0) return null;
    from = Math.min(from, x(k, was.n - 1));
  }
  return from;
}

/** New arrays for `total` union x, the first `keep` copied from prev; room to grow by half. */
function grown(prev: Aggregated | undefined, keep: number, total: number): Aggregated {
  const cap = prev ? Math.max(total, Math.ceil(total * 1.5)) : total;
  const out: Aggregated = {
    x: new Float64Array(cap), line: new Float64Array(cap), low: new Float64Array(cap), high: new Float64Array(cap), n: new Uint16Array(cap), length: 0,
  };
  if (prev) {
    out.x.set(prev.x.subarray(0, keep));
    out.line.set(prev.line.subarray(0, keep));
    out.low.set(prev.low.subarray(0, keep));
    out.high.set(prev.high.subarray(0, keep));
    out.n.set(prev.n.subarray(0, keep));
  }
  return out;
}
