/**
 * The HTTP API of a metricgl server (`npx metricgl serve`): what a source in the browser asks and
 * what the server answers. Types only (plus the path names), shared by the server (src/server)
 * and the client (the decimation worker and `connectSource`). Point data travels as the binary
 * layout of layout.ts, never as per-point JSON; the small requests and lists are JSON.
 *
 *   GET  /api/source           → SourceInfo
 *   GET  /api/logdir           → LogdirAnswer (the explorer's first question to any server)
 *   POST /api/series           SeriesQuery   → { series: SourceSeries[] }
 *   POST /api/view             ViewQuery     → application/octet-stream: layout.ts encode(M4Result)
 *   POST /api/hover            HoverQuery    → { points: HoverPoint[] }
 *   POST /api/aggregate        AggregateViewQuery  → application/octet-stream: layout.ts encode(M4Result)
 *   POST /api/aggregate/hover  AggregateHoverQuery → { groups: (GroupAt | null)[] }
 *   POST /api/aggregated       AggregateQuery      → application/octet-stream: aggregatedlayout.ts encode
 *   GET  /api/live             Server-Sent Events: `event: grew`, data LiveGrew
 *   POST /api/ingest           JSON Lines / CSV text (the loaders' formats) → IngestReply
 *
 * Every error is a JSON body `{ error: string }` with a 4xx/5xx status; the message names what
 * was asked (the query's purpose: view, hover, series list) and what is wrong. Names, fields and
 * filter values reach SQL only as bound parameters.
 */
import type { FilterNode } from '../query/filter';
import type { AggregateSpec, GroupHover, ScaleType, SmoothingSpec } from '../protocol/messages';
import type { M4View, XColumnName } from './m4';

export const API = {
  source: '/api/source',
  logdir: '/api/logdir',
  series: '/api/series',
  view: '/api/view',
  hover: '/api/hover',
  aggregate: '/api/aggregate',
  aggregateHover: '/api/aggregate/hover',
  aggregated: '/api/aggregated',
  live: '/api/live',
  ingest: '/api/ingest',
} as const;

/**
 * A view answer's header naming, comma-separated, the series ids the server could not answer now
 * (a ClickHouse shard down): they are left out of the answer, the others are in it as usual.
 * A hover answer names them in `unanswered`.
 */
export const UNANSWERED_HEADER = 'x-metricgl-unanswered';

export interface SourceInfo {
  version: 1;
  /** 'duckdb' (the embedded default) or 'clickhouse' */
  engine: string;
  series: number;
  points: number;
}

/**
 * The answer to GET /api/logdir, the first thing the explorer asks the server it came from: the
 * demo servers answer it with the log folder the page itself tails over their /api/live. A
 * metricgl server ingests its --logdir itself and pushes `grew`, so there is no folder for the
 * page to tail (`dir` null, whatever --logdir is) and no shipped logs to load; `source` says that
 * this is a metricgl server and what it holds. Answering it, rather than a 404, keeps a page on
 * this server free of failed requests.
 */
export interface LogdirAnswer {
  dir: null;
  files: [];
  demoData: false;
  source: SourceInfo;
}

/** The series list, filtered on the server. `where` is the explorer's filter, parsed on the client. */
export interface SeriesQuery {
  metric?: string;
  where?: FilterNode | null;
}

export interface SourceSeries {
  /** the series key (stable across ingests): what a chart's `{ id, source }` names */
  id: string;
  /** the server's numeric id, used in view and hover queries */
  sid: number;
  run: string;
  metric: string;
  fields: Record<string, string | number>;
  points: number;
  /** the x columns this series has: 'x' (the step) always, and 'time', 'wall', 'epoch' where logged */
  xColumns: XColumnName[];
  /** finite x extent per x column it has, and the finite y extent (positive part for log) */
  extent: Partial<Record<XColumnName, [number, number]>>;
  yExtent: [number, number] | null;
  yPositive: [number, number] | null;
}

/**
 * One view: the M4 view of m4.ts (server ids in `series`). With `smoothing`, the answer is the M4
 * of the smoothed series instead of the raw one, computed on the server over every point of each
 * series in sorted-x order with the formulas of docs/semantics.md (`range` is R of the
 * time-weighted mode: the x-extent of all series of the chart, which the client knows; `window`
 * and `sigma` those of the window modes); counts stay those of the raw points. Smoothing that is
 * off (smoothingOn false: weight 0, window 1) is the raw view.
 */
export interface ViewQuery extends M4View {
  smoothing?: (SmoothingSpec & { range: number }) | null;
}

export interface HoverQuery {
  series: number[];
  xColumn: XColumnName;
  /** data x of the cursor */
  x: number;
  /**
   * the chart's x scale ('linear' when absent): on 'log' the nearest point is nearest in log10 x,
   * as the chart draws it; a point at x <= 0 (no place on that axis) is taken only when no point
   * lies on the cursor's right
   */
  xScale?: ScaleType;
  /**
   * as ViewQuery's (the chart's smoothing, `range` its R): each point then carries `smoothed`,
   * the value the smoothed view draws there; absent, null or off: no smoothed value
   */
  smoothing?: ViewQuery['smoothing'];
}

/** The point nearest in x of one series, with its other x columns. */
export interface HoverPoint {
  sid: number;
  /** index in the series' sorted order */
  index: number;
  x: number;
  y: number;
  columns: Partial<Record<XColumnName, number>>;
  firstX: number;
  lastX: number;
  /**
   * only when the query asked for smoothing (on): the smoothed value at this point, as
   * the smoothed view computes it (float32, over every point of the series); null when it is
   * not a finite number
   */
  smoothed?: number | null;
}

/**
 * Groups of a server's series aggregated where their points are (docs/semantics.md,
 * Aggregation): each group's union x, line and band computed in the server process from every
 * point of its runs, as the worker computes them for runs it holds (src/aggregate/align.ts).
 */
export interface AggregateQuery extends Pick<AggregateSpec, 'line' | 'band'> {
  /** each group's series ids (at most MAX_SERIES ids in all) */
  groups: number[][];
  xColumn: XColumnName;
  /** 'log': values <= 0 do not contribute and interpolation is of log10 y */
  yScale: ScaleType;
}

/**
 * The M4 view of every group's three curves: answer series 3g (its line), 3g + 1 (the band's low
 * edge) and 3g + 2 (its high edge), for group g of `groups`. With `smoothing` the curves are
 * smoothed over every union x first (the aggregate's line and band edges, as the chart smooths
 * them). `x0`, `x1`, `W`, `xScale` as ViewQuery's. Groups with a series the store could not
 * answer now are left out; the header names those series.
 */
export interface AggregateViewQuery extends AggregateQuery, Omit<M4View, 'series' | 'xColumn' | 'yScale'> {
  smoothing?: ViewQuery['smoothing'];
}

/** Per group, its value at the union x nearest the cursor where its line is drawable. */
export interface AggregateHoverQuery extends AggregateQuery {
  x: number;
  xScale?: ScaleType;
  smoothing?: ViewQuery['smoothing'];
}

/** A group at the hovered x: the aggregate there (float64, before smoothing) and the smoothed line (null: off or not finite). */
export type GroupAt = Omit<GroupHover, 'name' | 'smoothed'> & { smoothed: number | null };

/** Pushed when ingest (a growing --logdir file, or POST /api/ingest) added points. */
export interface LiveGrew {
  series: { sid: number; id: string; points: number; extent: Partial<Record<XColumnName, [number, number]>> }[];
  /** series that did not exist before: ask /api/series again */
  added: number;
}

export interface IngestReply {
  points: number;
  series: number;
  warnings: string[];
}
