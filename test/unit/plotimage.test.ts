// Plot images (decimate/plotimage.ts) against pure references: the slot image is the raster of
// the occluded pieces, the density the count of curves through each pixel, each curve once per
// column; and the highlight helpers of occlude.ts.
import { describe, it, expect } from 'vitest';
import { appendSlots, occludeSpans, slotsLast, snapSpans } from '../../src/decimate/occlude';
import { F32Out } from '../../src/decimate/outbuf';
import { DensityCounter, densityLevel, slotImage } from '../../src/decimate/plotimage';
import { mulberry32 } from './prng';

type Span = [number, number, number, number];

function out(spans: number[][]): F32Out {
  const o = new F32Out(new ArrayBuffer(16));
  const d = o.reserve(4 * spans.length);
  spans.forEach((s, i) => d.set(s, 4 * i));
  o.length = 4 * spans.length;
  return o;
}

/** Random float spans of `curves` curves (one per column where the curve is), in draw order. */
function randomSpans(seed: number, curves: number, w: number, h: number): Span[] {
  const rand = mulberry32(seed);
  const spans: Span[] = [];
  for (let s = 0; s < curves; s++) {
    let y = rand() * h;
    for (let c = 0; c < w; c++) {
      if (rand() < 0.1) continue; // a column without this curve
      const next = Math.min(h + 3, Math.max(-3, y + (rand() - 0.5) * 12));
      spans.push([c, Math.min(y, next), Math.max(y, next), s]);
      y = next;
    }
  }
  return spans;
}

describe('slotImage', () => {
  it('holds slot + 1 of the last span painting each pixel: the picture of drawing every span', () => {
    const w = 37, h = 29;
    const spans = randomSpans(3, 40, w, h);
    const snapped = out(spans);
    snapSpans(snapped, h);
    const ref = new Int32Array(w * h).fill(-1);
    for (let i = 0; i < snapped.length; i += 4) {
      const [c, a, b, s] = snapped.data.subarray(i, i + 4);
      for (let r = a; r < b; r++) ref[r * w + c] = s;
    }
    const pieces = new F32Out();
    occludeSpans(snapped, w, h, pieces);
    const img = slotImage(pieces, w, h);
    for (let p = 0; p < w * h; p++) {
      const id = img[4 * p] + 256 * img[4 * p + 1] + 65536 * img[4 * p + 2];
      expect(id - 1).toBe(ref[p]);
      expect(img[4 * p + 3]).toBe(ref[p] < 0 ? 0 : 255);
    }
  });

  it('encodes slots past 255 and 65535 in three bytes', () => {
    const img = slotImage(out([[0, 0, 1, 70_000], [1, 0, 1, 300]]), 2, 1);
    expect([...img.subarray(0, 3)]).toEqual([(70_001) & 255, (70_001 >> 8) & 255, 70_001 >> 16]);
    expect(img[4] + 256 * img[5]).toBe(301);
  });
});

describe('DensityCounter', () => {
  it('counts every curve once per pixel it paints, from float spans counted a curve at a time', () => {
    const w = 41, h = 23, curves = 60;
    const spans = randomSpans(11, curves, w, h);
    const ref = new Int32Array(w * h);
    for (const [c, top, bottom] of spans) {
      for (let r = Math.max(0, Math.floor(top)); r <= Math.min(h - 1, Math.floor(bottom)); r++) ref[r * w + c]++;
    }
    const counter = new DensityCounter(w, h);
    for (let s = 0; s < curves; s++) {
      // as float32, as the spans travel
      for (const [c, top, bottom] of spans.filter((x) => x[3] === s)) counter.count(c, Math.fround(top), Math.fround(bottom));
      counter.curveDone();
    }
    expect(counter.curves).toBe(curves);
    const { data: image, max } = counter.image();
    expect(max).toBe(Math.max(...ref));
    for (let p = 0; p < w * h; p++) {
      expect(image[4 * p + 1] + 256 * image[4 * p + 2]).toBe(ref[p]);
      expect(image[4 * p]).toBe(densityLevel(ref[p], max));
      expect(image[4 * p + 3]).toBe(ref[p] ? 255 : 0);
    }
  });

  it('levels: 0 for none, 1 for one curve, 255 for the most, rising with the count', () => {
    expect(densityLevel(0, 500)).toBe(0);
    expect(densityLevel(1, 500)).toBe(1);
    expect(densityLevel(500, 500)).toBe(255);
    expect(densityLevel(1, 1)).toBe(255);
    let prev = 0;
    for (let n = 1; n <= 500; n++) {
      const l = densityLevel(n, 500);
      expect(l).toBeGreaterThanOrEqual(prev);
      prev = l;
    }
  });

  it('starts from zero each frame (its pooled array is cleared)', () => {
    const a = new DensityCounter(3, 3);
    a.count(1, 0, 2.5);
    a.curveDone();
    a.image();
    const b = new DensityCounter(3, 3);
    expect(b.image().max).toBe(0);
  });
});

describe('highlight helpers', () => {
  it('appendSlots copies the spans of the lit slots, whole and in order, after the pieces', () => {
    const pieces = out([[0, 0, 1, 5]]);
    const n = appendSlots(out([[0, 0, 4, 1], [1, 2, 3, 2], [2, 1, 5, 1]]), new Set([1]), pieces);
    expect(n).toBe(3);
    expect([...pieces.data.subarray(0, 12)]).toEqual([0, 0, 1, 5, 0, 0, 4, 1, 2, 1, 5, 1]);
  });

  it('slotsLast moves the lit records to the end, keeping both orders', () => {
    const seg = new F32Out();
    const d = seg.reserve(15);
    d.set([1, 1, 1, 1, 7, 2, 2, 2, 2, 3, 3, 3, 3, 3, 7]);
    seg.length = 15;
    slotsLast(seg, 5, new Set([7]));
    expect([...seg.data.subarray(0, 15)]).toEqual([2, 2, 2, 2, 3, 1, 1, 1, 1, 7, 3, 3, 3, 3, 7]);
  });
});
