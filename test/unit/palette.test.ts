import { describe, expect, it } from 'vitest';
import { colorPalette, dashPalette, groupBy, tableau10 } from '../../src/addons/palette';

describe('Palette', () => {
  it('colorPalette().get(key) gives each new key the next colour and the same colour again later', () => {
    const p = colorPalette();
    expect(p.get('train')).toBe(tableau10[0]);
    expect(p.get('eval')).toBe(tableau10[1]);
    expect(p.get('train')).toBe(tableau10[0]);
    expect(p.keys()).toEqual(['train', 'eval']);
  });
  it('colorPalette cycles after its last colour', () => {
    const p = colorPalette(['#000', '#fff']);
    expect(['a', 'b', 'c'].map((k) => p.get(k))).toEqual(['#000', '#fff', '#000']);
  });
  it('dashPalette().get(key) starts solid, then dashed', () => {
    const p = dashPalette();
    expect(p.get('Muon')).toEqual([]);
    expect(p.get('Adam')).toEqual([6, 4]);
  });
});

describe('groupBy', () => {
  it('groupBy(runs, r => r.subset) keeps the order of first appearance', () => {
    const runs = [{ s: 'train', i: 0 }, { s: 'eval', i: 1 }, { s: 'train', i: 2 }];
    const g = groupBy(runs, (r) => r.s);
    expect([...g.keys()]).toEqual(['train', 'eval']);
    expect(g.get('train')!.map((r) => r.i)).toEqual([0, 2]);
  });
});
