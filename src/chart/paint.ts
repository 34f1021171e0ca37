/**
 * Painting a view: slot styles, the culling policy, the lines and GPU-smoothed curves into the
 * shared GL context, then grid, plot and axes composited into the chart's own canvas. A view
 * once drawn is kept, so that a style or GPU smoothing change redraws it without the worker.
 */
import { defaultTheme, drawAxes, drawGrid, type AxesLayout, type AxisSpec } from '../axes/overlay';
import { axisMap, type Rect } from '../coords';
import { fills2D, paintSpans2D, type Fill } from '../draw/spans2d';
import { ensureSize } from '../gpu/context';
import { DENSITY_AUTO_RUNS, FLAT_MAX_SPANS, type AggregateSpec, type ChartOptions, type Smoothing } from '../options';
import type { FromWorker } from '../protocol/messages';
import { gpuSmooths, smoothingOn } from '../smooth/params';
import type { Graphics } from './graphics';
import type { Runs } from './runs';
import type { Surface } from './surface';
import type { FrameInfo } from './types';

export type Frame = Extract<FromWorker, { type: 'frame' }>;

/** What a drawn view needs to be drawn again without the worker. */
interface DrawnView {
  layout: AxesLayout;
  /** plot in device px */
  plot: Rect;
  width: number;
  height: number;
  gpu: { range: number; edgeRows: number; isegCount: number; rowSlots: Float32Array } | null;
  /** hidden spans were left out (opaque thin lines): a see-through style needs a new frame */
  culled: boolean;
  /** spans snapped to whole rows for one-pixel lines: other widths need a new frame */
  thin: boolean;
  /** the run highlighted when it was asked: a culled view has only its pieces drawn again on top */
  lit: string | null;
  /** drawn as a density (the highlighted run as a line on top) */
  density: boolean;
  /** what it reported when last drawn (domains, where it was smoothed) */
  info: FrameInfo;
}

/** The request a frame answers: its plot size in device px, since when it was due, whether it was culled. */
export interface Asked {
  width: number;
  height: number;
  since: number;
  culled: boolean;
  thin: boolean;
  lit: string | null;
  density: boolean;
  /** aggregated groups asked for */
  groups: number;
}

export interface PaintHost {
  options(): Readonly<ChartOptions>;
  /** someone waits for this frame: it must be real (GPU flushed) before they are told */
  awaited(): boolean;
  /** a frame was painted without the GL context (paintFlat): make the context once it is on screen */
  drawnFlat(): void;
}

export class Painter {
  /** the last view drawn; null before the first and after a context loss */
  private view: DrawnView | null = null;
  /** the slot styles are to be uploaded with the next draw */
  private stylesStale = true;
  /** points smoothed for the frame being made (worker and GPU) */
  private smoothedPoints = 0;
  /** a frame was presented (the first picture is painted with Canvas2D whatever the renderer option) */
  private painted = false;
  /** the seq of the frame whose plot image the renderer holds; null: none */
  private imageSeq: number | null = null;

  constructor(
    private host: PaintHost,
    private g: Graphics,
    private surface: Surface,
    private runs: Runs,
  ) {}

  restyle(): void {
    this.stylesStale = true;
  }

  /** The context is lost: what was drawn cannot be redrawn from the GPU. */
  forget(): void {
    this.view = null;
    this.imageSeq = null;
  }

  /** The frame whose plot image is drawn now (the worker may keep it for a highlight change). */
  heldImage(): number | null {
    return this.imageSeq;
  }

  /**
   * Where smoothing runs now: the option and what the context can do; running-average and
   * centred smooth on the CPU whatever the option says (params.ts gpuSmooths).
   */
  backend(): 'cpu' | 'gpu' {
    const o = this.host.options();
    return gpuSmooths(o.smoothing.mode) ? this.g.backend(o.smoothingBackend) : 'cpu';
  }

  /**
   * Every series drawn now is an opaque, solid line one device pixel wide, spans drawn by the
   * worker (not GPU-smoothed): the worker may leave out spans that later runs paint over. A
   * highlight keeps it so: the others' visible pieces are drawn dimmed (each pixel the faded colour
   * of the run on top there), the highlighted run's whole curve on top of them (its slots are
   * sent as `lit`), so a highlight costs the pieces, not every run's full geometry.
   */
  opaqueThin(): boolean {
    const o = this.host.options();
    if ((smoothingOn(o.smoothing) && o.showRaw) || !this.thin()) return false;
    return this.runs.opaque();
  }

  /**
   * The groups are aggregated now (option `aggregate`, and some run has a group); then every run
   * is drawn as a line (no density) and no spans are left out (the bands are see-through).
   */
  aggregating(): AggregateSpec | null {
    const a = this.host.options().aggregate;
    return a && this.runs.groups().length ? a : null;
  }

