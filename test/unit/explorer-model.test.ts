import { describe, expect, it } from 'vitest';
import { chartHeight, columnsFor } from '../../demo/explorer/layout';
import { Dataset, type Change, type SeriesData } from '../../demo/explorer/model';
import { keyGroups } from '../../demo/explorer/keys';
import { defaultState, readState, writeState } from '../../demo/explorer/state';

/** A loader series of run `run`, points at `steps` (value = step). */
function series(run: string, steps: number[], fields: Record<string, string> = {}): SeriesData {
  const f = { run, metric: 'loss', ...fields };
  return {
    key: `${run}\u0000loss\u0000${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join('\u0000')}`,
    run,
    metric: 'loss',
    fields: f,
    step: Float64Array.from(steps),
    value: Float32Array.from(steps),
    time: null,
    wall: null,
    epoch: null,
  };
}

describe('Dataset', () => {
  it('removeOrigin takes back only the points that file gave a run, in the order they came', () => {
    const d = new Dataset();
    const changes: Change['kind'][] = [];
    d.on((c) => changes.push(c.kind));
    d.add([series('r', [0, 1, 2])], 'live', 'a.jsonl');
    d.add([series('r', [100, 101])], 'live', 'b.jsonl');
    d.add([series('r', [3, 4])], 'live', 'a.jsonl');
    const [s] = d.series.values();
    expect([...s.step]).toEqual([0, 1, 2, 100, 101, 3, 4]);
    d.removeOrigin('b.jsonl');
    expect([...s.step]).toEqual([0, 1, 2, 3, 4]);
    expect([...s.value]).toEqual([0, 1, 2, 3, 4]);
    expect(s.fields.points).toBe('5');
    d.add([series('r', [200])], 'live', 'b.jsonl');
    d.removeOrigin('a.jsonl');
    expect([...d.series.values()][0].step).toEqual(Float64Array.from([200]));
    d.removeOrigin('b.jsonl'); // nothing left: the series goes
    expect(d.series.size).toBe(0);
    expect(changes).toEqual(['added', 'extended', 'extended', 'replaced', 'extended', 'replaced', 'removed']);
  });

  it('add(list, source) keeps a live run apart from a shipped one of the same name, with a source field', () => {
    const d = new Dataset();
    d.add([series('r', [0, 1], { subset: 'train' })], 'demo');
    d.add([series('r', [5], { subset: 'train' })], 'live', 'r.jsonl');
    expect([...d.series.values()].map((s) => [s.fields.source, s.step.length])).toEqual([['demo', 2], ['live', 1]]);
    expect(d.fieldNames()).toEqual(['metric', 'points', 'run', 'source', 'steps', 'subset']);
    expect(d.groupFields()).toEqual(['metric', 'run', 'source', 'subset']);
  });

  it('steps is the highest step a series reached, kept up to date as it grows', () => {
    const d = new Dataset();
    d.add([series('r', [0, 125, 250])], 'demo');
    const [s] = d.series.values();
    expect(s.fields).toMatchObject({ steps: '250', points: '3' });
    d.add([series('r', [375])], 'demo');
    expect(s.fields).toMatchObject({ steps: '375', points: '4' });
  });
});

describe('explorer keys and layout', () => {
  it('keyGroups counts distinct runs per value, in order of first appearance', () => {
    const d = new Dataset();
    d.add([series('a', [0], { subset: 'train' }), series('a', [0], { subset: 'eval' }), series('b', [0], { subset: 'train' }), series('c', [0])], 'demo');
    expect(keyGroups([...d.series.values()], 'subset')).toEqual([
      { value: 'train', runs: 2 },
      { value: 'eval', runs: 1 },
      { value: '–', runs: 1 },
    ]);
  });

  it('chartHeight: one chart fills the area; subplots share it, never below 240 px', () => {
    expect(chartHeight(1, 900, 800)).toBe(780);
    expect(columnsFor(900, 2, 420)).toBe(2);
    expect(chartHeight(2, 900, 800)).toBe(780); // side by side
    expect(chartHeight(4, 900, 800)).toBe(374); // two rows
    expect(chartHeight(12, 900, 800)).toBe(240); // six rows would be 113: the rest scrolls
  });
});

describe('explorer state in the URL', () => {
  it('a window mode survives the bookmark; a smoothing the charts would reject falls back to the default', () => {
    const s = { ...defaultState, smoothing: { weight: 0.6, mode: 'centred' as const, window: 21, sigma: 20 } };
    expect(readState(writeState(s)).smoothing).toEqual(s.smoothing);
    for (const smoothing of [{ weight: 0, mode: 'centred', window: 4 }, { weight: 0, mode: 'gaussian' }, { weight: 2, mode: 'ema' }, 'x']) {
      expect(readState(writeState({ ...defaultState, smoothing } as never)).smoothing).toEqual(defaultState.smoothing);
    }
  });
});
