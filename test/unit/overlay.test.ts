import { describe, expect, it } from 'vitest';
import { computeLayout, placeLabels, tickPositions } from '../../src/axes/overlay';

// a fixed-width "font": 6 px per character, 12 px lines
const measure = (t: string) => 6 * t.length;

describe('computeLayout', () => {
  it('computeLayout(800, 400, ...) leaves room for the widest y label and one line of x labels', () => {
    const l = computeLayout(
      800, 400,
      { scale: 'linear', format: 'number', domain: [0, 1e6] },
      { scale: 'linear', format: 'number', domain: [-1234.5, 1234.5] },
      measure, 12,
    );
    const widest = Math.max(...l.yTicks.labels.map(measure));
    expect(l.plot.left).toBeGreaterThanOrEqual(widest);
    expect(l.plot.left + l.plot.width).toBeLessThanOrEqual(800);
    expect(l.plot.top + l.plot.height).toBeLessThanOrEqual(400 - 12);
    expect(l.plot.width).toBeGreaterThan(600);
    expect(l.xTicks.values.length).toBeGreaterThan(3);
    expect(l.yTicks.values.length).toBeGreaterThan(3);
  });
});

describe('tickPositions', () => {
  it('tickPositions maps linear ticks to pixels, y downwards', () => {
    const spec = { scale: 'linear' as const, format: 'number' as const, domain: [0, 10] as const };
    expect(tickPositions(spec, [0, 5, 10], 200, false)).toEqual([0, 100, 200]);
    expect(tickPositions(spec, [0, 5, 10], 200, true)).toEqual([200, 100, 0]);
  });
  it('tickPositions puts log decades evenly', () => {
    const spec = { scale: 'log' as const, format: 'number' as const, domain: [1, 1000] as const };
    const p = tickPositions(spec, [1, 10, 100, 1000], 300, false);
    p.forEach((v, i) => expect(v).toBeCloseTo(100 * i, 9));
  });
});

describe('placeLabels', () => {
  it('placeLabels drops labels that would overlap their kept neighbour', () => {
    const kept = placeLabels([0, 10, 20, 100], [30, 30, 30, 30], 0, 4);
    expect(Number.isNaN(kept[1])).toBe(true);
    expect(Number.isNaN(kept[3])).toBe(false);
  });
});
