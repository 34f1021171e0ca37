/**
 * Copies of the caller's columns, ready to transfer to the worker. An x array passed by several
 * series in one call is copied and sent once, and the worker keeps one column for all of them.
 */
import type { XPayload, YPayload } from '../decimate/messages';
import { copy32, copy64 } from './validate';

export class ColumnBatch {
  readonly xs: XPayload[] = [];
  readonly series: YPayload[] = [];
  private keys = new Map<ArrayLike<number>, number>();

  add(id: string, slot: number, x: ArrayLike<number>, y: ArrayLike<number>, xs: Record<string, ArrayLike<number>> = {}): void {
    let key = this.keys.get(x);
    if (key === undefined) {
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
