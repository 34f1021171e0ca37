/**
 * The seam between the HTTP server (http.ts) and where the points live: everything the API asks
 * of a store. Two implementations: a DuckDB file (duckdbbackend.ts, the embedded default) and a
 * ClickHouse server or cluster (clickhouse/backend.ts). Both answer views in the layout of
 * source/m4.ts, hovers with the rule of hover.ts, and smoothed views through the same smoothing
 * cache, so a page cannot tell them apart but by `engine`.
 */
import type { HoverPoint, HoverQuery, SourceInfo } from '../source/api';
import type { M4Result, M4View } from '../source/m4';
import type { SmoothParams } from '../smooth/reference';
import type { IngestResult } from './ingest';
import type { SeriesReader } from './seriesindex';
import type { SmoothCache } from './smoothcache';
import type { PointChunks } from './smoothview';

/** The step files of a DuckDB store (stepfiles.ts): series held, and written since the server started. */
export interface StepFileStats {
  held: number;
  written: number;
  appended: number;
  pointsWritten: number;
  /** views whose series were shared with the step thread */
  shared: number;
}

export interface StoreBackend {
  readonly engine: SourceInfo['engine'];
  /** the series rows and extents (read again after each ingest) */
  readonly series: SeriesReader;
  /**
   * the view's M4, over the smoothed series when `smoothing` is given (on: smoothingOn); `unanswered`:
   * series of the view the store could not answer now (a ClickHouse shard down), left out of it
   */
  view(view: M4View, smoothing: SmoothParams | null, cache: SmoothCache): Promise<{ result: M4Result; unanswered: number[] }>;
  hover(q: HoverQuery, cache: SmoothCache): Promise<{ points: HoverPoint[]; unanswered: number[] }>;
  /**
   * `use` run over the stream of these series' points (what aggregates.ts computes in this
   * process), given the series the store can answer now; `unanswered` the others (a shard down)
   */
  withPoints<T>(sids: readonly number[], use: (points: PointChunks, answered: readonly number[]) => Promise<T>): Promise<{ value: T; unanswered: number[] }>;
  /** text posted to /api/ingest, read as a file named `name`; ingests run one at a time */
  ingestBytes(name: string, body: Uint8Array): Promise<IngestResult>;
  /** log files (a watched folder's), run names relative to `root` */
  ingestFiles(paths: string[], root: string): Promise<IngestResult>;
  /** after an ingest, before the series list is read again */
  afterIngest(): Promise<void>;
  /** resolves once the derived files a store keeps beside it (DuckDB's step files) are up to date */
  settled?(): Promise<void>;
  /** what the step files hold and have written (null: none kept) */
  stepFiles?(): StepFileStats | null;
  close(): Promise<void>;
}
