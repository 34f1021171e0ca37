/**
 * The chart: wires validation -> worker -> GPU -> canvas. Setters check their input, copy what
 * must be copied and mark the chart dirty; one commit per animation frame asks the worker for the
 * view; when the decimated frame comes back it is uploaded, drawn in the shared GL context,
 * copied into this chart's canvas between the grid and the axes, and waiting `rendered()` calls
 * resolve.
 */
import { defaultTheme, drawAxes, drawGrid, layoutAxes, type AxesLayout, type AxisSpec } from './axes/overlay';
import type { Rect } from './coords';
import { ColumnBatch } from './data/batch';
import { checkColumn, checkColumns, checkId, checkLengths, checkStyle, unknownSeries, type SeriesInput } from './data/validate';
import { connect, type WorkerClient } from './worker/client';
import type { FromWorker, ToWorker } from './protocol/messages';
import { parseColor, type RGBA } from './draw/color';
import { tableau10 as palette } from './group/palette';
import { LineRenderer } from './draw/lines';
import { acquireGL, ensureSize, releaseGL, type SharedGL } from './gpu/context';
import { capabilities } from './gpu/capabilities';
import { SmoothedRenderer } from './draw/smoothed';
import { GpuSmoother } from './smooth/scan';
import { axisMap, unproject, project } from './coords';
import { defaultOptions, mergeOptions, type ChartOptions, type ChartOptionsInput, type SmoothingInput } from './options';
import { hoverFormat } from './interact/hoverformat';
import { rawStyle, smoothedStyle } from './draw/emphasis';
import { Emitter } from './interact/events';
import { hoverPoints, type HoverInfo, type RunInfo } from './interact/hover';
import { HoverLayer } from './interact/layer';
import { attachPointer, type ViewSource } from './interact/pointer';
import type { Domain } from './interact/viewport';

export type { SeriesInput } from './data/validate';

export interface FrameInfo {
  /** the plot area in CSS pixels relative to the container */
  plot: Rect;
  /** ms from the first change not yet on screen to this frame drawn (GPU flushed) */
  frameMs: number;
  /** points held for the chart, all series */
  points: number;
  /** NaN / ±Infinity values (and points with a non-finite x), which break lines */
  nonFinite: number;
  /** values <= 0 skipped by a log axis; 0 when no axis is log */
  nonPositive: number;
  /** the domains drawn (fitted or as set) */
  xDomain: [number, number];
  yDomain: [number, number];
  /** device pixels per CSS pixel of this frame */
  dpr: number;
  /** GPU primitives (column spans + segments) drawn */
  primitives: number;
  /** worker time spent decimating this view, ms */
  workerMs: number;
  /** bytes the worker holds for this chart: x, y and pyramid */
  bytes: number;
  /** where smoothing ran for this frame: 'gpu', 'cpu', or 'none' (weight 0) */
  smoothing: 'gpu' | 'cpu' | 'none';
  /**
   * points whose smoothed value was computed for this frame: all of them after a change of
   * weight or mode, only the new ones (GPU: the texture rows holding them) after an append,
   * 0 when nothing in the smoothing changed
   */
  smoothedPoints: number;
}

export interface Chart {
  /** Replace the chart's series. */
  setSeries(series: readonly SeriesInput[]): void;
  /**
   * Extend a series (live training). x need not be sorted or after the existing points. A series
   * given `xs` columns needs the same columns here.
   */
  append(id: string, x: ArrayLike<number>, y: ArrayLike<number>, xs?: Record<string, ArrayLike<number>>): void;
  update(options: ChartOptionsInput): void;
  /** Resolves once everything set before the call is on screen. */
  rendered(): Promise<FrameInfo>;
  /**
   * The full-resolution smoothed series (sorted-x order, NaN at skipped points) for the current
   * smoothing options, read back from where it was computed (GPU texture or worker).
   */
  smoothed(id: string): Promise<Float32Array>;
  /**
   * The point of every visible run nearest in x to data x (found in the worker), with raw and
   * smoothed values and the other x columns; `yFrac` (cursor height, 0 = top of the plot) sorts
   * runs nearest first.
   */
  hoverAt(x: number, yFrac?: number | null): Promise<HoverInfo>;
  /** Show the crosshair and tooltip at data x, as a linked chart does; null hides them. */
  showHover(x: number | null): void;
  /** Draw one run at full strength and dim the others; null ends it. No worker round trip. */
  highlight(id: string | null): void;
  /** Show or hide a run (the legend's toggle); hidden runs leave the auto range too. */
  setVisible(id: string, visible: boolean): void;
  isVisible(id: string): boolean;
  /** The chart's runs: id, label and colour, in order. */
  series(): RunInfo[];
  on<K extends keyof ChartEvents>(type: K, fn: (e: ChartEvents[K]) => void): () => void;
  /** The view as JSON (domains, scales, smoothing, hidden runs, x column) to save and restore. */
  getState(): ViewState;
  setState(state: ViewStateInput): void;
  /** The chart as a PNG, at `dpr` device pixels per CSS pixel (default 2). */
  toPNG(options?: { dpr?: number }): Promise<Blob>;
  /** The chart's root element (inside the container). */
  readonly element: HTMLElement;
  destroy(): void;
  readonly options: Readonly<ChartOptions>;
}

export interface ChartEvents {
  /** a hover (null when it ends) */
  hover: HoverInfo | null;
  /** the view changed: by the mouse, the keyboard, a linked chart or update() */
  view: { xDomain: [number, number] | null; yDomain: [number, number] | null; source: ViewSource };
  /** a run was shown or hidden */
  visibility: { id: string; visible: boolean };
  /** setSeries replaced the runs */
  series: RunInfo[];
}

