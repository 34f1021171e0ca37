import { describe, expect, it } from 'vitest';
import { defaultOptions, mergeOptions } from '../../src/options';
import { checkSeriesList } from '../../src/data/validate';

describe('the aggregate option', () => {
  it('mergeOptions takes null or { line, band, runs }, filling mean, minmax and faint', () => {
    expect(mergeOptions(defaultOptions, { aggregate: { band: 'ci95' } as never }).aggregate).toEqual({ line: 'mean', band: 'ci95', runs: 'faint' });
    expect(mergeOptions(defaultOptions, { aggregate: { line: 'median', band: 'std', runs: 'hidden' } }).aggregate).toEqual({ line: 'median', band: 'std', runs: 'hidden' });
    expect(mergeOptions({ ...defaultOptions, aggregate: { line: 'mean', band: 'none', runs: 'faint' } }, { aggregate: null }).aggregate).toBeNull();
  });

  it('a bad aggregate names its field and value', () => {
    const bad = (v: unknown) => () => mergeOptions(defaultOptions, { aggregate: v as never });
    expect(bad('mean')).toThrow(/aggregate must be null or \{ line, band, runs \}, got "mean"/);
    expect(bad({ line: 'mode' })).toThrow(/aggregate.line must be 'mean' or 'median', got "mode"/);
    expect(bad({ band: 'iqr' })).toThrow(/aggregate.band must be 'none', 'minmax', 'std' or 'ci95', got "iqr"/);
    expect(bad({ runs: 'dim' })).toThrow(/aggregate.runs must be 'hidden' or 'faint', got "dim"/);
    expect(bad({ lines: 'mean' })).toThrow(/aggregate has no field "lines"/);
  });

  it('a series group is a non-empty string, named in the error', () => {
    const x = [0, 1], y = [1, 2];
    expect(() => checkSeriesList([{ id: 'a', x, y, group: 'seeds' }], () => [0, 0, 0, 1])).not.toThrow();
    expect(() => checkSeriesList([{ id: 'a', x, y, group: 3 as never }], () => [0, 0, 0, 1])).toThrow('series "a": group must be a non-empty string');
    expect(() => checkSeriesList([{ id: 'a', x, y, group: '' }], () => [0, 0, 0, 1])).toThrow('series "a": group must be a non-empty string');
  });
});
