import { describe, it, expect } from 'vitest';
import { axisMap, fromScaled, project, toScaled, unproject } from '../../src/coords';
import { mulberry32 } from './prng';

describe('toScaled / fromScaled', () => {
  it('toScaled(v, "log") is log10 for v > 0 and NaN for v <= 0 or NaN', () => {
    expect(toScaled(1000, 'log')).toBeCloseTo(3, 12);
    expect([0, -1, NaN].map((v) => toScaled(v, 'log'))).toEqual([NaN, NaN, NaN]);
    expect(toScaled(-7, 'linear')).toBe(-7);
    expect(fromScaled(2, 'log')).toBeCloseTo(100, 10);
    expect(fromScaled(2, 'linear')).toBe(2);
  });
});

describe('axisMap', () => {
  it('axisMap("linear", domain, range) maps the domain ends to the range ends', () => {
    const m = axisMap('linear', [-5, 15], [0, 400]);
    expect(project(m, -5)).toBe(0);
    expect(project(m, 15)).toBe(400);
    expect(project(m, 5)).toBe(200);
    // a flipped range (y grows down)
    const y = axisMap('linear', [0, 1], [300, 0]);
    expect(project(y, 0)).toBe(300);
    expect(project(y, 1)).toBe(0);
    expect(project(y, 0.25)).toBe(225);
  });

  it('axisMap("log", domain, range) spaces decades evenly', () => {
    const m = axisMap('log', [1, 1e4], [0, 400]);
    expect([1, 10, 100, 1000, 1e4].map((v) => project(m, v))).toEqual([0, 100, 200, 300, 400].map((p) => expect.closeTo(p, 9)));
    expect(project(m, 0)).toBeNaN();
    expect(project(m, -3)).toBeNaN();
  });

  it('project(map, unproject(map, px)) round-trips for linear and log', () => {
    const rand = mulberry32(1);
    const maps = [
      axisMap('linear', [-3.5, 12.25], [0, 800]),
      axisMap('linear', [0, 1], [600, 0]),
      axisMap('log', [1e-4, 1e3], [0, 800]),
      axisMap('log', [0.5, 2], [400, 0]),
    ];
    for (const m of maps) {
      for (let k = 0; k < 200; k++) {
        const px = rand() * 1000 - 100;
        expect(project(m, unproject(m, px))).toBeCloseTo(px, 6);
      }
    }
    const lin = axisMap('linear', [-3.5, 12.25], [0, 800]);
    const log = axisMap('log', [1e-4, 1e3], [0, 800]);
    for (let k = 0; k < 200; k++) {
      const v = rand() * 20 - 5;
      expect(unproject(lin, project(lin, v))).toBeCloseTo(v, 9);
      const w = Math.pow(10, rand() * 7 - 4);
      expect(unproject(log, project(log, w)) / w).toBeCloseTo(1, 9);
    }
  });

  it('axisMap(scale, [v, v], range) maps a zero-width domain to the middle of the range', () => {
    const m = axisMap('linear', [7, 7], [0, 800]);
    expect(m.k).toBe(0);
    expect(project(m, 7)).toBe(400);
    expect(project(m, 1e6)).toBe(400);
    expect(unproject(m, 123)).toBe(7);
    const g = axisMap('log', [10, 10], [300, 0]);
    expect(project(g, 10)).toBe(150);
    expect(unproject(g, 0)).toBeCloseTo(10, 12);
  });

  it('axisMap("linear", [1.7e12, 1.7e12 + 10], [0, 800]) maps x = 1.7e12 + k to 80 * k px', () => {
    const t0 = 1.7e12;
    const m = axisMap('linear', [t0, t0 + 10], [0, 800]);
    for (let k = 0; k <= 10; k++) {
      expect(Math.abs(project(m, t0 + k) - 80 * k)).toBeLessThan(1e-6);
      expect(Math.abs(unproject(m, 80 * k) - (t0 + k))).toBeLessThan(1e-3);
    }
    // a quarter millisecond is still 20 px
    expect(project(m, t0 + 5.25) - project(m, t0 + 5)).toBeCloseTo(20, 6);
    // and the mapped value is exact in float32 too: the GPU sees small numbers
    expect(Math.fround(project(m, t0 + 3))).toBe(240);
  });
});