export interface ViewState {
  xDomain: [number, number] | null;
  yDomain: [number, number] | null;
  xScale: ChartOptions['xScale'];
  yScale: ChartOptions['yScale'];
  xFormat: ChartOptions['xFormat'];
  xColumn: string;
  smoothing: ChartOptions['smoothing'];
  showRaw: boolean;
  ignoreOutliers: boolean;
  /** ids of hidden runs */
  hidden: string[];
}

/** What setState takes: any part of a ViewState; smoothing without a mode is 'ema'. */
export type ViewStateInput = Partial<Omit<ViewState, 'smoothing'>> & { smoothing?: SmoothingInput };

interface SeriesMeta {
  id: string;
  slot: number;
  label: string;
  rgba: RGBA;
  width: number;
  /** [on, off] CSS px, or null for solid */
  dash: [number, number] | null;
  /** names of the series' extra x columns, sorted */
  columns: string[];
}

type Frame = Extract<FromWorker, { type: 'frame' }>;
type SmoothedReply = Extract<FromWorker, { type: 'smoothed' }>;
type HoverReply = Extract<FromWorker, { type: 'hover' }>;

/** What a drawn view needs to be drawn again without the worker. */
interface DrawnView {
  layout: AxesLayout;
  /** plot in device px */
  plot: Rect;
  width: number;
  height: number;
  xDomain: [number, number];
  yDomain: [number, number];
  smoothedOn: 'gpu' | 'cpu' | 'none';
  gpu: { range: number; edgeRows: number; isegCount: number; rowSlots: Float32Array } | null;
  /** hidden spans were left out (opaque thin lines): a see-through style needs a new frame */
  culled: boolean;
}

interface Waiter {
  gen: number;
  resolve(f: FrameInfo): void;
  reject(e: Error): void;
}

/** Opacity of the other runs while one is highlighted. */
const DIM_ALPHA = 0.2;

/** Re-ask the worker at most this many times when the axis margins move the plot. */
const MAX_RELAYOUT = 2;

class ChartImpl implements Chart {
  options: ChartOptions;
  private root: HTMLDivElement;
  private canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  /**
   * The shared WebGL context and this chart's line renderer, made on first use. The first chart
   * of a page makes them once the decimation worker has started (see the constructor), so that
   * creating the context (tens of ms on a cold page) overlaps the worker's ingest of the data.
   */
  private graphics: { gl: SharedGL; lines: LineRenderer } | null = null;
  private get gl(): SharedGL {
    return (this.graphics ??= this.makeGraphics()).gl;
  }
  private get lines(): LineRenderer {
    return (this.graphics ??= this.makeGraphics()).lines;
  }
  private makeGraphics(): { gl: SharedGL; lines: LineRenderer } {
    const gl = acquireGL(this.contextUser);
    // Still waiting for data (a panel mounted before its data loads): compile the pipelines and
    // set up the copy into this chart's canvas now, not in the first frame. With data on its way
    // the first frame compiles only what it draws, and sooner.
    const idle = this.meta.size === 0;
    const lines = new LineRenderer(gl, idle);
    if (idle) {
      this.ctx.drawImage(gl.canvas, 0, 0, 1, 1, 0, 0, 1, 1);
      this.ctx.clearRect(0, 0, 1, 1);
    }
    return { gl, lines };
  }
  /** what the shared context tells this chart when the browser loses and restores it */
  private contextUser = {
    lost: () => {
      // the picture in our canvas stays; nothing is drawn until the context is back
      this.view = null;
    },
    restored: () => {
      // regl has recreated our GPU objects, empty: refill them. Line buffers and styles are
      // uploaded with the next frame; the smoothing data comes again from the worker (the points
      // themselves are safe there).
      this.smoother?.destroy();
      this.smoother = null;
      this.smoothedLines?.destroy();
      this.smoothedLines = null;
      this.lastGpu = null;
      this.post({ type: 'gpuReset', chart: this.chartId }, []);
      this.stylesDirty = true;
      this.invalidate();
    },
  };
  /** created on first use of GPU smoothing */
  private smoother: GpuSmoother | null = null;
  private smoothedLines: SmoothedRenderer | null = null;
  private client: WorkerClient;
  private chartId: number;
  private observer: ResizeObserver;

  private meta = new Map<string, SeriesMeta>();
  private pendingAppend: ColumnBatch | null = null;
  private stylesDirty = true;

  /** bumped by every change; a frame is current when it was asked for at the latest gen */
  private gen = 0;
  private drawnGen = -1;
  private changedAt = 0;
  private raf = 0;
  private inflight: { seq: number; gen: number; since: number; width: number; height: number; relayout: number; culled: boolean } | null = null;
  private seq = 0;
  private waiters: Waiter[] = [];
  private last: FrameInfo | null = null;
  private dpr = 1;
  /** container size (CSS px) of the last commit */
  private cssSize: [number, number] = [0, 0];
  private recycle: ArrayBuffer[] = [];
  private destroyed = false;
  /** the last view drawn, enough to redraw it from what is on the GPU */
  private view: DrawnView | null = null;
  /**
   * gen of the last change that needs the worker (anything but a style or GPU smoothing change),
   * and gen of the last worker frame drawn: the view is stale while the first is newer
   */
  private workerGen = 0;
  private viewGen = -1;
  /** GPU layout of the last frame that carried one */
  private lastGpu: { offsets: Float64Array; lengths: Float64Array; range: number } | null = null;
  /** points smoothed on the GPU for the frame being drawn */
  private smoothedPoints = 0;
  /**
   * A display frame has begun since the last commit (an animation-frame callback set after each
   * commit says so): the next change commits at once; otherwise it waits for the next frame, so
   * a chart commits at most once per frame whatever the event rate.
   */
  private framePassed = true;
  /** when the last commit started (performance.now()): a hidden page runs no frames, so a change
   * long after it commits at once too */
  private lastCommit = -Infinity;
  /** toPNG in progress: the device pixel ratio to render at (0: the screen's) */
  private exportDpr = 0;
  /** smoothed() calls waiting for the points to reach the GPU */
  private gpuReadbacks = 0;
  private readbacks = new Map<number, { id: string; resolve(v: Float32Array): void; reject(e: Error): void }>();
  private hovers = new Map<number, { resolve(r: HoverReply): void; reject(e: Error): void }>();
  private events = new Emitter<ChartEvents>();
  private layer: HoverLayer;
  private detachPointer: () => void = () => {};
  private hidden = new Set<string>();
  private highlighted: string | null = null;
  /** one hover request in flight at a time; the latest cursor waits */
  private hoverBusy = false;
  private hoverNext: { x: number; y: number } | null = null;
  /** bumped by every hover ask, leave and view change: an answer for an older one is dropped */
  private hoverGen = 0;
  /** the cursor over the plot (CSS px), null once it left or a drag began */
  private cursor: { x: number; y: number } | null = null;
  /** data x per CSS px at the last hover: the header's precision */
  private pixelSpan = 0;

