/**
 * Hidden-span culling for many overlapping runs (docs/semantics.md, Decimation: Culling). When every drawn series is an opaque, solid,
 * one-device-pixel line, each column span is drawn as one vertical GL line and later spans paint
 * over earlier ones. A span whose pixels are all painted by later spans changes no pixel of the
 * picture, so it need not be sent or drawn: with hundreds of runs in one chart most spans are such.
 *
 * The test is conservative on both sides, so the picture stays pixel-identical. A span drawn as
 * the line from y0 = top - 0.5 to y1 = bottom + 0.5 (spans.vert, line mode) certainly paints the
 * rows whose whole pixel [r, r + 1] it passes through (it enters and leaves their diamond), and
 * can paint no row outside [floor(y0), ceil(y1)). Walking from the last span drawn to the first,
 * a span is dropped when every row it can paint is already certainly painted by a later one.
 */
import type { F32Out } from './outbuf';

/** float slack for the vertex transform (the GPU sees these through a float32 clip transform) */
const EPS = 1 / 64;

/**
 * Remove hidden spans from [column, top, bottom, slot] records (in draw order) in a width x
 * height plot, keeping the order of the rest. Returns the number kept.
 */
export function cullSpans(spans: F32Out, width: number, height: number): number {
  const d = spans.data;
  const count = spans.length / 4;
  const words = (height + 31) >>> 5;
  const painted = scratch.painted(width * words);
  const keep = scratch.keep(count);
  for (let i = count - 1; i >= 0; i--) {
    const c = d[4 * i], y0 = d[4 * i + 1] - 0.5, y1 = d[4 * i + 2] + 0.5;
    if (!(c >= 0 && c < width && Number.isInteger(c))) {
      keep[i] = 1; // not a plot column: drawn as is, counted as covering nothing
      continue;
    }
    const base = c * words;
    // rows it may paint, within the plot
    const a = Math.max(0, Math.floor(y0 - EPS)), b = Math.min(height - 1, Math.ceil(y1 + EPS) - 1);
    if (a > b) continue; // wholly outside the plot: clipped anyway
    if (allSet(painted, base, a, b)) continue;
    keep[i] = 1;
    // rows it certainly paints: y0 < r and r + 1 < y1
    const p = Math.max(0, Math.floor(y0 + EPS) + 1), q = Math.min(height - 1, Math.ceil(y1 - EPS) - 2);
    if (p <= q) setRange(painted, base, p, q);
  }
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (!keep[i]) continue;
    if (k !== i) for (let j = 0; j < 4; j++) d[4 * k + j] = d[4 * i + j];
    k++;
  }
  spans.length = 4 * k;
  return k;
}

/** Buffers reused from view to view (the worker culls every frame): grown, never shrunk. */
const scratch = {
  bits: new Uint32Array(0),
  flags: new Uint8Array(0),
  /** `n` words, all zero */
  painted(n: number): Uint32Array {
    if (this.bits.length < n) this.bits = new Uint32Array(n);
    else this.bits.fill(0, 0, n);
    return this.bits;
  },
  /** `n` flags, all zero */
  keep(n: number): Uint8Array {
    if (this.flags.length < n) this.flags = new Uint8Array(n);
    else this.flags.fill(0, 0, n);
    return this.flags;
  },
};

/** Mask of bits lo..hi (0 <= lo <= hi <= 31) of a 32-bit word. */
function mask(lo: number, hi: number): number {
  return ((hi === 31 ? -1 : (1 << (hi + 1)) - 1) & ~((1 << lo) - 1)) >>> 0;
}

function allSet(bits: Uint32Array, base: number, a: number, b: number): boolean {
  for (let w = a >>> 5; w <= b >>> 5; w++) {
    const m = mask(w === a >>> 5 ? a & 31 : 0, w === b >>> 5 ? b & 31 : 31);
    if (((bits[base + w] & m) >>> 0) !== m) return false;
  }
  return true;
}

function setRange(bits: Uint32Array, base: number, a: number, b: number): void {
  for (let w = a >>> 5; w <= b >>> 5; w++) bits[base + w] |= mask(w === a >>> 5 ? a & 31 : 0, w === b >>> 5 ? b & 31 : 31);
}
