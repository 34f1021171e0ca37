import { describe, expect, it } from 'vitest';
import { computeLayout, placeLabels, powersOfTen, tickPositions } from '../../src/axes/overlay';

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

describe('placeLabels at the chart edge (issue 10)', () => {
  it('a label at the right edge is moved in, not cut: it ends at max', () => {
    // the last x tick ("20k", 30 px wide) sits 5 px before the chart's right edge at 800
    const c = placeLabels([100, 400, 795], [30, 30, 30], 0, 4, undefined, 800);
    expect(c[2] + 15).toBeLessThanOrEqual(800);
    expect(c[2]).toBe(785);
    expect(c[0]).toBe(100);
  });
  it('moved in, it still gives way to a neighbour it would overlap', () => {
    const c = placeLabels([100, 770, 795], [30, 30, 30], 0, 4, undefined, 800);
    expect(Number.isNaN(c[2])).toBe(true);
  });
});

describe('placeLabels on a log axis (issue 10)', () => {
  it('thinning drops the in-between labels, never the powers of ten', () => {
    // y ticks of a log axis 0.1..10, top to bottom is 10 first; too crowded for all labels
    const values = [0.1, 0.2, 0.5, 1, 2, 5, 10];
    const centres = values.map((v) => 200 - 100 * Math.log10(v) - 100); // 0.1 at 200, 10 at 0
    const spec = { scale: 'log' as const, format: 'number' as const, domain: [0.1, 10] as const };
    const prio = powersOfTen(spec, values)!;
    expect(prio).toEqual([true, false, false, true, false, false, true]);
    const kept = placeLabels(centres, values.map(() => 12), -Infinity, 30, prio);
    const shown = values.filter((_, i) => Number.isFinite(kept[i]));
    expect(shown).toEqual(expect.arrayContaining([0.1, 1, 10]));
    expect(shown.length).toBeLessThan(values.length);
    // without priority, the greedy pass in tick order drops 1 for the 0.5 before it
    const plain = placeLabels(centres, values.map(() => 12), -Infinity, 30);
    expect(Number.isFinite(plain[3])).toBe(false);
  });
});

describe('computeLayout with axis titles (issue 10)', () => {
  it('a y title widens the left margin by a line, an x title the bottom margin', () => {
    const x = { scale: 'linear' as const, format: 'number' as const, domain: [0, 1e4] as const };
    const y = { scale: 'linear' as const, format: 'number' as const, domain: [0, 5] as const };
    const plain = computeLayout(800, 400, x, y, measure, 12);
    const titled = computeLayout(800, 400, { ...x, title: 'step' }, { ...y, title: 'loss' }, measure, 12);
    expect(titled.plot.left - plain.plot.left).toBeGreaterThanOrEqual(12);
    expect(plain.plot.height - titled.plot.height).toBeGreaterThanOrEqual(12);
    expect(computeLayout(800, 400, { ...x, title: null }, y, measure, 12)).toEqual(plain);
  });
});