  constructor(container: HTMLElement, options: ChartOptionsInput) {
    this.options = mergeOptions(defaultOptions, options);
    // Everything is styled inline on our own elements: no global CSS, nothing on the container.
    this.root = document.createElement('div');
    this.root.style.cssText = 'position:relative;width:100%;height:100%;min-height:150px;overflow:hidden';
    this.canvas = document.createElement('canvas');
    this.canvas.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:100%;display:block';
    this.root.appendChild(this.canvas);
    // focusable for the keyboard (+ / - / arrows / 0), without a focus ring drawn over the plot
    this.root.tabIndex = 0;
    this.root.style.outline = 'none';
    this.root.style.touchAction = 'none';
    this.layer = new HoverLayer(this.root);
    container.appendChild(this.root);
    this.ctx = this.canvas.getContext('2d')!;
    const { chart, client } = connect({
      frame: (f) => this.onFrame(f),
      smoothed: (m) => this.onSmoothed(m),
      hover: (m) => {
        const h = this.hovers.get(m.seq);
        this.hovers.delete(m.seq);
        h?.resolve(m);
      },
      error: (m) => this.onError(m),
    });
    this.chartId = chart;
    this.client = client;
    // ResizeObserver also reports the initial size; only a real change needs a new frame
    this.observer = new ResizeObserver(() => {
      if (this.root.clientWidth !== this.cssSize[0] || this.root.clientHeight !== this.cssSize[1]) this.invalidate();
    });
    this.observer.observe(this.root);
    if (this.options.interactive) this.interactive(true);
    this.invalidate();
    // On a cold page the worker starts only once this task (and the data copies of a setSeries
    // that follows) has ended; the GL context is made after that (after the first commit has
    // asked for a view), while the worker ingests.
    client.started(() => {
      if (!this.destroyed) this.graphics ??= this.makeGraphics();
    });
  }

  get element(): HTMLElement {
    return this.root;
  }

  setSeries(series: readonly SeriesInput[]): void {
    this.alive();
    if (!Array.isArray(series)) throw new TypeError('setSeries takes an array of series');
    // check everything before touching anything
    const seen = new Set<string>();
    series.forEach((s, i) => {
      const id = checkId(s, i);
      if (seen.has(id)) throw new TypeError(`series ${JSON.stringify(id)}: duplicate id`);
      seen.add(id);
      const n = checkColumn(id, 'y', s.y);
      checkLengths(id, checkColumn(id, 'x', s.x), n);
      checkColumns(id, s.xs, n);
      checkStyle(id, s, parseColor);
    });
    this.flushAppends(); // appends queued for the old series go first
    const batch = new ColumnBatch();
    const meta = new Map<string, SeriesMeta>();
    series.forEach((s, slot) => {
      batch.add(s.id, slot, s.x, s.y, s.xs);
      meta.set(s.id, {
        id: s.id,
        slot,
        label: s.label ?? s.id,
        rgba: parseColor(s.color ?? palette[slot % palette.length])!,
        width: s.width ?? 1.5,
        dash: s.dash && s.dash.length >= 2 ? [s.dash[0], s.dash[1]] : null,
        columns: checkColumns(s.id, s.xs, s.y.length),
      });
    });
    this.post({ type: 'set', chart: this.chartId, xs: batch.xs, series: batch.series }, batch.transfer());
    this.meta = meta;
    for (const id of this.hidden) if (!meta.has(id)) this.hidden.delete(id);
    if (this.highlighted && !meta.has(this.highlighted)) this.highlighted = null;
    this.stylesDirty = true;
    this.invalidate();
    this.events.emit('series', this.series());
  }

  append(id: string, x: ArrayLike<number>, y: ArrayLike<number>, xs?: Record<string, ArrayLike<number>>): void {
    this.alive();
    const m = this.meta.get(id);
    if (!m) throw unknownSeries(String(id), 'append');
    const n = checkColumn(id, 'y', y);
    checkLengths(id, checkColumn(id, 'x', x), n);
    const names = checkColumns(id, xs, n);
    if (names.join() !== m.columns.join()) {
      throw new TypeError(`series ${JSON.stringify(id)}: append needs the x columns it was given (${m.columns.join(', ') || 'none'}), got ${names.join(', ') || 'none'}`);
    }
    if (!this.pendingAppend) {
      this.pendingAppend = new ColumnBatch(true);
      // appends made in one task travel together, so runs sharing an x array keep sharing it
      queueMicrotask(() => this.flushAppends());
    }
    this.pendingAppend.add(id, m.slot, x, y, xs);
    this.invalidate();
  }

