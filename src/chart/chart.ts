/**
 * The chart: the public `Chart` as a facade over named parts, and the one place that knows all
 * of them. Setters check their input (src/data/validate), hand it to the part it concerns and
 * mark what changed; the scheduler commits the changes once per display frame: the feed sends
 * queued appends, the view requests ask the worker, the painter draws the frame that comes back
 * (shared GL context, then this chart's canvas) and waiting `rendered()` calls resolve.
 *
 *   surface (DOM, size)   runs (slots, styles, visibility)   feed (points to the worker)
 *   scheduler (dirty flags -> one commit)   view (requests, relayout)   painter (GL + 2D)
 *   graphics (the shared context)   hover (cursor -> worker -> tooltip)
 *   readback (smoothed())   aggregated (aggregated())   state (getState / setState)
 *   sourcelinks (live servers)
 */
import { checkAppend, checkSeriesList, unknownSeries, type SeriesInput } from '../data/validate';
import { parseColor } from '../draw/color';
import { Emitter } from '../interact/events';
import type { HoverInfo, RunInfo } from '../interact/hover';
import { HoverLayer } from '../interact/layer';
import { attachPointer, type ViewSource } from '../interact/pointer';
import type { Domain } from '../interact/viewport';
import { defaultOptions, mergeOptions, type ChartOptions, type ChartOptionsInput } from '../options';
import type { AggregatedGroup, ToWorker } from '../protocol/messages';
import { connect, type WorkerClient } from '../worker/client';
import { Feed } from './feed';
import { Graphics } from './graphics';
import { Hover } from './hover';
import { Painter } from './paint';
import { chartPNG } from './png';
import { SmoothedReadback } from './readback';
import { AggregatedReadback } from './aggregated';
import { Runs } from './runs';
import { Scheduler } from './scheduler';
import { SourceLinks } from './sourcelinks';
import { Surface } from './surface';
import { readState, viewState } from './state';
import type { Chart, ChartEvents, FrameInfo, ViewState, ViewStateInput } from './types';
import { ViewRequests } from './view';

class ChartImpl implements Chart {
  options: ChartOptions;
  private surface: Surface;
  private layer: HoverLayer;
  private client: WorkerClient;
  private runs = new Runs();
  private feed: Feed;
  private graphics: Graphics;
  private painter: Painter;
  private view: ViewRequests;
  private scheduler: Scheduler<FrameInfo>;
  private hover: Hover;
  private readback: SmoothedReadback;
  private aggregates: AggregatedReadback;
  private events = new Emitter<ChartEvents>();
  private links: SourceLinks;
  private detachPointer: () => void = () => {};
  private destroyed = false;

  constructor(container: HTMLElement, options: ChartOptionsInput) {
    this.options = mergeOptions(defaultOptions, options);
    this.surface = new Surface(container, () => this.scheduler.mark('size'));
    this.layer = new HoverLayer(this.surface.root);
    const { chart, client } = connect({
      frame: (f) => {
        if (this.destroyed) return;
        this.links.frame(f.missing, f.unanswered);
        this.view.receive(f);
      },
      smoothed: (m) => this.readback.answer(m),
      aggregated: (m) => this.aggregates.answer(m),
      hover: (m) => this.hover.answer(m),
      error: (m) => this.failed(m),
    });
    this.client = client;
    const opts = () => this.options;
    const post = (msg: ToWorker, transfer?: Transferable[]) => client.post(msg, transfer);
    this.feed = new Feed(chart, post);
    this.links = new SourceLinks({ chart, post, mark: (...c) => this.scheduler.mark(...c), emit: (t, e) => this.events.emit(t, e) });
    this.graphics = new Graphics({
      ctx: this.surface.ctx,
      idle: () => this.runs.size === 0,
      lost: () => this.painter.forget(),
      restored: () => {
        post({ type: 'gpuReset', chart });
        this.scheduler.mark('view', 'styles');
      },
    });
    this.scheduler = new Scheduler<FrameInfo>(
      {
        flush: () => this.feed.flush(),
        ready: () => !this.graphics.lost, // the restore marks the chart again
        restyle: () => this.painter.restyle(),
        redraw: (since) => this.painter.redraw(since),
        request: (since) => this.view.ask(since),
      },
      client,
    );
    this.painter = new Painter(
      {
        options: opts,
        awaited: () => this.scheduler.awaited,
        // after the picture is on screen, not before it: the context costs the main thread tens of ms
        drawnFlat: () => requestAnimationFrame(() => setTimeout(() => !this.destroyed && this.graphics.make(true))),
      },
      this.graphics,
      this.surface,
      this.runs,
    );
    this.view = new ViewRequests({ chart, options: opts, post }, this.scheduler, this.surface, this.runs, this.painter);
    this.readback = new SmoothedReadback({ chart, post, mark: (...c) => this.scheduler.mark(...c), rendered: () => this.rendered() }, this.painter, this.graphics, this.view);
    this.aggregates = new AggregatedReadback({ chart, post, options: opts, rendered: () => this.rendered() }, this.runs);
    this.hover = new Hover(
      {
        chart,
        options: opts,
        post,
        gpuSmoothed: (slots, index, others) => this.graphics.gather(slots, index, others),
        highlight: (id) => this.highlight(id),
        hovered: (info) => this.events.emit('hover', info),
      },
      this.scheduler,
      this.runs,
      this.layer,
    );
    if (this.options.interactive) this.interactive(true);
    this.scheduler.mark('size');
    // On a cold page the worker starts only once this task (and the data copies of a setSeries
    // that follows) has ended; the GL context is made after that (after the first commit has
    // asked for a view), while the worker ingests. Unless the first picture can do without it
    // (Painter.flatFirst: one-pixel opaque lines, no smoothing): then it is made once that
    // picture is on screen, unless another chart has made the page's context already. Where the
    // worker already runs (another chart, or prewarm()) this is asked after the caller's task, so
    // that the data of a setSeries right after creation counts (a microtask: an empty chart
    // mounted before its data still makes its context at once).
    client.started(() => queueMicrotask(() => {
      if (this.destroyed) return;
      if (this.graphics.pageHasContext || !(this.runs.size > 0 && this.painter.flatFirst())) this.graphics.make();
    }));
  }

