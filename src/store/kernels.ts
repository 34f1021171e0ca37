/**
 * The store's per-point loops in WebAssembly (wasm/kernels.wat), behind JS wrappers that copy the
 * arrays through the module's memory in chunks. Why: the decimation worker's first ingest on a
 * fresh page runs these loops cold, and V8 interprets them for tens of ms before it has optimised
 * them (a pyramid over 1e5 points took 22-35 ms there); WebAssembly is compiled before it runs.
 * Each wrapper answers null when it does not run: below KERNEL_MIN values (the copies would cost
 * what the loop does), or when WebAssembly is not there (or a Content Security Policy without
 * 'wasm-unsafe-eval' forbids it); the caller then runs its JS loop, which stays the reference
 * the tests hold these to.
 */
import { kernelsWasm } from './wasm/kernels.wasm';

/** Points (or level-0 blocks x 16) per call: the module's 3 MiB hold one chunk in and its output. */
const CHUNK = 1 << 18;
/** the module's memory: input from byte 0 (8 x CHUNK bytes), output after it (3 x CHUNK bytes) */
const IN = 0, OUT = 8 * CHUNK;
/** level-up blocks out per call: their children (24 bytes each) fill the input, they the output */
const UP_CHUNK = CHUNK >> 2;

/** Non-finite and finite non-positive values, as counted by a level-0 build (pyramid.ts). */
export interface Tally {
  nonFinite: number;
  nonPositive: number;
}

/** Below this many values a loop stays in JS: the copies would cost what the loop does. */
export const KERNEL_MIN = 1024;

interface Exports {
  memory: WebAssembly.Memory;
  nonFinite: WebAssembly.Global;
  nonPositive: WebAssembly.Global;
  level0(y: number, n: number, from: number, out: number): void;
  levelUp(src: number, belowCount: number, out: number, first: number, count: number): void;
  sorted(x: number, n: number): number;
}

interface Kernels {
  k: Exports;
  in32: Int32Array;
  in64: Float64Array;
  out32: Int32Array;
}

let kernels: Kernels | null | undefined;
let enabled = true;
/** values a call needs to run here (useKernels can lower it for the tests) */
let minimum = KERNEL_MIN;

function load(): Kernels | null {
  if (!enabled) return null;
  if (kernels === undefined) {
    try {
      const bytes = Uint8Array.from(atob(kernelsWasm), (c) => c.charCodeAt(0));
      const k = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Exports;
      // the memory never grows (nothing here asks it to), so these views stay valid
      const mem = k.memory.buffer;
      kernels = { k, in32: new Int32Array(mem, IN, 2 * CHUNK), in64: new Float64Array(mem, IN, CHUNK), out32: new Int32Array(mem, OUT, (3 * CHUNK) >> 2) };
    } catch {
      kernels = null;
    }
  }
  return kernels;
}

/**
 * Tests: false runs every loop in JS, true the WebAssembly ones again where they can; `min`
 * (default KERNEL_MIN) the fewest values a call runs here with (0: every call, to hold the
 * kernels to the JS loops at any size).
 */
export function useKernels(on: boolean, min = KERNEL_MIN): void {
  enabled = on;
  minimum = min;
}

/** True when the WebAssembly loops run (false: the JS ones). */
export function kernelsAvailable(): boolean {
  return load() !== null;
}

/**
 * pyramid.ts `level0` in WebAssembly: level-0 blocks of y[from..n) (whole blocks, from the one
 * holding `from`) into `level`, and their counts; null when it does not run.
 */
export function level0Kernel(y: Float32Array, from: number, n: number, level: Float32Array): Tally | null {
  const w = n - from >= minimum ? load() : null;
  if (!w) return null;
  const tally: Tally = { nonFinite: 0, nonPositive: 0 };
  const bits = new Int32Array(y.buffer, y.byteOffset, y.length);
  const out = new Int32Array(level.buffer, level.byteOffset, level.length);
  for (let s = (from >> 4) << 4; s < n; s += CHUNK) {
    const e = Math.min(n, s + CHUNK);
    w.in32.set(bits.subarray(s, e));
    w.k.level0(IN, e - s, Math.max(0, from - s), OUT);
    out.set(w.out32.subarray(0, 3 * ((e - s + 15) >> 4)), 3 * (s >> 4));
    tally.nonFinite += w.k.nonFinite.value as number;
    tally.nonPositive += w.k.nonPositive.value as number;
  }
  return tally;
}

/** pyramid.ts `levelUp` in WebAssembly: blocks [first, count) of `level` from `below`; false when it does not run. */
export function levelUpKernel(below: Float32Array, belowCount: number, level: Float32Array, first: number, count: number): boolean {
  const w = (count - first) * 16 >= minimum ? load() : null;
  if (!w) return false;
  const src = new Int32Array(below.buffer, below.byteOffset, below.length);
  const out = new Int32Array(level.buffer, level.byteOffset, level.length);
  for (let b0 = first; b0 < count; b0 += UP_CHUNK) {
    const b1 = Math.min(count, b0 + UP_CHUNK);
    w.in32.set(src.subarray(6 * b0, 3 * Math.min(belowCount, 2 * b1)));
    w.k.levelUp(IN, belowCount, OUT, b0, b1);
    out.set(w.out32.subarray(0, 3 * (b1 - b0)), 3 * b0);
  }
  return true;
}

/** sort.ts `isSorted` in WebAssembly: x[from..n) never decreases; null when it does not run. */
export function sortedKernel(x: ArrayLike<number>, n: number, from: number): boolean | null {
  if (n - from < minimum || !(x instanceof Float64Array)) return null;
  const w = load();
  if (!w) return null;
  // chunks overlap by one value, so every neighbouring pair is compared once
  for (let s = from; s < n - 1; s += CHUNK - 1) {
    const e = Math.min(n, s + CHUNK);
    w.in64.set(x.subarray(s, e));
    if (!w.k.sorted(IN, e - s)) return false;
  }
  return true;
}
