/**
 * How a smoothed curve stands out from its raw curve (TensorBoard's look): the raw curve faint,
 * the smoothed one at full strength in the run's own colour. The smoothed line keeps exactly
 * the colour of the run's legend and tooltip swatch (apps and tests find runs by it), so the
 * contrast comes from lightening the raw curve: at 20% over white a noisy raw band of the same
 * hue reads as a pale wash under the line, not as a second line of the same colour.
 */
import type { RGBA } from './color';

/** Opacity of the raw curve behind a smoothed one (it was 30%: too close to the smoothed line). */
export const RAW_ALPHA = 0.2;

/** The raw curve's colour: faint behind a smoothed curve, else the run's colour. */
export function rawStyle(c: RGBA, smoothing: boolean, dim: number): readonly [number, number, number, number] {
  return [c[0], c[1], c[2], c[3] * (smoothing ? RAW_ALPHA : 1) * dim];
}

/** The smoothed curve's colour: the run's, at full strength (dimmed only by a highlight). */
export function smoothedStyle(c: RGBA, dim: number): readonly [number, number, number, number] {
  return [c[0], c[1], c[2], c[3] * dim];
}

/** Opacity of the other runs while one is highlighted. */
export const DIM_ALPHA = 0.2;

/** Opacity of a group's runs behind its aggregate (option `aggregate`, runs: 'faint'). */
export const FAINT_ALPHA = 0.25;

/** Opacity of a group's band (Aim's and W&B's bands are as light). */
export const BAND_ALPHA = 0.2;

/** A group's band: its colour, see-through. */
export function bandStyle(c: RGBA): readonly [number, number, number, number] {
  return [c[0], c[1], c[2], c[3] * BAND_ALPHA];
}
