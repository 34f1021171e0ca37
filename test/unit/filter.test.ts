import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../src/query/filter';

const runs = [
  { record: 'track_1_short/2024-10-10_Muon', subset: 'train', steps: '3000' },
  { record: 'track_1_short/2024-10-10_Muon', subset: 'eval', steps: '3000' },
  { record: 'track_2_medium/2025-01-01_Adam', subset: 'train', steps: '12000' },
];
const pick = (src: string) => runs.filter(compileFilter(src)).map((r) => `${r.record.slice(0, 7)}/${r.subset}`);

describe('compileFilter', () => {
  it('compileFilter(\'record ~ "Muon" and subset == "train"\') keeps the Muon train run', () => {
    expect(pick('record ~ "Muon" and subset == "train"')).toEqual(['track_1/train']);
  });
  it('compileFilter handles or, not, parentheses and precedence (and binds tighter)', () => {
    expect(pick('subset == "eval" or record ~ "Adam" and subset == "train"')).toEqual(['track_1/eval', 'track_2/train']);
    expect(pick('not (subset == "train")')).toEqual(['track_1/eval']);
    expect(pick("record !~ '^track_1'")).toEqual(['track_2/train']);
  });
  it('compileFilter compares numbers numerically', () => {
    expect(pick('steps >= 10000')).toEqual(['track_2/train']);
    expect(pick('steps < 5000 and subset != "eval"')).toEqual(['track_1/train']);
  });
  it('compileFilter("") keeps everything; a missing field reads as ""', () => {
    expect(pick('')).toHaveLength(3);
    expect(pick('lr == ""')).toHaveLength(3);
  });
  it('compileFilter throws a FilterError that says what is wrong and where', () => {
    const err = (s: string) => {
      try {
        compileFilter(s);
      } catch (e) {
        expect(e).toBeInstanceOf(FilterError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err('record ~')).toBe('expected a "string" or a number after "~" (at character 9)');
    expect(err('record "Muon"')).toMatch(/^expected an operator/);
    expect(err('(subset == "train"')).toMatch(/^expected "\)"/);
    expect(err('subset == "train" xor 1')).toMatch(/^expected "and", "or" or the end/);
    expect(err('record ~ "("')).toMatch(/^bad regular expression/);
    expect(err('subset == "train')).toMatch(/^unterminated string/);
  });
  it('compileFilter(src, fields) names a field no run has and lists the fields there are', () => {
    const fields = ['metric', 'record', 'run', 'steps', 'subset'];
    expect(() => compileFilter('step >= 5000', fields)).toThrow(FilterError);
    expect(() => compileFilter('step >= 5000', fields)).toThrow("no run has a field 'step'; fields: metric, record, run, steps, subset (at character 1)");
    expect(() => compileFilter('subset == "train" and lr > 1', fields)).toThrow(/^no run has a field 'lr'.*\(at character 23\)$/);
    // fields that exist: as without the list
    expect(runs.filter(compileFilter('not (record ~ "^track_2") or steps >= 10000', fields))).toHaveLength(3);
    expect(runs.filter(compileFilter('steps >= 5000', fields))).toHaveLength(1);
  });
});
