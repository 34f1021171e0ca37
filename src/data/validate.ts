/**
 * Checks of everything the caller hands in, on the main thread and before anything changes, so a
 * bad call throws with the series id and the field and the chart keeps what it had. Copying the
 * columns happens here too: it is the one loop over points the main thread does, and it leaves
 * the caller's arrays untouched (never transferred, never detached).
 */
import type { SourceSeries } from '../source/api';

export interface SeriesStyleInput {
  label?: string;
  color?: string;
  width?: number;
  dash?: readonly number[];
  /**
   * The group the run belongs to (seeds of one configuration): with the `aggregate` option the
   * chart draws each group's line and band from its runs' points.
   */
  group?: string;
}

export interface ArraySeriesInput extends SeriesStyleInput {
  id: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /**
   * Other x columns of the same points, by name (`{ epoch, time }`): the chart draws the one
   * its `xColumn` option names, and switching costs no re-send of y.
   */
  xs?: Record<string, ArrayLike<number>>;
  source?: undefined;
}

/** What a chart needs of a source (`connectSource`): where it is and what it listed. */
export interface SeriesSource {
  readonly url: string;
  /** the listed series of this key, undefined when `series()` has not listed it */
  listed(id: string): SourceSeries | undefined;
}

/** A series whose points stay on a metricgl server: `id` is a key the source listed. */
export interface SourceSeriesInput extends SeriesStyleInput {
  id: string;
  source: SeriesSource;
}

export type SeriesInput = ArraySeriesInput | SourceSeriesInput;

export function isSourceInput(s: SeriesInput): s is SourceSeriesInput {
  return s.source !== undefined;
}

/**
 * Check a whole setSeries list before anything changes: an array of objects with non-empty,
 * distinct ids, x and y of equal length, extra x columns of that length too, and a valid style.
 * Returns each series' extra x column names (sorted), in order: what append checks against.
 */
export function checkSeriesList(series: unknown, parseColor: (c: string) => unknown): string[][] {
  if (!Array.isArray(series)) throw new TypeError('setSeries takes an array of series');
  const seen = new Set<string>();
  return series.map((s: SeriesInput, i) => {
    const id = checkId(s, i);
    if (seen.has(id)) throw new TypeError(`${who(id)}: duplicate id`);
    seen.add(id);
    if (s.source !== undefined) {
      checkSource(id, s.source);
      checkStyle(id, s, parseColor);
      return [];
    }
    const n = checkPoints(id, s.x, s.y);
    const columns = checkColumns(id, s.xs, n);
    checkStyle(id, s, parseColor);
    return columns;
  });
}

/** A source series names a source (connectSource) that has listed its id. */
function checkSource(id: string, source: unknown): void {
  const src = source as Partial<SeriesSource> | null;
  if (typeof src !== 'object' || src === null || typeof src.listed !== 'function' || typeof src.url !== 'string') {
    throw new TypeError(`${who(id)}: source must be a Source from connectSource()`);
  }
  if (!src.listed(id)) throw new TypeError(`${who(id)}: source ${src.url} has not listed this id (call source.series() first)`);
}

/** Check an append to a series that was given the extra x columns `columns` (sorted). */
export function checkAppend(id: string, x: unknown, y: unknown, xs: unknown, columns: readonly string[]): void {
  const names = checkColumns(id, xs, checkPoints(id, x, y));
  if (names.join() !== columns.join()) {
    throw new TypeError(`${who(id)}: append needs the x columns it was given (${columns.join(', ') || 'none'}), got ${names.join(', ') || 'none'}`);
  }
}

/** x and y are numeric columns of one length; returns it. */
function checkPoints(id: string, x: unknown, y: unknown): number {
  const n = checkColumn(id, 'y', y);
  checkLengths(id, checkColumn(id, 'x', x), n);
  return n;
}

/** Check extra x columns against y's length; returns their names. */
export function checkColumns(id: string, xs: unknown, n: number): string[] {
  if (xs === undefined) return [];
  if (typeof xs !== 'object' || xs === null || Array.isArray(xs)) throw new TypeError(`${who(id)}: xs must be an object of named x columns`);
  const names = Object.keys(xs);
  for (const name of names) {
    if (name === 'x') throw new TypeError(`${who(id)}: xs cannot hold a column named "x" (that is the series' x)`);
    const len = checkColumn(id, `xs.${name}`, (xs as Record<string, unknown>)[name]);
    if (len !== n) throw new TypeError(`${who(id)}: xs.${name} has ${len} values, y has ${n}`);
  }
  return names.sort();
}

const who = (id: string) => `series ${JSON.stringify(id)}`;

export function checkId(s: unknown, index: number): string {
  if (typeof s !== 'object' || s === null) throw new TypeError(`series at index ${index} is not an object`);
  const id = (s as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') throw new TypeError(`series at index ${index}: id must be a non-empty string`);
  return id;
}

/** Length of a numeric array-like, or a TypeError naming the series and field. */
export function checkColumn(id: string, field: string, v: unknown): number {
  if (ArrayBuffer.isView(v)) {
    if (v instanceof BigInt64Array || v instanceof BigUint64Array || v instanceof DataView) {
      throw new TypeError(`${who(id)}: ${field} must hold numbers, got ${v.constructor.name}`);
    }
    return (v as unknown as ArrayLike<number>).length;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') {
        throw new TypeError(`${who(id)}: ${field}[${i}] is not a number (got ${v[i] === null ? 'null' : typeof v[i]})`);
      }
    }
    return v.length;
  }
  throw new TypeError(`${who(id)}: ${field} is not an array of numbers (got ${v === null ? 'null' : typeof v})`);
}

export function checkLengths(id: string, nx: number, ny: number): void {
  if (nx !== ny) throw new TypeError(`${who(id)}: x has ${nx} values, y has ${ny}`);
}

export function checkStyle(id: string, s: SeriesStyleInput, parseColor: (c: string) => unknown): void {
  if (s.label !== undefined && typeof s.label !== 'string') throw new TypeError(`${who(id)}: label must be a string`);
  if (s.group !== undefined && (typeof s.group !== 'string' || s.group === '')) throw new TypeError(`${who(id)}: group must be a non-empty string`);
  if (s.color !== undefined && (typeof s.color !== 'string' || parseColor(s.color) === null)) {
    throw new TypeError(`${who(id)}: color ${JSON.stringify(s.color)} is not a CSS colour`);
  }
  if (s.width !== undefined && !(typeof s.width === 'number' && s.width > 0 && s.width < 64)) {
    throw new TypeError(`${who(id)}: width must be a number in (0, 64) CSS px, got ${String(s.width)}`);
  }
  if (s.dash !== undefined) {
    const ok = Array.isArray(s.dash) && s.dash.every((d) => typeof d === 'number' && d >= 0 && Number.isFinite(d));
    if (!ok || (s.dash.length > 0 && s.dash.reduce((a, b) => a + b, 0) <= 0)) {
      throw new TypeError(`${who(id)}: dash must be an array of non-negative lengths with a positive sum`);
    }
  }
}

export function unknownSeries(id: string, call: string): TypeError {
  return new TypeError(`${who(id)}: no such series (${call})`);
}

/** Fresh float64 / float32 copies: the worker takes ownership of these buffers. */
export function copy64(v: ArrayLike<number>): Float64Array {
  return new Float64Array(v); // typed arrays and plain arrays both take the native copy path
}
export function copy32(v: ArrayLike<number>): Float32Array {
  return new Float32Array(v);
}
