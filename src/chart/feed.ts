/**
 * The series' points on their way to the worker: a setSeries goes at once, appends wait in one
 * batch until the task ends (or the commit sends them first), so that runs appended together
 * travel together and runs sharing an x array keep sharing it.
 */
import { ColumnBatch } from '../data/batch';
import type { SeriesInput } from '../data/validate';
import type { ToWorker } from '../protocol/messages';

export class Feed {
  private appends: ColumnBatch | null = null;

  constructor(
    private chart: number,
    private post: (msg: ToWorker, transfer: Transferable[]) => void,
  ) {}

  /** Replace the chart's series (checked already): slot i is series i. */
  set(series: readonly SeriesInput[]): void {
    this.flush(); // appends queued for the old series go first
    const batch = new ColumnBatch();
    series.forEach((s, slot) => batch.add(s.id, slot, s.x, s.y, s.xs));
    this.post({ type: 'set', chart: this.chart, xs: batch.xs, series: batch.series }, batch.transfer());
  }

  /** Queue points for a series (checked already). */
  append(id: string, slot: number, x: ArrayLike<number>, y: ArrayLike<number>, xs?: Record<string, ArrayLike<number>>): void {
    if (!this.appends) {
      this.appends = new ColumnBatch(true);
      queueMicrotask(() => this.flush());
    }
    this.appends.add(id, slot, x, y, xs);
  }

  /** Send the queued appends. */
  flush(): void {
    const b = this.appends;
    if (!b) return;
    this.appends = null;
    this.post({ type: 'append', chart: this.chart, xs: b.xs, series: b.series }, b.transfer());
  }
}
