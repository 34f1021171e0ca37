import { describe, it, expect } from 'vitest';
import { defaultOptions, mergeOptions, type ChartOptions } from '../../src/options';

/** A deep snapshot, to show that nothing was changed in place. */
const snapshot = (o: ChartOptions) => JSON.parse(JSON.stringify(o)) as unknown;

/** mergeOptions with a patch the types would reject: what plain-JS callers can pass. */
const mergeAny = (current: ChartOptions, patch: unknown) => mergeOptions(current, patch as Partial<ChartOptions>);

function expectRangeError(current: ChartOptions, patch: unknown, name: string): void {
  const before = snapshot(current);
  let err: unknown;
  try {
    mergeAny(current, patch);
  } catch (e) {
    err = e;
  }
  expect(err, `patch ${JSON.stringify(patch)}`).toBeInstanceOf(RangeError);
  expect((err as Error).message).toContain(name);
  expect(snapshot(current)).toEqual(before);
}

describe('defaultOptions', () => {
  it('defaultOptions are linear axes fitted to the data, number format, no smoothing, raw shown', () => {
    expect(defaultOptions).toEqual({
      xScale: 'linear',
      yScale: 'linear',
      xDomain: null,
      yDomain: null,
      xFormat: 'number',
      smoothing: { weight: 0, mode: 'ema' },
      showRaw: true,
      smoothingBackend: 'auto',
      renderer: 'auto',
      xColumn: 'x',
      ignoreOutliers: false,
      density: 'auto',
      aggregate: null,
      interactive: true,
      xLabel: null,
      yLabel: null,
    });
  });
});

