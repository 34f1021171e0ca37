import { describe, it, expect } from 'vitest';
import { axisTicks, type AxisTicks } from '../../src/axes/ticks';

function expectIncreasing(values: readonly number[]) {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
}

function expectWellFormed(t: AxisTicks) {
  expect(t.labels.length).toBe(t.values.length);
  expect(new Set(t.labels).size).toBe(t.labels.length);
  for (const l of t.labels) expect(l).not.toBe('');
  expectIncreasing(t.values);
}

/** v / 10^floor(log10 v), rounded: the leading digit of a "k x 10^e" tick. */
function leading(v: number): number {
  return Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
}

describe('axisTicks linear number', () => {
  it("axisTicks('linear', 'number', [0, 1], 5) gives nice increasing ticks inside the domain", () => {
    const t = axisTicks('linear', 'number', [0, 1], 5);
    expect(t.values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(t.labels).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });

  it("axisTicks('linear', 'number', [-3.7, 12.2], 8) stays inside the domain", () => {
    const t = axisTicks('linear', 'number', [-3.7, 12.2], 8);
    expectWellFormed(t);
    expect(t.values.length).toBeGreaterThanOrEqual(5);
    expect(t.values.length).toBeLessThanOrEqual(12);
    for (const v of t.values) {
      expect(v).toBeGreaterThanOrEqual(-3.7);
      expect(v).toBeLessThanOrEqual(12.2);
    }
    expect(t.labels[0]).toBe('-2');
  });

  it("axisTicks('linear', 'number', [0, 50000], 5) labels with SI prefixes", () => {
    const t = axisTicks('linear', 'number', [0, 50000], 5);
    expect(t.labels).toEqual(['0', '10k', '20k', '30k', '40k', '50k']);
  });

  it("axisTicks('linear', 'number', [0, 3e9], 6) reaches giga as G", () => {
    const t = axisTicks('linear', 'number', [0, 3e9], 6);
    expect(t.labels).toEqual(['0', '500M', '1G', '1.5G', '2G', '2.5G', '3G']);
  });

  it("axisTicks('linear', 'number', [3.28, 3.3], 6) keeps close ticks distinct", () => {
    const t = axisTicks('linear', 'number', [3.28, 3.3], 6);
    expectWellFormed(t);
    expect(t.labels).toEqual(['3.28', '3.285', '3.29', '3.295', '3.3']);
  });

  it("axisTicks('linear', 'number', [1000.001, 1000.002], 5) keeps labels distinct far from zero", () => {
    const t = axisTicks('linear', 'number', [1000.001, 1000.002], 5);
    expectWellFormed(t);
    expect(t.labels[0]).toBe('1000.001');
  });

  it("axisTicks('linear', 'number', [-1e-5, 1e-5], 5) writes small values with an exponent", () => {
    const t = axisTicks('linear', 'number', [-1e-5, 1e-5], 5);
    expect(t.labels).toEqual(['-1e-5', '-5e-6', '0', '5e-6', '1e-5']);
  });

  it("axisTicks('linear', 'number', [0, 1], 1e12) caps the tick count", () => {
    const t = axisTicks('linear', 'number', [0, 1], 1e12);
    expectWellFormed(t);
    expect(t.values.length).toBeLessThanOrEqual(1001);
  });
});

describe('axisTicks log number', () => {
  it("axisTicks('log', 'number', [1, 1e6], 6) gives the powers of ten over 6 decades", () => {
    const t = axisTicks('log', 'number', [1, 1e6], 6);
    expect(t.values).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6]);
    expect(t.labels).toEqual(['1', '10', '100', '1000', '10k', '100k', '1M']);
  });

  it("axisTicks('log', 'number', [1e-3, 10], 15) labels only 1, 2, 5 x 10^k", () => {
    const t = axisTicks('log', 'number', [1e-3, 10], 15);
    expectWellFormed(t);
    expect(t.values.map(leading).every((k) => k === 1 || k === 2 || k === 5)).toBe(true);
    expect(t.labels.slice(0, 4)).toEqual(['0.001', '0.002', '0.005', '0.01']);
    expect(t.values.length).toBe(13);
  });

  it("axisTicks('log', 'number', [1e-3, 10], 6) labels only 10^k when 1, 2, 5 are too many", () => {
    const t = axisTicks('log', 'number', [1e-3, 10], 6);
    expect(t.labels).toEqual(['0.001', '0.01', '0.1', '1', '10']);
  });

  it("axisTicks('log', 'number', [1e-6, 1], 8) writes powers below 1e-3 with an exponent", () => {
    const t = axisTicks('log', 'number', [1e-6, 1], 8);
    expect(t.labels).toEqual(['1e-6', '1e-5', '1e-4', '0.001', '0.01', '0.1', '1']);
  });

  it("axisTicks('log', 'number', [1e-300, 1e300], 8) strides through powers over many decades", () => {
    const t = axisTicks('log', 'number', [1e-300, 1e300], 8);
    expectWellFormed(t);
    expect(t.values.length).toBeLessThanOrEqual(12);
    expect(t.labels[0]).toBe('1e-300');
  });

  it("axisTicks('log', 'number', [2, 3], 5) inside one decade falls back to linear ticks", () => {
    const t = axisTicks('log', 'number', [2, 3], 5);
    expect(t.labels).toEqual(['2', '2.2', '2.4', '2.6', '2.8', '3']);
  });

  it("axisTicks('log', 'number', [0, 100], 6) clamps the zero start instead of throwing", () => {
    const t = axisTicks('log', 'number', [0, 100], 6);
    expectWellFormed(t);
    expect(t.values.length).toBeGreaterThan(1);
    expect(t.values.every((v) => v > 0)).toBe(true);
    expect(t.values[t.values.length - 1]).toBe(100);
  });

  it("axisTicks('log', 'number', [-5, 100], 6) clamps a negative start", () => {
    const t = axisTicks('log', 'number', [-5, 100], 6);
    expectWellFormed(t);
    expect(t.values.every((v) => v > 0)).toBe(true);
  });

  it("axisTicks('log', 'number', [-5, 0], 6) has no ticks: nothing is positive", () => {
    expect(axisTicks('log', 'number', [-5, 0], 6)).toEqual({ values: [], labels: [] });
  });
});

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const NICE = new Set([
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S,
  M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M,
  H, 2 * H, 3 * H, 6 * H, 12 * H,
  D, 2 * D, 7 * D,
]);

