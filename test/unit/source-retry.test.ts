/** The live stream's back-off: bounded, so a page finds its server back within five seconds. */
import { expect, test } from 'vitest';
import { RETRY_MAX_MS, RETRY_MIN_MS, retryDelay } from '../../src/source/livestream';

test('retries after 0.5 s, doubling, never more than 5 s apart', () => {
  expect([0, 1, 2, 3, 4, 5, 50].map(retryDelay)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  expect(RETRY_MIN_MS).toBe(500);
  expect(RETRY_MAX_MS).toBe(5000);
});
