/**
 * One series smoothed as its points arrive in pieces, in order (the server streams a series out
 * of its store a chunk at a time and never needs all of it at once): every output is handed on
 * once, in order, as soon as no later point can change it, equal to smoothing the whole series
 * at once (reference.ts `smooth`).
 *
 * - ema and time-weighted carry their recurrence's state: each piece's outputs are final at once.
 * - the window modes (window.ts) hold the points their windows still reach (centred: the last
 *   `window`; gaussian: those within 2 reach in x of the pending ones; running-average: the last
 *   `window - 1`) and hand on an output once its window is complete, the rest at `end()`.
 */
import { initialState, smoothInto, type SmoothParams } from './reference';
import { scanned } from './params';
import { initialWindowState, windowSmoothInto, type WindowState } from './window';

/**
 * Receives outputs: points [from, to) of the arrays (x, smoothed, raw y), which are the series'
 * points `offset ..`; the arrays are valid only during the call.
 */
export type Emit = (x: Float64Array, s: Float32Array, y: Float32Array, from: number, to: number, offset: number) => void;

export interface SmoothStream {
  /** the next points of the series, x[from, to) and y[from, to) */
  push(x: Float64Array, y: Float32Array, from: number, to: number, emit: Emit): void;
  /** the series has no more points: hand on what is left */
  end(emit: Emit): void;
}

export function smoothStream(params: SmoothParams): SmoothStream {
  return scanned(params.mode) ? new RecurrenceStream(params) : new WindowStream(params);
}

class RecurrenceStream implements SmoothStream {
  private state = initialState();
  private seen = 0;
  private out = new Float32Array(0);

  constructor(private readonly params: SmoothParams) {}

  push(x: Float64Array, y: Float32Array, from: number, to: number, emit: Emit): void {
    if (this.out.length < to) this.out = new Float32Array(Math.max(to, 2 * this.out.length));
    this.state = smoothInto(x, y, from, to, this.params, this.state, this.out);
    emit(x, this.out, y, from, to, this.seen);
    this.seen += to - from;
  }

  end(): void {}
}

/** Typed columns of `n` points, x (float64), y and smoothed y (float32), growing as points are added. */
export class PointColumns {
  n = 0;
  x = new Float64Array(1024);
  y = new Float32Array(1024);
  s = new Float32Array(1024);

  /** Add points [from, to) of x, y and s (without s: left to be written) after the first n. */
  add(x: Float64Array, y: Float32Array, s: Float32Array | null, from: number, to: number): void {
    const need = this.n + to - from;
    if (need > this.x.length) {
      const cap = Math.max(need, 2 * this.x.length);
      const grow = <T extends Float64Array | Float32Array>(a: T, b: T): T => (b.set(a.subarray(0, this.n)), b);
      this.x = grow(this.x, new Float64Array(cap));
      this.y = grow(this.y, new Float32Array(cap));
      this.s = grow(this.s, new Float32Array(cap));
    }
    this.x.set(x.subarray(from, to), this.n);
    this.y.set(y.subarray(from, to), this.n);
    if (s) this.s.set(s.subarray(from, to), this.n);
    this.n = need;
  }

  /** Drop the first k points. */
  shift(k: number): void {
    this.x.copyWithin(0, k, this.n);
    this.y.copyWithin(0, k, this.n);
    this.s.copyWithin(0, k, this.n);
    this.n -= k;
  }
}

class WindowStream implements SmoothStream {
  private state: WindowState = initialWindowState();
  /** the points held: the series' points base .. base + held.n - 1 */
  private base = 0;
  private readonly held = new PointColumns();

  constructor(private readonly params: SmoothParams) {}

  push(x: Float64Array, y: Float32Array, from: number, to: number, emit: Emit): void {
    // drop the points no window reaches any more (before the state's `lo`), once they are half of what is held
    const k = this.state.lo - this.base;
    if (k > 0 && 2 * k >= this.held.n) {
      this.held.shift(k);
      this.base += k;
    }
    this.held.add(x, y, null, from, to);
    this.run(false, emit);
  }

  end(emit: Emit): void {
    this.run(true, emit);
  }

  private run(ended: boolean, emit: Emit): void {
    const { x, y, s } = this.held;
    const first = this.state.next, n = this.base + this.held.n;
    this.state = windowSmoothInto(x, y, this.base, n, ended, this.params, this.state, s);
    const last = ended ? n : this.state.next;
    if (last > first) emit(x, s, y, first - this.base, last - this.base, first);
  }
}
