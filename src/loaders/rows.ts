/**
 * The loaders' common output: points grouped into series, held in growable typed arrays (a
 * 100 MB CSV is millions of rows; JS objects per point would cost ~10x the memory and time).
 *
 * A series is identified by its run, its metric and every other string field of its points
 * (`subset`, `record`, `seed`, ...): the key is `run \0 metric \0 name=value \0 ...` with the other
 * fields sorted by name, so the same series read from a CSV, a JSON Lines file or an event file
 * gets the same key and series of several files merge.
 *
 * Numeric columns are known by name (after lower-casing and turning spaces and dashes into `_`):
 * - `step`, `_step`, `global_step`: the step (required)
 * - `value`: the value (required in CSV and long-format JSON Lines)
 * - `time_ms`, `time`, `relative_time`: training time since the start, in ms
 * - `time_s`, `relative_time_s`, `_runtime`: the same in seconds
 * - `wall_time`, `walltime`, `timestamp`, `_timestamp`: wall-clock time, epoch seconds or ms
 *   (a number below 1e11 is seconds), or an ISO date
 * - `epoch`
 * Every other column is a string field and part of the series key.
 */

export type LoaderKind = 'csv' | 'jsonl' | 'tfevents';

/** One series as the loaders hand it out: columns of equal length. */
export interface LoadedSeries {
  /** run \0 metric \0 sorted `name=value` of the other fields */
  key: string;
  run: string;
  metric: string;
  /** every string field of the series, run and metric included */
  fields: Record<string, string>;
  step: Float64Array;
  value: Float32Array;
  /** relative time in ms (NaN where a point has none); null when no point has one */
  time: Float64Array | null;
  /** epoch ms (NaN where a point has none); null when no point has one */
  wall: Float64Array | null;
  /** epoch number; null when no point has one */
  epoch: Float64Array | null;
}

/** A message about a file: what went wrong, the file named first. */
export class LoadError extends Error {
  /** `file: detail` is the message; `detail` is what is wrong, without the file's name */
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'LoadError';
  }
}

/** Which known numeric column a (normalised) column name is, or null for a string field. */
export type NumericRole = 'step' | 'value' | 'time_ms' | 'time_s' | 'wall' | 'epoch';

const ROLES: Record<string, NumericRole> = {
  step: 'step',
  _step: 'step',
  global_step: 'step',
  value: 'value',
  time_ms: 'time_ms',
  time: 'time_ms',
  relative_time: 'time_ms',
  relative_time_ms: 'time_ms',
  time_s: 'time_s',
  relative_time_s: 'time_s',
  _runtime: 'time_s',
  wall_time: 'wall',
  walltime: 'wall',
  wall_time_ms: 'wall',
  timestamp: 'wall',
  _timestamp: 'wall',
  epoch: 'epoch',
};

/** `Wall time` → `wall_time`, `Step` → `step`. */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export function roleOf(name: string): NumericRole | null {
  const n = normaliseName(name);
  // own keys only: a column named `constructor` or `__proto__` is a string field, not Object's
  return Object.prototype.hasOwnProperty.call(ROLES, n) ? ROLES[n] : null;
}

/** Epoch seconds or ms → ms (seconds below 1e11, i.e. before 1973 as ms / after 5138 as s). */
export function wallToMs(v: number): number {
  return Math.abs(v) < 1e11 ? v * 1000 : v;
}

/** The series key of (run, metric, other fields). `fields` may hold run and metric too. */
export function seriesKey(run: string, metric: string, fields: Record<string, string>): string {
  let key = run + '\u0000' + metric;
  const names = Object.keys(fields)
    .filter((n) => n !== 'run' && n !== 'metric')
    .sort();
  for (const n of names) key += '\u0000' + n + '=' + fields[n];
  return key;
}

/** A fresh copy of a string: substrings of a 4 MB chunk would otherwise keep the chunk alive. */
export function own(s: string): string {
  return s.length === 0 ? '' : (JSON.parse(JSON.stringify(s)) as string);
}

function grow64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function nanColumn(cap: number, n: number): Float64Array {
  const c = new Float64Array(cap);
  c.fill(NaN, 0, n);
  return c;
}

/** One series being read: its points in growable typed arrays, in file order. */
export class SeriesBuilder {
  n = 0;
  /** points before this index were handed out by `drain()` already */
  drained = 0;
  step: Float64Array;
  value: Float32Array;
  time: Float64Array | null = null;
  wall: Float64Array | null = null;
  epoch: Float64Array | null = null;
  /** time is wall minus the run's first wall (event files): recomputed when tables merge */
  timeFromWall = false;

  constructor(
    readonly key: string,
    readonly run: string,
    readonly metric: string,
    readonly fields: Record<string, string>,
    capacity = 64,
  ) {
    this.step = new Float64Array(capacity);
    this.value = new Float32Array(capacity);
  }

  get capacity(): number {
    return this.step.length;
  }

  private grow(min: number): void {
    const cap = Math.max(min, this.step.length * 2);
    this.step = grow64(this.step, cap);
    const v = new Float32Array(cap);
    v.set(this.value);
    this.value = v;
    if (this.time) this.time = grow64(this.time, cap);
    if (this.wall) this.wall = grow64(this.wall, cap);
    if (this.epoch) this.epoch = grow64(this.epoch, cap);
  }