  update(options: ChartOptionsInput): void {
    this.apply(options, 'api');
  }

  private apply(options: ChartOptionsInput, source: ViewSource): void {
    this.alive();
    const prev = this.options;
    this.options = mergeOptions(prev, options);
    if (prev.interactive !== this.options.interactive) this.interactive(this.options.interactive);
    if (VIEW_KEYS.some((k) => k in options && (options as Record<string, unknown>)[k] !== undefined)) this.viewChanged();
    if ('xDomain' in options || 'yDomain' in options) {
      this.events.emit('view', { xDomain: this.options.xDomain as [number, number] | null, yDomain: this.options.yDomain as [number, number] | null, source });
    }
    this.stylesDirty = true;
    // a new weight or mode with both curves smoothed on the GPU: rescan what is there
    const onlySmoothing = Object.keys(options).every((k) => k === 'smoothing' || (options as Record<string, unknown>)[k] === undefined);
    const gpuBoth = this.view?.smoothedOn === 'gpu' && prev.smoothing.weight > 0 && this.options.smoothing.weight > 0;
    this.invalidate(!(onlySmoothing && gpuBoth && this.backend() === 'gpu'));
  }

  rendered(): Promise<FrameInfo> {
    if (this.destroyed) return Promise.reject(new Error('chart destroyed'));
    if (this.last && this.drawnGen === this.gen) return Promise.resolve(this.last);
    return new Promise((resolve, reject) => this.waiters.push({ gen: this.gen, resolve, reject }));
  }

