import type { SmoothParams } from './reference';

/**
 * What a smoothed result depends on: ema only on the weight, time-weighted also on R (the
 * chart's x-extent), so a live run's growing x-extent changes no ema result.
 */
export function paramsKey(p: SmoothParams): string {
  return p.mode === 'ema' ? `ema:${p.weight}` : `tw:${p.weight}:${p.range}`;
}
