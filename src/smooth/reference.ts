/**
 * The CPU reference of the smoothing modes, in float64: the test oracle for the GPU scan and
 * the `cpu` backend the worker runs. Formulas exactly as docs/semantics.md (Smoothing) states them.
 * This file holds the two recurrences; the window modes (running-average, centred, gaussian) are
 * in window.ts, and `smooth` below runs any of them over a whole series.
 *
 *   ema            last = w*last + (1-w)*y; n += 1; s = last / (1 - w^n)        (TensorBoard)
 *   time-weighted  a = w^d, d = (x_i - x_{i-1}) * 1000 / R; S = a*S + y; D = a*D + 1; s = S / D
 *
 * Non-finite y are skipped: nothing is added, and their output is NaN. In ema a skipped point
 * leaves the state as it is; in time-weighted it still lets x pass (the state decays by its a).
 *
 * Both are the same affine recurrence on a pair (P, Q) with s = P / Q:
 *   P = a*P + b*y,  Q = a*Q + b      with  ema: a = w, b = 1 - w (Q becomes 1 - w^n)
 *                                          time-weighted: a = w^d, b = 1
 * which is what the GPU scans in parallel. The streaming form below is that recurrence.
 */
import { scanned, type SmoothParams } from './params';
import { initialWindowState, windowSmoothInto } from './window';

export type { SmoothParams };

/** Running state of one series, so appends continue where the series ended. */
export interface SmoothState {
  p: number;
  q: number;
  /** x of the last point seen (finite or not), for time-weighted; NaN before the first */
  lastX: number;
}

export function initialState(): SmoothState {
  return { p: 0, q: 0, lastX: NaN };
}

/**
 * Smooth y[from..to) (sorted by x), continuing `state`, writing s into out[from..to).
 * Returns the state after the last point. O(to - from).
 */
export function smoothInto(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from: number,
  to: number,
  params: SmoothParams,
  state: SmoothState,
  out: Float32Array | Float64Array,
): SmoothState {
  const w = params.weight;
  let { p, q, lastX } = state;
  if (params.mode === 'ema') {
    const b = 1 - w;
    for (let i = from; i < to; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) {
        out[i] = NaN;
        continue;
      }
      // weight 0 must return the input unchanged: p = v, q = 1 exactly
      p = w * p + b * v;
      q = w * q + b;
      out[i] = w === 0 ? v : p / q;
    }
  } else {
    const scale = params.range > 0 ? 1000 / params.range : 0;
    for (let i = from; i < to; i++) {
      const xi = x[i];
      const d = Number.isNaN(lastX) ? 0 : (xi - lastX) * scale;
      lastX = xi;
      const a = Math.pow(w, d); // w^0 = 1, also for w = 0
      const v = y[i];
      p *= a;
      q *= a;
      if (!Number.isFinite(v)) {
        out[i] = NaN;
        continue;
      }
      p += v;
      q += 1;
      out[i] = p / q;
    }
  }
  return { p, q, lastX };
}

/**
 * Smooth a whole series (x sorted ascending) from scratch, in any mode, into `out` (float64 by
 * default; a float32 `out` rounds the same float64 values).
 */
export function smooth<T extends Float32Array | Float64Array = Float64Array>(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  params: SmoothParams,
  out: T = new Float64Array(y.length) as T,
): T {
  if (scanned(params.mode)) smoothInto(x, y, 0, y.length, params, initialState(), out);
  else windowSmoothInto(x, y, 0, y.length, true, params, initialWindowState(), out);
  return out;
}
