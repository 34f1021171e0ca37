/**
 * Ordering of x columns (docs/semantics.md, Order). Everything downstream (binary search per pixel column, the pyramid,
 * smoothing) needs x sorted; the worker sorts once, stably, so points logged twice at the same
 * step (restarted training logs) keep the order they were logged in.
 */
import { sortedKernel } from './kernels';

/** True when x is non-decreasing over [from, n). NaN counts as out of order. */
export function isSorted(x: ArrayLike<number>, n = x.length, from = 0): boolean {
  // the same loop in WebAssembly where there are enough values (kernels.ts)
  return sortedKernel(x, n, from) ?? isSortedJS(x, n, from);
}

/** isSorted's loop in JS: the reference of the WebAssembly one. */
export function isSortedJS(x: ArrayLike<number>, n = x.length, from = 0): boolean {
  for (let i = from + 1; i < n; i++) if (!(x[i - 1] <= x[i])) return false;
  return true;
}

/**
 * True when x[0..n) is sorted and every value finite: an axis can use it as it is. A sorted
 * column can only hold ±Infinity at its ends (NaN is out of order), so only those are looked at.
 */
export function isSortedFinite(x: ArrayLike<number>, n = x.length): boolean {
  return isSorted(x, n) && (n === 0 || (Number.isFinite(x[0]) && Number.isFinite(x[n - 1])));
}

/**
 * Stable ascending permutation of the finite x values: perm[k] is the original index of the
 * k-th smallest. Points with non-finite x have no place on the axis and are left out.
 */
export function sortPermutation(x: ArrayLike<number>): Uint32Array {
  const n = x.length;
  let finite = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(x[i])) finite++;
  const perm = new Uint32Array(finite);
  for (let i = 0, k = 0; i < n; i++) if (Number.isFinite(x[i])) perm[k++] = i;
  // Typed-array sort with a comparator is not guaranteed stable; the index tie-break makes it so.
  perm.sort((a, b) => x[a] - x[b] || a - b);
  return perm;
}

/** out[k] = src[perm[k]] */
export function gather<T extends Float32Array | Float64Array>(src: ArrayLike<number>, perm: Uint32Array, out: T): T {
  for (let k = 0; k < perm.length; k++) out[k] = src[perm[k]];
  return out;
}

/**
 * Plan for merging sorted `b` (length m) into sorted `a` (length n), stable (a before b on ties):
 * plan[k] >= 0 takes a[plan[k]], plan[k] < 0 takes b[-plan[k] - 1]. The same plan reorders every
 * y column that shares the x column.
 */
export function mergePlan(a: Float64Array, n: number, b: Float64Array, m: number): Int32Array {
  const plan = new Int32Array(n + m);
  let i = 0, j = 0, k = 0;
  while (i < n && j < m) plan[k++] = a[i] <= b[j] ? i++ : -(j++) - 1;
  while (i < n) plan[k++] = i++;
  while (j < m) plan[k++] = -(j++) - 1;
  return plan;
}

export function applyPlan<T extends Float32Array | Float64Array>(plan: Int32Array, a: ArrayLike<number>, b: ArrayLike<number>, out: T): T {
  for (let k = 0; k < plan.length; k++) {
    const p = plan[k];
    out[k] = p >= 0 ? a[p] : b[-p - 1];
  }
  return out;
}
