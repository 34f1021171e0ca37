/**
 * Asking the worker for a view, and laying it out. The plot's size depends on the axis margins,
 * which depend on the tick labels of the domains the worker fits: a request is made at the size
 * the last layout gives, and asked again (at most MAX_RELAYOUT times) when the labels of the
 * frame that comes back move the margins. A chart's first frame with points has no layout to go
 * by, nor has a frame after new data, another scale or x column or a domain fitted again
 * (`refit`), so it first asks for the domains alone (`fitOnly`: two short messages instead of a
 * second decimation of every point in view).
 */
import { defaultTheme, layoutAxes, type AxesLayout } from '../axes/overlay';
import type { Rect } from '../coords';
import type { ChartOptions } from '../options';
import type { ToWorker } from '../protocol/messages';
import { smoothingOn } from '../smooth/params';
import type { Asked, Frame, Painter } from './paint';
import type { Runs } from './runs';
import type { Surface } from './surface';
import type { FrameInfo } from './types';

/** Re-ask the worker at most this many times when the axis margins move the plot. */
const MAX_RELAYOUT = 2;

export interface ViewHost {
  readonly chart: number;
  options(): Readonly<ChartOptions>;
  post(msg: ToWorker, transfer: Transferable[]): void;
}

/** Where the frames go (the scheduler). */
export interface FrameSink {
  /** the last frame on screen: its domains give the first guess at the margins */
  readonly onScreen: FrameInfo | null;
  /** the frame asked for is on screen */
  drawn(info: FrameInfo): void;
  /** the frame asked for came but cannot be drawn (the context is lost) */
  held(): void;
}

interface Request extends Asked {
  seq: number;
  relayout: number;
  /** asked for the domains only: laid out, then asked again for the frame */
  fitOnly: boolean;
}

export class ViewRequests {
  /** smoothed() calls waiting for the points to reach the GPU */
  gpuReadbacks = 0;
  private inflight: Request | null = null;
  private seq = 0;
  /** the domains will be new (new data, another scale or x column, a domain fitted again): fit first */
  private refitting = false;
  /** the buffers of the last frame, handed back to the worker to fill again */
  private recycle: ArrayBuffer[] = [];

  constructor(
    private host: ViewHost,
    private frames: FrameSink,
    private surface: Surface,
    private runs: Runs,
    private painter: Painter,
  ) {}

  /** The commit's request: fit the canvas, take the margins of the last layout (or a first guess), ask. */
  ask(since: number): void {
    if (this.surface.fit()) this.painter.restyle(); // widths are in device px
    const last = this.frames.onScreen;
    const o = this.host.options();
    // a domain given is the one drawn; the others as last drawn
    const plot = plotDevice(this.layoutFor(o.xDomain ?? last?.xDomain ?? [0, 1], o.yDomain ?? last?.yDomain ?? [0, 1]), this.surface.dpr);
    // no frame with points yet, or domains that will be new: the margins are a guess, unless
    // both domains are given. A zoom or an append keeps the last margins (they rarely move).
    // A source series' domains are its server's answer: no cheaper fit there.
    const guess = (this.refitting || !last || last.points === 0) && this.runs.size > 0 && (!o.xDomain || !o.yDomain) && !this.runs.anySource;
    this.refitting = false;
    this.request(plot.width, plot.height, since, 0, guess);
  }

  /** The next view's fitted domains will be new (new data): ask for them before the points (see `ask`). */
  refit(): void {
    this.refitting = true;
  }

  /** Options changed: another scale or x column, or a domain fitted again, makes the domains new. */
  optionsChanged(prev: Readonly<ChartOptions>, next: Readonly<ChartOptions>): void {
    if (next.xScale !== prev.xScale || next.yScale !== prev.yScale || next.xColumn !== prev.xColumn || (prev.xDomain && !next.xDomain) || (prev.yDomain && !next.yDomain)) this.refit();
  }

  /** The worker's answer failed: nothing is in flight any more. */
  cancel(): void {
    this.inflight = null;
  }

