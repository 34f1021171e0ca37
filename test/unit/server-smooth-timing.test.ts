/**
 * What a smoothed view costs, skipped unless METRICGL_SERVER_BENCH=1: 10 series x 1e5 points and
 * 100 x 1e4, W = 1000, both modes. In process (smoothedView with its cache): the first view
 * (stream out of DuckDB + smooth + M4), a slider move (smooth the held columns + M4), a pan at
 * one weight (M4 over the points in view only). Then a slider move over HTTP.
 *   METRICGL_SERVER_BENCH=1 npx vitest run test/unit/server-smooth-timing.test.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startSourceServer } from '../../src/server/http';
import { PointWriter } from '../../src/server/pointwriter';
import { openStore } from '../../src/server/schema';
import { SeriesM4 } from '../../src/server/m4build';
import { SmoothCache } from '../../src/server/smoothcache';
import { duckdbChunks, smoothedView } from '../../src/server/smoothview';
import { initialState, smoothInto } from '../../src/smooth/reference';
import type { SmoothingMode } from '../../src/protocol/messages';
import { mulberry32 } from './prng';
import { time } from './timing';

const on = !!process.env.METRICGL_SERVER_BENCH;
const threads = Number(process.env.METRICGL_SERVER_THREADS ?? 2);

describe.skipIf(!on)('smoothed view timings', () => {
  test('the in-process parts per 1e6 points: the reference in both modes, the M4 pass', async () => {
    const n = 1e6;
    const rand = mulberry32(1);
    const v = Float64Array.from({ length: n }, (_, k) => k);
    const y = Float32Array.from({ length: n }, () => rand());
    const s = new Float32Array(n);
    const view = { series: [0], xColumn: 'x' as const, x0: 0, x1: n, W: 1000, yScale: 'linear' as const };
    const ms = (fn: () => void) => time(async () => fn(), 7);
    const ema = await ms(() => smoothInto(v, y, 0, n, { mode: 'ema', weight: 0.9, range: n }, initialState(), s));
    const tw = await ms(() => smoothInto(v, y, 0, n, { mode: 'time-weighted', weight: 0.9, range: n }, initialState(), s));
    const m4 = await ms(() => new SeriesM4(0, view).feed(v, s, y, 0, n));
    console.log(`per 1e6 points: ema ${ema.toFixed(1)} ms, time-weighted ${tw.toFixed(1)} ms, M4 pass ${m4.toFixed(1)} ms`);
  });

  for (const [runs, per] of [[10, 1e5], [100, 1e4]]) {
    test(`${runs} series x ${per} points`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'metricgl-server-smooth-bench-'));
      try {
        const db = join(dir, 'bench.duckdb');
        const store = await openStore(db, { threads });
        const rand = mulberry32(3);
        const w = await PointWriter.open(store.db);
        for (let s = 0; s < runs; s++) {
          let v = 3;
          const x = Float64Array.from({ length: per }, (_, k) => k);
          const y = Float32Array.from({ length: per }, () => (v = Math.max(0.1, v + (rand() - 0.52) * 0.05)));
          w.add({ series: s, file: 0, firstOrd: 0, x, y, time: null, wall: null, epoch: null });
        }
        await w.commit();
        const total = runs * per;
        const view = { series: [...Array(runs).keys()], xColumn: 'x' as const, x0: 0, x1: per - 1, W: 1000, yScale: 'linear' as const };
        const lines: string[] = [];
        for (const mode of ['ema', 'time-weighted'] as SmoothingMode[]) {
          let weight = 0.6;
          const params = () => ({ mode, weight, range: per - 1 });
          const cold = await time(() => smoothedView(duckdbChunks(store.db), view, params(), new SmoothCache()), 3);
          const cache = new SmoothCache();
          await smoothedView(duckdbChunks(store.db), view, params(), cache);
          const slider = await time(() => ((weight += 0.01), smoothedView(duckdbChunks(store.db), view, params(), cache)), 7);
          const pan = await time(() => smoothedView(duckdbChunks(store.db), { ...view, x0: per * 0.25, x1: per * 0.75 }, params(), cache), 7);
          expect(cache.counters.readPoints).toBe(total);
          lines.push(
            `${mode}: first view ${cold.toFixed(1)} ms (${(total / cold / 1e3).toFixed(1)} M points/s), ` +
            `slider move ${slider.toFixed(1)} ms (${(total / slider / 1e3).toFixed(1)} M points/s: ${(1e9 / (total / slider) / 1e3).toFixed(0)} s per 1e9), ` +
            `pan ${pan.toFixed(2)} ms`,
          );
        }
        store.close();
        const server = await startSourceServer({ db, port: 0, threads });
        try {
          let weight = 0.5;
          const post = async () => {
            const body = JSON.stringify({ ...view, smoothing: { mode: 'ema', weight: (weight += 0.01), range: per - 1 } });
            const r = await fetch(`${server.url}/api/view`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            expect(r.status).toBe(200);
            await r.arrayBuffer();
          };
          const first = await time(post, 1);
          lines.push(`HTTP ema: first view ${first.toFixed(1)} ms, slider move ${(await time(post, 7)).toFixed(1)} ms`);
        } finally {
          await server.close();
        }
        console.log(`${runs} x ${per} (${threads} DuckDB threads)\n  ${lines.join('\n  ')}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
