/**
 * smoothed(id): a series' full-resolution smoothed values, read back from where they were
 * computed: the GPU's scan output, or the worker's CPU reference.
 */
import { unknownSeries } from '../data/validate';
import type { Smoothing } from '../options';
import type { FromWorker, ToWorker } from '../protocol/messages';
import type { Graphics } from './graphics';
import type { Painter } from './paint';
import { Replies } from './replies';
import type { Run } from './runs';
import type { Change } from './scheduler';
import type { FrameInfo } from './types';
import type { ViewRequests } from './view';

type SmoothedReply = Extract<FromWorker, { type: 'smoothed' }>;

export interface ReadbackHost {
  readonly chart: number;
  post(msg: ToWorker): void;
  mark(...changes: Change[]): void;
  rendered(): Promise<FrameInfo>;
}

export class SmoothedReadback {
  private replies = new Replies<SmoothedReply>();

  constructor(
    private host: ReadbackHost,
    private painter: Painter,
    private graphics: Graphics,
    private view: ViewRequests,
  ) {}

  async read(run: Run, smoothing: Smoothing, xColumn: string): Promise<Float32Array> {
    if (this.painter.backend() === 'gpu') {
      // the points must be on the GPU (with smoothing off nothing else asks for them), then the scan
      // runs for the current options and the values are read back from its output
      this.view.gpuReadbacks++;
      this.host.mark('view');
      try {
        await this.host.rendered();
      } finally {
        this.view.gpuReadbacks--;
      }
      const values = this.graphics.readBack(run.slot, smoothing);
      if (values) return values;
    }
    await this.host.rendered();
    const { chart } = this.host;
    const m = await this.replies.ask((seq) => this.host.post({ type: 'smoothed', chart, seq, id: run.id, smoothing, xColumn }));
    if (!m.values) throw unknownSeries(run.id, 'smoothed');
    return m.values;
  }

  answer(m: SmoothedReply): void {
    this.replies.answer(m.seq, m);
  }

  destroy(): void {
    this.replies.rejectAll(new Error('chart destroyed'));
  }
}
