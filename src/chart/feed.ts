/**
 * The series' points on their way to the worker: a setSeries goes at once, appends wait in one
 * batch until the task ends (or the commit sends them first), so that runs appended together
 * travel together and runs sharing an x array keep sharing it.
 */
import { ColumnBatch } from '../data/batch';
import { isSourceInput, type SeriesInput } from '../data/validate';
import type { SourcePayload, ToWorker } from '../protocol/messages';

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
    const sources: SourcePayload[] = [];
    series.forEach((s, slot) => {
      if (!isSourceInput(s)) return batch.add(s.id, slot, s.x, s.y, s.xs);
      // its points stay on the server: the worker gets what the listing said (checked: listed)
      const e = s.source.listed(s.id)!;
      const extent: Record<string, [number, number]> = {};
      for (const [name, r] of Object.entries(e.extent)) if (r) extent[name] = [r[0], r[1]];
      sources.push({
        id: s.id, slot,
        source: { url: s.source.url, sid: e.sid, xColumns: [...e.xColumns], extent, points: e.points, yExtent: e.yExtent, yPositive: e.yPositive },
      });
    });
    this.post({ type: 'set', chart: this.chart, xs: batch.xs, series: batch.series, sources }, batch.transfer());
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
