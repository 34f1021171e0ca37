import { describe, it, expect } from 'vitest';
import { axisMap, project, unproject, type ScaleType } from '../../src/coords';
import { createSeries, ingestX, type Series } from '../../src/store/store';
import { columnBounds, columnSpans, crossing, type ColumnView } from '../../src/decimate/columns';
import { drawable, m4 } from '../../src/decimate/m4';
import { F32Out } from '../../src/decimate/outbuf';
import { DensityCounter } from '../../src/decimate/plotimage';
import { decimateView } from '../../src/decimate/view';
import type { ViewRequest } from '../../src/protocol/messages';
import { mulberry32, randInt } from './prng';

const TOL = 1e-3;

function series(id: string, slot: number, x: ArrayLike<number>, y: ArrayLike<number>): Series {
  return createSeries(id, slot, ingestX(Float64Array.from(x)), Float32Array.from(y));
}

/** A view built the way decimateView builds one: edges from the x map, exact ends. */
function makeView(
  xScale: ScaleType,
  yScale: ScaleType,
  xDomain: [number, number],
  yDomain: [number, number],
  W: number,
  H: number,
): ColumnView {
  const xmap = axisMap(xScale, xDomain, [0, W]);
  const ymap = axisMap(yScale, yDomain, [H, 0]);
  const edges = new Float64Array(W + 1);
  for (let c = 0; c <= W; c++) edges[c] = unproject(xmap, c);
  edges[0] = xDomain[0];
  edges[W] = xDomain[1];
  return { edges, xmap, ymap, xScale, yScale, height: H };
}

type Span = [column: number, top: number, bottom: number];

/**
 * The definition, by brute force: per column, min..max in device px of the drawable values of
 * its points (from m4) and of the polyline where it crosses the column's left and right edges.
 */
function referenceSpans(s: Series, view: ColumnView): Span[] {
  const { edges, xmap, ymap, yScale, height } = view;
  const W = edges.length - 1;
  const x = s.col.x, y = s.y, n = s.n;
  const lo = new Float64Array(W).fill(Infinity);
  const hi = new Float64Array(W).fill(-Infinity);
  const add = (c: number, py: number) => {
    if (c < 0 || c >= W) return;
    if (py < lo[c]) lo[c] = py;
    if (py > hi[c]) hi[c] = py;
  };
  const b = m4(x, y, n, edges, yScale);
  for (let c = 0; c < W; c++) {
    if (Number.isNaN(b.min[c])) continue;
    add(c, project(ymap, b.min[c]));
    add(c, project(ymap, b.max[c]));
  }
  // edge e (device px e): the segment (i - 1, i) with x[i - 1] < edges[e] <= x[i]; the right edge of
  // the last column belongs to it (x == edges[W] is in the last column), so there x[i - 1] <= edges[W] < x[i].
  let i = 0;
  for (let e = 0; e <= W; e++) {
    while (i < n && (e < W ? x[i] < edges[e] : x[i] <= edges[W])) i++;
    if (i === 0 || i === n) continue;
    if (!drawable(y[i - 1], yScale) || !drawable(y[i], yScale)) continue;
    if (view.xScale === 'log' && !(x[i - 1] > 0)) continue; // no segment from where a log x axis cannot go
    const pa = project(xmap, x[i - 1]), pb = project(xmap, x[i]);
    const ya = project(ymap, y[i - 1]), yb = project(ymap, y[i]);
    const py = pb > pa ? ya + ((yb - ya) * (e - pa)) / (pb - pa) : yb;
    add(e - 1, py); // right edge of column e - 1
    add(e, py); // left edge of column e
  }
  const out: Span[] = [];
  for (let c = 0; c < W; c++) {
    if (!(lo[c] <= hi[c])) continue;
    if (hi[c] < -1 || lo[c] > height + 1) continue;
    out.push([c, Math.max(lo[c], -1), Math.min(hi[c], height + 1)]);
  }
  return out;
}

function fastSpans(s: Series, view: ColumnView, slot = 3): Span[] {
  const W = view.edges.length - 1;
  const bounds = new Int32Array(W + 1);
  columnBounds(s.col.x, s.n, view.edges, bounds);
  const out = new F32Out();
  out.length = 8; // spans are appended after what is already there
  const k = columnSpans(s, bounds, view, slot, out);
  expect(out.length).toBe(8 + 4 * k);
  const spans: Span[] = [];
  for (let j = 8; j < out.length; j += 4) {
    expect(out.data[j + 3]).toBe(slot);
    expect(out.data[j + 1]).toBeLessThanOrEqual(out.data[j + 2]);
    spans.push([out.data[j], out.data[j + 1], out.data[j + 2]]);
  }
  return spans;
}

