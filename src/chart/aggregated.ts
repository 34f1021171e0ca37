/**
 * aggregated(group): a group's aggregate over every point of its runs, before smoothing, as the
 * worker computes it for the chart's `aggregate` option (or mean / minmax when the option is off),
 * or as a server computes it for a group of its series (worker/sourcegroups.ts).
 */
import type { ChartOptions } from '../options';
import type { AggregatedGroup, AggregateSpec, FromWorker, ToWorker } from '../protocol/messages';
import { Replies } from './replies';
import type { Runs } from './runs';
import type { FrameInfo } from './types';

type AggregatedReply = Extract<FromWorker, { type: 'aggregated' }>;

/** What aggregated() uses when the chart draws no aggregate. */
const DEFAULT_SPEC: AggregateSpec = { line: 'mean', band: 'minmax', runs: 'faint' };

export interface AggregatedHost {
  readonly chart: number;
  options(): Readonly<ChartOptions>;
  post(msg: ToWorker): void;
  rendered(): Promise<FrameInfo>;
}

export class AggregatedReadback {
  private replies = new Replies<AggregatedReply>();

  constructor(
    private host: AggregatedHost,
    private runs: Runs,
  ) {}

  async read(name: string): Promise<AggregatedGroup> {
    const o = this.host.options();
    const req = this.runs.aggregateRequest(o.aggregate ?? DEFAULT_SPEC);
    const group = req?.groups.find((g) => g.name === name);
    if (!req || !group) throw new TypeError(`group ${JSON.stringify(name)}: no run has this group (aggregated)`);
    // what was set before the call has reached the worker once its frame is drawn
    await this.host.rendered();
    const { chart } = this.host;
    const m = await this.replies.ask((seq) =>
      this.host.post({ type: 'aggregated', chart, seq, xColumn: o.xColumn, yScale: o.yScale, aggregate: { ...req, groups: [group] } }),
    );
    if (m.error) throw new Error(`group ${JSON.stringify(name)}: ${m.error} (aggregated)`);
    if (!m.result) throw new TypeError(`group ${JSON.stringify(name)}: none of its runs is held here (aggregated)`);
    return m.result;
  }

  answer(m: AggregatedReply): void {
    this.replies.answer(m.seq, m);
  }

  destroy(): void {
    this.replies.rejectAll(new Error('chart destroyed'));
  }
}
