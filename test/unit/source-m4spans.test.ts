/**
 * One decimation contract for both places the data can live: the span and segment records of a
 * view drawn from the full series (the in-memory path) and from its M4 answer (m4Curves over
 * storeM4, and over the server's reference m4Reference) are the same, record for record, and so
 * is the fitted y domain.
 */
import { describe, expect, test } from 'vitest';
import { axisMap, unproject } from '../../src/coords';
import { m4Curves } from '../../src/decimate/m4curves';
import { F32Out } from '../../src/decimate/outbuf';
import { storeM4 } from '../../src/decimate/storem4';
import { decimateView } from '../../src/decimate/view';
import type { ScaleType, ViewRequest } from '../../src/protocol/messages';
import { m4Reference } from '../../src/source/m4ref';
import { createSeries, ingestX, type Series } from '../../src/store/store';
import { mulberry32, randInt } from './prng';

/** dense, sparse, restarted (repeated steps), few distinct steps, cut (a long gap); NaN, ±Inf, values <= 0 */
function makeRun(k: number, rand: () => number): { x: Float64Array; y: Float32Array } {
  const shape = k % 5;
  const n = shape === 1 ? randInt(rand, 0, 60) : shape === 2 ? randInt(rand, 3000, 8000) : randInt(rand, 300, 2000);
  const x = new Float64Array(n), y = new Float32Array(n);
  const restart = shape === 3 ? Math.floor(n * 0.7) : -1;
  for (let i = 0; i < n; i++) {
    x[i] = restart >= 0 && i >= restart ? Math.floor(n * 0.4) + (i - restart)
      : shape === 4 ? Math.floor(i / 7) * 3
      : shape === 0 && i > n / 2 ? i * 2 + 5000 // a cut: the run resumed much later
      : i * 2 + (k % 3) * 0.37;
    const u = rand();
    y[i] = u < 0.02 ? NaN : u < 0.03 ? Infinity : u < 0.035 ? -Infinity : u < 0.08 ? -rand() : u < 0.09 ? 0 : Math.exp(3 * (rand() - 0.5));
  }
  return { x, y };
}

function view(rand: () => number, yScale: ScaleType, W: number, fit: boolean, ignoreOutliers: boolean): ViewRequest {
  const a = rand() * 8000 - 500, b = a + 20 + rand() * 12000;
  return {
    xScale: 'linear', yScale, xDomain: [a, b], yDomain: fit ? null : yScale === 'log' ? [0.05, 30] : [-1.5, 6],
    width: W, height: 200, hidden: [], ignoreOutliers,
  };
}

function draw(all: Series[], req: ViewRequest) {
  const spans = new F32Out(), segments = new F32Out();
  const r = decimateView(all, req, spans, segments);
  // The one record an answer cannot decide: a dot for the point just left of the view when both
  // its neighbours are breaks (the answer does not say whether the point before it is drawable;
  // m4Curves takes that it is). Such a dot is centred outside the plot; both sides leave it out here.
  const segs: number[] = [];
  for (let k = 0; k < segments.length; k += 5) {
    const d = segments.data;
    if (d[k] === d[k + 2] && d[k + 1] === d[k + 3] && d[k] < 0) continue;
    segs.push(...d.subarray(k, k + 5));
  }
  return { spans: Array.from(spans.data.subarray(0, spans.length)), segments: segs, yDomain: r.yDomain };
}

describe('m4Curves draws what the full data draws', () => {
  const rand = mulberry32(12);
  const runs = Array.from({ length: 15 }, (_, k) => makeRun(k, rand));
  const held = runs.map(({ x, y }, slot) => createSeries(`run${slot}`, slot, ingestX(x.slice()), y.slice()));
  const slotOf = (sid: number) => ({ id: `run${sid}`, slot: sid });
  for (const yScale of ['linear', 'log'] as const) {
    for (const [fit, outliers] of [[false, false], [true, false], [true, true]] as const) {
      test(`${yScale}, y ${fit ? 'fitted' : 'fixed'}${outliers ? ', ignoring outliers' : ''}`, () => {
        for (let t = 0; t < 25; t++) {
          const W = randInt(rand, 1, 700);
          const req = view(rand, yScale, W, fit, outliers);
          const xmap = axisMap('linear', req.xDomain!, [0, W]);
          const edges = Float64Array.from({ length: W + 1 }, (_, c) => unproject(xmap, c));
          edges[0] = req.xDomain![0];
          edges[W] = req.xDomain![1];
          const want = draw(held, req);
          const fromStore = draw(m4Curves(storeM4(held, edges, yScale), slotOf), req);
          expect(fromStore).toEqual(want);
          // the server's reference cuts columns with its own formula (m4.ts columnOf)
          const ref = m4Reference(runs.map(({ x, y }, id) => ({ id, step: x, y })), { series: runs.map((_, i) => i), xColumn: 'x', x0: edges[0], x1: edges[W], W, yScale });
          expect(draw(m4Curves(ref, slotOf), req)).toEqual(want);
        }
      });
    }
  }

  test('counts of the answer are the counts of the data in view', () => {
    const edges = Float64Array.from({ length: 101 }, (_, c) => c * 100);
    const r = storeM4(held, edges, 'log');
    const inView = (s: Series) => Array.from(s.col.x.subarray(0, s.n)).map((x, i) => [x, s.y[i]]).filter(([x]) => x >= 0 && x <= 10000);
    held.forEach((s, i) => {
      const pts = inView(s);
      expect(r.series.n[i]).toBe(pts.length);
      expect(r.series.nonFinite[i]).toBe(pts.filter(([, y]) => !Number.isFinite(y)).length);
      expect(r.series.nonPositive[i]).toBe(pts.filter(([, y]) => Number.isFinite(y) && y <= 0).length);
    });
  });
});
