/**
 * A ClickHouse server or cluster behind the metricgl server (../backend.ts): views by m4.ts,
 * the series list, hover and whole series for smoothing by read.ts, ingest by ingest.ts. Ingests
 * run one at a time (a queue here: ClickHouse has no transactions to keep two apart). The
 * schema is created where missing when the server starts. With a shard down, views and hovers
 * answer the series of the other shards and name the rest (shards.ts); the list is read from any
 * shard that answers.
 */
import type { StoreBackend } from '../backend';
import type { IngestResult } from '../ingest';
import { smoothedView } from '../smoothview';
import type { ClickHouseConn } from './conn';
import { ingestBytesClickHouse, ingestFilesClickHouse } from './ingest';
import { m4QueryClickHouse } from './m4';
import { clickhouseChunks, clickhouseSeriesReader, hoverClickHouse } from './read';
import { createClickHouseSchema } from './schema';
import { answerWhatCan, initiator, shardsUp } from './shards';

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
        // the series table is a copy on every shard: any shard that answers can list it
        const rows = await series.rows().catch(async (e) => {
          const up = await shardsUp(conn);
          const other = initiator(conn, up);
          if (other.url === conn.url) throw e;
          return clickhouseSeriesReader(other).rows();
        });
        counts = new Map(rows.map((r) => [r.id, r.points]));
        return rows;
      },
      extents: (ids) => series.extents(ids),
    },
    async view(view, smoothing, cache) {
      const r = await answerWhatCan(conn, view.series, (c, series, extra) =>
        smoothing ? smoothedView(clickhouseChunks(c, pointsOf, extra), { ...view, series }, smoothing, cache) : m4QueryClickHouse(c, { ...view, series }, extra));
      return { result: r.value, unanswered: r.unanswered };
    },
    async hover(q, cache) {
      const r = await answerWhatCan(conn, q.series, (c, series, extra) => hoverClickHouse(c, { ...q, series: [...series] }, cache, pointsOf, extra));
      return { points: r.value, unanswered: r.unanswered };
    },
    withPoints: (sids, use) => answerWhatCan(conn, sids, (c, answered, extra) => use(clickhouseChunks(c, pointsOf, extra), answered)).then((r) => ({ value: r.value, unanswered: r.unanswered })),
    ingestBytes: (name, body) => write(() => ingestBytesClickHouse(conn, name, body)),
    ingestFiles: (paths, root) => write(() => ingestFilesClickHouse(conn, paths, { root })),
    afterIngest: async () => undefined,
    close: async () => {
      await writing;
    },
  };
}
