/**
 * The worker protocol (docs/worker-protocol.md): a discriminated union each way, typed arrays
 * moved as transferables, never JSON. Every message names the chart it belongs to, since all
 * charts of a page share one worker.
 */
// This module imports nothing: both sides of the worker boundary, and every layer, depend on it.

export type ScaleType = 'linear' | 'log';

/** The smoothing formulas (docs/semantics.md, Smoothing). */
export type SmoothingMode = 'ema' | 'time-weighted' | 'running-average' | 'centred' | 'gaussian';

/**
 * Smoothing as a request names it. `weight` drives ema and time-weighted (0: off), `window`
 * running-average and centred (points by index; 1: off), `sigma` gaussian (x units). A field the
 * mode does not use is carried and ignored. Whether it smooths at all: smoothingOn
 * (src/smooth/params.ts), the one place that says so.
 */
export interface SmoothingSpec {
  weight: number;
  mode: SmoothingMode;
  window?: number;
  sigma?: number;
}

/** New points for the GPU smoothing texture. */
export interface GpuUpload {
  rows: number;
  full: boolean;
  chunks: { offset: number; data: Float32Array }[];
}

/** The axes of a view: scales, and domains in data units (null fits the data). */
export interface ViewAxes {
  xScale: ScaleType;
  yScale: ScaleType;
  xDomain: readonly [number, number] | null;
  yDomain: readonly [number, number] | null;
}

export interface ViewRequest extends ViewAxes {
  /** plot size in device pixels */
  width: number;
  height: number;
  /** slots not to draw (and not to fit) */
  hidden: readonly number[];
  /**
   * Smooth in this worker (the `cpu` backend) and draw the smoothed curves too, with slot
   * `slot + slots`. Absent or off (smoothingOn false): no smoothed layer.
   */
  smoothing?: SmoothingSpec | null;
  /** with smoothing: draw the raw curves as well (default true) */
  showRaw?: boolean;
  /** number of slots of the chart: the smoothed layer's slots follow the raw ones */
  slots?: number;
  /** where the smoothed layer is computed: here ('cpu', default) or on the GPU ('gpu') */
  smoothBackend?: 'cpu' | 'gpu';
  /** send the points to the GPU even without a smoothed layer (a read-back with smoothing off) */
  gpuData?: boolean;
  /** the x column in use ('x', default, or a name the series were given in `xs`) */
  xColumn?: string;
  /** fit y to the 5th..95th percentile of the drawn column extents */
  ignoreOutliers?: boolean;
  /**
   * every series is one device pixel wide: spans are snapped to whole rows and drawn as GL lines,
   * and curves with more than W / 4 points in view are drawn as spans (decimate/occlude.ts)
   */
  thin?: boolean;
  /**
   * with `thin`, every drawn series is also an opaque, solid line: only the pieces of spans that
   * no later span paints over are sent (decimate/occlude.ts)
   */
  cull?: boolean;
  /**
   * with `cull` or `density`: the highlighted runs' slots, sent whole after the pieces (or over
   * the density), on top
   */
  lit?: number[];
  /**
   * draw how many curves pass through each pixel (decimate/plotimage.ts DensityCounter) instead
   * of the curves; the `lit` slots are drawn as lines on top (and counted too)
   */
  density?: boolean;
  /**
   * the seq of the frame whose plot image the chart still draws: when only the highlighted runs
   * changed since, the worker keeps that image and sends only their curves (`keptImage`)
   */
  heldImage?: number;
  /** aggregated groups (option `aggregate`): drawn after the runs; off: absent */
  aggregate?: AggregateRequest;
  /**
   * only fit the domains: the reply is a frame with the domains this view would have and no
   * geometry. A chart's first frame (or one whose domains will be new) asks this first, so that
   * the axis margins its labels need are known before the points are decimated at the plot's
   * size (chart/view.ts).
   */
  fitOnly?: boolean;
}

/** One x array, copied once on the main thread and shared by every series that passed it. */
export interface XPayload {
  key: number;
  x: Float64Array;
}

export interface YPayload {
  id: string;
  slot: number;
  /** XPayload.key of this series' x */
  xKey: number;
  y: Float32Array;
  /** other x columns of the same points, in the caller's order (sorted with x in the worker) */
  extra: { name: string; x: Float64Array }[];
}

