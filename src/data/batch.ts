/**
 * Copies of the caller's columns, ready to transfer to the worker. An x array passed by several
 * series (in one setSeries, or in the appends of one task) is copied and sent once, and the
 * worker keeps one column for all of them. Appends are separate calls: an app may refill the
 * same array between them, so there an array seen again is compared with its copy first
 * (O(length), only then) and copied anew when it changed.
 */
import type { XPayload, YPayload } from '../protocol/messages';
import { copy32, copy64 } from './validate';

export class ColumnBatch {
  readonly xs: XPayload[] = [];
  readonly series: YPayload[] = [];
  private keys = new Map<ArrayLike<number>, number>();

  /** `separateCalls`: the series come from separate calls (appends), see above */
  constructor(private separateCalls = false) {}

  add(id: string, slot: number, x: ArrayLike<number>, y: ArrayLike<number>, xs: Record<string, ArrayLike<number>> = {}): void {
    let key = this.keys.get(x);
    if (key === undefined || (this.separateCalls && !sameValues(this.xs[key].x, x))) {
      key = this.xs.length;
      this.keys.set(x, key);
      this.xs.push({ key, x: copy64(x) });
    }
    const extra = Object.entries(xs).map(([name, c]) => ({ name, x: copy64(c) }));
    this.series.push({ id, slot, xKey: key, y: copy32(y), extra });
  }

  get size(): number {
    return this.series.length;
  }

  transfer(): Transferable[] {
    return [
      ...this.xs.map((p) => p.x.buffer),
      ...this.series.flatMap((p) => [p.y.buffer, ...p.extra.map((e) => e.x.buffer)]),
    ];
  }
}

/** Whether `v` still holds what `copy` was made from (NaN equal to NaN). */
function sameValues(copy: Float64Array, v: ArrayLike<number>): boolean {
  if (copy.length !== v.length) return false;
  for (let i = 0; i < copy.length; i++) {
    const a = copy[i], b = v[i];
    if (a !== b && !(a !== a && b !== b)) return false;
  }
  return true;
}
