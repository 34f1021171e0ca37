import { describe, it, expect } from 'vitest';
import { checkColumn, checkId, checkLengths, checkStyle, copy32, copy64, unknownSeries } from '../../src/data/validate';

/** The error `fn` throws (failing the test when it does not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** A fake colour parser: knows '#rgb'-style hex and 'red', returns null for anything else. */
const parseColor = (c: string): number[] | null => (/^#[0-9a-f]{6}$/i.test(c) ? [1, 2, 3, 1] : c === 'red' ? [1, 0, 0, 1] : null);

describe('checkColumn', () => {
  it('checkColumn(id, field, typed array) returns its length', () => {
    expect(checkColumn('a', 'x', new Float64Array(5))).toBe(5);
    expect(checkColumn('a', 'y', new Float32Array(3))).toBe(3);
    expect(checkColumn('a', 'y', new Int32Array(7))).toBe(7);
    expect(checkColumn('a', 'y', new Uint8Array(0))).toBe(0);
    expect(checkColumn('a', 'x', [1, 2, NaN, Infinity])).toBe(4);
    expect(checkColumn('a', 'x', [])).toBe(0);
  });

  it('checkColumn(id, "x", plain array with a string) is a TypeError naming the series and x[3]', () => {
    const e = thrown(() => checkColumn('run-a/train', 'x', [0, 1, 2, '3', 4]));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toContain('series "run-a/train"');
    expect(e.message).toContain('x[3]');
    expect(e.message).toContain('string');
    const n = thrown(() => checkColumn('b', 'y', [0, null]));
    expect(n).toBeInstanceOf(TypeError);
    expect(n.message).toContain('y[1]');
    expect(n.message).toContain('null');
  });

  it('checkColumn(id, field, BigInt64Array | BigUint64Array | DataView) is a TypeError', () => {
    for (const v of [new BigInt64Array(2), new BigUint64Array(2), new DataView(new ArrayBuffer(8))]) {
      const e = thrown(() => checkColumn('s', 'x', v));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain('series "s"');
      expect(e.message).toContain('x');
      expect(e.message).toContain(v.constructor.name);
    }
  });

  it('checkColumn(id, field, non-array) is a TypeError for a string, a number, null, undefined or an object', () => {
    for (const v of ['1,2,3', 3, null, undefined, { length: 2, 0: 1, 1: 2 }]) {
      const e = thrown(() => checkColumn('s', 'y', v));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain('series "s": y');
    }
  });
});

describe('checkLengths', () => {
  it('checkLengths(id, nx, ny) names both lengths', () => {
    const e = thrown(() => checkLengths('run-a/train', 10, 9));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('series "run-a/train": x has 10 values, y has 9');
    expect(checkLengths('a', 4, 4)).toBeUndefined();
  });
});

describe('checkId', () => {
  it('checkId(s, index) returns the id of a series object', () => {
    expect(checkId({ id: 'run-b/eval', x: [], y: [] }, 0)).toBe('run-b/eval');
  });

  it('checkId(s, index) is a TypeError naming the index for a non-object or an empty or non-string id', () => {
    for (const [s, index] of [[null, 0], ['abc', 1], [{ id: '' }, 2], [{ id: 3 }, 3], [{}, 4]] as const) {
      const e = thrown(() => checkId(s, index));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain(`index ${index}`);
    }
  });
});

describe('checkStyle', () => {
  it('checkStyle(id, style, parseColor) accepts good styles', () => {
    expect(checkStyle('a', {}, parseColor)).toBeUndefined();
    expect(checkStyle('a', { label: 'run a', color: '#1f77b4', width: 1.5, dash: [4, 2] }, parseColor)).toBeUndefined();
    expect(checkStyle('a', { color: 'red', dash: [] }, parseColor)).toBeUndefined();
  });

  it('checkStyle(id, style, parseColor) is a TypeError naming the series and the field', () => {
    const cases: [unknown, string][] = [
      [{ label: 5 }, 'label'],
      [{ color: 'not-a-colour' }, 'color "not-a-colour"'],
      [{ color: 0x1f77b4 }, 'color'],
      [{ width: 0 }, 'width'],
      [{ width: -1 }, 'width'],
      [{ width: 64 }, 'width'],
      [{ width: NaN }, 'width'],
      [{ width: '2' }, 'width'],
      [{ dash: [0, 0] }, 'dash'],
      [{ dash: [-1, 2] }, 'dash'],
      [{ dash: [1, NaN] }, 'dash'],
      [{ dash: [1, Infinity] }, 'dash'],
      [{ dash: '4 2' }, 'dash'],
    ];
    for (const [style, field] of cases) {
      const e = thrown(() => checkStyle('run-a/train', style as Parameters<typeof checkStyle>[1], parseColor));
      expect(e, JSON.stringify(style)).toBeInstanceOf(TypeError);
      expect(e.message).toContain('series "run-a/train"');
      expect(e.message).toContain(field);
    }
  });

  it('checkStyle(id, style, parseColor) asks parseColor about the colour', () => {
    const seen: string[] = [];
    checkStyle('a', { color: 'red' }, (c) => (seen.push(c), [1, 0, 0, 1]));
    expect(seen).toEqual(['red']);
  });
});

describe('unknownSeries', () => {
  it('unknownSeries(id, call) is a TypeError naming the series and the call', () => {
    const e = unknownSeries('nope', 'append');
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('series "nope": no such series (append)');
  });
});

describe('copy64 / copy32', () => {
  it('copy64(v) copies a typed or plain array into a fresh Float64Array', () => {
    const src = Float64Array.from([1.7e12 + 0.5, 2, 3]);
    const c = copy64(src);
    expect(c).toBeInstanceOf(Float64Array);
    expect([...c]).toEqual([1.7e12 + 0.5, 2, 3]);
    expect(c.buffer).not.toBe(src.buffer);
    c[0] = -1;
    expect(src[0]).toBe(1.7e12 + 0.5);
    const plain = [1, 2, 3];
    const p = copy64(plain);
    p[1] = 99;
    expect(plain).toEqual([1, 2, 3]);
    expect([...copy64(new Int32Array([4, -5]))]).toEqual([4, -5]);
  });

  it('copy32(v) copies into a fresh Float32Array, rounding to float32', () => {
    const src = Float32Array.from([0.1, 2, 3]);
    const c = copy32(src);
    expect(c).toBeInstanceOf(Float32Array);
    expect(c.buffer).not.toBe(src.buffer);
    c[1] = 42;
    expect(src[1]).toBe(2);
    const plain = [0.1, NaN, -Infinity];
    const p = copy32(plain);
    expect([...p]).toEqual([Math.fround(0.1), NaN, -Infinity]);
    p[0] = 7;
    expect(plain[0]).toBe(0.1);
  });
});
