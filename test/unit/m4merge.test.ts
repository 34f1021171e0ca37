import { describe, expect, test } from 'vitest';
import type { M4View } from '../../src/source/m4';
import { mergeM4, withoutSeries } from '../../src/source/m4merge';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import { mulberry32, randInt } from './prng';

const rand = mulberry32(3);
const all: RefSeries[] = Array.from({ length: 12 }, (_, i) => {
  const n = i % 3 === 0 ? randInt(rand, 5, 30) : randInt(rand, 300, 900);
  return { id: i * 2 + 1, step: Float64Array.from({ length: n }, (_, k) => k * (1 + (i % 4))), y: Float32Array.from({ length: n }, () => (rand() < 0.05 ? NaN : rand())) };
});
const view = (series: number[]): M4View => ({ series, xColumn: 'x', x0: 10.5, x1: 2500, W: 120, yScale: 'linear' });
const ids = all.map((s) => s.id);

describe('M4 answers of parts of a view', () => {
  test('merged: the answer for all their series (dense and sparse, interleaved ids)', () => {
    const a = ids.filter((_, i) => i % 2 === 0), b = ids.filter((_, i) => i % 2 === 1);
    const whole = m4Reference(all, view(ids));
    expect(whole.series.dense.some((d) => d === 0) && whole.series.dense.some((d) => d === 1)).toBe(true);
    expect(mergeM4([m4Reference(all, view(a)), m4Reference(all, view(b))])).toEqual(whole);
    expect(mergeM4([m4Reference(all, view(b)), m4Reference(all, view([])), m4Reference(all, view(a))])).toEqual(whole);
  });
  test('without some series: the answer for the rest', () => {
    const drop = new Set(ids.filter((_, i) => i % 3 === 1));
    expect(withoutSeries(m4Reference(all, view(ids)), drop)).toEqual(m4Reference(all, view(ids.filter((id) => !drop.has(id)))));
  });
});