  /** The runs are drawn as a density now (option `density`; 'auto': past DENSITY_AUTO_RUNS visible runs). */
  density(): boolean {
    if (this.aggregating()) return false;
    const d = this.host.options().density;
    return d === 'on' || (d === 'auto' && this.runs.size - this.runs.hiddenSlots().length > DENSITY_AUTO_RUNS);
  }

  /** The slots the worker sends whole, after the occluded pieces: the highlighted run's. */
  litSlots(): number[] {
    return this.runs.litSlots();
  }

  /** The run highlighted now (what a culled view was asked with). */
  highlighted(): string | null {
    return this.runs.highlighted;
  }

  /**
   * Every series, hidden ones too, is one device pixel wide: spans and segments are drawn as GL
   * lines (draw), and culling assumes the geometry of those lines.
   */
  thin(): boolean {
    return !this.aggregating() && this.runs.thin(this.surface.dpr);
  }

  /** A new weight or mode with both curves smoothed on the GPU: a rescan of what is there serves. */
  rescans(prev: Smoothing, next: Smoothing): boolean {
    return this.view?.info.smoothing === 'gpu' && smoothingOn(prev) && smoothingOn(next) && this.backend() === 'gpu';
  }

  /** Take what a frame brings for the GPU at once, even if the frame is asked again. */
  receive(f: Frame): void {
    // counted over re-asks too: the worker smoothed for the first ask and cached it
    this.smoothedPoints += f.smoothedPoints;
    // the worker sends new points once
    const u = f.gpu?.upload;
    if (u) this.g.smoother().upload(u.rows, u.full, u.chunks);
  }

  /** Draw a worker frame; null when the context is lost (drawn again once it is restored). */
  present(f: Frame, asked: Asked, layout: AxesLayout, plot: Rect): FrameInfo | null {
    if (this.g.lost) return null;
    const dpr = this.surface.dpr;
    const picture = f.image ?? f.keptImage; // the plot image drawn, new or kept
    this.g.layout = f.gpu ? { offsets: f.gpu.offsets, lengths: f.gpu.lengths, range: f.gpu.range } : null;
    const v: DrawnView = {
      layout, plot, width: asked.width, height: asked.height, culled: asked.culled, thin: asked.thin, lit: asked.lit, density: asked.density,
      gpu: f.gpu && { range: f.gpu.range, edgeRows: f.gpu.edgeRows, isegCount: f.gpu.isegCount, rowSlots: f.gpu.rowSlots },
      info: {
        ...f.stats,
        plot: { left: plot.left / dpr, top: plot.top / dpr, width: plot.width / dpr, height: plot.height / dpr },
        xDomain: f.xDomain, yDomain: f.yDomain, dpr, workerMs: f.workerMs, smoothing: f.smoothedOn,
        frameMs: 0, primitives: 0, smoothedPoints: 0, renderer: 'webgl',
        density: picture?.kind === 'density' ? { max: picture.max } : null,
        groups: asked.groups,
      },
    };
    // Canvas2D: a chart's first picture before the page has a GL context, and (renderer 'auto')
    // any frame of few opaque spans, whose fillRects cost less than the copy out of the shared
    // context (a readback under a software rasteriser: 6-9 ms a frame here, where the fills of a
    // thousand spans take ~1.5 ms; on a GPU both are cheap)
    const first = !this.g.ready && !this.painted;
    const few = this.host.options().renderer === 'auto' && f.spanCount <= FLAT_MAX_SPANS;
    const fills = first || few ? this.flatFills(f, asked) : null;
    this.painted = true;
    if (fills) return this.paintFlat(v, f, fills, asked);
    this.view = v;
    if (!f.keptImage) this.imageSeq = f.image ? f.seq : null;
    return this.paint(v, f, asked.since);
  }

  /**
   * The chart's next frame will likely be painted without the GL context (flatFills): its lines
   * are opaque and solid, nothing is smoothed, aggregated or drawn as a density. A frame that
   * brings segments after all (a sparse curve) is drawn with GL, the context made then.
   */
  flatFirst(): boolean {
    const o = this.host.options();
    if (smoothingOn(o.smoothing) || this.density() || this.aggregating()) return false;
    return fills2D(this.runs.slotStyles(false, this.surface.dpr, null)) !== null;
  }

  /**
   * The slots' fills when this frame can be painted without the GL context (draw/spans2d.ts):
   * column spans only, in opaque solid styles; null otherwise.
   */
  private flatFills(f: Frame, asked: Asked): Fill[] | null {
    if (asked.density || asked.groups || f.image || f.keptImage || f.segmentCount > 0 || f.smoothedOn === 'gpu') return null;
    const o = this.host.options();
    return fills2D(this.runs.slotStyles(smoothingOn(o.smoothing), this.surface.dpr, this.aggregating()));
  }