  get element(): HTMLElement {
    return this.surface.root;
  }

  setSeries(series: readonly SeriesInput[]): void {
    this.alive();
    const columns = checkSeriesList(series, parseColor); // everything, before touching anything
    this.feed.set(series);
    this.runs.replace(series, columns);
    this.links.set(series);
    this.view.refit();
    this.scheduler.mark('data', 'styles');
    this.events.emit('series', this.series());
  }

  append(id: string, x: ArrayLike<number>, y: ArrayLike<number>, xs?: Record<string, ArrayLike<number>>): void {
    this.alive();
    const run = this.runs.get(id);
    if (!run) throw unknownSeries(String(id), 'append');
    if (run.source) throw new TypeError(`series ${JSON.stringify(id)}: its points are on ${run.source}; append there (the chart follows what its server ingests)`);
    checkAppend(id, x, y, xs, run.columns);
    this.feed.append(id, run.slot, x, y, xs);
    this.scheduler.mark('data');
  }

  update(options: ChartOptionsInput): void {
    this.apply(options, 'api');
  }

  private apply(options: ChartOptionsInput, source: ViewSource): void {
    this.alive();
    const prev = this.options;
    this.options = mergeOptions(prev, options);
    if (prev.interactive !== this.options.interactive) this.interactive(this.options.interactive);
    this.view.optionsChanged(prev, this.options);
    this.hover.optionsChanged(options);
    if ('xDomain' in options || 'yDomain' in options) {
      this.events.emit('view', { xDomain: this.options.xDomain as [number, number] | null, yDomain: this.options.yDomain as [number, number] | null, source });
    }
    // aggregation on or off changes what a legend lists (the groups' rows): as if the runs were new
    if ((prev.aggregate === null) !== (this.options.aggregate === null)) this.events.emit('series', this.series());
    // a new weight or mode with both curves smoothed on the GPU: rescan what is there
    const onlySmoothing = Object.keys(options).every((k) => k === 'smoothing' || (options as Record<string, unknown>)[k] === undefined);
    this.scheduler.mark('styles', onlySmoothing && this.painter.rescans(prev.smoothing, this.options.smoothing) ? 'smoothing' : 'view');
  }

  rendered(): Promise<FrameInfo> {
    return this.scheduler.rendered();
  }

  async smoothed(id: string): Promise<Float32Array> {
    this.alive();
    const run = this.runs.get(id);
    if (!run) throw unknownSeries(String(id), 'smoothed');
    if (run.source) throw new TypeError(`series ${JSON.stringify(id)}: its points stay on ${run.source} (smoothed there, per view); smoothed() reads back full-resolution values only for series given as arrays`);
    return this.readback.read(run, this.options.smoothing, this.options.xColumn);
  }

