/** Test data and comparisons shared by the smoothing unit tests (reference and window modes). */
import { expect } from 'vitest';

/** Largest finite |v|, at least 1e-300 so a relative tolerance never becomes 0. */
function scaleOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]));
  return Math.max(m, 1e-300);
}

/** NaN exactly where `want` is NaN, and max |got - want| relative to max |want| (returned). */
export function relDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  const scale = scaleOf(want);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) {
      if (!Number.isNaN(got[i])) throw new Error(`index ${i}: want NaN, got ${got[i]}`);
      continue;
    }
    if (!Number.isFinite(got[i])) throw new Error(`index ${i}: want ${want[i]}, got ${got[i]}`);
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  }
  return worst;
}

/** Random y with about 4% NaN, 2% +Infinity, 2% -Infinity. */
export function randomY(rand: () => number, n: number, withNonFinite = true): Float64Array {
  const y = new Float64Array(n);
  let level = rand() * 10 - 5;
  for (let i = 0; i < n; i++) {
    const r = rand();
    level += (rand() - 0.5) * 0.2;
    if (withNonFinite && r < 0.04) y[i] = NaN;
    else if (withNonFinite && r < 0.06) y[i] = Infinity;
    else if (withNonFinite && r < 0.08) y[i] = -Infinity;
    else y[i] = level + (rand() - 0.5) * 3;
  }
  return y;
}

/** Sorted, unevenly spaced x: random steps, some repeated x, some long gaps. */
export function randomX(rand: () => number, n: number): Float64Array {
  const x = new Float64Array(n);
  let v = rand() * 100 - 50;
  for (let i = 0; i < n; i++) {
    x[i] = v;
    const r = rand();
    v += r < 0.05 ? 0 : r < 0.08 ? rand() * 200 : rand() * 3;
  }
  return x;
}