describe('mergeOptions', () => {
  it('mergeOptions(current, {}) equals current, as a new object', () => {
    const next = mergeOptions(defaultOptions, {});
    expect(next).toEqual(defaultOptions);
    expect(next).not.toBe(defaultOptions);
  });

  it('mergeOptions(current, patch) applies every option and leaves the others', () => {
    const next = mergeOptions(defaultOptions, {
      yScale: 'log',
      yDomain: [0.01, 10],
      xDomain: [-5, 5],
      xFormat: 'date',
      smoothing: { weight: 0.7, mode: 'time-weighted' },
      showRaw: false,
      smoothingBackend: 'cpu',
      renderer: 'webgl',
      xColumn: 'time',
      ignoreOutliers: true,
      density: 'on',
      aggregate: { line: 'median', band: 'ci95', runs: 'hidden' },
      interactive: false,
      xLabel: 'step',
      yLabel: 'loss',
    });
    expect(next).toEqual({
      xScale: 'linear',
      yScale: 'log',
      xDomain: [-5, 5],
      yDomain: [0.01, 10],
      xFormat: 'date',
      smoothing: { weight: 0.7, mode: 'time-weighted' },
      showRaw: false,
      smoothingBackend: 'cpu',
      renderer: 'webgl',
      xColumn: 'time',
      ignoreOutliers: true,
      density: 'on',
      aggregate: { line: 'median', band: 'ci95', runs: 'hidden' },
      interactive: false,
      xLabel: 'step',
      yLabel: 'loss',
    });
    expect(mergeOptions(next, { yDomain: null, yScale: 'linear' })).toEqual({ ...next, yDomain: null, yScale: 'linear' });
  });

  it("mergeOptions(current, {renderer: 'canvas'}) is a RangeError naming renderer; 'webgl' is taken", () => {
    expect(() => mergeAny(defaultOptions, { renderer: 'canvas' })).toThrow(/renderer must be 'auto' or 'webgl'/);
    expect(mergeOptions(defaultOptions, { renderer: 'webgl' }).renderer).toBe('webgl');
  });

  it("mergeOptions(current, {smoothingBackend: 'metal'}) is a RangeError naming smoothingBackend", () => {
    expect(() => mergeAny(defaultOptions, { smoothingBackend: 'metal' })).toThrow(/smoothingBackend/);
  });

  it('mergeOptions(current, {key: undefined}) leaves that option as it is', () => {
    const cur = mergeOptions(defaultOptions, { yScale: 'log' });
    expect(mergeOptions(cur, { yScale: undefined })).toEqual(cur);
  });

  it('mergeOptions(current, {smoothing}) fills a missing weight or mode with 0 / "ema"', () => {
    expect(mergeAny(defaultOptions, { smoothing: { weight: 0.6 } }).smoothing).toEqual({ weight: 0.6, mode: 'ema' });
    expect(mergeAny(defaultOptions, { smoothing: { mode: 'time-weighted' } }).smoothing).toEqual({ weight: 0, mode: 'time-weighted' });
    expect(mergeOptions(defaultOptions, { smoothing: { weight: 0, mode: 'ema' } }).smoothing.weight).toBe(0);
  });

  it('mergeOptions(current, patch) copies domains, so the caller may reuse its array', () => {
    const d: [number, number] = [1, 2];
    const next = mergeOptions(defaultOptions, { xDomain: d });
    d[0] = 100;
    expect(next.xDomain).toEqual([1, 2]);
  });

  it('mergeOptions(current, {xScale | yScale: bad}) is a RangeError naming the option', () => {
    expectRangeError(defaultOptions, { xScale: 'logarithmic' }, 'xScale');
    expectRangeError(defaultOptions, { yScale: 'sqrt' }, 'yScale');
    expectRangeError(defaultOptions, { yScale: null }, 'yScale');
  });

  it('mergeOptions(current, {xDomain | yDomain: bad}) is a RangeError for reversed, NaN, infinite or wrong-length domains', () => {
    for (const bad of [[2, 1], [1, 1], [NaN, 1], [0, NaN], [0, Infinity], [1], [1, 2, 3], [], '0,1', [0, '1'], { 0: 0, 1: 1, length: 2 }]) {
      expectRangeError(defaultOptions, { xDomain: bad }, 'xDomain');
      expectRangeError(defaultOptions, { yDomain: bad }, 'yDomain');
    }
  });

  it('mergeOptions(current, patch) with a log axis and a domain <= 0 is a RangeError naming the domain', () => {
    expectRangeError(defaultOptions, { yScale: 'log', yDomain: [0, 10] }, 'yDomain');
    expectRangeError(defaultOptions, { xScale: 'log', xDomain: [-1, 10] }, 'xDomain');
    // switching an existing non-positive domain to log is caught too
    const cur = mergeOptions(defaultOptions, { yDomain: [-1, 1] });
    expectRangeError(cur, { yScale: 'log' }, 'yDomain');
    const logCur = mergeOptions(defaultOptions, { yScale: 'log' });
    expectRangeError(logCur, { yDomain: [0, 1] }, 'yDomain');
    // a positive domain is fine
    expect(mergeOptions(defaultOptions, { yScale: 'log', yDomain: [1e-3, 1] }).yDomain).toEqual([1e-3, 1]);
  });

  it('mergeOptions(current, {xFormat: bad}) is a RangeError naming xFormat', () => {
    expectRangeError(defaultOptions, { xFormat: 'time' }, 'xFormat');
    for (const ok of ['number', 'duration', 'date'] as const) expect(mergeOptions(defaultOptions, { xFormat: ok }).xFormat).toBe(ok);
  });

  it('mergeOptions(current, {smoothing: {weight}}) is a RangeError for weight 1, -0.1, NaN or a string', () => {
    for (const weight of [1, -0.1, NaN, Infinity, 1.5, '0.5']) {
      expectRangeError(defaultOptions, { smoothing: { weight, mode: 'ema' } }, 'smoothing.weight');
    }
    expect(mergeOptions(defaultOptions, { smoothing: { weight: 0.999, mode: 'ema' } }).smoothing.weight).toBe(0.999);
  });

  it('mergeOptions(current, {smoothing}) is a RangeError for an unknown mode or a non-object', () => {
    expectRangeError(defaultOptions, { smoothing: { weight: 0.5, mode: 'boxcar' } }, 'smoothing.mode');
    expectRangeError(defaultOptions, { smoothing: 0.5 }, 'smoothing');
    expectRangeError(defaultOptions, { smoothing: null }, 'smoothing');
    expectRangeError(defaultOptions, { smoothing: [0.5] }, 'smoothing');
  });

  it('mergeOptions(current, {smoothing}) takes the window modes: a window of >= 1 points, odd for centred; sigma > 0 for gaussian', () => {
    const set = (smoothing: unknown) => mergeAny(defaultOptions, { smoothing }).smoothing;
    expect(set({ mode: 'running-average', window: 20 })).toEqual({ weight: 0, mode: 'running-average', window: 20 });
    expect(set({ mode: 'centred', window: 1 })).toEqual({ weight: 0, mode: 'centred', window: 1 });
    expect(set({ mode: 'centred', window: 21 })).toEqual({ weight: 0, mode: 'centred', window: 21 });
    expect(set({ mode: 'gaussian', sigma: 2.5 })).toEqual({ weight: 0, mode: 'gaussian', sigma: 2.5 });
    // fields another mode uses are checked and kept (one spec, switched between modes)
    expect(set({ mode: 'ema', weight: 0.6, window: 10, sigma: 3 })).toEqual({ weight: 0.6, mode: 'ema', window: 10, sigma: 3 });
    expect(set({ mode: 'gaussian', weight: 0.6, window: 10, sigma: 3 })).toEqual({ weight: 0.6, mode: 'gaussian', window: 10, sigma: 3 });
  });

  it('mergeOptions(current, {smoothing}) is a RangeError naming window or sigma, with the value, when one is wrong for the mode', () => {
    const message = (smoothing: unknown) => {
      try {
        mergeAny(defaultOptions, { smoothing });
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        return (e as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(smoothing)}`);
    };
    expect(message({ mode: 'centred', window: 4 })).toBe("smoothing.window must be odd for mode 'centred' (a window centred on its point), got 4");
    expect(message({ mode: 'centred' })).toBe("smoothing.window must be an integer >= 1 for mode 'centred', got undefined");
    expect(message({ mode: 'running-average' })).toBe("smoothing.window must be an integer >= 1 for mode 'running-average', got undefined");
    expect(message({ mode: 'gaussian' })).toBe("smoothing.sigma must be a finite number > 0 (x units) for mode 'gaussian', got undefined");
    for (const window of [0, -3, 2.5, NaN, Infinity, '5', null]) {
      expect(message({ mode: 'running-average', window })).toMatch(/^smoothing\.window must be an integer >= 1 for mode 'running-average', got /);
      expect(message({ mode: 'ema', weight: 0.5, window })).toMatch(/^smoothing\.window must be an integer >= 1, got /);
    }
    for (const sigma of [0, -1, NaN, Infinity, '2', null]) {
      expect(message({ mode: 'gaussian', sigma })).toMatch(/^smoothing\.sigma must be a finite number > 0 \(x units\) for mode 'gaussian', got /);
    }
    expect(message({ mode: 'gaussian', sigma: -1 })).toMatch(/got -1$/);
    expectRangeError(defaultOptions, { smoothing: { mode: 'centred', window: 10 } }, 'smoothing.window');
  });

  it('mergeOptions(current, {unknown}) is a RangeError naming the key', () => {
    expectRangeError(defaultOptions, { ySCale: 'log' }, 'ySCale');
    expectRangeError(defaultOptions, { smoothingWeight: 0.5 }, 'smoothingWeight');
  });

  it('mergeOptions(current, {showRaw: non-boolean}) is a RangeError naming showRaw', () => {
    for (const v of [0, 1, 'true', null]) expectRangeError(defaultOptions, { showRaw: v }, 'showRaw');
  });

  it('mergeOptions(current, patch) throws before changing anything when a later key is bad', () => {
    const cur = mergeOptions(defaultOptions, { yScale: 'log', smoothing: { weight: 0.5, mode: 'ema' } });
    expectRangeError(cur, { yScale: 'linear', xDomain: [0, 1], smoothing: { weight: 0.1, mode: 'ema' }, bogus: 1 }, 'bogus');
    expect(cur.yScale).toBe('log');
    expect(cur.xDomain).toBeNull();
    expect(cur.smoothing).toEqual({ weight: 0.5, mode: 'ema' });
    expect(defaultOptions.yScale).toBe('linear');
  });

  it('mergeOptions(current, non-object) is a RangeError', () => {
    expect(() => mergeAny(defaultOptions, null)).toThrow(RangeError);
    expect(() => mergeAny(defaultOptions, 'log')).toThrow(RangeError);
  });
});

describe('axis titles and input shapes (issue 10)', () => {
  it('xLabel / yLabel take a string or null, and anything else is a RangeError naming the option', () => {
    expect(mergeOptions(defaultOptions, { xLabel: 'step', yLabel: 'val/loss' })).toMatchObject({ xLabel: 'step', yLabel: 'val/loss' });
    expect(mergeOptions({ ...defaultOptions, yLabel: 'loss' }, { yLabel: null }).yLabel).toBeNull();
    expect(() => mergeAny(defaultOptions, { xLabel: 3 })).toThrow(/xLabel must be a string or null, got 3/);
    expect(() => mergeAny(defaultOptions, { yLabel: ['loss'] })).toThrow(RangeError);
  });

  it('an array, a number or null as the options object is a RangeError that says what it got', () => {
    expect(() => mergeAny(defaultOptions, [])).toThrow(/options must be an object .*got \[\]/);
    expect(() => mergeAny(defaultOptions, 42)).toThrow(/got 42/);
    expect(() => mergeAny(defaultOptions, null)).toThrow(/got null/);
  });

  it('smoothing without a mode is ema, also when the current mode is time-weighted (typed: mode is optional)', () => {
    const tw = mergeOptions(defaultOptions, { smoothing: { weight: 0.5, mode: 'time-weighted' } });
    expect(mergeOptions(tw, { smoothing: { weight: 0.7 } }).smoothing).toEqual({ weight: 0.7, mode: 'ema' });
  });
});