/**
 * A series whose points live on a metricgl server (src/source/api.ts): the worker never holds
 * them; it asks the server for each view (M4 per pixel column) and for hover. `sid`, the x
 * columns and the extents come from the server's series list (SourceSeries).
 */
export interface SourcePayload {
  id: string;
  slot: number;
  source: {
    /** the server's base URL, no trailing slash */
    url: string;
    sid: number;
    /** the x columns it has ('x', 'time', 'wall', 'epoch') */
    xColumns: string[];
    /** finite x extent per x column it has */
    extent: Record<string, [number, number]>;
    /** points it holds */
    points: number;
    yExtent: [number, number] | null;
    yPositive: [number, number] | null;
  };
}

/** New listed values of one source series (LiveGrew, or a reconnect's listing). */
export interface SourceGrowth {
  id: string;
  sid: number;
  points: number;
  extent: Record<string, [number, number]>;
}

export type ToWorker =
  /** replace the chart's series; `sources`: series answered by a server, not held here */
  | { type: 'set'; chart: number; xs: XPayload[]; series: YPayload[]; sources?: SourcePayload[] }
  /** extend series; series sharing an x column and an xKey keep sharing */
  | { type: 'append'; chart: number; xs: XPayload[]; series: YPayload[] }
  /** decimate for a view; `recycle` hands back the buffers of an earlier frame */
  | { type: 'view'; chart: number; seq: number; view: ViewRequest; recycle: ArrayBuffer[] }
  | { type: 'drop'; chart: number }
  /** the first message of the page: the worker answers 'started' */
  | { type: 'hello'; chart: 0 }
  /** the GPU context was lost and restored: send the smoothing data again */
  | { type: 'gpuReset'; chart: number }
  /**
   * a source's server says its series grew (or a reconnect found them changed): these listed
   * values replace the held ones of the chart's series of that url, matched by id
   */
  | { type: 'sourceGrew'; chart: number; url: string; series: SourceGrowth[] }
  /** the full-resolution smoothed values of one series, computed by the cpu backend */
  | { type: 'smoothed'; chart: number; seq: number; id: string; smoothing: SmoothingSpec; xColumn: string }
  /** one group's aggregate before smoothing (chart.aggregated) */
  | { type: 'aggregated'; chart: number; seq: number; xColumn: string; yScale: ScaleType; aggregate: AggregateRequest }
  | HoverRequest;

/** the nearest point in x of every visible series to data x `x` */
export interface HoverRequest {
  type: 'hover';
  chart: number;
  seq: number;
  x: number;
  xColumn: string;
  xScale: ScaleType;
  hidden: number[];
  /** the held series' smoothed value, computed here: the cpu backend's (null on the GPU or unsmoothed) */
  smoothing: SmoothingSpec | null;
  /**
   * the chart's smoothing (when on) for its source series: their servers compute the smoothed
   * value at each hovered point from the same values the smoothed view draws; null: raw only
   */
  sourceSmoothing?: SmoothingSpec | null;
  /** aggregated groups: each one's values at its union x nearest to `x` (HoverReply.groups) */
  aggregate?: AggregateRequest;
  yScale?: ScaleType;
}

/** A group at the hovered x: its union x nearest the cursor, the aggregate there (before smoothing), the smoothed line. */
export interface GroupHover {
  name: string;
  x: number;
  line: number;
  low: number;
  high: number;
  n: number;
  /** the smoothed line there (NaN unsmoothed) */
  smoothed: number;
}

export interface HoverReply {
  type: 'hover';
  chart: number;
  seq: number;
  /** per series found: slot, index in its sorted order, x, raw y, smoothed y (cpu backend or a source's server, else NaN) */
  slots: Int32Array;
  index: Float64Array;
  x: Float64Array;
  y: Float64Array;
  smoothed: Float64Array;
  /** x of each series' first and last drawable point: where the run starts and ends */
  first: Float64Array;
  last: Float64Array;
  /** values of the series' other x columns at that index (NaN where a series lacks one) */
  columns: { name: string; values: Float64Array }[];
  /** the aggregated groups at the hovered x (HoverRequest.aggregate) */
  groups?: GroupHover[];
}

