/**
 * Pictures of the plot one texel per device pixel, made from snapped spans (occlude.ts), for
 * frames where drawing primitives would cost more than the pixels themselves: the GPU draws
 * one quad and looks each pixel up (shaders/draw/slots.frag, density.frag).
 *
 * - `slotImage`: which slot shows at each pixel, from the visible pieces of opaque thin lines.
 *   The pieces are disjoint, so the image is exactly the picture the pieces (and so every span)
 *   would draw; worth it once pieces are many against the plot's pixels (SLOT_IMAGE_SHARE).
 * - `DensityCounter`: how many curves pass through each pixel, each counted once per pixel column
 *   (its span there), as DenseLines (Moritz and Fisher, 2018) and Mosaic's line density define
 *   it: exact counts from the same per-column spans the lines are drawn from, mapped to ramp
 *   levels 1..255 on a log scale up to the frame's largest count (0: no curve).
 *
 * Texels are RGBA8, row 0 the plot's top row.
 */
import type { F32Out } from './outbuf';

/** A slot image pays when the pieces exceed this share of the plot's pixels (see frame.ts). */
export const SLOT_IMAGE_SHARE = 1 / 16;

/** slot + 1 in the texel's RGB (24 bits; 0 = background) at every pixel a piece paints. */
export function slotImage(pieces: F32Out, width: number, height: number): Uint8Array {
  const img = new Uint8Array(4 * width * height);
  const d = pieces.data;
  for (let i = 0; i < pieces.length; i += 4) {
    const c = d[i], a = d[i + 1], b = d[i + 2], v = d[i + 3] + 1;
    const r = v & 255, g = (v >>> 8) & 255, bl = (v >>> 16) & 255;
    for (let row = a, k = 4 * (a * width + c); row < b; row++, k += 4 * width) {
      img[k] = r;
      img[k + 1] = g;
      img[k + 2] = bl;
      img[k + 3] = 255;
    }
  }
  return img;
}

/** The ramp level of a count: 0 for none, else 1..255 on log(1 + count) / log(1 + max). */
export function densityLevel(count: number, max: number): number {
  if (count <= 0) return 0;
  if (max <= 1) return 255;
  return 1 + Math.round((254 * Math.log1p(count - 1)) / Math.log1p(max - 1));
}

/**
 * Counts per pixel of spans ([column, top, bottom] in device px, one per curve and column),
 * counted as columnSpans makes them (never stored: 10,000 runs x W columns would not fit), by
 * a difference array per column over the rows each span paints (floor(top) .. floor(bottom), as
 * snapSpans). `image()`: the texel's R is the ramp level, G and B the count's low and high bytes
 * (capped at 65535), A 255 where any curve passes; and the largest count.
 */
export class DensityCounter {
  private diff: Int32Array;
  /** curves counted */
  curves = 0;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    // row-major, height + 1 rows: a curve's spans in neighbouring columns mostly start and end on
    // the same rows, so its increments land in neighbouring words (column-major: a cache line each)
    this.diff = scratchDiff(width * (height + 1));
  }

  /** Count one span of the current curve (then `curveDone()` once its spans are all counted). */
  count(c: number, top: number, bottom: number): void {
    // as float32, the spans' own precision: rows then match snapSpans' for the lines on top
    top = Math.fround(top);
    bottom = Math.fround(bottom);
    if (!(c >= 0 && c < this.width) || !(bottom >= 0)) return;
    // rows floor(top) .. floor(bottom), clamped (both >= 0 here: truncation is floor)
    const a = top > 0 ? top | 0 : 0;
    const b = Math.min(this.height, (bottom | 0) + 1);
    if (!(a < b)) return;
    this.diff[a * this.width + c]++;
    this.diff[b * this.width + c]--;
  }

  /** One more curve counted (after its spans went to `count`). */
  curveDone(): void {
    this.curves++;
  }

  image(): { data: Uint8Array; max: number } {
    const W = this.width, H = this.height, diff = this.diff;
    // prefix sums down each column, a row at a time (the texels' order)
    const run = scratchRun(W);
    let max = 0;
    for (let r = 0, base = 0; r < H; r++, base += W) {
      for (let c = 0; c < W; c++) {
        const n = (run[c] += diff[base + c]);
        diff[base + c] = n;
        if (n > max) max = n;
      }
    }
    const image = new Uint8Array(4 * W * H);
    // one log per count up to the largest, not per pixel (a 10,000-run density lights most pixels)
    const levels = new Uint8Array(max + 1);
    for (let n = 1; n <= max; n++) levels[n] = densityLevel(n, max);
    for (let p = 0, k = 0; p < W * H; p++, k += 4) {
      const n = diff[p];
      if (n === 0) continue;
      const capped = Math.min(n, 65535);
      image[k] = levels[n];
      image[k + 1] = capped & 255;
      image[k + 2] = capped >>> 8;
      image[k + 3] = 255;
    }
    return { data: image, max };
  }
}

/** The difference array, reused across frames (zeroed): grown, never shrunk. */
let diffPool = new Int32Array(0);
function scratchDiff(n: number): Int32Array {
  if (diffPool.length < n) diffPool = new Int32Array(n);
  else diffPool.fill(0, 0, n);
  return diffPool;
}

/** One running count per column, reused (zeroed). */
let runPool = new Int32Array(0);
function scratchRun(n: number): Int32Array {
  if (runPool.length < n) runPool = new Int32Array(n);
  else runPool.fill(0, 0, n);
  return runPool;
}
