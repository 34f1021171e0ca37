import { describe, it, expect } from 'vitest';
import { occludeSpans, snapSpans } from '../../src/decimate/occlude';
import { F32Out } from '../../src/decimate/outbuf';
import { mulberry32, randInt } from './prng';

type Span = [column: number, top: number, bottom: number, slot: number];

function out(spans: Span[]): F32Out {
  const o = new F32Out(new ArrayBuffer(16));
  const d = o.reserve(4 * spans.length);
  spans.forEach((s, i) => d.set(s, 4 * i));
  o.length = 4 * spans.length;
  return o;
}

function records(o: F32Out): Span[] {
  return Array.from({ length: o.length / 4 }, (_, i) => [...o.data.subarray(4 * i, 4 * i + 4)] as Span);
}

/** The reference raster: slot per pixel (-1: background) after painting [column, row, end row, slot] in order. */
function paint(rows: Span[], w: number, h: number): Int32Array {
  const img = new Int32Array(w * h).fill(-1);
  for (const [c, a, b, slot] of rows) {
    if (c < 0 || c >= w) continue;
    for (let r = Math.max(0, a); r < Math.min(h, b); r++) img[r * w + c] = slot;
  }
  return img;
}

function snapped(spans: Span[], h: number): Span[] {
  const o = out(spans);
  const k = snapSpans(o, h);
  expect(o.length).toBe(4 * k);
  return records(o);
}

function occluded(rows: Span[], w: number, h: number): Span[] {
  const pieces = new F32Out(new ArrayBuffer(16)); // grown by the call
  const k = occludeSpans(out(rows), w, h, pieces);
  expect(pieces.length).toBe(4 * k);
  return records(pieces);
}

/** Runs as column spans in three layouts: on top of each other, spread apart, crossing. */
function runs(layout: 'overlapping' | 'spread' | 'crossing', seed: number, count: number, w: number, h: number): Span[] {
  const rand = mulberry32(seed);
  const spans: Span[] = [];
  for (let s = 0; s < count; s++) {
    let y = layout === 'spread' ? ((s + 0.5) / count) * h : layout === 'crossing' ? h / 2 : h / 3 + rand() * 4;
    const slope = layout === 'crossing' ? ((s / count) - 0.5) * 3 : 0;
    for (let c = 0; c < w; c++) {
      if (rand() < 0.1) continue; // a column without points
      y += slope + (rand() - 0.5) * 3;
      const a = y + (rand() - 0.5) * 5, b = y + (rand() - 0.5) * 5;
      // float32 like the worker's records, clamped like columnSpans (-1 .. h + 1)
      const top = Math.fround(Math.max(-1, Math.min(a, b))), bottom = Math.fround(Math.min(h + 1, Math.max(a, b)));
      if (bottom < -1 || top > h + 1) continue;
      spans.push([c, top, bottom, s]);
    }
  }
  return spans;
}

describe('snapSpans', () => {
  it('snapSpans gives each span the rows its line passes through: floor(top) .. floor(bottom), clamped to the plot', () => {
    const h = 10;
    const got = snapped([[0, 2.3, 2.3, 0], [1, 2.0, 4.99, 1], [2, 2.7, 5.0, 2], [3, -1, 0.2, 3], [4, 9.5, 11, 4], [5, -1, -0.5, 5], [6, 10, 11, 6]], h);
    expect(got).toEqual([[0, 2, 3, 0], [1, 2, 5, 1], [2, 2, 6, 2], [3, 0, 1, 3], [4, 9, 10, 4]]);
  });
});

describe('occludeSpans', () => {
  for (const layout of ['overlapping', 'spread', 'crossing'] as const) {
    for (const seed of [1, 2]) {
      it(`occludeSpans: 300 ${layout} runs paint the same pixels as every span drawn in order, in disjoint pieces (seed ${seed})`, () => {
        const w = 40, h = 60;
        const rows = snapped(runs(layout, seed, 300, w, h), h);
        const pieces = occluded(rows, w, h);
        const want = paint(rows, w, h);
        // any order: every pixel is painted by one piece at most
        const count = new Int32Array(w * h);
        for (const [c, a, b] of pieces) for (let r = a; r < b; r++) count[r * w + c]++;
        expect(Math.max(...count)).toBe(1);
        const got = paint([...pieces].reverse(), w, h);
        expect(got.filter((v, i) => v !== want[i]).length).toBe(0);
        // bounded by the picture: never more pieces than painted pixels, and far fewer than spans
        expect(pieces.length).toBeLessThanOrEqual(want.filter((v) => v >= 0).length);
        expect(pieces.length).toBeLessThan(rows.length / 3);
      });
    }
  }

  it('occludeSpans splits a span that shows through gaps into one piece per gap, and drops spans off the plot columns', () => {
    const w = 3, h = 40;
    // slot 0: rows 2..33; slot 1 covers 5..9, slot 2 covers 12..30 and 35..39 (outside slot 0)
    const rows: Span[] = [[1, 2, 34, 0], [1, 5, 10, 1], [1, 12, 31, 2], [1, 35, 40, 2], [-1, 0, 10, 3], [5, 0, 10, 4]];
    const pieces = occluded(rows, w, h).sort((p, q) => p[1] - q[1]);
    expect(pieces).toEqual([[1, 2, 5, 0], [1, 5, 10, 1], [1, 10, 12, 0], [1, 12, 31, 2], [1, 31, 34, 0], [1, 35, 40, 2]]);
    // rows across a 32-row word boundary
    const tall: Span[] = [[0, 0, 40, 0], [0, 30, 34, 1]];
    expect(occluded(tall, 1, 40).sort((p, q) => p[1] - q[1])).toEqual([[0, 0, 30, 0], [0, 30, 34, 1], [0, 34, 40, 0]]);
  });

  it('occludeSpans keeps everything when nothing overlaps, and a fully covered span leaves no piece', () => {
    const rand = mulberry32(9);
    const w = 4, h = 10;
    const apart: Span[] = Array.from({ length: 4 }, (_, c) => [c, randInt(rand, 0, 5), 6, c] as Span);
    expect(occluded(apart, w, h).length).toBe(4);
    expect(occluded([[0, 3, 5, 0], [0, 2, 6, 1]], 1, h)).toEqual([[0, 2, 6, 1]]);
  });
});
