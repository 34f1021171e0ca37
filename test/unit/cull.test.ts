import { describe, it, expect } from 'vitest';
import { cullSpans } from '../../src/decimate/cull';
import { F32Out } from '../../src/decimate/outbuf';
import { mulberry32, randInt } from './prng';

type Span = [column: number, top: number, bottom: number, slot: number];

/** Rows a span's line (y0 = top - 0.5 .. y1 = bottom + 0.5) paints under three rasterisation rules. */
const rules: Record<string, (y0: number, y1: number, r: number) => boolean> = {
  // the least a rasteriser may paint: rows the line passes all the way through
  least: (y0, y1, r) => y0 < r && r + 1 < y1,
  // pixel centres inside the segment (what GL's diamond rule gives a vertical line)
  centre: (y0, y1, r) => y0 <= r + 0.5 && r + 0.5 < y1,
  // the most: every row the segment touches
  most: (y0, y1, r) => r + 1 > y0 && r < y1,
};

/** Top-most slot per pixel (-1: background) after drawing the spans in order. */
function paint(spans: Span[], w: number, h: number, rule: (y0: number, y1: number, r: number) => boolean): Int32Array {
  const img = new Int32Array(w * h).fill(-1);
  for (const [c, top, bottom, slot] of spans) {
    if (c < 0 || c >= w) continue;
    for (let r = 0; r < h; r++) if (rule(top - 0.5, bottom + 0.5, r)) img[r * w + c] = slot;
  }
  return img;
}

function culled(spans: Span[], w: number, h: number): Span[] {
  const out = new F32Out();
  const d = out.reserve(4 * spans.length);
  spans.forEach((s, i) => d.set(s, 4 * i));
  out.length = 4 * spans.length;
  const k = cullSpans(out, w, h);
  expect(out.length).toBe(4 * k);
  return Array.from({ length: k }, (_, i) => [...out.data.subarray(4 * i, 4 * i + 4)] as Span);
}

/** Many runs over a small plot: random walks with noise, some spans off the plot. */
function runs(seed: number, count: number, w: number, h: number): Span[] {
  const rand = mulberry32(seed);
  const spans: Span[] = [];
  for (let s = 0; s < count; s++) {
    let y = rand() * h;
    for (let c = 0; c < w; c++) {
      if (rand() < 0.1) continue; // a column without points
      y += (rand() - 0.5) * 4;
      const a = y + (rand() - 0.5) * 6, b = y + (rand() - 0.5) * 6;
      // float32 like the worker's records, clamped like columnSpans (-1 .. h + 1)
      const top = Math.fround(Math.max(-1, Math.min(a, b))), bottom = Math.fround(Math.min(h + 1, Math.max(a, b)));
      if (bottom < -1 || top > h + 1) continue;
      spans.push([c, top, bottom, s]);
    }
  }
  return spans;
}

describe('cullSpans', () => {
  for (const seed of [1, 2, 3]) {
    it(`cullSpans(spans) changes no pixel under any rasterisation rule, and leaves most of 200 overlapping runs out (seed ${seed})`, () => {
      const w = 40, h = 60;
      const spans = runs(seed, 200, w, h);
      const kept = culled(spans, w, h);
      for (const [name, rule] of Object.entries(rules)) {
        const want = paint(spans, w, h, rule), got = paint(kept, w, h, rule);
        expect({ rule: name, differ: got.filter((v, i) => v !== want[i]).length }).toEqual({ rule: name, differ: 0 });
      }
      expect(kept.length).toBeLessThan(spans.length / 3);
      // order kept: slots never decrease within a column among the kept spans
      for (let c = 0; c < w; c++) {
        const slots = kept.filter((s) => s[0] === c).map((s) => s[3]);
        expect(slots).toEqual([...slots].sort((p, q) => p - q));
      }
    });
  }

  it('cullSpans keeps a span that shows through a one-row gap, and spans off the plot columns', () => {
    const w = 3, h = 20;
    // slot 0 spans rows 2..12; slots 1 and 2 cover all of it but row 7
    const spans: Span[] = [[1, 2.5, 11.5, 0], [1, 1, 6.2, 1], [1, 7.8, 14, 2], [-1, 0, 10, 3], [5, 0, 10, 4]];
    const kept = culled(spans, w, h);
    expect(kept.map((s) => s[3])).toEqual([0, 1, 2, 3, 4]);
    // close the gap: slot 0 is painted over everywhere now
    const closed: Span[] = [[1, 2.5, 11.5, 0], [1, 1, 7, 1], [1, 6, 14, 2]];
    expect(culled(closed, w, h).map((s) => s[3])).toEqual([1, 2]);
  });

  it('cullSpans drops spans wholly outside the plot rows and keeps everything when nothing overlaps', () => {
    const w = 4, h = 10;
    const spans: Span[] = [[0, -1, -0.9, 0], [1, 2, 3, 1], [2, 2, 3, 2], [3, 10.6, 11, 3]];
    expect(culled(spans, w, h).map((s) => s[3])).toEqual([1, 2]);
    const rand = mulberry32(9);
    const apart: Span[] = Array.from({ length: 4 }, (_, c) => [c, randInt(rand, 0, 5), 6, c] as Span);
    expect(culled(apart, w, h).length).toBe(4);
  });
});
