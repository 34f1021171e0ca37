/**
 * The ci95 band's t quantile (aggregate/tquantile.ts), loaded on first need: asked before it is
 * loaded it names what to do; loaded, it is @stdlib's to the bit, for every df a group can have.
 */
import { expect, test } from 'vitest';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { loadTQuantile, tQuantile975, tQuantileLoaded } from '../../src/aggregate/tquantile';

test('asked before it is loaded: a clear error; then equal to @stdlib for df 1 .. 65534', async () => {
  expect(tQuantileLoaded()).toBe(false);
  expect(() => tQuantile975(3)).toThrow(/t quantile of a ci95 band is not loaded \(await loadTQuantile\(\) first\)/);
  const a = loadTQuantile(), b = loadTQuantile();
  expect(a).toBe(b); // loaded once
  await a;
  expect(tQuantileLoaded()).toBe(true);
  for (let df = 1; df < 65535; df += df < 200 ? 1 : 97) expect(tQuantile975(df)).toBe(tQuantile(0.975, df));
  expect(tQuantile975(1)).toBeCloseTo(12.7062, 4);
  expect(tQuantile975(65534)).toBeCloseTo(1.96, 2);
});
