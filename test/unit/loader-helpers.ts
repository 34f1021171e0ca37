/** Shared by the loader tests. */
import { expect } from 'vitest';
import { LoadError, type LoadedSeries } from '../../src/loaders/rows';

/** Plain-object view of parsed series, for equality checks. */
export function plain(series: LoadedSeries[]) {
  return series.map((s) => ({
    key: s.key,
    fields: s.fields,
    step: Array.from(s.step),
    value: Array.from(s.value),
    time: s.time && Array.from(s.time),
    wall: s.wall && Array.from(s.wall),
    epoch: s.epoch && Array.from(s.epoch),
  }));
}

/** The LoadError a call throws (fails the test when it throws nothing or something else). */
export function errorOf(f: () => unknown): LoadError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return e as LoadError;
  }
  throw new Error('expected a LoadError');
}