describe('axisTicks duration', () => {
  it("axisTicks('linear', 'duration', [0, 4h], 6) steps by 30m with unit labels", () => {
    const t = axisTicks('linear', 'duration', [0, 4 * H], 6);
    expect(t.labels).toEqual(['0', '30m', '1h', '1h 30m', '2h', '2h 30m', '3h', '3h 30m', '4h']);
  });

  it("axisTicks('linear', 'duration', [0, 2000], 5) crosses from ms to s", () => {
    const t = axisTicks('linear', 'duration', [0, 2000], 5);
    expect(t.labels).toEqual(['0', '500ms', '1s', '1.5s', '2s']);
  });

  it("axisTicks('linear', 'duration', [-1m, 1m], 5) labels negatives with '-'", () => {
    const t = axisTicks('linear', 'duration', [-M, M], 5);
    expect(t.labels).toEqual(['-1m', '-30s', '0', '30s', '1m']);
  });

  it("axisTicks('linear', 'duration', [1h, 1h 2m], 8) keeps labels distinct below two units", () => {
    const t = axisTicks('linear', 'duration', [H, H + 2 * M], 8);
    expectWellFormed(t);
    expect(t.labels).toContain('1h 1m 15s');
  });

  it("axisTicks('linear', 'duration', domain, count) uses nice steps and about count ticks", () => {
    const spans = [37, 900, 7_300, 95 * S, 17 * M, 5 * H, 40 * H, 6 * D, 30 * D];
    for (const span of spans) {
      for (const count of [3, 6, 10]) {
        const lo = 0.37 * span;
        const t = axisTicks('linear', 'duration', [lo, lo + span], count);
        expectWellFormed(t);
        const step = t.values[1] - t.values[0];
        expect(NICE.has(step)).toBe(true);
        for (const v of t.values) expect(v / step).toBeCloseTo(Math.round(v / step), 9);
        expect(t.values.length).toBeGreaterThanOrEqual(Math.max(2, Math.floor(count / 2.5)));
        expect(t.values.length).toBeLessThanOrEqual(Math.ceil(count * 2.5) + 1);
      }
    }
  });

  it("axisTicks('linear', 'duration', [0, 100d], 5) steps in whole days beyond a week", () => {
    const t = axisTicks('linear', 'duration', [0, 100 * D], 5);
    expect(t.labels).toEqual(['0', '20d', '40d', '60d', '80d', '100d']);
  });

  it("axisTicks('linear', 'duration', [70s, 5d], 1) still has a tick when one step would not fit", () => {
    const t = axisTicks('linear', 'duration', [70 * S, 5 * D], 1);
    expect(t.values.length).toBeGreaterThan(0);
    for (const v of t.values) expect(v).toBeGreaterThanOrEqual(70 * S);
  });

  it("axisTicks('log', 'duration', [1, 1e6], 6) labels log ticks as durations", () => {
    const t = axisTicks('log', 'duration', [1, 1e6], 6);
    expect(t.labels).toEqual(['1ms', '10ms', '100ms', '1s', '10s', '1m 40s', '16m 40s']);
  });

  it("axisTicks('linear', 'duration', [0, 0.5], 5) steps below a millisecond", () => {
    const t = axisTicks('linear', 'duration', [0, 0.5], 5);
    expect(t.labels).toEqual(['0', '0.1ms', '0.2ms', '0.3ms', '0.4ms', '0.5ms']);
  });
});

