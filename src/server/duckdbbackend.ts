/**
 * The DuckDB store behind the server (backend.ts): one file, reads on a few connections, ingests
 * one at a time on the writing one (sourcestore.ts). Views come from the level-of-detail blocks
 * (m4lod.ts) or, with m4 'naive', always by GROUP BY over the points (m4sql.ts): equal answers.
 */
import type { M4View } from '../source/m4';
import type { StoreBackend } from './backend';
import { hoverQuery } from './hover';
import { ingestBytes, ingestFiles } from './ingest';
import { readLodSeries } from './lodbuild';
import { m4LodQuery } from './m4lod';
import { m4Query } from './m4sql';
import { duckdbSeriesReader } from './seriesindex';
import { duckdbChunks, smoothedView } from './smoothview';
import { SourceStore } from './sourcestore';

export async function openDuckDBBackend(path: string, opts: { threads?: number; m4?: 'lod' | 'naive' } = {}): Promise<StoreBackend> {
  if (opts.m4 !== undefined && opts.m4 !== 'lod' && opts.m4 !== 'naive') throw new Error(`m4 must be 'lod' or 'naive', not ${JSON.stringify(opts.m4)}`);
  const useLod = opts.m4 !== 'naive';
  const store = await SourceStore.open(path, { threads: opts.threads });
  // the blocks' parameters, one row a series (an ingest updates the blocks in its transaction)
  let lod = await store.read(readLodSeries);
  const rawView = (view: M4View) => store.read((db) => (useLod ? m4LodQuery(db, view, lod) : m4Query(db, view)));
  return {
    engine: 'duckdb',
    series: {
      rows: () => store.read((db) => duckdbSeriesReader(db).rows()),
      extents: (ids) => store.read((db) => duckdbSeriesReader(db).extents(ids)),
    },
    view: async (view, smoothing, cache) => ({
      result: await (smoothing ? store.read((db) => smoothedView(duckdbChunks(db), view, smoothing, cache)) : rawView(view)),
      unanswered: [],
    }),
    hover: async (q, cache) => ({ points: await store.read((db) => hoverQuery(db, q, cache, useLod ? lod : undefined)), unanswered: [] }),
    withPoints: async (sids, use) => ({ value: await store.read((db) => use(duckdbChunks(db), sids)), unanswered: [] }),
    ingestBytes: (name, body) => store.write((db) => ingestBytes(db, name, body)),
    ingestFiles: (paths, root) => store.write((db) => ingestFiles(db, paths, { root })),
    async afterIngest() {
      lod = await store.read(readLodSeries);
    },
    close: () => store.close(),
  };
}