function expectSpansClose(got: Span[], want: Span[]): void {
  expect(got.map((s) => s[0])).toEqual(want.map((s) => s[0]));
  for (let j = 0; j < want.length; j++) {
    const [c, t, b] = want[j];
    if (Math.abs(got[j][1] - t) > TOL || Math.abs(got[j][2] - b) > TOL) {
      expect({ column: c, top: got[j][1], bottom: got[j][2] }).toEqual({ column: c, top: t, bottom: b });
    }
  }
}

function expectMatchesReference(s: Series, view: ColumnView): Span[] {
  const want = referenceSpans(s, view);
  const got = fastSpans(s, view);
  expectSpansClose(got, want);
  return got;
}

function randomWalk(n: number, seed: number): { x: Float64Array; y: Float32Array } {
  const rand = mulberry32(seed);
  const x = new Float64Array(n), y = new Float32Array(n);
  let v = 0, t = 0;
  for (let i = 0; i < n; i++) {
    t += 0.5 + rand(); // uneven spacing
    v += rand() - 0.5;
    x[i] = t;
    y[i] = v;
  }
  return { x, y };
}

function extent(a: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) continue;
    lo = Math.min(lo, a[i]);
    hi = Math.max(hi, a[i]);
  }
  return [lo, hi];
}

describe('columnBounds', () => {
  it('columnBounds(x, n, edges, bounds) gives the first point of each column and one past the last point in view', () => {
    const x = Float64Array.from([-1, 0, 0, 0.5, 1, 1.5, 2, 3, 3, 4]);
    const edges = Float64Array.from([0, 1, 2, 3]);
    const bounds = new Int32Array(4);
    columnBounds(x, x.length, edges, bounds);
    // column 0: x in [0, 1) -> 1..3; column 1: [1, 2) -> 4..5; column 2: [2, 3] -> 6..8
    expect([...bounds]).toEqual([1, 4, 6, 9]);
  });

  it('columnBounds(x, n, edges, bounds) agrees with m4 first/last on random data', () => {
    const { x, y } = randomWalk(5000, 11);
    const view = makeView('linear', 'linear', [x[100] + 0.3, x[4000]], [-10, 10], 300, 100);
    const bounds = new Int32Array(301);
    columnBounds(x, x.length, view.edges, bounds);
    const b = m4(x, y, x.length, view.edges, 'linear');
    for (let c = 0; c < 300; c++) {
      if (b.first[c] < 0) expect(bounds[c + 1]).toBe(bounds[c]);
      else expect([bounds[c], bounds[c + 1] - 1]).toEqual([b.first[c], b.last[c]]);
    }
  });
});

describe('crossing', () => {
  it('crossing(s, i, px, view) interpolates the segment from i - 1 to i in device px', () => {
    const s = series('a', 0, [0, 10, 20], [0, 100, NaN]);
    const view = makeView('linear', 'linear', [0, 20], [0, 100], 200, 100);
    // px 0..100 along the segment, y from 0 to 100 -> scaled value
    expect(crossing(s, 1, 50, view)).toBeCloseTo(50, 9);
    expect(crossing(s, 1, 25, view)).toBeCloseTo(25, 9);
    // no segment before the first point, past the last, or into a NaN
    expect(crossing(s, 0, 0, view)).toBeNaN();
    expect(crossing(s, 3, 0, view)).toBeNaN();
    expect(crossing(s, 2, 150, view)).toBeNaN();
  });

  it('crossing(s, i, px, view) on a log y axis interpolates log10 values and breaks at values <= 0', () => {
    const s = series('a', 0, [0, 1, 2], [10, 1000, 0]);
    const view = makeView('linear', 'log', [0, 2], [1, 1e4], 100, 100);
    // 50 px per x unit: px 25 is x = 0.5, halfway from log10(10) = 1 to log10(1000) = 3
    expect(crossing(s, 1, 25, view)).toBeCloseTo(2, 9);
    expect(crossing(s, 1, 12.5, view)).toBeCloseTo(1.5, 9);
    expect(crossing(s, 2, 75, view)).toBeNaN();
  });
});