describe('axisTicks date', () => {
  it("axisTicks('linear', 'date', one week, 7) gives increasing day ticks with labels", () => {
    const lo = new Date(2024, 0, 1).getTime();
    const t = axisTicks('linear', 'date', [lo, lo + 7 * D], 7);
    expect(t.labels.length).toBe(t.values.length);
    expect(t.values.length).toBeGreaterThanOrEqual(4);
    expectIncreasing(t.values);
    expect(t.values[0]).toBe(lo);
    expect(t.labels[0]).toBe('2024');
    for (const l of t.labels) expect(l.length).toBeGreaterThan(0);
  });

  it("axisTicks('linear', 'date', five seconds, 5) ticks each second", () => {
    const lo = new Date(2024, 5, 1, 12, 0, 20).getTime();
    const t = axisTicks('linear', 'date', [lo, lo + 5 * S], 5);
    expect(t.values).toEqual([0, 1, 2, 3, 4, 5].map((i) => lo + i * S));
    expect(t.labels).toEqual([':20', ':21', ':22', ':23', ':24', ':25']);
  });

  it("axisTicks('linear', 'date', a sub-millisecond domain, 5) keeps only ticks inside it", () => {
    const t = axisTicks('linear', 'date', [0.5358, 0.5359], 5);
    expect(t.values).toEqual([]);
  });
});

describe('axisTicks degenerate domains', () => {
  it("axisTicks('linear', 'number', [5, 5], 5) is one tick at the value", () => {
    expect(axisTicks('linear', 'number', [5, 5], 5)).toEqual({ values: [5], labels: ['5'] });
  });

  it("axisTicks('linear', 'duration', [90s, 90s], 5) is one tick at the value", () => {
    expect(axisTicks('linear', 'duration', [90 * S, 90 * S], 5)).toEqual({ values: [90 * S], labels: ['1m 30s'] });
  });

  it("axisTicks('log', 'number', [0, 0], 5) has no ticks", () => {
    expect(axisTicks('log', 'number', [0, 0], 5)).toEqual({ values: [], labels: [] });
  });

  it("axisTicks('linear', 'number', [10, 0], 5) gives the same increasing ticks as [0, 10]", () => {
    expect(axisTicks('linear', 'number', [10, 0], 5)).toEqual(axisTicks('linear', 'number', [0, 10], 5));
  });

  it("axisTicks(scale, format, non-finite domain, 5) has no ticks", () => {
    const empty = { values: [], labels: [] };
    expect(axisTicks('linear', 'number', [NaN, 5], 5)).toEqual(empty);
    expect(axisTicks('linear', 'duration', [0, Infinity], 5)).toEqual(empty);
    expect(axisTicks('linear', 'date', [-Infinity, 0], 5)).toEqual(empty);
    expect(axisTicks('log', 'number', [1, NaN], 5)).toEqual(empty);
  });

  it("axisTicks('linear', 'number', [-1e308, 1e308], 5) does not return NaN ticks", () => {
    const t = axisTicks('linear', 'number', [-1e308, 1e308], 5);
    expect(t.values.every(Number.isFinite)).toBe(true);
  });

  it("axisTicks('linear', 'number', [0, 1], 0 or NaN) still gives ticks", () => {
    expect(axisTicks('linear', 'number', [0, 1], 0).values.length).toBeGreaterThan(0);
    expect(axisTicks('linear', 'number', [0, 1], NaN).values.length).toBeGreaterThan(0);
  });

  it("axisTicks('linear', 'date', beyond the Date range, 5) has no ticks", () => {
    expect(axisTicks('linear', 'date', [0, 1e16], 5)).toEqual({ values: [], labels: [] });
  });
});

describe('axisTicks log: powers of ten in view are always ticks (issue 10)', () => {
  it('every power of ten inside the domain is a tick, whatever d3 picked', () => {
    for (const [domain, n] of [[[0.5, 3], 2], [[0.05, 20], 3], [[0.3, 150], 4], [[2e-3, 7], 3]] as const) {
      const t = axisTicks('log', 'number', domain, n);
      expectWellFormed(t);
      for (let e = -3; e <= 3; e++) {
        const p = Number(`1e${e}`);
        if (p >= domain[0] && p <= domain[1]) expect(t.values, `${p} in [${domain}]`).toContain(p);
      }
    }
  });
});