  /** A frame from the worker: laid out, asked again if its margins moved, else drawn. */
  receive(f: Frame): void {
    const req = this.inflight;
    if (!req || f.seq !== req.seq) return;
    this.painter.receive(f);
    this.recycle = [f.spans.buffer as ArrayBuffer, f.segments.buffer as ArrayBuffer];
    if (f.gpu) this.recycle.push(f.gpu.edges.buffer as ArrayBuffer, f.gpu.isegs.buffer as ArrayBuffer);
    const layout = this.layoutFor(f.xDomain, f.yDomain);
    const plot = plotDevice(layout, this.surface.dpr);
    if (req.fitOnly || ((plot.width !== req.width || plot.height !== req.height) && req.relayout < MAX_RELAYOUT)) {
      // the labels of the new domain moved the margins (or only the domains came): ask again at the right size
      this.request(plot.width, plot.height, req.since, req.relayout + 1, false);
      return;
    }
    this.inflight = null;
    const info = this.painter.present(f, req, layout, plot);
    if (info) this.frames.drawn(info);
    else this.frames.held();
  }

  /** Axis layout for given domains, with the plot snapped to whole device pixels. */
  private layoutFor(xDomain: readonly [number, number], yDomain: readonly [number, number]): AxesLayout {
    const o = this.host.options();
    const { ctx, dpr } = this.surface;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const layout = layoutAxes(
      ctx,
      this.surface.width,
      this.surface.height,
      { scale: o.xScale, format: o.xFormat, domain: xDomain, title: o.xLabel },
      { scale: o.yScale, format: 'number', domain: yDomain, title: o.yLabel },
      defaultTheme,
    );
    const d = plotDevice(layout, dpr);
    layout.plot = { left: d.left / dpr, top: d.top / dpr, width: d.width / dpr, height: d.height / dpr };
    return layout;
  }

  private request(width: number, height: number, since: number, relayout: number, fitOnly: boolean): void {
    const o = this.host.options();
    const hidden = this.runs.hiddenSlots();
    const seq = ++this.seq;
    const cull = this.painter.opaqueThin();
    const thin = this.painter.thin();
    const density = this.painter.density();
    const spec = this.painter.aggregating();
    const aggregate = spec ? this.runs.aggregateRequest(spec) : null;
    const lit = cull || density ? this.painter.litSlots() : [];
    const litId = cull || density ? this.painter.highlighted() : null;
    this.inflight = { seq, since, width, height, relayout, fitOnly, culled: cull, thin, lit: litId, density, groups: aggregate ? aggregate.groups.length : 0 };
    this.host.post(
      {
        type: 'view',
        chart: this.host.chart,
        seq,
        view: {
          xScale: o.xScale, yScale: o.yScale, xDomain: o.xDomain, yDomain: o.yDomain, width, height, hidden,
          smoothing: smoothingOn(o.smoothing) ? o.smoothing : null,
          showRaw: o.showRaw,
          slots: this.runs.size,
          // asked only when it matters: the answer needs the GL context (see Graphics)
          smoothBackend: smoothingOn(o.smoothing) || this.gpuReadbacks > 0 ? this.painter.backend() : 'cpu',
          gpuData: this.gpuReadbacks > 0,
          xColumn: o.xColumn,
          ignoreOutliers: o.ignoreOutliers,
          thin,
          cull,
          ...(lit.length ? { lit } : {}),
          ...(density ? { density } : {}),
          ...(this.painter.heldImage() !== null ? { heldImage: this.painter.heldImage()! } : {}),
          ...(aggregate ? { aggregate } : {}),
          ...(fitOnly ? { fitOnly } : {}),
        },
        recycle: this.recycle,
      },
      this.recycle,
    );
    this.recycle = [];
  }
}

/** The plot of a layout in whole device pixels. */
function plotDevice(layout: AxesLayout, dpr: number): Rect {
  const p = layout.plot;
  const left = Math.round(p.left * dpr), top = Math.round(p.top * dpr);
  const width = Math.max(1, Math.round((p.left + p.width) * dpr) - left);
  const height = Math.max(1, Math.round((p.top + p.height) * dpr) - top);
  return { left, top, width, height };
}
