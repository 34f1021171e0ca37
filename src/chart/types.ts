/**
 * The chart's public face: what an app, the custom element and the add-ons (legend, link) may
 * use. Everything else under src/chart/ is the chart's own.
 */
import type { Rect } from '../coords';
import type { SeriesInput } from '../data/validate';
import type { HoverInfo, RunInfo } from '../interact/hover';
import type { ViewSource } from '../interact/pointer';
import type { ChartOptions, ChartOptionsInput, SmoothingInput } from '../options';
import type { AggregatedGroup, FrameStats } from '../protocol/messages';

export type { SeriesInput };

/** What a frame drawn reports: the worker's stats of it (points, nonFinite, nonPositive, bytes), and how it was drawn. */
export interface FrameInfo extends FrameStats {
  /** the plot area in CSS pixels relative to the container */
  plot: Rect;
  /** ms from the first change not yet on screen to this frame drawn (GPU flushed) */
  frameMs: number;
  /** the domains drawn (fitted or as set) */
  xDomain: [number, number];
  yDomain: [number, number];
  /** device pixels per CSS pixel of this frame */
  dpr: number;
  /** GPU primitives (column spans + segments, 2 for a plot image) drawn */
  primitives: number;
  /**
   * what drew the plot: 'webgl', or 'canvas2d' for a first picture painted before the page had a
   * GL context (opaque column spans only, the same pixels; README "First picture")
   */
  renderer: 'webgl' | 'canvas2d';
  /**
   * drawn as a density (option `density`): the most curves through one pixel, which the
   * darkest ramp colour stands for; null when the curves are drawn as lines
   */
  density: { max: number } | null;
  /** aggregated groups drawn (option `aggregate`: each a line and a band); 0 without */
  groups: number;
  /** worker time spent decimating this view, ms */
  workerMs: number;
  /**
   * where smoothing ran for this frame: 'gpu', 'cpu', 'server' (every smoothed curve is a source
   * series', smoothed by its server over all its points), or 'none' (weight 0). A chart holding
   * array series too says where theirs ran.
   */
  smoothing: 'gpu' | 'cpu' | 'server' | 'none';
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
   * A group's aggregate (option `aggregate`; mean and minmax when it is off) over every point of
   * its visible runs, before smoothing, in x order: the union x, the line, the band's low and
   * high edge, and n (runs contributing; NaN values where n = 0). docs/semantics.md, Aggregation.
   */
  aggregated(group: string): Promise<AggregatedGroup>;
  /**
   * The point of every visible run nearest in x to data x (found in the worker), with raw and
   * smoothed values and the other x columns; `yFrac` (cursor height, 0 = top of the plot) sorts
   * runs nearest first.
   */
  hoverAt(x: number, yFrac?: number | null): Promise<HoverInfo>;
  /** Show the crosshair and tooltip at data x, as a linked chart does; null hides them. */
  showHover(x: number | null): void;
  /**
   * Draw one run (or several: a legend filter's matches) at full strength and dim the others;
   * null (or []) ends it. A style change when every
   * run is drawn whole; with occlusion (opaque one-pixel lines) or a density, one worker frame
   * that sends the visible pieces (or counts) and this run's curve, never every run's geometry.
   */
  highlight(id: string | readonly string[] | null): void;
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
  /** setSeries replaced the runs, or update() turned `aggregate` on or off (a legend lists groups then) */
  series: RunInfo[];
  /**
   * the worker could not draw a view (a source's server did not answer): the last picture stays;
   * or (with `id`) that source series is no longer on its server, or its server could not answer
   * it now (a ClickHouse shard down): the others are still drawn
   */
  error: { message: string; id?: string };
  /**
   * a source's server went away ('lost': the last picture stays, retries run with back-off
   * from 0.5 s to 5 s) or answers again ('ok': the chart has caught up and draws anew);
   * 'partial': it answers, but not for some series (a shard down; the message names them): the
   * others are drawn and the view is asked again every 2 s, 'ok' once every series is answered
   */
  source: { url: string; state: 'ok' | 'lost' | 'partial'; message: string };
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
  /** the groups' aggregate (option `aggregate`), null when off */
  aggregate: ChartOptions['aggregate'];
  /** ids of hidden runs */
  hidden: string[];
}

/** What setState takes: any part of a ViewState; smoothing without a mode is 'ema'. */
export type ViewStateInput = Partial<Omit<ViewState, 'smoothing'>> & { smoothing?: SmoothingInput };