describe('columnSpans', () => {
  it('columnSpans(s, bounds, view) equals the brute-force definition on a 100k random walk, W = 800', () => {
    const { x, y } = randomWalk(100_000, 1);
    const s = series('walk', 0, x, y);
    const [y0, y1] = extent(y);
    // fitted, zoomed (crossings at the plot edges), and a y window that cuts the line (clamping)
    expectMatchesReference(s, makeView('linear', 'linear', [x[0], x[x.length - 1]], [y0, y1], 800, 400));
    expectMatchesReference(s, makeView('linear', 'linear', [x[31337] + 0.25, x[52000] - 0.1], [y0, y1], 800, 400));
    const mid = (y0 + y1) / 2;
    const got = expectMatchesReference(s, makeView('linear', 'linear', [x[0], x[x.length - 1]], [mid - 3, mid + 3], 800, 400));
    for (const [, t, b] of got) {
      expect(t).toBeGreaterThanOrEqual(-1);
      expect(b).toBeLessThanOrEqual(401);
    }
  });

  it('columnSpans(s, bounds, view) equals the brute-force definition when zoomed to fewer points than columns', () => {
    const { x, y } = randomWalk(100_000, 2);
    const [y0, y1] = extent(y);
    const s = series('walk', 0, x, y);
    expectMatchesReference(s, makeView('linear', 'linear', [x[5000] - 0.3, x[5100] + 0.2], [y0, y1], 800, 400));
  });

  it('columnSpans(s, bounds, view) keeps a single spike among 1e6 points', () => {
    const n = 1_000_000;
    const rand = mulberry32(3);
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = rand();
    }
    const spike = 654_321;
    y[spike] = 100;
    const s = series('spiky', 0, x, y);
    const W = 800, H = 300;
    const view = makeView('linear', 'linear', [0, n - 1], [0, 100], W, H);
    const got = expectMatchesReference(s, view);
    expect(got.length).toBe(W);
    const c = Math.floor(project(view.xmap, spike));
    const spikePx = project(view.ymap, 100); // 0: the top of the plot
    expect(got[c][0]).toBe(c);
    expect(got[c][1]).toBeCloseTo(spikePx, 3);
    // every other column stays near the bottom (values in [0, 1) of 100)
    for (const [col, top] of got) if (col !== c) expect(top).toBeGreaterThan(H * 0.98);
  });

  it('columnSpans(s, bounds, view) breaks at NaN gaps and draws a lone point as a zero-height span', () => {
    const n = 8000, W = 800, H = 200;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.sin(i / 50) * 10;
    }
    // a gap over columns 100..149 (points 1000..1499) and a lone point at 3005 among NaNs 2900..3199
    y.fill(NaN, 1000, 1500);
    y.fill(NaN, 2900, 3200);
    y[3005] = 4;
    y[5000] = Infinity; // a one-point break
    const s = series('gappy', 0, x, y);
    const view = makeView('linear', 'linear', [0, n], [-12, 12], W, H);
    const got = expectMatchesReference(s, view);
    const byCol = new Map(got.map((sp) => [sp[0], sp]));
    // columns wholly inside the gap get nothing: no segment joins 999 to 1500
    for (let c = 100; c < 150; c++) expect(byCol.has(c)).toBe(false);
    expect(byCol.has(99)).toBe(true);
    expect(byCol.has(150)).toBe(true);
    // the lone point: column 300, zero height, at its own pixel
    const lone = byCol.get(300)!;
    expect(lone[1]).toBe(lone[2]);
    expect(lone[1]).toBeCloseTo(project(view.ymap, 4), 3);
    for (const c of [290, 291, 299, 301, 319]) expect(byCol.has(c)).toBe(false);
  });

  it('columnSpans(s, bounds, view) gives the empty columns a long segment crosses their piece of it', () => {
    const x = [0, 100, 130, 400, 401, 799.5, 800];
    const y = [0, 50, -50, 80, 80, 10, 0];
    const s = series('sparse', 0, x, y);
    const W = 800, H = 200;
    const view = makeView('linear', 'linear', [0, 800], [-100, 100], W, H);
    const got = expectMatchesReference(s, view);
    expect(got.length).toBe(W);
    // column 10 lies inside the segment (0, 0)..(100, 50): from y = 5 to y = 5.5
    const [c, top, bottom] = got[10];
    expect(c).toBe(10);
    expect(top).toBeCloseTo(project(view.ymap, 5.5), 3);
    expect(bottom).toBeCloseTo(project(view.ymap, 5), 3);
    // column 250 inside (130, -50)..(400, 80)
    const at = (px: number) => -50 + (130 * (px - 130)) / 270;
    expect(got[250][1]).toBeCloseTo(project(view.ymap, at(251)), 3);
    expect(got[250][2]).toBeCloseTo(project(view.ymap, at(250)), 3);
  });

  it('columnSpans(s, bounds, view) on a log y axis skips values <= 0 and breaks the line there', () => {
    const rand = mulberry32(4);
    const n = 20000;
    const x = new Float64Array(n), y = new Float32Array(n);
    let v = 1;
    for (let i = 0; i < n; i++) {
      x[i] = i * 0.37;
      v *= Math.exp((rand() - 0.5) * 0.2);
      y[i] = rand() < 0.02 ? (rand() < 0.5 ? 0 : -v) : v;
    }
    y.fill(-1, 9000, 9400); // a run of negatives wider than a column
    const s = series('log', 0, x, y);
    const [, y1] = extent(y);
    let minPos = Infinity;
    for (const t of y) if (t > 0 && t < minPos) minPos = t;
    const view = makeView('linear', 'log', [0, x[n - 1]], [minPos, y1], 640, 300);
    const got = expectMatchesReference(s, view);
    for (const [, t, b] of got) {
      expect(Number.isFinite(t) && Number.isFinite(b)).toBe(true);
    }
    // columns wholly inside the negative run draw nothing
    const c0 = Math.ceil(project(view.xmap, x[9000])), c1 = Math.floor(project(view.xmap, x[9399]));
    expect(c1 - c0).toBeGreaterThan(3);
    const cols = new Set(got.map((sp) => sp[0]));
    for (let c = c0 + 1; c < c1; c++) expect(cols.has(c)).toBe(false);
  });

  it('columnSpans(s, bounds, view) equals the brute-force definition on random views of random series', () => {
    const rand = mulberry32(99);
    for (let round = 0; round < 60; round++) {
      const n = randInt(rand, 1, 4000);
      const x = new Float64Array(n), y = new Float32Array(n);
      let t = rand() * 100 - 50;
      for (let i = 0; i < n; i++) {
        t += rand() < 0.2 ? 0 : rand() < 0.9 ? rand() : 50 * rand(); // duplicates, and long segments
        x[i] = t;
        const r = rand();
        y[i] = r < 0.05 ? NaN : r < 0.07 ? Infinity : r < 0.1 ? -rand() : r < 0.12 ? 0 : rand() * 100;
      }
      if (rand() < 0.3) y.fill(NaN, randInt(rand, 0, n), randInt(rand, 0, n));
      const s = series('r', 0, x, y);
      const W = randInt(rand, 1, 600), H = randInt(rand, 1, 300);
      const yScale: ScaleType = rand() < 0.4 ? 'log' : 'linear';
      const span = x[n - 1] - x[0] + 1;
      const a = x[0] - 0.2 * span + rand() * 1.2 * span;
      const b = a + span * (rand() < 0.5 ? rand() : rand() * 0.01) + 1e-6;
      const yDomain: [number, number] = yScale === 'log' ? [0.5 + rand(), 10 + rand() * 200] : [-10 + 50 * rand(), 60 + 60 * rand()];
      expectMatchesReference(s, makeView('linear', yScale, [a, b], yDomain, W, H));
    }
  });

  it('columnSpans(s, bounds, view) gives, to the bit, the spans of crossing() and the pyramid, sparse and dense', () => {
    // columnSpans writes crossing() and the extent out inline (and caches points when a column
    // holds few): the spans must be the very floats the plain formulation gives, or snapped rows
    // (occlude.ts) could differ by one where a span ends on a row boundary
    const plain = (s: Series, bounds: Int32Array, view: ColumnView): number[] => {
      const W = view.edges.length - 1, out: number[] = [];
      const log = view.yScale === 'log';
      const toT = (v: number) => (log ? Math.log10(v) : v);
      let left = crossing(s, bounds[0], 0, view);
      for (let c = 0; c < W; c++) {
        const right = crossing(s, bounds[c + 1], c + 1, view);
        const e = s.pyramid.query(s.y, bounds[c], bounds[c + 1], { min: Infinity, max: -Infinity, minPos: Infinity });
        const mn = log ? e.minPos : e.min;
        let lo = mn <= e.max ? toT(mn) : Infinity, hi = mn <= e.max ? toT(e.max) : -Infinity;
        for (const t of [left, right]) {
          if (t < lo) lo = t;
          if (t > hi) hi = t;
        }
        left = right;
        if (!(lo <= hi)) continue;
        let top = (hi - view.ymap.t0) * view.ymap.k + view.ymap.r0, bottom = (lo - view.ymap.t0) * view.ymap.k + view.ymap.r0;
        if (top > bottom) [top, bottom] = [bottom, top];
        if (bottom < -1 || top > view.height + 1) continue;
        out.push(c, Math.max(top, -1), Math.min(bottom, view.height + 1));
      }
      return out;
    };
    const rand = mulberry32(2024);
    for (let round = 0; round < 80; round++) {
      const n = randInt(rand, 2, 20000);
      const x = new Float64Array(n), y = new Float32Array(n);
      let t = 1;
      for (let i = 0; i < n; i++) {
        t += rand() < 0.1 ? 0 : rand() < 0.95 ? rand() : 40 * rand();
        x[i] = t;
        const r = rand();
        y[i] = r < 0.04 ? NaN : r < 0.05 ? -Infinity : r < 0.08 ? -rand() : 0.01 + rand() * 10;
      }
      const s = series('r', 0, x, y);
      const W = randInt(rand, 1, 900), H = randInt(rand, 1, 400);
      const xScale: ScaleType = rand() < 0.2 ? 'log' : 'linear';
      const yScale: ScaleType = rand() < 0.4 ? 'log' : 'linear';
      const span = x[n - 1] - x[0];
      // a whole view (dense: many points per column) or a narrow one (sparse: fewer than four)
      const frac = rand() < 0.5 ? 1 : rand() * Math.min(1, (3 * W) / n);
      const a = x[0] + rand() * (1 - frac) * span, b = a + frac * span + 1e-9;
      const view = makeView(xScale, yScale, [a, b], yScale === 'log' ? [0.02, 12] : [-1, 11], W, H);
      const bounds = new Int32Array(W + 1);
      columnBounds(s.col.x, s.n, view.edges, bounds);
      const out = new F32Out();
      const k = columnSpans(s, bounds, view, 0, out);
      const got: number[] = [];
      for (let j = 0; j < 4 * k; j += 4) got.push(out.data[j], out.data[j + 1], out.data[j + 2]);
      // both sides as float32, as the spans travel
      expect(got).toEqual(Array.from(Float32Array.from(plain(s, bounds, view))));
      // counted straight into a density (no span written) as the written spans are counted
      // (one counter at a time: they share a pooled array)
      const written = new DensityCounter(W, H);
      for (let j = 0; j < 4 * k; j += 4) written.count(out.data[j], out.data[j + 1], out.data[j + 2]);
      written.curveDone();
      const w = written.image(), wd = w.data.slice();
      const direct = new DensityCounter(W, H), kept = new F32Out();
      expect(columnSpans(s, bounds, view, 0, kept, direct)).toBe(0);
      expect(kept.length).toBe(0);
      direct.curveDone();
      const d = direct.image();
      expect(d.max).toBe(w.max);
      expect(Buffer.from(d.data).equals(Buffer.from(wd))).toBe(true);
    }
  });

  it('runs sharing one x column, over views in turn: each run\'s sparse spans equal one computed alone (device x is cached per x column and view)', () => {
    const rand = mulberry32(77);
    const n = 3000;
    const xs = new Float64Array(n);
    for (let i = 0, t = 0; i < n; i++) xs[i] = t += rand() < 0.1 ? 0 : 0.5 + rand();
    const inc = ingestX(xs);
    const ys = [0, 1, 2].map(() => Float32Array.from({ length: n }, () => (rand() < 0.03 ? NaN : rand() * 10)));
    const shared = ys.map((y, i) => createSeries(`r${i}`, i, inc, y));
    const spansOf = (s: Series, view: ColumnView, bounds: Int32Array) => {
      const out = new F32Out();
      const k = columnSpans(s, bounds, view, 0, out);
      return Array.from(out.data.subarray(0, 4 * k));
    };
    const views: ColumnView[] = [];
    for (let round = 0; round < 30; round++) {
      const W = randInt(rand, 50, 900);
      const span = xs[n - 1] - xs[0];
      const frac = rand() * Math.min(1, (3 * W) / n);
      const a = xs[0] + rand() * (1 - frac) * span;
      // and the same x range on a wider plot: the same points, other device x
      for (const w of [W, W + 7]) views.push(makeView('linear', 'linear', [a, a + frac * span + 1e-9], [-1, 11], w, 300));
    }
    const boundsOf = (x: Float64Array, view: ColumnView) => {
      const b = new Int32Array(view.edges.length);
      columnBounds(x, n, view.edges, b);
      return b;
    };
    // the shared runs first, view after view with nothing in between (a stale cache would show)
    const got = views.map((view) => shared.map((s) => spansOf(s, view, boundsOf(xs, view))));
    // then each run alone: its own copy of x, no cache shared with the others
    const alone = ys.map((y, i) => series(`a${i}`, 0, xs, y));
    views.forEach((view, v) => alone.forEach((s, i) => expect(got[v][i]).toEqual(spansOf(s, view, boundsOf(s.col.x, view)))));
  });

  it('columnSpans(s, bounds, view) on a log x axis equals the brute-force definition, ignoring x <= 0', () => {
    const rand = mulberry32(12);
    const n = 30000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i - 50; // x <= 0 for the first 51 points
      y[i] = Math.sin(i / 300) + rand() * 0.1;
    }
    const s = series('logx', 0, x, y);
    for (const xDomain of [[1, n - 51], [0.5, 20], [3e3, 2.9e4]] as [number, number][]) {
      expectMatchesReference(s, makeView('log', 'linear', xDomain, [-1.2, 1.2], 700, 200));
    }
  });

  it('columnSpans(s, bounds, view) puts each point of a 10 ms view near x = 1.7e12 on its own column', () => {
    const t0 = 1.7e12;
    // one point per ms for an hour either side of the view
    const n = 7_200_001;
    const half = (n - 1) / 2;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = t0 + (i - half);
      y[i] = (i % 7) - 3;
    }
    const s = series('time', 0, x, y);
    const W = 800, H = 100;
    const view = makeView('linear', 'linear', [t0, t0 + 10], [-4, 4], W, H);
    const bounds = new Int32Array(W + 1);
    columnBounds(s.col.x, s.n, view.edges, bounds);
    for (let c = 0; c < W; c++) {
      const count = bounds[c + 1] - bounds[c];
      const k = c / 80;
      if (Number.isInteger(k)) {
        // point k alone
        expect([c, bounds[c], count]).toEqual([c, half + k, 1]);
      } else if (c > 720) {
        expect(count).toBe(c === W - 1 ? 1 : 0);
      } else {
        expect([c, count]).toEqual([c, 0]);
      }
    }
    // 11 points in view: 10 on columns 0, 80, ..., 720, and t0 + 10 on the last column
    expect(bounds[W] - bounds[0]).toBe(11);
    const got = expectMatchesReference(s, view);
    expect(got.length).toBe(W);
    // each point's column reaches its own value
    for (let k = 0; k < 10; k++) {
      const i = half + k;
      const py = project(view.ymap, y[i]);
      const [c, top, bottom] = got[80 * k];
      expect(c).toBe(80 * k);
      expect(top - TOL).toBeLessThanOrEqual(py);
      expect(bottom + TOL).toBeGreaterThanOrEqual(py);
    }
  });
});

