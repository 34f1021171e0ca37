import { describe, expect, it } from 'vitest';
import { hoverPoints } from '../../src/interact/hover';
import { formatCursor } from '../../src/interact/hoverformat';
import { rawStyle, smoothedStyle } from '../../src/draw/emphasis';

/** Two runs: train to step 10k, eval every 125 steps up to 1500; the cursor at step `x`. */
function at(x: number) {
  const reply = {
    slots: Int32Array.from([0, 1]),
    index: Float64Array.from([x, 12]),
    x: Float64Array.from([Math.round(x), 1500]),
    y: Float64Array.from([3.3, 3.9]),
    smoothed: Float64Array.from([NaN, NaN]),
    first: Float64Array.from([0, 0]),
    last: Float64Array.from([10_000, 1500]),
    columns: [],
  };
  const runs = (slot: number) => ({ id: ['train', 'eval'][slot], label: ['train', 'eval'][slot], color: '#000' });
  return hoverPoints(reply, runs, false, {
    x, yFrac: 0.5, yScale: 'linear', yDomain: [3, 4], height: 300, xScale: 'linear', xDomain: [0, 10_000], width: 800,
  });
}

describe('hoverPoints: which runs are there at the cursor', () => {
  it('a run that ended before the cursor is not in range, and comes after the runs that are', () => {
    const h = at(9_990);
    expect(h.x).toBe(9_990);
    expect(h.points.map((p) => [p.id, p.inRange])).toEqual([['train', true], ['eval', false]]);
    expect(h.points[1].lastX).toBe(1500);
    expect(h.points[1].distancePx).toBeCloseTo((9_990 - 1500) * 0.08, 6);
  });

  it('within a few pixels of its last point the run still counts as there', () => {
    expect(at(1500 + 90).points.find((p) => p.id === 'eval')!.inRange).toBe(true); // 7.2 px past its end
    expect(at(1500 + 110).points.find((p) => p.id === 'eval')!.inRange).toBe(false); // 8.8 px
  });
});

describe('formatCursor: the header at the resolution of a pixel', () => {
  it('rounds the cursor x to what one pixel can tell apart', () => {
    expect(formatCursor(9_987.3, 'number', 12.5)).toBe('9990');
    expect(formatCursor(1234.567, 'number', 0.5)).toBe('1234.6');
    expect(formatCursor(90_500, 'duration', 1000)).toMatch(/^1m 30s|^1m 31s/);
  });
});

describe('smoothed over raw: contrast', () => {
  it('the raw curve behind a smoothed one is faint, the smoothed one the run colour at full strength', () => {
    const orange: [number, number, number, number] = [1, 0.498, 0.055, 1];
    expect(rawStyle(orange, true, 1)[3]).toBeLessThanOrEqual(0.2);
    expect(rawStyle(orange, false, 1)).toEqual(orange);
    expect(smoothedStyle(orange, 1)).toEqual(orange);
  });
});
