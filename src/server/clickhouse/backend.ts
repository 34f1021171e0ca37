/**
 * A ClickHouse server or cluster behind the metricgl server (../backend.ts): views by m4.ts,
 * the series list, hover and whole series for smoothing by read.ts, ingest by ingest.ts. Ingests
 * run one at a time (a queue here: ClickHouse has no transactions to keep two apart). The
 * schema is created where missing when the server starts.
 */
import type { StoreBackend } from '../backend';
import type { IngestResult } from '../ingest';
import { smoothedView } from '../smoothview';
import type { ClickHouseConn } from './conn';
import { ingestBytesClickHouse, ingestFilesClickHouse } from './ingest';
import { m4QueryClickHouse } from './m4';
import { clickhouseChunks, clickhouseSeriesReader, hoverClickHouse } from './read';
import { createClickHouseSchema } from './schema';

export async function openClickHouseBackend(conn: ClickHouseConn): Promise<StoreBackend> {
  await createClickHouseSchema(conn);
  const series = clickhouseSeriesReader(conn);
  // points per series, for grouping whole-series reads (refreshed with the list)
  let counts = new Map<number, number>();
  const pointsOf = (id: number) => counts.get(id) ?? 0;
  let writing: Promise<unknown> = Promise.resolve();
  const write = (fn: () => Promise<IngestResult>): Promise<IngestResult> => {
    const run = writing.then(fn);
    writing = run.catch(() => undefined);
    return run;
  };
  return {
    engine: 'clickhouse',
    series: {
      async rows() {
        const rows = await series.rows();
        counts = new Map(rows.map((r) => [r.id, r.points]));
        return rows;
      },
      extents: (ids) => series.extents(ids),
    },
    view: (view, smoothing, cache) => (smoothing ? smoothedView(clickhouseChunks(conn, pointsOf), view, smoothing, cache) : m4QueryClickHouse(conn, view)),
    hover: (q, cache) => hoverClickHouse(conn, q, cache, pointsOf),
    ingestBytes: (name, body) => write(() => ingestBytesClickHouse(conn, name, body)),
    ingestFiles: (paths, root) => write(() => ingestFilesClickHouse(conn, paths, { root })),
    afterIngest: async () => undefined,
    close: async () => {
      await writing;
    },
  };
}
