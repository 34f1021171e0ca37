/**
 * Rows into a DuckDB appender straight from typed arrays: a data chunk (2048 rows) at a time,
 * each column copied as raw memory (no per-value conversion in JS: row-by-row appending is ~3x
 * slower, measured on 1e6 points). The arrays' element types must be the columns' own (Float64Array
 * for DOUBLE, Float32Array for FLOAT, Int32Array for INTEGER, BigInt64Array for BIGINT, Int8Array
 * for TINYINT); no NULLs (stage a marker such as NaN and turn it into NULL in SQL).
 */
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

export const CHUNK_ROWS = 2048;

/** Append rows [0, n) of `columns` (one typed array per column of `types`). */
export function appendColumns(appender: DuckDBAppender, types: readonly DuckDBType[], columns: readonly ArrayBufferView[], n: number): void {
  for (let base = 0; base < n; base += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, n - base);
    const chunk = DuckDBDataChunk.create([...types], m);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i] as Float64Array;
      const bytesPer = c.BYTES_PER_ELEMENT;
      duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, i), 0, c.buffer as ArrayBuffer, c.byteOffset + base * bytesPer, m * bytesPer);
    }
    appender.appendDataChunk(chunk);
  }
}
