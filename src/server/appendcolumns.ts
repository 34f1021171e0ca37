/**
 * Rows into a DuckDB appender straight from typed arrays: a data chunk (2048 rows) at a time,
 * each column copied as raw memory (no per-value conversion in JS: row-by-row appending is ~3x
 * slower, measured on 1e6 points). The arrays' element types must be the columns' own (Float64Array
 * for DOUBLE, Float32Array for FLOAT, Int32Array for INTEGER, BigInt64Array for BIGINT, Int8Array
 * for TINYINT). A column may come with a validity mask (bit i of byte i >> 3 set: row i is not
 * NULL, DuckDB's own layout), copied the same way.
 */
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

export const CHUNK_ROWS = 2048;

/**
 * Append rows [0, n) of `columns` (one typed array per column of `types`); `valid[i]`, where
 * given, is column i's validity mask for those rows (n <= CHUNK_ROWS when masks are given).
 */
export function appendColumns(
  appender: DuckDBAppender, types: readonly DuckDBType[], columns: readonly ArrayBufferView[], n: number, valid?: readonly (Uint8Array | null)[],
): void {
  if (valid && n > CHUNK_ROWS) throw new Error(`appendColumns: validity masks cover one chunk (${CHUNK_ROWS} rows), got ${n}`);
  for (let base = 0; base < n; base += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, n - base);
    const chunk = DuckDBDataChunk.create([...types], m);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i] as Float64Array;
      const bytesPer = c.BYTES_PER_ELEMENT;
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, i);
      duckdb.copy_data_to_vector(vector, 0, c.buffer as ArrayBuffer, c.byteOffset + base * bytesPer, m * bytesPer);
      const mask = valid?.[i];
      if (mask) {
        duckdb.vector_ensure_validity_writable(vector);
        duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer as ArrayBuffer, mask.byteOffset, (m + 7) >> 3);
      }
    }
    appender.appendDataChunk(chunk);
  }
}
