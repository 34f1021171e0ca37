/**
 * The window smoothing modes, in float64, exactly as docs/semantics.md (Smoothing) states them:
 *
 *   running-average  (W&B's)  the mean of the finite y at positions i-window+1 .. i
 *   centred          (Aim's)  the mean of the finite y at positions i-h .. i+h, h = (window-1)/2
 *   gaussian         (W&B's)  sum w_j y_j / sum w_j over the finite y_j with |x_j - x_i| <= reach,
 *                             w_j = exp(-(x_j - x_i)^2 / (2 sigma^2)), reach = sigma sqrt(2 ln 1e6)
 *
 * Positions are indices in the series' sorted order, cut at its ends. A non-finite y is left out
 * of every mean and its own output is NaN. Every output lies within the finite y it averages.
 *
 * running-average and centred slide one sum along the series (O(1) a point, whatever the
 * window): a point is added when the window reaches it and taken out when it leaves, in
 * Neumaier's compensated summation, so the sum stays within a few ulps of the window's exact sum
 * over any length (a plain running sum drifts by the rounding of every value ever added).
 * gaussian sums each window afresh (O(points within 2 reach) a point).
 *
 * The sliding sum makes a result depend on the order of operations from the series' start, so
 * every caller runs the same ones: `windowSmoothInto` continues from a `WindowState`, the state
 * before the first output that later points can still change. From scratch, continued after an
 * append (the worker) or fed piece by piece (the server, stream.ts): the same float64 values.
 */
import type { SmoothingSpec } from '../protocol/messages';

/** gaussian weights below this are cut */
export const GAUSSIAN_FLOOR = 1e-6;

/** The x distance where the gaussian weight falls to GAUSSIAN_FLOOR: sigma * sqrt(2 ln 1e6), ~5.26 sigma. */
export function gaussianReach(sigma: number): number {
  return sigma * Math.sqrt(-2 * Math.log(GAUSSIAN_FLOOR));
}

/**
 * Where a window smoothing stands: outputs before `next` are final (no later point enters their
 * window); the window of output `next - 1` holds the points [lo, hi), and for the sliding modes
 * their compensated sum (`sum + comp`) and how many of them are finite (`count`).
 */
export interface WindowState {
  next: number;
  lo: number;
  hi: number;
  sum: number;
  comp: number;
  count: number;
}

export function initialWindowState(): WindowState {
  return { next: 0, lo: 0, hi: 0, sum: 0, comp: 0, count: 0 };
}

/**
 * Outputs of a window mode for the points of one series from `state.next` on, written to
 * `out[i - base]`. The arrays hold the series' points `base .. n - 1` (point i at `x[i - base]`,
 * x sorted ascending), at least from `state.lo`. With `ended`, n is the series' end and every
 * output up to n is written, the windows cut there; without, only the final ones (windows that
 * end before n). Returns the state at the first output that points after n may still change:
 * continuing from it with more points gives what computing from scratch over them all gives.
 */
export function windowSmoothInto(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  base: number,
  n: number,
  ended: boolean,
  spec: SmoothingSpec,
  state: WindowState,
  out: Float32Array | Float64Array,
): WindowState {
  if (spec.mode === 'gaussian') return gaussianInto(x, y, base, n, ended, spec.sigma!, state, out);
  const w = spec.window ?? 1;
  // the window of output i: positions i - back .. i + ahead
  const ahead = spec.mode === 'centred' ? (w - 1) / 2 : 0;
  const back = w - 1 - ahead;
  let { lo, hi, sum, comp, count } = state;
  let kept: WindowState | null = null;
  for (let i = state.next; i < n; i++) {
    if (kept === null && i + ahead >= n) {
      // this window reaches past the points there are: later points change it
      kept = { next: i, lo, hi, sum, comp, count };
      if (!ended) return kept;
    }
    for (const end = Math.min(n, i + ahead + 1); hi < end; hi++) {
      const v = y[hi - base];
      if (!Number.isFinite(v)) continue;
      const t = sum + v;
      comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
      count++;
    }
    for (; lo < i - back; lo++) {
      const v = -y[lo - base];
      if (!Number.isFinite(v)) continue;
      const t = sum + v;
      comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
      count--;
    }
    const v = y[i - base];
    // alone in its window, a point is its own mean exactly (window 1 is the identity)
    out[i - base] = !Number.isFinite(v) ? NaN : count === 1 ? v : (sum + comp) / count;
  }
  return kept ?? { next: n, lo, hi, sum, comp, count };
}

function gaussianInto(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  base: number,
  n: number,
  ended: boolean,
  sigma: number,
  state: WindowState,
  out: Float32Array | Float64Array,
): WindowState {
  const reach = gaussianReach(sigma);
  const table = gaussianTable(x, n - base, sigma, reach);
  const step = table.step;
  const w = table.weights;
  let { lo, hi } = state;
  let kept: WindowState | null = null;
  for (let i = state.next; i < n; i++) {
    const xi = x[i - base];
    if (hi <= i) hi = i + 1;
    while (hi < n && x[hi - base] - xi <= reach) hi++;
    if (kept === null && hi === n) {
      // no point beyond reach yet: a later one may still be within it
      kept = { next: i, lo, hi, sum: 0, comp: 0, count: 0 };
      if (!ended) return kept;
    }
    while (xi - x[lo - base] > reach) lo++;
    const v = y[i - base];
    if (!Number.isFinite(v)) {
      out[i - base] = NaN;
      continue;
    }
    let sw = 0, swy = 0;
    for (let j = lo; j < hi; j++) {
      const yj = y[j - base];
      if (!Number.isFinite(yj)) continue;
      const dx = x[j - base] - xi;
      const k = j - i;
      // on evenly spaced x (steps) the distance is k steps: the weight from the table, the same
      // float as computing it (the table holds exactly that formula at k * step)
      const wj = dx === k * step && (k < 0 ? -k : k) < w.length ? w[k < 0 ? -k : k] : gaussianWeight(dx, sigma);
      sw += wj;
      swy += wj * yj;
    }
    out[i - base] = swy / sw;
  }
  return kept ?? { next: n, lo, hi, sum: 0, comp: 0, count: 0 };
}

/** The weight of a point dx away: d / sigma first, since a tiny sigma squared would underflow to 0. */
function gaussianWeight(dx: number, sigma: number): number {
  const t = dx / sigma;
  return Math.exp(-0.5 * t * t);
}

/**
 * gaussianWeight(k * step) for k = 0 .. reach / step, where `step` is the spacing of the first two
 * points: most runs log every step (or every k steps), so most distances are whole steps and one
 * exp a window offset serves every point (1e7 points at a reach of 100 points: 2e9 exp calls
 * otherwise). Points at other distances compute theirs.
 */
function gaussianTable(x: ArrayLike<number>, m: number, sigma: number, reach: number): { step: number; weights: Float64Array } {
  const step = m >= 2 ? x[1] - x[0] : 0;
  if (!(step > 0) || !(reach / step < 1 << 20)) return { step: NaN, weights: new Float64Array(0) };
  const weights = new Float64Array(Math.floor(reach / step) + 1);
  for (let k = 0; k < weights.length; k++) weights[k] = gaussianWeight(k * step, sigma);
  return { step, weights };
}
