/**
 * The unit every store's writer takes: one series' points as a loader parsed them (feeder.ts
 * hands them over; pointwriter.ts stages them in DuckDB, clickhouse/insert.ts sends them, and
 * lodarrays.ts builds blocks from them).
 */
export interface PointBatch {
  series: number;
  file: number;
  /** ordinal of the first point; the k-th point gets firstOrd + k */
  firstOrd: number;
  x: Float64Array;
  y: Float32Array;
  /** NaN where a point has none; null when none has one */
  time: Float64Array | null;
  wall: Float64Array | null;
  epoch: Float64Array | null;
}