  /** Add a point; time, wall and epoch are NaN when the point has none. */
  push(step: number, value: number, time: number, wall: number, epoch: number): void {
    const i = this.n;
    if (i === this.step.length) this.grow(i + 1);
    this.step[i] = step;
    this.value[i] = value;
    if (time === time) (this.time ??= nanColumn(this.step.length, i))[i] = time;
    else if (this.time) this.time[i] = NaN;
    if (wall === wall) (this.wall ??= nanColumn(this.step.length, i))[i] = wall;
    else if (this.wall) this.wall[i] = NaN;
    if (epoch === epoch) (this.epoch ??= nanColumn(this.step.length, i))[i] = epoch;
    else if (this.epoch) this.epoch[i] = NaN;
    this.n = i + 1;
  }

  /** Append all points of another builder of the same key. */
  absorb(o: SeriesBuilder): void {
    const n = this.n + o.n;
    if (n > this.step.length) this.grow(n);
    const cap = this.step.length;
    this.step.set(o.step.subarray(0, o.n), this.n);
    this.value.set(o.value.subarray(0, o.n), this.n);
    const col = (mine: Float64Array | null, theirs: Float64Array | null): Float64Array | null => {
      if (!mine && !theirs) return null;
      const c = mine ?? nanColumn(cap, this.n);
      if (theirs) c.set(theirs.subarray(0, o.n), this.n);
      else c.fill(NaN, this.n, n);
      return c;
    };
    this.time = col(this.time, o.time);
    this.wall = col(this.wall, o.wall);
    this.epoch = col(this.epoch, o.epoch);
    this.timeFromWall ||= o.timeFromWall;
    this.n = n;
  }

  /** Copies of the points [from, n) as a LoadedSeries. */
  columns(from = 0): LoadedSeries {
    const cut = (c: Float64Array | null) => (c ? c.slice(from, this.n) : null);
    return {
      key: this.key,
      run: this.run,
      metric: this.metric,
      fields: { ...this.fields },
      step: this.step.slice(from, this.n),
      value: this.value.slice(from, this.n),
      time: cut(this.time),
      wall: cut(this.wall),
      epoch: cut(this.epoch),
    };
  }
}

/** Series of one or more files, by key, in the order they were first seen. */
export class MetricTable {
  private readonly byKey = new Map<string, SeriesBuilder>();
  /** per run: wall (epoch ms) of its first point read from an event file */
  readonly runOrigin = new Map<string, number>();

  get size(): number {
    return this.byKey.size;
  }

  /** Total number of points. */
  get points(): number {
    let n = 0;
    for (const s of this.byKey.values()) n += s.n;
    return n;
  }

  get(key: string): SeriesBuilder | undefined {
    return this.byKey.get(key);
  }

  /** The builder of (run, metric, fields), created on first use. `fields` is kept, not copied. */
  series(run: string, metric: string, fields: Record<string, string>): SeriesBuilder {
    const key = seriesKey(run, metric, fields);
    let s = this.byKey.get(key);
    if (!s) {
      s = new SeriesBuilder(key, run, metric, fields);
      this.byKey.set(key, s);
    }
    return s;
  }

  builders(): SeriesBuilder[] {
    return [...this.byKey.values()];
  }

  /** The run's time origin for event files: the first wall seen, fixed from then on. */
  origin(run: string, wall: number): number {
    const o = this.runOrigin.get(run);
    if (o !== undefined) return o;
    this.runOrigin.set(run, wall);
    return wall;
  }

  /** Move every series of `other` into this table (appending to series of the same key). */
  absorb(other: MetricTable): void {
    for (const [run, o] of other.runOrigin) {
      const mine = this.runOrigin.get(run);
      if (mine === undefined || o < mine) this.runOrigin.set(run, o);
    }
    for (const s of other.byKey.values()) {
      const mine = this.byKey.get(s.key);
      if (mine) mine.absorb(s);
      else this.byKey.set(s.key, s);
    }
  }

  /** Recompute time = wall - run origin for series read from event files (after merging). */
  private retime(): void {
    for (const s of this.byKey.values()) {
      if (!s.timeFromWall || !s.wall || !s.time) continue;
      const o = this.runOrigin.get(s.run);
      if (o === undefined) continue;
      for (let i = 0; i < s.n; i++) s.time[i] = s.wall[i] - o;
    }
  }

  /** Every series, all points. */
  columns(): LoadedSeries[] {
    this.retime();
    const out: LoadedSeries[] = [];
    for (const s of this.byKey.values()) {
      if (s.n > 0) out.push(s.columns());
      s.drained = s.n;
    }
    return out;
  }

  /** The points added since the last drain, per series (series with none are left out). */
  drain(): LoadedSeries[] {
    const out: LoadedSeries[] = [];
    for (const s of this.byKey.values()) {
      if (s.n > s.drained) out.push(s.columns(s.drained));
      s.drained = s.n;
    }
    return out;
  }
}

/** The buffers of a series list, for postMessage's transfer list. */
export function transferables(series: LoadedSeries[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of series) {
    for (const c of [s.step, s.value, s.time, s.wall, s.epoch]) if (c) out.push(c.buffer as ArrayBuffer);
  }
  return out;
}
