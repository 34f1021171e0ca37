/**
 * Viewport math for zoom and pan, pure: domains in data units, positions as fractions of the
 * plot (0 = left/top edge, 1 = right/bottom). Log axes zoom and pan in log space, so a wheel
 * step feels the same at every decade.
 */
import { fromScaled, toScaled, type ScaleType } from '../coords';

export type Domain = readonly [number, number];

/** Zoom by `factor` (< 1 zooms in) keeping the data value under `at` (fraction) fixed. */
export function zoomAt(d: Domain, scale: ScaleType, at: number, factor: number): [number, number] {
  const t0 = toScaled(d[0], scale), t1 = toScaled(d[1], scale);
  const c = t0 + (t1 - t0) * at;
  return [fromScaled(c - (c - t0) * factor, scale), fromScaled(c + (t1 - c) * factor, scale)];
}

/** Pan by a fraction of the plot (positive moves the view right / up in data). */
export function panBy(d: Domain, scale: ScaleType, frac: number): [number, number] {
  const t0 = toScaled(d[0], scale), t1 = toScaled(d[1], scale);
  const dt = (t1 - t0) * frac;
  return [fromScaled(t0 + dt, scale), fromScaled(t1 + dt, scale)];
}

/** The sub-domain between two fractions of the plot (a drag box), in either order. */
export function between(d: Domain, scale: ScaleType, a: number, b: number): [number, number] {
  const t0 = toScaled(d[0], scale), t1 = toScaled(d[1], scale);
  const lo = Math.min(a, b), hi = Math.max(a, b);
  return [fromScaled(t0 + (t1 - t0) * lo, scale), fromScaled(t0 + (t1 - t0) * hi, scale)];
}

/**
 * A domain the options accept: finite, increasing, positive on log. Null when zooming went past
 * what float64 can tell apart (then the view stays as it was).
 */
export function validDomain(d: Domain, scale: ScaleType): [number, number] | null {
  const [a, b] = d;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) return null;
  if (scale === 'log' && !(a > 0)) return null;
  // keep at least ~1000 distinguishable values across the view
  if ((b - a) / Math.max(Math.abs(a), Math.abs(b)) < 1e-12) return null;
  return [a, b];
}