  async smoothed(id: string): Promise<Float32Array> {
    this.alive();
    const m = this.meta.get(id);
    if (!m) throw unknownSeries(String(id), 'smoothed');
    const { weight, mode } = this.options.smoothing;
    if (this.backend() === 'gpu') {
      // the points must be on the GPU (at weight 0 nothing else asks for them), then the scan
      // runs for the current options and the values are read back from its output
      this.gpuReadbacks++;
      this.invalidate();
      try {
        await this.rendered();
      } finally {
        this.gpuReadbacks--;
      }
      const gpu = this.lastGpu;
      if (gpu && this.smoother && gpu.offsets[m.slot] >= 0) {
        this.smoother.run({ weight, mode, range: gpu.range });
        return this.smoother.read(gpu.offsets[m.slot], gpu.lengths[m.slot]);
      }
    }
    await this.rendered();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.readbacks.set(seq, { id, resolve, reject });
      this.post({ type: 'smoothed', chart: this.chartId, seq, id, smoothing: { weight, mode }, xColumn: this.options.xColumn }, []);
    });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.raf > 0) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.observer.disconnect();
    this.detachPointer();
    this.layer.destroy();
    this.events.clear();
    for (const h of this.hovers.values()) h.reject(new Error('chart destroyed'));
    this.hovers.clear();
    this.client.release();
    this.graphics?.lines.destroy();
    this.smoother?.destroy();
    this.smoothedLines?.destroy();
    releaseGL(this.contextUser);
    this.root.remove();
    for (const w of this.waiters.splice(0)) w.reject(new Error('chart destroyed'));
    for (const r of this.readbacks.values()) r.reject(new Error('chart destroyed'));
    this.readbacks.clear();
  }

  // --- commit cycle -------------------------------------------------------------------------

  private invalidate(needsWorker = true): void {
    if (this.destroyed) return;
    this.changedAt ||= performance.now();
    this.gen++;
    if (needsWorker) this.workerGen = this.gen;
    this.schedule();
  }

  /**
   * One commit per animation frame, started as early as possible: the first change after a quiet
   * frame commits at the end of the current task (a microtask: setters made together still go
   * together), so a zoom does not wait a whole frame before the worker even hears of it; further
   * changes within the same frame wait for the next one.
   */
  private schedule(): void {
    if (this.raf || this.inflight || this.destroyed) return;
    if (!this.client.running) {
      // A cold page: the worker starts once this task ends. Commit then, beside its ingest of
      // the first data, rather than delay its start by a layout.
      this.raf = -2;
      this.client.started(() => {
        if (this.raf !== -2) return;
        this.raf = 0;
        this.schedule();
      });
      return;
    }
    if (this.framePassed || performance.now() - this.lastCommit > IDLE_MS) {
      this.raf = -1; // pending in a microtask
      queueMicrotask(() => {
        if (this.raf === -1) this.commit();
      });
    } else {
      this.raf = requestAnimationFrame(() => this.commit());
    }
  }

  private commit(): void {
    this.raf = 0;
    this.framePassed = false;
    this.lastCommit = performance.now();
    requestAnimationFrame(() => (this.framePassed = true));
    this.flushAppends();
    if (this.graphics?.gl.lost) return; // the restore invalidates
    // styles alone changed: redraw what is on the GPU, unless it was culled for opaque lines and
    // the new styles see through (a highlight dims the other runs)
    if (this.workerGen <= this.viewGen && this.view && (!this.view.culled || this.opaqueThin())) {
      this.rescan();
      return;
    }
    const cssW = this.root.clientWidth, cssH = this.root.clientHeight;
    this.cssSize = [cssW, cssH];
    this.dpr = this.exportDpr || window.devicePixelRatio || 1;
    const pw = Math.round(cssW * this.dpr), ph = Math.round(cssH * this.dpr);
    if (this.canvas.width !== pw || this.canvas.height !== ph) {
      this.canvas.width = pw;
      this.canvas.height = ph;
      this.stylesDirty = true;
    }
    // margins from the last layout (or a first guess); corrected after the frame if they moved
    const plot = this.plotDevice(this.layoutFor(this.last?.xDomain ?? [0, 1], this.last?.yDomain ?? [0, 1]));
    this.request(plot.width, plot.height, this.changedAt, 0);
    this.changedAt = 0;
  }

  private request(width: number, height: number, since: number, relayout: number): void {
    const o = this.options;
    const hidden = this.hiddenSlots();
    const seq = ++this.seq;
    const cull = this.opaqueThin();
    this.inflight = { seq, gen: this.gen, since, width, height, relayout, culled: cull };
    this.post(
      {
        type: 'view',
        chart: this.chartId,
        seq,
        view: {
          xScale: o.xScale, yScale: o.yScale, xDomain: o.xDomain, yDomain: o.yDomain, width, height, hidden,
          smoothing: o.smoothing.weight > 0 ? o.smoothing : null,
          showRaw: o.showRaw,
          slots: this.meta.size,
          // asked only when it matters: the answer needs the GL context (see `graphics`)
          smoothBackend: o.smoothing.weight > 0 || this.gpuReadbacks > 0 ? this.backend() : 'cpu',
          gpuData: this.gpuReadbacks > 0,
          xColumn: o.xColumn,
          ignoreOutliers: o.ignoreOutliers,
          cull,
        },
        recycle: this.recycle,
      },
      this.recycle,
    );
    this.recycle = [];
  }

  private onFrame(f: Frame): void {
    const req = this.inflight;
    if (this.destroyed || !req || f.seq !== req.seq) return;
    // counted over re-asks too: the worker smoothed for the first ask and cached it
    this.smoothedPoints += f.smoothedPoints;
    this.recycle = [f.spans.buffer as ArrayBuffer, f.segments.buffer as ArrayBuffer];
    if (f.gpu) {
      this.recycle.push(f.gpu.edges.buffer as ArrayBuffer, f.gpu.isegs.buffer as ArrayBuffer);
      // the worker sends new points once: take them now, even if this frame is asked again
      const u = f.gpu.upload;
      if (u) (this.smoother ??= new GpuSmoother(this.gl)).upload(u.rows, u.full, u.chunks);
    }
    const layout = this.layoutFor(f.xDomain, f.yDomain);
    const plot = this.plotDevice(layout);
    if ((plot.width !== req.width || plot.height !== req.height) && req.relayout < MAX_RELAYOUT) {
      // the labels of the new domain moved the margins: ask again at the right size
      this.request(plot.width, plot.height, req.since, req.relayout + 1);
      return;
    }
    this.inflight = null;
    if (this.gl.lost) return; // drawn again once the context is restored (it invalidates)
    this.view = {
      layout, plot, width: req.width, height: req.height, xDomain: f.xDomain, yDomain: f.yDomain, smoothedOn: f.smoothedOn, culled: req.culled,
      gpu: f.gpu && { range: f.gpu.range, edgeRows: f.gpu.edgeRows, isegCount: f.gpu.isegCount, rowSlots: f.gpu.rowSlots },
    };
    this.lastGpu = f.gpu ? { offsets: f.gpu.offsets, lengths: f.gpu.lengths, range: f.gpu.range } : null;
    this.viewGen = req.gen;
    const primitives = this.draw(this.view, f);
    const dpr = this.dpr;
    this.finishFrame(req.gen, {
      plot: { left: plot.left / dpr, top: plot.top / dpr, width: plot.width / dpr, height: plot.height / dpr },
      frameMs: performance.now() - req.since,
      points: f.stats.points,
      nonFinite: f.stats.nonFinite,
      nonPositive: f.stats.nonPositive,
      xDomain: f.xDomain,
      yDomain: f.yDomain,
      dpr,
      primitives,
      workerMs: f.workerMs,
      bytes: f.stats.bytes,
      smoothing: f.smoothedOn,
      smoothedPoints: this.smoothedPoints,
    });
  }

  private onSmoothed(m: SmoothedReply): void {
    const r = this.readbacks.get(m.seq);
    if (!r) return;
    this.readbacks.delete(m.seq);
    if (m.values) r.resolve(m.values);
    else r.reject(unknownSeries(r.id, 'smoothed'));
  }

  private onError(message: string): void {
    // what is drawn stays drawn; whoever waits learns why nothing new came
    console.error(`metricgl: ${message}`);
    this.inflight = null;
    const err = new Error(`metricgl worker: ${message}`);
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  /**
   * Every series drawn now is an opaque, solid line one device pixel wide, spans drawn by the
   * worker (not GPU-smoothed): the worker may leave out spans that later runs paint over.
   */
  private opaqueThin(): boolean {
    const o = this.options;
    if (this.highlighted || (o.smoothing.weight > 0 && o.showRaw) || !this.thin()) return false;
    for (const m of this.meta.values()) if (!this.hidden.has(m.id) && (m.rgba[3] < 1 || m.dash)) return false;
    return true;
  }

  /**
   * Every series, hidden ones too, is one device pixel wide: spans and segments are drawn as GL
   * lines (draw), and culling assumes the geometry of those lines.
   */
  private thin(): boolean {
    for (const m of this.meta.values()) if (Math.round(m.width * this.dpr) > 1) return false;
    return true;
  }

  /** Where smoothing runs now: the option, the context's abilities, and the renderer. */
  private backend(): 'cpu' | 'gpu' {
    const want = this.options.smoothingBackend;
    if (want === 'cpu') return 'cpu';
    const caps = capabilities(this.gl);
    if (!caps.floatTargets) return 'cpu';
    return want === 'gpu' || !caps.software ? 'gpu' : 'cpu';
  }

  /** GPU smoothing for this frame: upload new points, scan if stale, spans for the view, draw. */
  /**
   * GPU smoothing for a frame: scan if the options changed, spans for the view, draw. With no
   * new frame (`fresh` false: a slider move), the view's edges and segments already on the GPU
   * are reused, so only the scan and the per-view spans pass run.
   */
  private drawSmoothed(v: DrawnView, fresh: Frame['gpu'] | null): number {
    const gpu = v.gpu!;
    this.smoother ??= new GpuSmoother(this.gl);
    this.smoothedLines ??= new SmoothedRenderer(this.gl, this.lines.styles);
    const o = this.options;
    this.smoothedPoints += this.smoother.run({ weight: o.smoothing.weight, mode: o.smoothing.mode, range: gpu.range });
    const m = axisMap(o.yScale, v.yDomain, [v.height, 0]);
    const ymap: [number, number, number] = [m.t0, m.k, m.r0];
    const yLog = o.yScale === 'log';
    const spans = this.smoother.spans(fresh ? fresh.edges : null, v.width, gpu.edgeRows, ymap, yLog, v.height);
    return this.smoothedLines.draw(
      { spans, rowSlots: gpu.rowSlots, values: this.smoother.values, isegs: fresh ? fresh.isegs : null, isegCount: gpu.isegCount, ymap, yLog },
      v.width,
      v.height,
    );
  }

  /** Draw a view: lines into the shared context, then grid, plot and axes into our canvas. */
  private draw(v: DrawnView, fresh: Frame | null): number {
    const ctx = this.ctx, dpr = this.dpr, o = this.options;
    const { width, height, plot, layout } = v;
    if (this.stylesDirty) {
      // slots [0, S): raw curves, faint behind a smoothed curve; [S, 2S): smoothed curves
      // while a run is highlighted the others are dimmed: a style change, no new geometry
      const smoothing = o.smoothing.weight > 0;
      const metas = [...this.meta.values()];
      const dim = (m: SeriesMeta) => (this.highlighted && m.id !== this.highlighted ? DIM_ALPHA : 1);
      const dash = (m: SeriesMeta) => (m.dash ? ([m.dash[0] * dpr, m.dash[1] * dpr] as const) : null);
      const raw = metas.map((m) => ({
        rgba: rawStyle(m.rgba, smoothing, dim(m)),
        width: m.width * dpr,
        visible: !this.hidden.has(m.id),
        // a raw curve under a smoothed one stays solid: the smoothed stroke carries the pattern
        dash: smoothing ? null : dash(m),
      }));
      const smoothed = metas.map((m) => ({
        rgba: smoothedStyle(m.rgba, dim(m)),
        width: m.width * dpr,
        visible: !this.hidden.has(m.id),
        dash: dash(m),
      }));
      this.lines.styles.update([...raw, ...smoothed]);
      this.stylesDirty = false;
    }
    if (fresh) this.lines.upload(fresh);
    ensureSize(this.gl, width, height);
    // one device pixel wide everywhere: spans and segments as GL lines (a primitive each, not two)
    this.lines.draw(width, height, this.thin());
    let primitives = this.lines.primitives;
    if (v.gpu && v.smoothedOn === 'gpu') primitives += this.drawSmoothed(v, fresh?.gpu ?? null);
    // make the frame real before anyone is told it is drawn
    if (this.waiters.length) this.gl.gl.finish();

    const x: AxisSpec = { scale: o.xScale, format: o.xFormat, domain: v.xDomain, title: o.xLabel };
    const y: AxisSpec = { scale: o.yScale, format: 'number', domain: v.yDomain, title: o.yLabel };
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawGrid(ctx, layout, x, y, defaultTheme);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.gl.canvas, 0, 0, width, height, plot.left, plot.top, width, height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawAxes(ctx, layout, x, y, defaultTheme);
    return primitives;
  }

  /** A slider move with GPU smoothing: rescan and redraw the last view, no worker round trip. */
  private rescan(): void {
    const v = this.view!;
    const since = this.changedAt || performance.now();
    this.changedAt = 0;
    this.stylesDirty = true;
    const gen = this.gen;
    const primitives = this.draw(v, null);
    this.finishFrame(gen, { ...this.last!, frameMs: performance.now() - since, primitives, smoothedPoints: this.smoothedPoints });
  }

  private finishFrame(gen: number, info: FrameInfo): void {
    this.last = info;
    this.smoothedPoints = 0;
    this.drawnGen = gen;
    const done = this.waiters.filter((w) => w.gen <= gen);
    this.waiters = this.waiters.filter((w) => w.gen > gen);
    for (const w of done) w.resolve(info);
    if (this.gen !== this.drawnGen) this.schedule();
  }

  /** Axis layout for given domains, with the plot snapped to whole device pixels. */
  private layoutFor(xDomain: readonly [number, number], yDomain: readonly [number, number]): AxesLayout {
    const o = this.options;
    const ctx = this.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const layout = layoutAxes(
      ctx,
      this.root.clientWidth,
      this.root.clientHeight,
      { scale: o.xScale, format: o.xFormat, domain: xDomain, title: o.xLabel },
      { scale: o.yScale, format: 'number', domain: yDomain, title: o.yLabel },
      defaultTheme,
    );
    const d = this.plotDevice(layout);
    layout.plot = { left: d.left / this.dpr, top: d.top / this.dpr, width: d.width / this.dpr, height: d.height / this.dpr };
    return layout;
  }

  private plotDevice(layout: AxesLayout): Rect {
    const p = layout.plot, dpr = this.dpr;
    const left = Math.round(p.left * dpr), top = Math.round(p.top * dpr);
    const width = Math.max(1, Math.round((p.left + p.width) * dpr) - left);
    const height = Math.max(1, Math.round((p.top + p.height) * dpr) - top);
    return { left, top, width, height };
  }

  private flushAppends(): void {
    const b = this.pendingAppend;
    if (!b) return;
    this.pendingAppend = null;
    this.post({ type: 'append', chart: this.chartId, xs: b.xs, series: b.series }, b.transfer());
  }

  private post(msg: ToWorker, transfer: Transferable[]): void {
    this.client.post(msg, transfer);
  }

  // --- explorer interactions ---------------------------------------------------------------

  hoverAt(x: number, yFrac: number | null = null): Promise<HoverInfo> {
    this.alive();
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`hoverAt needs a finite data x, got ${String(x)}`);
    if (yFrac !== null && (typeof yFrac !== 'number' || !Number.isFinite(yFrac))) {
      throw new RangeError(`hoverAt yFrac must be a finite fraction of the plot height or null, got ${String(yFrac)}`);
    }
    return this.nearest(x, yFrac);
  }

  private async nearest(x: number, yFrac: number | null): Promise<HoverInfo> {
    const f = await this.rendered();
    const o = this.options;
    const seq = ++this.seq;
    const smoothing = o.smoothing.weight > 0;
    const reply = await new Promise<HoverReply>((resolve, reject) => {
      this.hovers.set(seq, { resolve, reject });
      this.post({
        type: 'hover', chart: this.chartId, seq, x, xColumn: o.xColumn, xScale: o.xScale, hidden: this.hiddenSlots(),
        smoothing: smoothing && f.smoothing === 'cpu' ? o.smoothing : null,
      }, []);
    });
    let smoothed: ArrayLike<number> = reply.smoothed;
    const gpu = this.lastGpu;
    if (smoothing && f.smoothing === 'gpu' && gpu && this.smoother) {
      // the smoothed values live on the GPU: read just these few
      smoothed = this.smoother.gather(Array.from(reply.slots, (slot, j) => gpu.offsets[slot] + reply.index[j]));
    }
    const bySlot = new Map([...this.meta.values()].map((m) => [m.slot, m]));
    return hoverPoints({ ...reply, smoothed }, (slot) => {
      const m = bySlot.get(slot);
      return m && { id: m.id, label: m.label, color: cssColor(m.rgba) };
    }, smoothing, { x, yFrac, yScale: o.yScale, yDomain: f.yDomain, height: f.plot.height, xScale: o.xScale, xDomain: f.xDomain, width: f.plot.width });
  }

  showHover(x: number | null): void {
    this.alive();
    if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) throw new RangeError(`showHover needs a finite data x or null, got ${JSON.stringify(x) ?? String(x)}`);
    const f = this.last;
    const gen = ++this.hoverGen;
    if (!f || x === null) {
      this.layer.hide();
      return;
    }
    const px = project(axisMap(this.options.xScale, f.xDomain, [f.plot.left, f.plot.left + f.plot.width]), x);
    this.nearest(x, null).then(
      (info) => {
        if (this.destroyed || gen !== this.hoverGen) return; // a later hover, leave or view change won
        const g = this.last ?? f;
        this.layer.crosshair(g.plot, px);
        this.layer.tooltip(info, { x: px, y: g.plot.top + 8 }, this.hoverFormat(), this.options.smoothing.weight > 0);
      },
      () => {},
    );
  }

  highlight(id: string | null): void {
    this.alive();
    if (id !== null && !this.meta.has(id)) throw unknownSeries(String(id), 'highlight');
    if (id === this.highlighted) return;
    this.highlighted = id;
    this.stylesDirty = true;
    this.invalidate(false); // same geometry, new styles: redrawn from what is on the GPU
  }

  setVisible(id: string, visible: boolean): void {
    this.alive();
    if (!this.meta.has(id)) throw unknownSeries(String(id), 'setVisible');
    if (visible === !this.hidden.has(id)) return;
    if (visible) this.hidden.delete(id);
    else this.hidden.add(id);
    this.stylesDirty = true;
    this.invalidate(); // the auto range follows the visible runs: the worker decimates again
    this.events.emit('visibility', { id, visible });
  }

  isVisible(id: string): boolean {
    this.alive();
    return this.meta.has(id) && !this.hidden.has(id);
  }

  series(): RunInfo[] {
    this.alive();
    return [...this.meta.values()].map((m) => ({ id: m.id, label: m.label, color: cssColor(m.rgba) }));
  }

  on<K extends keyof ChartEvents>(type: K, fn: (e: ChartEvents[K]) => void): () => void {
    this.alive();
    if (typeof fn !== 'function') throw new TypeError(`on(${JSON.stringify(type)}) needs a listener function`);
    return this.events.on(type, fn);
  }

  getState(): ViewState {
    this.alive();
    const o = this.options;
    return {
      xDomain: o.xDomain && [o.xDomain[0], o.xDomain[1]],
      yDomain: o.yDomain && [o.yDomain[0], o.yDomain[1]],
      xScale: o.xScale,
      yScale: o.yScale,
      xFormat: o.xFormat,
      xColumn: o.xColumn,
      smoothing: { ...o.smoothing },
      showRaw: o.showRaw,
      ignoreOutliers: o.ignoreOutliers,
      hidden: [...this.hidden],
    };
  }

  setState(state: ViewStateInput): void {
    this.alive();
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new RangeError(`setState takes a view state object (from getState()), got ${JSON.stringify(state) ?? String(state)}`);
    }
    const { hidden, ...options } = state;
    if (hidden !== undefined && !(Array.isArray(hidden) && hidden.every((h) => typeof h === 'string'))) {
      throw new RangeError('state.hidden must be an array of series ids');
    }
    this.apply(options, 'api'); // checks every option before changing anything
    if (hidden) {
      // ids not (yet) in the chart are kept: a bookmark may be restored before its data loads
      for (const id of [...this.hidden]) if (!hidden.includes(id)) this.setVisible(id, true);
      for (const id of hidden) {
        if (this.meta.has(id)) this.setVisible(id, false);
        else this.hidden.add(id);
      }
    }
  }

  async toPNG(options: { dpr?: number } = {}): Promise<Blob> {
    this.alive();
    const dpr = options.dpr ?? 2;
    if (!(dpr > 0 && dpr <= 8)) throw new RangeError(`toPNG dpr must be in (0, 8], got ${dpr}`);
    this.exportDpr = dpr;
    this.invalidate();
    try {
      await this.rendered();
      const blob = await new Promise<Blob | null>((r) => this.canvas.toBlob(r, 'image/png'));
      if (!blob) throw new Error('metricgl: the canvas could not be encoded as PNG');
      return blob;
    } finally {
      this.exportDpr = 0;
      this.invalidate();
    }
  }

  /** Pointer, wheel and keyboard handling on or off (the `interactive` option). */
  private interactive(on: boolean): void {
    this.detachPointer();
    this.detachPointer = () => {};
    if (!on) return;
    this.detachPointer = attachPointer(this.root, {
      plot: () => this.last?.plot ?? null,
      view: () => (this.last ? { x: this.last.xDomain, y: this.last.yDomain, xScale: this.options.xScale, yScale: this.options.yScale } : null),
      setView: (x, y, source) => this.setView(x, y, source),
      hover: (x, y) => this.pointerHover(x, y),
      leave: () => this.pointerLeave(),
    }, this.layer);
  }

  private setView(x: Domain | null | undefined, y: Domain | null | undefined, source: ViewSource): void {
    const patch: ChartOptionsInput = {};
    if (x !== undefined) patch.xDomain = x && [x[0], x[1]];
    if (y !== undefined) patch.yDomain = y && [y[0], y[1]];
    this.apply(patch, source);
  }

  /** The cursor moved over the chart: ask the worker, then move the DOM layer (no repaint). */
  private pointerHover(cssX: number, cssY: number): void {
    const f = this.last;
    if (!f) return;
    const { plot } = f;
    if (cssX < plot.left || cssX > plot.left + plot.width || cssY < plot.top || cssY > plot.top + plot.height) {
      this.pointerLeave();
      return;
    }
    this.cursor = { x: cssX, y: cssY };
    if (this.hoverBusy) {
      this.hoverNext = { x: cssX, y: cssY };
      return;
    }
    this.hoverBusy = true;
    const gen = ++this.hoverGen;
    const xmap = axisMap(this.options.xScale, f.xDomain, [plot.left, plot.left + plot.width]);
    const x = unproject(xmap, cssX);
    this.pixelSpan = Math.abs(unproject(xmap, cssX + 1) - x);
    this.nearest(x, (cssY - plot.top) / plot.height)
      .then((info) => {
        // a leave, a drag or a view change since the ask: this answer is for a view not shown
        if (this.destroyed || gen !== this.hoverGen) return;
        this.layer.crosshair(plot, cssX);
        this.layer.tooltip(info, { x: cssX, y: cssY }, this.hoverFormat(), this.options.smoothing.weight > 0);
        const nearest = info.points[0];
        this.highlight(nearest && nearest.inRange && nearest.distance < HIGHLIGHT_PX ? nearest.id : null);
        this.events.emit('hover', info);
      })
      .catch(() => {})
      .finally(() => {
        this.hoverBusy = false;
        const next = this.hoverNext;
        this.hoverNext = null;
        if (next && !this.destroyed) this.pointerHover(next.x, next.y);
      });
  }

  private pointerLeave(): void {
    this.hoverNext = null;
    this.cursor = null;
    this.hoverGen++;
    this.layer.hide();
    if (this.highlighted) this.highlight(null);
    this.events.emit('hover', null);
  }

  private hoverFormat() {
    return hoverFormat(this.options, this.pixelSpan);
  }

  /**
   * The view changed (wheel, pan, box, reset, key, update, a linked chart): what the tooltip says
   * is for the old view. Hide it now, and with the cursor still over the chart (a wheel zoom) ask
   * again once the new view is drawn.
   */
  private viewChanged(): void {
    this.hoverGen++;
    this.hoverNext = null;
    this.layer.hideTooltip();
    const at = this.cursor;
    if (!at) return;
    const gen = this.hoverGen;
    this.rendered().then(
      () => {
        if (!this.destroyed && gen === this.hoverGen && this.cursor === at) this.pointerHover(at.x, at.y);
      },
      () => {},
    );
  }

  private hiddenSlots(): number[] {
    const out: number[] = [];
    for (const id of this.hidden) {
      const m = this.meta.get(id);
      if (m) out.push(m.slot);
    }
    return out;
  }

  private alive(): void {
    if (this.destroyed) throw new Error('metricgl: chart destroyed');
  }
}

/** With no display frame since the last commit for this long (a hidden page), commit anyway. */
const IDLE_MS = 100;

/** Options whose change moves or redraws the view under a tooltip. */
const VIEW_KEYS = ['xDomain', 'yDomain', 'xScale', 'yScale', 'xColumn', 'xFormat', 'smoothing', 'ignoreOutliers'] as const;

/** A hover highlights the nearest run when the cursor is within this many CSS px of it. */
const HIGHLIGHT_PX = 40;

function cssColor(c: RGBA): string {
  return `rgba(${Math.round(c[0] * 255)}, ${Math.round(c[1] * 255)}, ${Math.round(c[2] * 255)}, ${c[3]})`;
}

/** Create a chart that fills `container` and follows its size. */
export function createChart(container: HTMLElement, options: ChartOptionsInput = {}): Chart {
  if (!(container instanceof HTMLElement)) throw new TypeError('createChart needs an HTMLElement container');
  return new ChartImpl(container, options);
}
