// The store's WebAssembly loops (src/store/wasm/kernels.wat) against their JS references, bit for bit:
// level-0 blocks and their counts, levels above, sortedness; across chunk boundaries, from any
// start, with every kind of value; and the committed module against a fresh compile of the .wat.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/store/wasm/build.mjs';
import { kernelsWasm } from '../../src/store/wasm/kernels.wasm';
import { kernelsAvailable, level0Kernel, levelUpKernel, sortedKernel, useKernels } from '../../src/store/kernels';
import { Pyramid, level0, levelUp } from '../../src/store/pyramid';
import { isSorted, isSortedJS } from '../../src/store/sort';
import { mulberry32 } from './prng';

const CHUNK = 1 << 18;

/** y of one kind: a loss curve (all > 0), all < 0, or everything (signs, zeros, -0, NaN, infinities, denormals). */
function values(n: number, seed: number, kind: 'positive' | 'negative' | 'nasty'): Float32Array {
  const rand = mulberry32(seed);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'positive') y[i] = 1 + rand() * 3;
    else if (kind === 'negative') y[i] = -1 - rand() * 3;
    else {
      const r = rand();
      y[i] = r < 0.03 ? NaN : r < 0.04 ? Infinity : r < 0.05 ? -Infinity : r < 0.07 ? 0 : r < 0.08 ? -0 : r < 0.09 ? 1e-42 : r < 0.1 ? -1e-42 : (rand() - 0.5) * 2000;
    }
  }
  // stretches of one kind inside the others: whole blocks of NaN, of positives, of negatives
  for (let k = 0; k < n / 400; k++) {
    const at = Math.floor(rand() * n), len = 16 + Math.floor(rand() * 64);
    const v = [NaN, 2.5, -2.5][k % 3];
    y.fill(v, at, Math.min(n, at + len));
  }
  return y;
}

const bitsOf = (a: Float32Array) => Array.from(new Int32Array(a.buffer, a.byteOffset, a.length));

// every call runs in WebAssembly here, however few its values (the engine keeps small ones in JS)
beforeEach(() => useKernels(true, 0));
afterEach(() => useKernels(true));

describe('kernels (WebAssembly store loops)', () => {
  it('the committed module is kernels.wat compiled (npm run build:wasm)', async () => {
    const fresh = await compileKernels();
    expect(Buffer.from(kernelsWasm, 'base64').equals(fresh)).toBe(true);
  });

  it('run here (Node has WebAssembly with SIMD), and are off after useKernels(false)', () => {
    expect(kernelsAvailable()).toBe(true);
    useKernels(false);
    expect(kernelsAvailable()).toBe(false);
    expect(sortedKernel(new Float64Array(4), 4, 0)).toBe(null);
  });

  it('level0 equals the JS loop bit for bit, with its counts, for any length, start and values', () => {
    let cases = 0;
    for (const kind of ['positive', 'negative', 'nasty'] as const) {
      for (const n of [1, 15, 16, 17, 1000, 1024, 5003, CHUNK, CHUNK + 37, 2 * CHUNK + 5]) {
        const y = values(n, n + kind.length, kind);
        for (const from of new Set([0, 1, 15, 16, 100, Math.floor(n / 2), n - 1].filter((f) => f >= 0 && f < n))) {
          const blocks = Math.ceil(n / 16);
          // the blocks before `from`'s hold something else: a kernel must leave them alone
          const js = new Float32Array(3 * blocks).fill(7), wasm = new Float32Array(3 * blocks).fill(7);
          const tJs = level0(y, from, n, js);
          const tWasm = level0Kernel(y, from, n, wasm);
          expect(tWasm).not.toBe(null);
          expect(tWasm).toEqual(tJs);
          expect(bitsOf(wasm)).toEqual(bitsOf(js));
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(150);
  });

  it('levelUp equals the JS loop, odd and even counts, from any first block, across its chunks', () => {
    for (const belowCount of [2, 3, 64, 65, 1001, 2 * (CHUNK >> 2) + 3, 5 * (CHUNK >> 2)]) {
      const rand = mulberry32(belowCount);
      const below = new Float32Array(3 * belowCount);
      for (let i = 0; i < below.length; i++) below[i] = rand() < 0.05 ? Infinity : rand() < 0.05 ? -Infinity : (rand() - 0.5) * 100;
      const count = (belowCount + 1) >> 1;
      for (const first of new Set([0, 1, count >> 1, count - 1])) {
        const js = new Float32Array(3 * count).fill(3), wasm = new Float32Array(3 * count).fill(3);
        levelUp(below, belowCount, js, first, count);
        expect(levelUpKernel(below, belowCount, wasm, first, count)).toBe(true);
        expect(bitsOf(wasm)).toEqual(bitsOf(js));
      }
    }
  });

  it('sorted equals the JS loop: a descent, a NaN or -0 anywhere, chunk edges included', () => {
    const n = 2 * CHUNK + 10;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = i * 0.5 - 1000;
    expect(sortedKernel(x, n, 0)).toBe(true);
    for (const at of [1, 2, 1000, CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK - 1, n - 1]) {
      for (const bad of [NaN, -1e9]) {
        const y = x.slice();
        y[at] = bad;
        for (const from of [0, at - 1, at]) {
          expect(sortedKernel(y, n, from), `x[${at}] = ${bad} from ${from}`).toBe(isSortedJS(y, n, from));
          expect(isSorted(y, n, from)).toBe(isSortedJS(y, n, from));
        }
      }
    }
    // ties and -0 next to +0 are in order; Infinity at the ends too
    const t = new Float64Array(5000).fill(3);
    t[0] = -Infinity; t[10] = -0; t[11] = 0; t.fill(-0, 1, 10); t[4999] = Infinity;
    expect(sortedKernel(t, 5000, 0)).toBe(isSortedJS(t, 5000, 0));
    expect(sortedKernel(t, 1, 0)).toBe(true);
  });

  it('a pyramid built with them equals one built in JS, after appends too', () => {
    const y = values(300_000, 5, 'nasty');
    const withKernels = new Pyramid(y, 200_000);
    withKernels.extend(y, 150_003, 300_000);
    useKernels(false);
    const plain = new Pyramid(y, 200_000);
    plain.extend(y, 150_003, 300_000);
    const levels = (p: Pyramid) => (p as unknown as { levels: Float32Array[] }).levels.map(bitsOf);
    expect(levels(withKernels)).toEqual(levels(plain));
    expect(withKernels.built).toEqual(plain.built);
  });
});
