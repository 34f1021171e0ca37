/**
 * What a group aggregated by the server costs (server/aggregates.ts), skipped unless
 * METRICGL_SERVER_BENCH=1: groups of 5 runs, 1 group x 5 x 1e6 points and 10 groups x 5 x 1e5,
 * W = 1000, in process over a DuckDB file: the first view (every run streamed out of DuckDB,
 * aggregated, M4 of the three curves), a pan and a zoom (M4 over the union x in view only), a
 * slider move (the three curves smoothed again over every union x, then M4), a hover, and the
 * view after a run grew at its end (caught up, or, not told where it grew, aggregated anew).
 *   METRICGL_SERVER_BENCH=1 npx vitest run test/unit/server-aggregate-timing.test.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AggregateCache, aggregateHover, aggregateView } from '../../src/server/aggregates';
import { PointWriter } from '../../src/server/pointwriter';
import { openStore } from '../../src/server/schema';
import { SmoothCache } from '../../src/server/smoothcache';
import { duckdbChunks } from '../../src/server/smoothview';
import { mulberry32 } from './prng';
import { time } from './timing';

const on = !!process.env.METRICGL_SERVER_BENCH;
const threads = Number(process.env.METRICGL_SERVER_THREADS ?? 2);

describe.skipIf(!on)('server aggregate timings', () => {
  for (const [groups, per] of [[1, 1e6], [10, 1e5]]) {
    test(`${groups} groups x 5 runs x ${per} points`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'metricgl-server-agg-bench-'));
      try {
        const store = await openStore(join(dir, 'bench.duckdb'), { threads });
        const rand = mulberry32(3);
        const w = await PointWriter.open(store.db);
        const runs = groups * 5;
        for (let s = 0; s < runs; s++) {
          let v = 3;
          // seeds log at offset steps, so the union x is larger than one run's
          const x = Float64Array.from({ length: per }, (_, k) => k * 2 + (s % 5));
          const y = Float32Array.from({ length: per }, () => (v = Math.max(0.1, v + (rand() - 0.52) * 0.05)));
          w.add({ series: s, file: 0, firstOrd: 0, x, y, time: null, wall: null, epoch: null });
        }
        await w.commit();
        const q = {
          groups: Array.from({ length: groups }, (_, g) => [0, 1, 2, 3, 4].map((k) => g * 5 + k)),
          xColumn: 'x' as const, line: 'mean' as const, band: 'minmax' as const, yScale: 'linear' as const, x0: 0, x1: per * 2, W: 1000,
        };
        const all = [...Array(runs).keys()];
        const fresh = () => ({ points: duckdbChunks(store.db), cache: new SmoothCache(), aggregates: new AggregateCache() });
        const cold = await time(() => aggregateView(fresh(), q, null, all), 3);
        const s = fresh();
        await aggregateView(s, q, null, all);
        const pan = await time(() => aggregateView(s, { ...q, x0: per * 0.5, x1: per * 1.5 }, null, all), 7);
        const zoom = await time(() => aggregateView(s, { ...q, x0: per * 0.9, x1: per * 1.1 }, null, all), 7);
        let weight = 0.6;
        const slider = await time(() => ((weight += 0.01), aggregateView(s, q, { mode: 'ema', weight, range: 0 }, all)), 5);
        const hover = await time(() => aggregateHover(s, { ...q, x: per * 0.77 }, null, all), 7);
        expect(s.aggregates.counters.aggregated).toBe(groups);
        // a live run: run 0 gains 100 points at its end, told as an ingest tells it (grewFrom),
        // then the same once more told without where it grew (every member read again, aggregated anew)
        let end = per * 2;
        const grow = async (told: boolean) => {
          const g = await PointWriter.open(store.db);
          const x = Float64Array.from({ length: 100 }, (_, k) => end + k * 2);
          g.add({ series: 0, file: 0, firstOrd: per + end, x, y: new Float32Array(100).fill(1), time: null, wall: null, epoch: null });
          await g.commit();
          s.cache.invalidate([0], told ? new Map([[0, end]]) : new Map());
          end += 200;
          const t0 = performance.now();
          await aggregateView(s, { ...q, x1: end }, null, all);
          return performance.now() - t0;
        };
        const grown: number[] = [], anew: number[] = [];
        for (let r = 0; r < 3; r++) (grown.push(await grow(true)), anew.push(await grow(false)));
        const median = (a: number[]) => [...a].sort((u, v) => u - v)[1];
        expect(s.aggregates.counters.extended).toBe(3);
        console.log(
          `${groups} groups x 5 runs x ${per} (${runs * per} points): first view ${cold.toFixed(0)} ms, pan ${pan.toFixed(1)} ms, ` +
          `zoom ${zoom.toFixed(1)} ms, slider move (ema) ${slider.toFixed(0)} ms, hover ${hover.toFixed(2)} ms; ` +
          `after a run grew by 100 points ${median(grown).toFixed(1)} ms (told where: caught up), ${median(anew).toFixed(0)} ms (read and aggregated anew)`,
        );
        store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
