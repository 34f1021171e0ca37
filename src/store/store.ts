/**
 * The columnar store of one chart, held by the decimation worker: per series a float64 x column
 * (shared between runs that passed the same x array) and a float32 y column, both sorted by x,
 * with a min/max pyramid over y. Appends are merged in place (or copied on write when the x
 * column is shared) and extend the pyramid in O(k + log N).
 */
import type { FrameStats, ScaleType } from '../protocol/messages';
import { BLOCK, Pyramid } from './pyramid';
import { lowerBoundAbove } from './search';
import { applyPlan, gather, isSortedFinite, mergePlan, sortPermutation } from './sort';

/** A sorted float64 x column; `refs` counts the series that read it. */
export class XColumn {
  refs = 0;
  constructor(
    public x: Float64Array,
    public n: number,
  ) {}

  /** Points with x <= 0: they sit at the start of a sorted column. */
  nonPositive(): number {
    return lowerBoundAbove(this.x, this.n, 0);
  }
}

/**
 * What decimation and smoothing read of a curve: sorted x, y in the same order, and a pyramid
 * over y. A stored series is one; its smoothed version (same x, smoothed y) is another.
 */
export interface Curve {
  readonly col: { readonly x: Float64Array };
  readonly y: Float32Array;
  readonly n: number;
  readonly pyramid: Pyramid;
}

export interface Series extends Curve {
  readonly id: string;
  readonly slot: number;
  col: XColumn;
  /** y sorted by x; capacity may exceed n */
  y: Float32Array;
  n: number;
  pyramid: Pyramid;
  /** non-finite y, plus points dropped for a non-finite x */
  nonFinite: number;
  /** finite y <= 0 (what a log y axis skips) */
  nonPositive: number;
  /** bumped when a merge rewrote points before the end (caches of derived curves start over) */
  rewrites: number;
  /**
   * other x columns of the same points (epoch, relative time, wall time...), in this series'
   * sorted order, float64; capacity may exceed n
   */
  extra: Map<string, Float64Array>;
}

/** A column as it arrives from the main thread: a fresh copy, owned by the worker. */
export interface IncomingX {
  col: XColumn;
  /** original index of each sorted point, or null when x came sorted */
  perm: Uint32Array | null;
  /** points dropped for a non-finite x */
  dropped: number;
}

/** Sort (stably) and wrap a freshly copied x column. */
export function ingestX(x: Float64Array): IncomingX {
  const n = x.length;
  if (isSortedFinite(x)) {
    return { col: new XColumn(x, n), perm: null, dropped: 0 };
  }
  const perm = sortPermutation(x);
  const sorted = gather(x, perm, new Float64Array(perm.length));
  return { col: new XColumn(sorted, perm.length), perm, dropped: n - perm.length };
}

/** Build a series from an ingested x column and its (unsorted, caller-order) y copy. */
export function createSeries(
  id: string,
  slot: number,
  inc: IncomingX,
  y: Float32Array,
  extra: ReadonlyMap<string, Float64Array> = new Map(),
): Series {
  const { y: sorted, extra: cols } = inColumnOrder(inc, y, extra);
  const n = sorted.length;
  inc.col.refs++;
  const pyramid = new Pyramid(sorted, n); // the one pass over y, counting as it goes
  return {
    id,
    slot,
    col: inc.col,
    y: sorted,
    n,
    pyramid,
    nonFinite: pyramid.built.nonFinite + inc.dropped,
    nonPositive: pyramid.built.nonPositive,
    rewrites: 0,
    extra: cols,
  };
}

/**
 * A series' y and other x columns, given in the caller's order, in the order of its ingested x
 * column (the same arrays when x came sorted).
 */
function inColumnOrder(
  inc: IncomingX,
  y: Float32Array,
  extra: ReadonlyMap<string, Float64Array>,
): { y: Float32Array; extra: Map<string, Float64Array> } {
  const perm = inc.perm;
  if (!perm) return { y, extra: new Map(extra) };
  const cols = new Map<string, Float64Array>();
  for (const [name, c] of extra) cols.set(name, gather(c, perm, new Float64Array(perm.length)));
  return { y: gather(y, perm, new Float32Array(perm.length)), extra: cols };
}

/**
 * What one appended x batch turned a column into, so that every series that shared the column
 * and appends the same batch keeps sharing the result.
 */
export interface AppendResult {
  col: XColumn;
  /** merge plan over (old, new) points, or null when the batch went on the end */
  plan: Int32Array | null;
}

/**
 * One appended x batch as the series that append it see it: what each of their old columns
 * became (so runs that shared a column keep sharing the result), and whether every reader of a
 * column appends this batch (then the column is extended in place: a sweep of runs on one step
 * axis appending together costs O(batch), not a copy of the column per append).
 */
export class SharedBatch {
  readonly results = new Map<XColumn, AppendResult>();
  private readers = new Map<XColumn, number>();

  /** `series`: every series that appends this batch, before any of them does */
  constructor(series: Iterable<Series>) {
    for (const s of series) this.readers.set(s.col, (this.readers.get(s.col) ?? 0) + 1);
  }

  exclusive(col: XColumn): boolean {
    return this.readers.get(col) === col.refs;
  }
}

/**
 * Append a batch to one series; `batch` ties together the series appending the same x batch
 * (null: this series alone, so a shared column is copied on write).
 */
