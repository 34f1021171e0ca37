import { describe, it, expect } from 'vitest';
import type { HoverRequest, ViewRequest } from '../../src/protocol/messages';
import { createSeries, ingestX, type Series } from '../../src/store/store';
import { frameReply, type ViewMessage } from '../../src/worker/frame';
import { hoverReply } from '../../src/worker/hover';

function make(id: string, slot: number, x: ArrayLike<number>, y: ArrayLike<number>, extra?: Record<string, number[]>): Series {
  const cols = new Map(Object.entries(extra ?? {}).map(([k, v]) => [k, Float64Array.from(v)]));
  return createSeries(id, slot, ingestX(Float64Array.from(x)), Float32Array.from(y), cols);
}

const hover = (x: number, more: Partial<HoverRequest> = {}): HoverRequest => ({
  type: 'hover', chart: 1, seq: 9, x, xColumn: 'x', xScale: 'linear', hidden: [], smoothing: null, ...more,
});

describe('hoverReply', () => {
  it('finds per visible series the nearest point in x with a finite y, with its other x columns', () => {
    const a = make('a', 0, [0, 10, 20, 30], [1, NaN, 3, 4], { epoch: [0, 1, 2, 3] });
    const b = make('b', 1, [100, 200], [5, 6]);
    const r = hoverReply(hover(12), [a, b]);
    expect(r.seq).toBe(9);
    expect([...r.slots]).toEqual([0, 1]);
    // 10 has no finite y: the nearest drawable point of a is 20 (8 away), not 0 (12 away)
    expect([...r.index]).toEqual([2, 0]);
    expect([...r.x]).toEqual([20, 100]);
    expect([...r.y]).toEqual([3, 5]);
    expect([...r.first]).toEqual([0, 100]);
    expect([...r.last]).toEqual([30, 200]);
    expect(r.columns.map((c) => c.name)).toEqual(['epoch']);
    expect([...r.columns[0].values]).toEqual([2, NaN]);
    expect(r.smoothed.every(Number.isNaN)).toBe(true);
  });

  it('leaves hidden series out and measures distance in axis units on a log axis', () => {
    const a = make('a', 0, [1, 10, 100], [1, 2, 3]);
    const b = make('b', 1, [1, 2], [1, 2]);
    // 40: nearer 10 in x (30 against 60), nearer 100 in log10 (0.4 against 0.6 decades)
    expect([...hoverReply(hover(40), [a, b]).x]).toEqual([10, 2]);
    const r = hoverReply(hover(40, { xScale: 'log', hidden: [1] }), [a, b]);
    expect([...r.slots]).toEqual([0]);
    expect([...r.x]).toEqual([100]);
  });

  it('reports the smoothed value when the worker smooths (cpu backend)', () => {
    const a = make('a', 0, [0, 1, 2], [0, 10, 10]);
    const r = hoverReply(hover(1, { smoothing: { weight: 0.5, mode: 'ema' } }), [a]);
    // ema from 0: last = 0, 5; n = 1, 2: s = 0, 5 / (1 - 0.25)
    expect(r.smoothed[0]).toBeCloseTo(20 / 3, 5);
  });
});

describe('frameReply', () => {
  const request = (more: Partial<ViewRequest> = {}): ViewMessage => ({
    type: 'view', chart: 2, seq: 4, recycle: [],
    view: { xScale: 'linear', yScale: 'log', xDomain: null, yDomain: null, width: 100, height: 50, hidden: [], ...more },
  });

  it('answers with the fitted domains, the vertices and the store counts', () => {
    const a = make('a', 0, [0, 1, 2, 3], [1, -1, NaN, 4]);
    const { reply, layout } = frameReply(request(), [a], null);
    expect(layout).toBeNull();
    expect(reply).toMatchObject({ type: 'frame', chart: 2, seq: 4, smoothedOn: 'none', smoothedPoints: 0, gpu: null });
    expect(reply.xDomain).toEqual([0, 3]);
    expect(reply.stats).toEqual({ points: 4, nonFinite: 1, nonPositive: 1, bytes: reply.stats.bytes });
    expect(reply.stats.bytes).toBeGreaterThan(0);
    // a sparse series whose drawable points (on log y) are two lone dots
    expect(reply.segmentCount).toBe(2);
    expect(reply.spanCount).toBe(0);
  });

  it('lays out the texture for GPU smoothing and says where each slot sits', () => {
    const a = make('a', 0, [0, 1, 2], [1, 2, 3]);
    const b = make('b', 1, [0, 1], [1, 2]);
    const msg = request({ smoothing: { weight: 0.5, mode: 'ema' }, smoothBackend: 'gpu', slots: 2 });
    const { reply, layout } = frameReply(msg, [a, b], null);
    expect(reply.smoothedOn).toBe('gpu');
    expect(layout?.places.size).toBe(2);
    expect([...reply.gpu!.offsets]).toEqual([layout!.places.get(a)!.offset, layout!.places.get(b)!.offset]);
    expect([...reply.gpu!.lengths]).toEqual([3, 2]);
    expect(reply.gpu!.upload?.full).toBe(true);
    // the same layout again: nothing new to upload
    expect(frameReply(msg, [a, b], layout).reply.gpu!.upload).toBeNull();
  });
});
