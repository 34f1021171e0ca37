/**
 * The DuckDB store behind the server (backend.ts): one file, reads on a few connections, ingests
 * one at a time on the writing one (sourcestore.ts). Views on the step column come from the step
 * files beside the store (stepfiles.ts) for the series they hold up to date, the rest from the
 * level-of-detail blocks (m4lod.ts); with m4 'lod' from the blocks alone, with 'naive' always by
 * GROUP BY over the points (m4sql.ts): equal answers.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
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
import { StepThread } from './stepthread';
import { m4WithSteps, stepChunks, stepFilesDir, stepStates, StepFiles, type StepState } from './stepfiles';

export type M4Path = 'steps' | 'lod' | 'naive';
export const M4_PATHS: readonly M4Path[] = ['steps', 'lod', 'naive'];


/** The step files beside the store, or none (views by SQL) where its folder cannot be made or read. */
function openSteps(path: string, warn: (m: string) => void): StepFiles | null {
  try {
    return StepFiles.open(stepFilesDir(path));
  } catch (e) {
    warn(`step files under ${stepFilesDir(path)}: ${(e as Error).message} (views read by SQL)`);
    return null;
  }
}

export async function openDuckDBBackend(path: string, opts: { threads?: number; m4?: M4Path; warn?: (m: string) => void } = {}): Promise<StoreBackend> {
  const m4 = opts.m4 ?? 'steps';
  if (!M4_PATHS.includes(m4)) throw new Error(`m4 must be ${M4_PATHS.join(', ')}, not ${JSON.stringify(opts.m4)}`);
  const useLod = m4 !== 'naive';
  const store = await SourceStore.open(path, { threads: opts.threads });
  // the blocks' parameters, one row a series (an ingest updates the blocks in its transaction)
  let lod = await store.read(readLodSeries);
  const steps = m4 === 'steps' && path !== ':memory:' ? openSteps(path, opts.warn ?? console.warn) : null;
  if (steps) steps.thread = StepThread.start();
  let states: Map<number, StepState> = steps ? await store.read(stepStates) : new Map();
  // the files are brought up to date in the background, one series at a time, after opening and
  // after each ingest; meanwhile views answer the series not yet done by SQL
  let closed = false;
  let refreshing: Promise<void> = Promise.resolve();
  const refresh = () => {
    if (!steps) return;
    refreshing = refreshing
      .then(() => store.read((db) => steps.refresh(db)))
      .catch((e: Error) => {
        if (!closed) (opts.warn ?? console.warn)(`step files under ${steps.dir}: ${e.message} (views read by SQL meanwhile)`);
      });
  };
  refresh();
  const sqlView = (view: M4View) => store.read((db) => (useLod ? m4LodQuery(db, view, lod) : m4Query(db, view)));
  const rawView = (view: M4View) => (steps ? m4WithSteps(view, steps, states, sqlView) : sqlView(view));
  // every point of some series (smoothing, aggregates): from the step files where they hold them
  const points = (db: DuckDBConnection) => (steps ? stepChunks(steps, states, duckdbChunks(db)) : duckdbChunks(db));
  return {
    engine: 'duckdb',
    series: {
      rows: () => store.read((db) => duckdbSeriesReader(db).rows()),
      extents: (ids) => store.read((db) => duckdbSeriesReader(db).extents(ids)),
    },
    view: async (view, smoothing, cache) => ({
      result: await (smoothing ? store.read((db) => smoothedView(points(db), view, smoothing, cache)) : rawView(view)),
      unanswered: [],
    }),
    hover: async (q, cache) => ({ points: await store.read((db) => hoverQuery(db, q, cache, useLod ? lod : undefined)), unanswered: [] }),
    withPoints: async (sids, use) => ({ value: await store.read((db) => use(points(db), sids)), unanswered: [] }),
    ingestBytes: (name, body) => store.write((db) => ingestBytes(db, name, body)),
    ingestFiles: (paths, root) => store.write((db) => ingestFiles(db, paths, { root })),
    async afterIngest() {
      lod = await store.read(readLodSeries);
      if (steps) states = await store.read(stepStates);
      refresh();
    },
    async settled() {
      // refreshes queued while one ran are chained behind it
      let seen: Promise<void>;
      do await (seen = refreshing);
      while (seen !== refreshing);
    },
    stepFiles: () => (steps ? { ...steps.counters, held: steps.heldCount() } : null),
    async close() {
      closed = true;
      await store.close();
      await refreshing;
      await steps?.thread?.stop();
    },
  };
}