export function appendToSeries(
  s: Series,
  inc: IncomingX,
  y: Float32Array,
  batch: SharedBatch | null,
  extra: ReadonlyMap<string, Float64Array> = new Map(),
): void {
  const { y: ys, extra: es } = inColumnOrder(inc, y, extra);
  const old = s.col;
  let res = batch?.results.get(old);
  if (!res) {
    res = appendX(old, inc.col, batch ? batch.exclusive(old) : old.refs <= 1);
    batch?.results.set(old, res);
  }
  if (res.col !== old) {
    old.refs--;
    res.col.refs++;
    s.col = res.col;
  }
  const oldN = s.n;
  const m = ys.length;
  s.nonFinite += inc.dropped;
  if (!res.plan) {
    s.y = grow(s.y, oldN, oldN + m);
    s.y.set(ys, oldN);
    for (const [name, c] of s.extra) {
      const grown = grow(c, oldN, oldN + m);
      grown.set(es.get(name)!, oldN);
      s.extra.set(name, grown);
    }
    s.n = oldN + m;
    // the pyramid's pass over the new points counts them too
    const t = s.pyramid.extend(s.y, oldN, s.n);
    s.nonFinite += t.nonFinite;
    s.nonPositive += t.nonPositive;
  } else {
    // the pyramid below re-reads old points too (from the first one the merge moved): count the
    // batch on its own
    const [nf, np] = countY(ys, 0, m);
    s.nonFinite += nf;
    s.nonPositive += np;
    for (const [name, c] of s.extra) s.extra.set(name, applyPlan(res.plan, c, es.get(name)!, new Float64Array(columnCapacity(oldN + m))));
    const merged = applyPlan(res.plan, s.y, ys, new Float32Array(columnCapacity(oldN + m)));
    let first = 0;
    while (first < res.plan.length && res.plan[first] >= 0) first++;
    s.y = merged;
    s.n = oldN + m;
    if (first < oldN) s.rewrites++;
    s.pyramid.extend(s.y, first, s.n);
  }
}

/**
 * Split one task's appends so that each series occurs at most once per round, in the order given
 * (a series appended to twice takes its batches one after the other).
 */
export function appendRounds<T extends { id: string }>(appends: readonly T[]): T[][] {
  const out: T[][] = [];
  const seen = new Map<string, number>();
  for (const a of appends) {
    const r = seen.get(a.id) ?? 0;
    seen.set(a.id, r + 1);
    (out[r] ??= []).push(a);
  }
  return out;
}

/** Extend an x column by a sorted batch: in place when every reader appends it, else a copy. */
function appendX(col: XColumn, add: XColumn, exclusive: boolean): AppendResult {
  const n = col.n, m = add.n;
  const target = exclusive ? col : new XColumn(new Float64Array(columnCapacity(n + m)), 0);
  if (n === 0 || m === 0 || add.x[0] >= col.x[n - 1]) {
    if (target !== col) target.x.set(col.x.subarray(0, n));
    target.x = grow(target.x, n, n + m);
    target.x.set(add.x.subarray(0, m), n);
    target.n = n + m;
    return { col: target, plan: null };
  }
  // out of order: merge (rare; costs O(N))
  const plan = mergePlan(col.x, n, add.x, m);
  target.x = applyPlan(plan, col.x, add.x, new Float64Array(columnCapacity(n + m)));
  target.n = n + m;
  return { col: target, plan };
}

/**
 * Room for n points and `headroom` more, rounded up to whole blocks of `block` points: columns
 * get room for a few more appends without a copy, and a block never holds two series' points.
 */
export function capacityFor(n: number, headroom: number, block = BLOCK): number {
  return Math.ceil((n + headroom) / block) * block;
}

/** A column's capacity for n points: an eighth more, and a block. */
function columnCapacity(n: number): number {
  return capacityFor(n, (n >> 3) + BLOCK);
}

function grow<T extends Float32Array | Float64Array>(a: T, used: number, need: number): T {
  if (a.length >= need) return a;
  const next = new (a.constructor as { new (n: number): T })(columnCapacity(need));
  next.set(a.subarray(0, used));
  return next;
}

function countY(y: Float32Array, i0: number, i1: number): [nonFinite: number, nonPositive: number] {
  let nf = 0, np = 0;
  for (let i = i0; i < i1; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) nf++;
    else if (v <= 0) np++;
  }
  return [nf, np];
}

/** Bytes held for a set of series, counting each shared x column once. */
export function storeBytes(series: Iterable<Series>): number {
  const cols = new Set<XColumn>();
  let b = 0;
  for (const s of series) {
    b += s.y.byteLength + s.pyramid.bytes;
    if (!cols.has(s.col)) {
      cols.add(s.col);
      b += s.col.x.byteLength;
    }
  }
  return b;
}

/**
 * The counts a frame reports for these series (docs/semantics.md: non-finite values are always
 * counted, values <= 0 only on a log axis, on x and on y).
 */
export function frameStats(series: readonly Series[], xScale: ScaleType, yScale: ScaleType): FrameStats {
  let points = 0, nonFinite = 0, nonPositive = 0;
  for (const s of series) {
    points += s.n;
    nonFinite += s.nonFinite;
    if (yScale === 'log') nonPositive += s.nonPositive;
    if (xScale === 'log') nonPositive += s.col.nonPositive();
  }
  return { points, nonFinite, nonPositive, bytes: storeBytes(series) };
}
