/**
 * One series being read, in growable typed arrays (a 100 MB CSV is millions of rows; JS objects
 * per point would cost ~10x the memory and time).
 */
import type { LoadedSeries } from './rows';

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
