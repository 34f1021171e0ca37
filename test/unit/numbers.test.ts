import { describe, expect, it } from 'vitest';
import { numberOk, parseNumber, parseText } from '../../src/loaders/numbers';

/** parseNumber over the whole of `t`, read inside a longer line as the loaders do. */
function read(t: string): { v: number; ok: boolean } {
  const line = `loss,${t},7`;
  const v = parseNumber(line, 5, 5 + t.length);
  return { v, ok: numberOk };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('parseNumber', () => {
  it('equals Number() to the bit on float32 values printed as doubles (16 and 17 digits: the fast path and its fallback)', () => {
    const rand = rng(7);
    const f = new Float32Array(1);
    let sixteen = 0;
    for (let i = 0; i < 20000; i++) {
      f[0] = (rand() - 0.3) * 10 ** Math.floor(rand() * 16 - 8);
      const t = String(f[0]);
      if (/^-?\d\.\d{15}$/.test(t) || /^-?0\.\d{16}$/.test(t)) sixteen++;
      const { v, ok } = read(t);
      expect(ok).toBe(true);
      expect(Object.is(v, Number(t)), t).toBe(true);
    }
    expect(sixteen).toBeGreaterThan(1000);
  });

  it('equals Number() to the bit on random decimals: 1-22 digits, a point anywhere, exponents -40..40, signs, leading zeros', () => {
    const rand = rng(11);
    for (let i = 0; i < 40000; i++) {
      const n = 1 + Math.floor(rand() * 22);
      let d = '';
      for (let k = 0; k < n; k++) d += String(Math.floor(rand() * 10));
      const point = Math.floor(rand() * (n + 2)) - 1;
      let t = point >= 0 && point <= n ? `${d.slice(0, point)}.${d.slice(point)}` : d;
      if (t === '.') t = '0.';
      if (rand() < 0.3) t += `${rand() < 0.5 ? 'e' : 'E'}${rand() < 0.5 ? '-' : rand() < 0.5 ? '+' : ''}${Math.floor(rand() * 40)}`;
      if (rand() < 0.3) t = (rand() < 0.5 ? '-' : '+') + t;
      const { v, ok } = read(t);
      expect(ok, t).toBe(true);
      expect(Object.is(v, Number(t)), t).toBe(true);
    }
  });

  it('holds the edges of the exact range: 2^53 and its neighbours, 22 and 23 as exponents, -0', () => {
    for (const t of [
      '9007199254740991', '9007199254740992', '9007199254740993', '9007199254740993.5', '900719925474099.35',
      '1e22', '1e23', '12345e-22', '12345e-23', '0.1', '-0', '-0.0', '0e5', '123456789012345678901234567890',
      '.5', '5.', '4.502620220184326', '0.30000000000000004', '1e400', '1e-400',
    ]) {
      const { v, ok } = read(t);
      expect(ok, t).toBe(true);
      expect(Object.is(v, Number(t)), t).toBe(true);
    }
  });

  it('is not a number for text the decimal grammar does not hold; literals and spaces go through parseText', () => {
    for (const t of ['', '.', '-', '1e', '1e+', '0x10', '1_000', 'abc', '1.2.3', '--1', 'e5']) {
      expect(read(t).ok, t).toBe(false);
      expect(Number.isNaN(read(t).v), t).toBe(true);
    }
    expect(read(' 1.5 ').v).toBe(1.5);
    expect(read('nan').ok).toBe(true);
    expect(Number.isNaN(read('NaN').v)).toBe(true);
    expect(read('-inf').v).toBe(-Infinity);
    expect(parseText('Infinity')).toBe(Infinity);
  });
});