  aggregated(group: string): Promise<AggregatedGroup> {
    this.alive();
    return this.aggregates.read(group);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.scheduler.destroy();
    this.detachPointer();
    this.hover.destroy();
    this.layer.destroy();
    this.events.clear();
    this.links.destroy();
    this.client.release();
    this.graphics.destroy();
    this.surface.destroy();
    this.readback.destroy();
    this.aggregates.destroy();
  }

  hoverAt(x: number, yFrac: number | null = null): Promise<HoverInfo> {
    this.alive();
    return this.hover.at(x, yFrac);
  }

  showHover(x: number | null): void {
    this.alive();
    this.hover.show(x);
  }

  highlight(id: string | readonly string[] | null): void {
    this.alive();
    const ids = id === null ? [] : typeof id === 'string' ? [id] : [...id];
    for (const one of ids) if (!this.runs.has(one)) throw unknownSeries(String(one), 'highlight');
    if (!this.runs.setHighlight(ids)) return;
    this.scheduler.mark('styles'); // same geometry, new styles: redrawn from what is on the GPU
  }

  setVisible(id: string, visible: boolean): void {
    this.alive();
    if (!this.runs.has(id)) throw unknownSeries(String(id), 'setVisible');
    if (!this.runs.setHidden(id, !visible)) return;
    this.scheduler.mark('view', 'styles'); // the auto range follows the visible runs: the worker decimates again
    this.events.emit('visibility', { id, visible });
  }

  isVisible(id: string): boolean {
    this.alive();
    return this.runs.has(id) && !this.runs.isHidden(id);
  }

  series(): RunInfo[] {
    this.alive();
    return this.runs.info();
  }

  on<K extends keyof ChartEvents>(type: K, fn: (e: ChartEvents[K]) => void): () => void {
    this.alive();
    if (typeof fn !== 'function') throw new TypeError(`on(${JSON.stringify(type)}) needs a listener function`);
    return this.events.on(type, fn);
  }

  getState(): ViewState {
    this.alive();
    return viewState(this.options, this.runs.hidden());
  }

  setState(state: ViewStateInput): void {
    this.alive();
    const { options, hidden } = readState(state);
    this.apply(options, 'api'); // checks every option before changing anything
    if (hidden) {
      for (const id of this.runs.hidden()) if (!hidden.includes(id)) this.setVisible(id, true);
      for (const id of hidden) {
        if (this.runs.has(id)) this.setVisible(id, false);
        else this.runs.setHidden(id, true); // kept: a bookmark may be restored before its data loads
      }
    }
  }

  toPNG(options: { dpr?: number } = {}): Promise<Blob> {
    this.alive();
    return chartPNG(this.surface, () => this.scheduler.mark('size'), () => this.rendered(), options.dpr ?? 2);
  }

  /** Pointer, wheel and keyboard handling on or off (the `interactive` option). */
  private interactive(on: boolean): void {
    this.detachPointer();
    this.detachPointer = () => {};
    if (!on) return;
    this.detachPointer = attachPointer(this.surface.root, {
      plot: () => this.scheduler.onScreen?.plot ?? null,
      view: () => {
        const f = this.scheduler.onScreen;
        return f && { x: f.xDomain, y: f.yDomain, xScale: this.options.xScale, yScale: this.options.yScale };
      },
      setView: (x, y, source) => this.setView(x, y, source),
      hover: (x, y) => this.hover.move(x, y),
      leave: () => this.hover.leave(),
    }, this.layer);
  }

  private setView(x: Domain | null | undefined, y: Domain | null | undefined, source: ViewSource): void {
    const patch: ChartOptionsInput = {};
    if (x !== undefined) patch.xDomain = x && [x[0], x[1]];
    if (y !== undefined) patch.yDomain = y && [y[0], y[1]];
    this.apply(patch, source);
  }

  private failed(message: string): void {
    // what is drawn stays drawn; whoever waits learns why nothing new came
    console.error(`metricgl: ${message}`);
    this.events.emit('error', { message });
    this.links.viewFailed(message);
    this.view.cancel();
    this.scheduler.failed(new Error(`metricgl worker: ${message}`));
  }

  private alive(): void {
    if (this.destroyed) throw new Error('metricgl: chart destroyed');
  }
}

/** Create a chart that fills `container` and follows its size. */
export function createChart(container: HTMLElement, options: ChartOptionsInput = {}): Chart {
  if (!(container instanceof HTMLElement)) throw new TypeError('createChart needs an HTMLElement container');
  return new ChartImpl(container, options);
}