function request(over: Partial<ViewRequest>): ViewRequest {
  return { xScale: 'linear', yScale: 'linear', xDomain: null, yDomain: null, width: 400, height: 200, hidden: [], ...over };
}

function spansOf(out: F32Out): number[][] {
  const r: number[][] = [];
  for (let j = 0; j < out.length; j += 4) r.push([...out.data.subarray(j, j + 4)]);
  return r;
}

function segmentsOf(out: F32Out): number[][] {
  const r: number[][] = [];
  for (let j = 0; j < out.length; j += 5) r.push([...out.data.subarray(j, j + 5)]);
  return r;
}

describe('decimateView', () => {
  it('decimateView draws a long stretch without points in a dense series as one segment, not a span per column', () => {
    // 2000 points on [0, 1000) and 2000 on [3000, 4000): the run resumed much later
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < 2000; i++) x.push(i / 2), y.push(Math.sin(i / 40));
    for (let i = 0; i < 2000; i++) x.push(3000 + i / 2), y.push(2 + Math.sin(i / 40));
    const s = series('s', 3, x, y);
    const spans = new F32Out(), segments = new F32Out();
    const r = decimateView([s], request({ xDomain: [0, 4000], yDomain: [-2, 4], width: 400 }), spans, segments);
    expect(r.dense).toBe(1);
    // the gap is columns 100..299; its one segment joins the last point before it to the first after
    expect(segmentsOf(segments)).toHaveLength(1);
    const [ax, ay, bx, by, slot] = segmentsOf(segments)[0];
    expect(slot).toBe(3);
    expect(ax).toBeCloseTo((999.5 / 4000) * 400, 3);
    expect(bx).toBeCloseTo(300, 3);
    expect(ay).toBeCloseTo(((4 - Math.fround(Math.sin(1999 / 40))) / 6) * 200, 2);
    expect(by).toBeCloseTo(((4 - 2) / 6) * 200, 2);
    const cols = spansOf(spans).map((sp) => sp[0]);
    expect(cols.filter((c) => c > 100 && c < 299)).toEqual([]);
    // the columns holding points keep their spans, each spanning its own min..max
    expect(cols.filter((c) => c < 100)).toHaveLength(100);
    expect(cols.filter((c) => c >= 300)).toHaveLength(100);
    // a break (NaN) across the gap: nothing drawn there, no segment
    const yb = y.slice();
    yb[2000] = NaN;
    const segs2 = new F32Out(), spans2 = new F32Out();
    decimateView([series('b', 0, x, yb)], request({ xDomain: [0, 4000], yDomain: [-2, 4], width: 400 }), spans2, segs2);
    expect(segs2.length).toBe(0);
    expect(spansOf(spans2).filter((sp) => sp[0] > 100 && sp[0] < 299)).toEqual([]);
    // short gaps (fewer than 4 empty columns) stay spans
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < 4000; i++) xs.push(i < 2000 ? i / 4 : 507 + (i - 2000) / 4), ys.push(Math.cos(i / 50));
    const segs3 = new F32Out(), spans3 = new F32Out();
    decimateView([series('c', 0, xs, ys)], request({ xDomain: [0, 1000], yDomain: [-2, 2], width: 400 }), spans3, segs3);
    expect(segs3.length).toBe(0);
    expect(spansOf(spans3)).toHaveLength(400);
  });

  it('decimateView(series, {xDomain: null}) fits x to the extent of the data', () => {
    const a = series('a', 0, [3, 5, 9, 12], [1, 2, 3, 4]);
    const b = series('b', 1, [-2, 4, 7], [1, 2, 3]);
    const r = decimateView([a, b], request({}), new F32Out(), new F32Out());
    expect(r.xDomain).toEqual([-2, 12]);
    const big = randomWalk(50_000, 8);
    const c = series('c', 2, big.x, big.y);
    expect(decimateView([c], request({}), new F32Out(), new F32Out()).xDomain).toEqual([big.x[0], big.x[big.x.length - 1]]);
  });

  it('decimateView(series, {yDomain: null}) contains every drawable point in view, padded, and ignores NaN and Infinity', () => {
    const n = 1000;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.sin(i / 30);
    }
    y[50] = 1e6; // outside the x view below, and not next to it
    y[500] = NaN;
    y[501] = Infinity;
    y[502] = -Infinity;
    y[300] = -3; // in view
    const s = series('s', 0, x, y);
    const r = decimateView([s], request({ xDomain: [100.5, 900.5] }), new F32Out(), new F32Out());
    let lo = Infinity, hi = -Infinity;
    for (let i = 101; i <= 900; i++) {
      if (!Number.isFinite(y[i])) continue;
      lo = Math.min(lo, y[i]);
      hi = Math.max(hi, y[i]);
    }
    expect(r.yDomain[0]).toBeLessThan(lo);
    expect(r.yDomain[1]).toBeGreaterThan(hi);
    // padding is a small fraction of the span, not an unbounded widening
    const span = hi - lo;
    expect(r.yDomain[0]).toBeGreaterThan(lo - 0.2 * span);
    expect(r.yDomain[1]).toBeLessThan(hi + 0.2 * span);
    // fitted to the whole data, every finite point is inside
    const all = decimateView([s], request({}), new F32Out(), new F32Out());
    expect(all.yDomain[0]).toBeLessThan(-3);
    expect(all.yDomain[1]).toBeGreaterThan(1e6);
    expect(Number.isFinite(all.yDomain[0]) && Number.isFinite(all.yDomain[1])).toBe(true);
  });

  it('decimateView(series, {yScale: "log", yDomain: null}) fits the positive values only', () => {
    const s = series('s', 0, [0, 1, 2, 3, 4], [0, -5, 0.01, 100, NaN]);
    const r = decimateView([s], request({ yScale: 'log' }), new F32Out(), new F32Out());
    expect(r.yDomain[0]).toBeGreaterThan(0);
    expect(r.yDomain[0]).toBeLessThan(0.01);
    expect(r.yDomain[0]).toBeGreaterThan(0.001);
    expect(r.yDomain[1]).toBeGreaterThan(100);
    expect(r.yDomain[1]).toBeLessThan(1000);
  });

  it('decimateView(series, req) with nothing to show gives default domains and no output', () => {
    const empty = series('e', 0, [], []);
    const allNaN = series('n', 1, [1, 2, 3], [NaN, NaN, NaN]);
    const spans = new F32Out(), segments = new F32Out();
    spans.length = 12; // stale output from an earlier view is cleared
    const r = decimateView([empty], request({}), spans, segments);
    expect([r.xDomain, r.yDomain, spans.length, segments.length, r.dense, r.sparse]).toEqual([[0, 1], [0, 1], 0, 0, 0, 0]);
    const h = decimateView([allNaN], request({ hidden: [1] }), spans, segments);
    expect([h.xDomain, h.yDomain, spans.length, segments.length]).toEqual([[0, 1], [0, 1], 0, 0]);
    const g = decimateView([allNaN], request({ yScale: 'log' }), spans, segments);
    expect(g.xDomain).toEqual([1, 3]);
    expect(g.yDomain).toEqual([1, 10]);
    expect(segments.length).toBe(0);
  });

  it('decimateView(series, {xScale: "log", xDomain: null}) fits the positive x only', () => {
    const s = series('s', 0, [-5, 0, 2, 50, 800], [1, 2, 3, 4, 5]);
    const r = decimateView([s], request({ xScale: 'log' }), new F32Out(), new F32Out());
    expect(r.xDomain).toEqual([2, 800]);
  });

  it('decimateView(series, {hidden}) neither draws nor fits hidden slots', () => {
    const a = series('a', 0, [0, 1, 2, 3], [0, 1, 0, 1]);
    const b = series('b', 5, [-100, 0, 100], [-1000, 0, 1000]);
    const spans = new F32Out(), segments = new F32Out();
    const r = decimateView([a, b], request({ hidden: [5] }), spans, segments);
    expect(r.xDomain).toEqual([0, 3]);
    expect(r.yDomain[0]).toBeGreaterThan(-1);
    expect(r.yDomain[1]).toBeLessThan(2);
    expect(r.sparse + r.dense).toBe(1);
    expect(segments.length).toBeGreaterThan(0);
    for (const seg of segmentsOf(segments)) expect(seg[4]).toBe(0);
    const shown = decimateView([a, b], request({}), new F32Out(), new F32Out());
    expect(shown.xDomain).toEqual([-100, 100]);
  });

  it('decimateView(series, req) draws a series with <= W points in view as segments and one with more as spans', () => {
    const W = 400;
    const few = series('few', 0, Array.from({ length: W }, (_, i) => i), Array.from({ length: W }, (_, i) => i % 3));
    const many = series('many', 1, Array.from({ length: W + 1 }, (_, i) => (i * (W - 1)) / W), Array.from({ length: W + 1 }, (_, i) => i % 5));
    const spans = new F32Out(), segments = new F32Out();
    const r = decimateView([few, many], request({ width: W, xDomain: [0, W - 1] }), spans, segments);
    expect([r.sparse, r.dense]).toEqual([1, 1]);
    for (const sp of spansOf(spans)) expect(sp[3]).toBe(1);
    for (const seg of segmentsOf(segments)) expect(seg[4]).toBe(0);
    expect(spans.length).toBeGreaterThan(0);
    // zoomed in, the dense one has few points in view and goes sparse too
    const z = decimateView([few, many], request({ width: W, xDomain: [10, 20] }), new F32Out(), new F32Out());
    expect([z.sparse, z.dense]).toEqual([2, 0]);
  });

  it('decimateView(series, req) spans equal the brute-force definition for the domains it chose', () => {
    const { x, y } = randomWalk(30_000, 21);
    const s = series('s', 7, x, y);
    const spans = new F32Out();
    const req = request({ width: 500, height: 250, xDomain: [x[1000] + 0.5, x[29000]] });
    const r = decimateView([s], req, spans, new F32Out());
    expect(r.dense).toBe(1);
    const want = referenceSpans(s, makeView('linear', 'linear', r.xDomain, r.yDomain, 500, 250));
    const got: Span[] = spansOf(spans).map((sp) => {
      expect(sp[3]).toBe(7);
      return [sp[0], sp[1], sp[2]];
    });
    expectSpansClose(got, want);
  });

  it('decimateView(series, req) segments join consecutive drawable points, break at NaN and draw a lone point as a zero-length segment', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = [1, 2, NaN, 4, NaN, 6, 7, 8, Infinity, 10];
    const s = series('s', 2, x, y);
    const segments = new F32Out();
    const r = decimateView([s], request({ width: 90, height: 100, xDomain: [0, 9], yDomain: [0, 10] }), new F32Out(), segments);
    expect(r.sparse).toBe(1);
    // device px: x * 10, 100 - y * 10
    expect(segmentsOf(segments)).toEqual([
      [0, 90, 10, 80, 2],
      [30, 60, 30, 60, 2],
      [50, 40, 60, 30, 2],
      [60, 30, 70, 20, 2],
      [90, 0, 90, 0, 2],
    ]);
  });

  it('decimateView(series, req) zoomed between two points draws their segment clipped to the plot, on the line', () => {
    const s = series('s', 0, [0, 1000], [0, 1000]);
    const segments = new F32Out();
    const W = 200, H = 100;
    const r = decimateView([s], request({ width: W, height: H, xDomain: [400, 410] }), new F32Out(), segments);
    expect(r.sparse).toBe(1);
    // the fitted y range holds where the line crosses the view's edges
    expect(r.yDomain[0]).toBeLessThanOrEqual(400);
    expect(r.yDomain[1]).toBeGreaterThanOrEqual(410);
    expect(r.yDomain[1] - r.yDomain[0]).toBeLessThan(20);
    const segs = segmentsOf(segments);
    expect(segs.length).toBe(1);
    const [ax, ay, bx, by] = segs[0];
    expect(ax).toBeLessThanOrEqual(0);
    expect(ax).toBeGreaterThanOrEqual(-8);
    expect(bx).toBeGreaterThanOrEqual(W);
    expect(bx).toBeLessThanOrEqual(W + 8);
    // on the line y = x, in device px
    const xmap = axisMap('linear', r.xDomain, [0, W]), ymap = axisMap('linear', r.yDomain, [H, 0]);
    for (const [px, py] of [[ax, ay], [bx, by]]) {
      expect(py).toBeCloseTo(project(ymap, unproject(xmap, px)), 2);
    }
  });

  it('decimateView(series, req) gives the same output for reversed x input as for sorted input', () => {
    const dense = randomWalk(20_000, 31);
    const sparse = randomWalk(150, 32);
    sparse.y[40] = NaN;
    const rev = (a: ArrayLike<number>) => Array.from(a).reverse();
    const sorted = [series('d', 0, dense.x, dense.y), series('s', 1, sparse.x, sparse.y)];
    const reversed = [series('d', 0, rev(dense.x), rev(dense.y)), series('s', 1, rev(sparse.x), rev(sparse.y))];
    expect([...reversed[0].col.x.subarray(0, reversed[0].n)]).toEqual([...dense.x]);
    for (const req of [request({ width: 300 }), request({ width: 300, xDomain: [dense.x[100], sparse.x[120]] })]) {
      const a = [new F32Out(), new F32Out()], b = [new F32Out(), new F32Out()];
      const ra = decimateView(sorted, req, a[0], a[1]);
      const rb = decimateView(reversed, req, b[0], b[1]);
      expect(rb.xDomain).toEqual(ra.xDomain);
      expect(rb.yDomain).toEqual(ra.yDomain);
      expect([rb.dense, rb.sparse]).toEqual([ra.dense, ra.sparse]);
      expect(ra.spans.length + ra.segments.length).toBeGreaterThan(0);
      expect(spansOf(b[0])).toEqual(spansOf(a[0]));
      expect(segmentsOf(b[1])).toEqual(segmentsOf(a[1]));
    }
  });
});
