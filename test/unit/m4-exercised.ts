/**
 * What a store's M4 test data must exercise, checked on the answers the tests compare with the
 * reference (the same checks for every store: DuckDB, ClickHouse): `full` a log-y view of every
 * series over the whole range, `cut` a linear view cutting them (neighbours on both sides).
 */
import { expect } from 'vitest';
import type { M4Result } from '../../src/source/m4';

export function expectExercised(full: M4Result, cut: M4Result): void {
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  expect(sum(full.series.dense)).toBeGreaterThan(5);
  expect(full.series.dense.length - sum(full.series.dense)).toBeGreaterThan(5);
  expect(sum(full.series.nonFinite)).toBeGreaterThan(100);
  expect(sum(full.series.nonPositive)).toBeGreaterThan(100);
  expect(full.buckets.firstY.some((v) => Number.isNaN(v))).toBe(true);
  expect(full.buckets.minY.some((v) => Number.isNaN(v))).toBe(true); // a column with nothing drawable
  expect(full.points.y.some((v) => v <= 0)).toBe(true);
  expect(cut.series.beforeX.filter((v) => !Number.isNaN(v)).length).toBeGreaterThan(20);
  expect(cut.series.afterX.filter((v) => !Number.isNaN(v)).length).toBeGreaterThan(10);
}