  /**
   * A frame painted with Canvas2D: a chart's first picture on a page with no GL context yet (the
   * context is made once that picture is on screen), or a frame of few spans (see present).
   * Nothing of it is on the GPU, so a style change asks the worker again (no view kept for redraw).
   */
  private paintFlat(v: DrawnView, f: Frame, fills: Fill[], asked: Asked): FrameInfo {
    this.view = null;
    this.imageSeq = null;
    const box = { left: v.plot.left, top: v.plot.top, width: v.width, height: v.height };
    this.compose(v, (ctx) => paintSpans2D(ctx, f.spans, f.spanCount, fills, box, asked.thin));
    const since = asked.since;
    if (!this.g.ready) this.host.drawnFlat();
    v.info = { ...v.info, frameMs: performance.now() - since, primitives: f.spanCount, smoothedPoints: this.smoothedPoints, renderer: 'canvas2d' };
    this.smoothedPoints = 0;
    return v.info;
  }

  /**
   * Draw the last view again from what is on the GPU (a style change, a slider move with GPU
   * smoothing); null when there is none, it was culled and the new styles see through or another
   * run is highlighted, or its spans were snapped for line widths that changed.
   */
  redraw(since: number): FrameInfo | null {
    const v = this.view;
    if (!v || v.thin !== this.thin() || v.density !== this.density() || (v.culled && !this.opaqueThin())) return null;
    // culled or a density: the highlighted runs were drawn whole over the rest
    if ((v.culled || v.density) && v.lit !== this.runs.highlighted) return null;
    this.stylesStale = true;
    return this.paint(v, null, since);
  }

  private paint(v: DrawnView, fresh: Frame | null, since: number): FrameInfo {
    const primitives = this.draw(v, fresh);
    v.info = { ...v.info, frameMs: performance.now() - since, primitives, smoothedPoints: this.smoothedPoints, renderer: 'webgl' };
    this.smoothedPoints = 0;
    return v.info;
  }

  /** Draw a view: lines into the shared context, then grid, plot and axes into our canvas. */
  private draw(v: DrawnView, fresh: Frame | null): number {
    const { gl, lines } = this.g.make();
    if (this.stylesStale) {
      lines.styles.update(this.runs.slotStyles(smoothingOn(this.host.options().smoothing), this.surface.dpr, this.aggregating()));
      this.stylesStale = false;
    }
    if (fresh) lines.upload(fresh);
    ensureSize(gl, v.width, v.height);
    // one device pixel wide everywhere: spans and segments as GL lines (a primitive each, not two)
    lines.draw(v.width, v.height, v.thin);
    let primitives = lines.primitives;
    if (v.gpu && v.info.smoothing === 'gpu') primitives += this.drawSmoothed(v, fresh?.gpu ?? null);
    // make the frame real before anyone is told it is drawn
    if (this.host.awaited()) gl.gl.finish();
    const { width, height, plot } = v;
    this.compose(v, (ctx) => ctx.drawImage(gl.canvas, 0, 0, width, height, plot.left, plot.top, width, height));
    return primitives;
  }

  /**
   * GPU smoothing for a frame: scan if the options changed, spans for the view, draw. With no
   * new frame (`fresh` null: a slider move), the view's edges and segments already on the GPU
   * are reused, so only the scan and the per-view spans pass run.
   */
  private drawSmoothed(v: DrawnView, fresh: Frame['gpu'] | null): number {
    const gpu = v.gpu!;
    const smoother = this.g.smoother();
    const renderer = this.g.smoothedRenderer();
    const o = this.host.options();
    this.smoothedPoints += smoother.run({ ...o.smoothing, range: gpu.range });
    const m = axisMap(o.yScale, v.info.yDomain, [v.height, 0]);
    const ymap: [number, number, number] = [m.t0, m.k, m.r0];
    const yLog = o.yScale === 'log';
    const spans = smoother.spans(fresh ? fresh.edges : null, v.width, gpu.edgeRows, ymap, yLog, v.height);
    return renderer.draw(
      { spans, rowSlots: gpu.rowSlots, values: smoother.values, isegs: fresh ? fresh.isegs : null, isegCount: gpu.isegCount, ymap, yLog },
      v.width,
      v.height,
    );
  }

  /**
   * Grid, then the plot (the GL plot copied from the shared context, or the Canvas2D first
   * picture: `plotPixels`, in device px), then axes, into the chart's canvas.
   */
  private compose(v: DrawnView, plotPixels: (ctx: CanvasRenderingContext2D) => void): void {
    const { ctx, canvas, dpr } = this.surface;
    const o = this.host.options();
    const { layout } = v;
    const x: AxisSpec = { scale: o.xScale, format: o.xFormat, domain: v.info.xDomain, title: o.xLabel };
    const y: AxisSpec = { scale: o.yScale, format: 'number', domain: v.info.yDomain, title: o.yLabel };
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawGrid(ctx, layout, x, y, defaultTheme);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    plotPixels(ctx);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawAxes(ctx, layout, x, y, defaultTheme);
  }
}