export interface GpuFrame {
  /** new points for the smoothing texture (null: unchanged) */
  upload: GpuUpload | null;
  /** x-extent of all series: R of the time-weighted mode */
  range: number;
  /** see GpuViewOut in src/decimate/view.ts */
  edges: Float32Array;
  edgeRows: number;
  isegs: Float32Array;
  isegCount: number;
  rowSlots: Float32Array;
  /** per slot: first point in the GPU layout and points held, for read-back */
  offsets: Float64Array;
  lengths: Float64Array;
}

/** What the store holds for a chart, counted for the frame (docs/semantics.md: the counts). */
export interface FrameStats {
  /** points held for the chart */
  points: number;
  /** NaN / ±Infinity values (and points with a non-finite x), which break lines */
  nonFinite: number;
  /** values <= 0 that a log axis skipped (0 on linear axes) */
  nonPositive: number;
  /** bytes held in the worker: x, y and pyramid */
  bytes: number;
}

/**
 * What decimating one view decided (src/decimate/view.ts returns it with its records; the frame
 * carries it with their vertices).
 */
export interface ViewOutcome {
  /** the domains drawn: as requested, or fitted to the data */
  xDomain: [number, number];
  yDomain: [number, number];
  /** points the worker smoothed for this view (cpu backend; 0 when cached) */
  smoothedPoints: number;
}

/** One decimated view, ready to draw: the answer to `view`. */
export interface FrameReply extends ViewOutcome {
  type: 'frame';
  chart: number;
  seq: number;
  /** vertices of the column spans and segments, device px relative to the plot corner */
  spans: Float32Array;
  spanCount: number;
  segments: Float32Array;
  segmentCount: number;
  stats: FrameStats;
  /** worker time for this view, ms */
  workerMs: number;
  /**
   * where the smoothed layer of this frame is computed: 'server' when every smoothed curve is a
   * source series' (the server smooths those); a chart holding arrays too says where theirs ran
   */
  smoothedOn: 'gpu' | 'cpu' | 'server' | 'none';
  /** ids of source series their server no longer holds (left out of this frame; the rest is drawn) */
  missing?: string[];
  /** ids of source series their server could not answer now (a ClickHouse shard down): not drawn, asked again */
  unanswered?: string[];
  /** GPU smoothing: data to upload and the view described by point index */
  gpu: GpuFrame | null;
  /** a picture of the plot drawn under the spans and segments (one quad; decimate/plotimage.ts) */
  image?: PlotImage;
  /** the image of frame `heldImage` stays as it is; only the lit runs' curves are new */
  keptImage?: { kind: PlotImage['kind']; max: number };
}

/**
 * One RGBA8 texel per device pixel of the plot, row 0 at the top. 'slots': slot + 1 in RGB of
 * the visible piece at each pixel (0: none), coloured from the style texture; 'density': R the
 * ramp level of the count of curves through the pixel, GB the count, `max` the largest count.
 */
export interface PlotImage {
  kind: 'slots' | 'density';
  data: Uint8Array;
  width: number;
  height: number;
  max: number;
}

/*
 * Aggregated groups (option `aggregate`, docs/semantics.md, Aggregation): what the chart asks
 * the worker for, and what `chart.aggregated(group)` returns.
 */

/** The option: a group's line and band, and how its runs are drawn. */
export interface AggregateSpec {
  line: 'mean' | 'median';
  band: 'none' | 'minmax' | 'std' | 'ci95';
  runs: 'hidden' | 'faint';
}

/** One group in a view request: its runs' slots (the visible ones), and the slots it draws with. */
export interface AggregateGroup {
  name: string;
  members: number[];
  /** the slot of its line, and of its band */
  line: number;
  band: number;
}

/** What a view (or hover) asks: the statistics and every group with runs in view. */
export interface AggregateRequest extends AggregateSpec {
  groups: AggregateGroup[];
}

/** A group's aggregate before smoothing, in x order: NaN where n = 0. */
export interface AggregatedGroup {
  x: Float64Array;
  line: Float32Array;
  low: Float32Array;
  high: Float32Array;
  n: Uint16Array;
}

export type FromWorker =
  /** sent once, when the first message reached the worker */
  | { type: 'started'; chart: 0 }
  | FrameReply
  | { type: 'smoothed'; chart: number; seq: number; values: Float32Array | null }
  /** `error`: a server asked for a group's aggregate did not give it (aggregated() rejects with it) */
  | { type: 'aggregated'; chart: number; seq: number; result: AggregatedGroup | null; error?: string }
  | HoverReply
  | { type: 'error'; chart: number; message: string };
