/**
 * Points of series streamed out of a store a piece at a time (DuckDB: smoothview.ts
 * `duckdbChunks`; ClickHouse: clickhouse/read.ts), and the walk over a piece's series.
 */

/**
 * Points of series in the store's order (series, then x column, step, logged order), non-finite x
 * left out, a piece at a time: `sid`, `v`, `y` of `rows` points, valid until the next piece is
 * asked for.
 */
export interface PointChunk {
  rows: number;
  sid: Int32Array;
  v: Float64Array;
  y: Float32Array;
}

/** Each run of one series' points in a piece, in order: `visit(series, from, to)` for rows [from, to). */
export function seriesRuns(chunk: PointChunk, visit: (id: number, from: number, to: number) => void): void {
  const { rows, sid } = chunk;
  for (let from = 0; from < rows; ) {
    const id = sid[from];
    let to = from + 1;
    while (to < rows && sid[to] === id) to++;
    visit(id, from, to);
    from = to;
  }
}
