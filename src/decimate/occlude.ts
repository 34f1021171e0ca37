/**
 * The raster of one-device-pixel lines, exact to the pixel (docs/semantics.md, Decimation:
 * Thin lines and occlusion).
 *
 * `snapSpans`: when every series is one device pixel wide, a column span paints whole rows, the
 * rows its polyline passes through: floor(top) .. floor(bottom). The worker decides those rows
 * (float64) and the GPU draws each span as a vertical GL line from row a + 0.25 to row b + 0.25
 * (spans.vert, line mode): a line whose ends lie inside pixels, not on their edges, paints rows
 * a .. b - 1 under every rasterisation rule GL allows (diamond exit, rectangle, Bresenham). So
 * the worker knows exactly which pixels each span paints.
 *
 * `occludeSpans`: with opaque lines, a pixel shows the last span drawn over it. Walking the spans
 * from the last drawn to the first, each emits only its rows that no later span paints, as one
 * piece per maximal run of such rows. The pieces are pairwise disjoint, so their order no longer
 * matters, the picture is the one drawing every span would give, and a column holds at most as
 * many pieces as the plot has rows: primitives are bounded by the plot's pixels, not by runs x
 * columns, however the runs lie (overlapping, spread apart or crossing).
 */
import { F32Out } from './outbuf';

/**
 * [column, top, bottom, slot] spans (device px, y down) -> [column, first row, end row, slot]
 * in place, rows clamped to the plot's [0, height); spans left without a row are dropped.
 * Returns the number kept.
 */
export function snapSpans(spans: F32Out, height: number): number {
  const d = spans.data;
  const count = spans.length / 4;
  let k = 0;
  for (let i = 0; i < count; i++) {
    const a = Math.max(0, Math.floor(d[4 * i + 1]));
    const b = Math.min(height, Math.floor(d[4 * i + 2]) + 1);
    if (!(a < b)) continue;
    d[4 * k] = d[4 * i];
    d[4 * k + 1] = a;
    d[4 * k + 2] = b;
    d[4 * k + 3] = d[4 * i + 3];
    k++;
  }
  spans.length = 4 * k;
  return k;
}

/**
 * The visible pieces of snapped spans (in draw order) in a width x height plot, written to
 * `out` as [column, first row, end row, slot]. Spans outside the plot's columns are dropped
 * (clipped anyway). Returns the number of pieces.
 */
export function occludeSpans(spans: F32Out, width: number, height: number, out: F32Out): number {
  const d = spans.data;
  const count = spans.length / 4;
  const words = (height + 31) >>> 5;
  const painted = scratch.painted(width * words);
  out.length = 0;
  let o = out.reserve(4 * Math.min(count, width * height));
  let k = 0;
  for (let i = count - 1; i >= 0; i--) {
    const c = d[4 * i], a = d[4 * i + 1], b = d[4 * i + 2], slot = d[4 * i + 3];
    if (!(c >= 0 && c < width)) continue;
    const base = c * words;
    for (let r = a; r < b; ) {
      const z = nextClear(painted, base, r, b);
      if (z >= b) break;
      const e = nextSet(painted, base, z, b);
      if (k + 4 > o.length) {
        out.length = k;
        o = out.reserve(Math.max(4096, k));
      }
      o[k] = c; o[k + 1] = z; o[k + 2] = e; o[k + 3] = slot;
      k += 4;
      r = e;
    }
    setRange(painted, base, a, b);
  }
  out.length = k;
  return k / 4;
}

/**
 * Append to `out` (after its pieces) every span of `slots`, whole, in draw order: a highlighted
 * run drawn on top of the others' pieces. Returns the records now in `out`.
 */
export function appendSlots(spans: F32Out, slots: ReadonlySet<number>, out: F32Out): number {
  const d = spans.data;
  const count = spans.length / 4;
  let k = out.length;
  for (let i = 0; i < count; i++) {
    if (!slots.has(d[4 * i + 3])) continue;
    const o = out.reserve(4);
    o[k] = d[4 * i]; o[k + 1] = d[4 * i + 1]; o[k + 2] = d[4 * i + 2]; o[k + 3] = d[4 * i + 3];
    k += 4;
    out.length = k;
  }
  return k / 4;
}

/**
 * Move the records (`stride` floats, slot last) of `slots` to the end, the others' order kept:
 * a highlighted run's segments drawn after every other run's.
 */
export function slotsLast(records: F32Out, stride: number, slots: ReadonlySet<number>): void {
  const d = records.data;
  const count = records.length / stride;
  const lit: number[] = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    const r = i * stride;
    if (slots.has(d[r + stride - 1])) {
      for (let j = 0; j < stride; j++) lit.push(d[r + j]);
      continue;
    }
    if (k !== r) d.copyWithin(k, r, r + stride);
    k += stride;
  }
  d.set(lit, k);
}

/** The painted-rows bitset, reused from view to view (the worker occludes every frame): grown, never shrunk. */
const scratch = {
  bits: new Uint32Array(0),
  /** `n` words, all zero */
  painted(n: number): Uint32Array {
    if (this.bits.length < n) this.bits = new Uint32Array(n);
    else this.bits.fill(0, 0, n);
    return this.bits;
  },
};

/** Index of the lowest set bit of a non-zero word. */
function lowest(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/** First row in [from, to) whose bit is clear; `to` when none. */
function nextClear(bits: Uint32Array, base: number, from: number, to: number): number {
  let w = from >>> 5;
  let word = ~bits[base + w] & (-1 << (from & 31));
  for (;;) {
    if (word !== 0) return Math.min(to, (w << 5) + lowest(word));
    if (++w << 5 >= to) return to;
    word = ~bits[base + w];
  }
}

/** First row in [from, to) whose bit is set; `to` when none. */
function nextSet(bits: Uint32Array, base: number, from: number, to: number): number {
  let w = from >>> 5;
  let word = bits[base + w] & (-1 << (from & 31));
  for (;;) {
    if (word !== 0) return Math.min(to, (w << 5) + lowest(word));
    if (++w << 5 >= to) return to;
    word = bits[base + w];
  }
}

/** Set the bits of rows [a, b). */
function setRange(bits: Uint32Array, base: number, a: number, b: number): void {
  if (a >= b) return;
  const last = b - 1;
  for (let w = a >>> 5; w <= last >>> 5; w++) {
    const lo = w === a >>> 5 ? a & 31 : 0, hi = w === last >>> 5 ? last & 31 : 31;
    bits[base + w] |= (hi === 31 ? -1 : (1 << (hi + 1)) - 1) & ~((1 << lo) - 1);
  }
}
