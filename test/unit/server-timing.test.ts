/**
 * Timings of the server side, skipped unless METRICGL_SERVER_BENCH=1 (it takes tens of seconds
 * and the suite shares its cores): ingest points/s, M4 query ms, hover ms. At most 1e7 points each.
 * The M4 lines also give the process CPU time per query (DuckDB's threads included), which a
 * loaded machine disturbs less than wall time. METRICGL_SERVER_THREADS sets DuckDB's threads (2).
 *   METRICGL_SERVER_BENCH=1 npx vitest run test/unit/server-timing.test.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ingestFiles } from '../../src/server/ingest';
import { encode } from '../../src/source/layout';
import { m4Query } from '../../src/server/m4sql';
import { hoverQuery } from '../../src/server/hover';
import { buildLod, readLodSeries } from '../../src/server/lodbuild';
import { SmoothCache } from '../../src/server/smoothcache';
import { PointWriter } from '../../src/server/pointwriter';
import { openStore } from '../../src/server/schema';
import { mulberry32 } from './prng';

const on = !!process.env.METRICGL_SERVER_BENCH;
const threads = Number(process.env.METRICGL_SERVER_THREADS ?? 2);

async function fresh(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `metricgl-server-${name}-`));
  const store = await openStore(join(dir, 'bench.duckdb'), { threads });
  return { dir, store, done: () => (store.close(), rmSync(dir, { recursive: true, force: true })) };
}

function walk(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const y = new Float32Array(n);
  let v = 3;
  for (let k = 0; k < n; k++) y[k] = v = Math.max(0.1, v + (rand() - 0.52) * 0.05);
  return y;
}

describe.skipIf(!on)('server timings', () => {
  test('bulk insert and file ingest of 1e6 points', async () => {
    const { dir, store, done } = await fresh('ingest');
    const N = 1e6, runs = 10, per = N / runs;
    let t = performance.now();
    const w = await PointWriter.open(store.db);
    for (let s = 0; s < runs; s++) w.add({ series: s, file: 0, firstOrd: 0, x: Float64Array.from({ length: per }, (_, k) => k), y: walk(per, s), time: null, wall: null, epoch: null });
    await w.commit();
    const direct = (performance.now() - t) / 1000;
    let csv = 'run,metric,step,value,time_ms\n';
    for (let s = 0; s < runs; s++) {
      const y = walk(per, s);
      for (let k = 0; k < per; k++) csv += `r${s},loss,${k},${y[k]},${k * 250}\n`;
    }
    const path = join(dir, 'big.csv');
    writeFileSync(path, csv);
    t = performance.now();
    const r = await ingestFiles(store.db, [path]);
    const file = (performance.now() - t) / 1000;
    expect(r.points).toBe(N);
    console.log(`PointWriter: ${N} points in ${direct.toFixed(2)} s = ${(N / direct / 1e6).toFixed(2)} M points/s`);
    console.log(`ingestFiles (CSV ${(csv.length / 1e6).toFixed(0)} MB, parse included): ${file.toFixed(2)} s = ${(N / file / 1e6).toFixed(2)} M points/s`);
    t = performance.now();
    const again = await ingestFiles(store.db, [path]);
    console.log(`ingestFiles again (unchanged): ${((performance.now() - t)).toFixed(1)} ms, ${again.points} points`);
    done();
  }, 300_000);

  for (const [runs, per] of [[10, 1e4], [100, 1e4], [10, 1e5]]) {
    test(`M4 query: ${runs} series x ${per} points, W = 1000`, async () => {
      const { store, done } = await fresh('m4');
      const w = await PointWriter.open(store.db);
      for (let s = 0; s < runs; s++) w.add({ series: s, file: 0, firstOrd: 0, x: Float64Array.from({ length: per }, (_, k) => k), y: walk(per, s), time: null, wall: null, epoch: null });
      await w.commit();
      const ids = [...Array(runs).keys()];
      const views = [
        ['full', 0, per - 1],
        ['zoom 10%', per * 0.45, per * 0.55],
        ['zoom 1% (sparse)', per * 0.5, per * 0.5 + per / 100],
      ] as const;
      for (const [label, x0, x1] of views) {
        const view = { series: ids, xColumn: 'x' as const, x0, x1, W: 1000, yScale: 'linear' as const };
        await m4Query(store.db, view); // warm
        const times: number[] = [];
        const cpu: number[] = [];
        let bytes = 0;
        for (let k = 0; k < 5; k++) {
          const t = performance.now();
          const u0 = process.cpuUsage();
          bytes = encode(await m4Query(store.db, view), 1000).byteLength;
          const u = process.cpuUsage(u0);
          times.push(performance.now() - t);
          cpu.push((u.user + u.system) / 1000);
        }
        times.sort((a, b) => a - b);
        cpu.sort((a, b) => a - b);
        console.log(`${runs} x ${per}, ${label}: median ${times[2].toFixed(1)} ms (min ${times[0].toFixed(1)}; CPU, all threads: median ${cpu[2].toFixed(1)} ms), ${bytes} bytes = ${(bytes / (1000 * runs)).toFixed(1)} B/column/run`);
      }
      done();
    }, 300_000);
  }

  for (const [runs, per] of [[1, 1e6], [10, 1e6]]) {
    test(`hover: ${runs} series x ${per} points`, async () => {
      const { store, done } = await fresh('hover');
      const w = await PointWriter.open(store.db);
      for (let s = 0; s < runs; s++) {
        const x = Float64Array.from({ length: per }, (_, k) => k);
        w.add({ series: s, file: 0, firstOrd: 0, x, y: walk(per, s), time: Float64Array.from(x, (k) => k * 120), wall: null, epoch: null });
      }
      await w.commit();
      await buildLod(store.db);
      const lod = await readLodSeries(store.db);
      const cache = new SmoothCache();
      const ids = [...Array(runs).keys()];
      for (const [label, blocks] of [['from the points', new Map()], ['from the blocks', lod]] as const) {
        const rand = mulberry32(9);
        await hoverQuery(store.db, { series: ids, xColumn: 'x', x: per / 2 }, cache, blocks); // warm
        const times: number[] = [];
        for (let k = 0; k < 5; k++) {
          const t = performance.now();
          const got = await hoverQuery(store.db, { series: ids, xColumn: 'x', x: rand() * per }, cache, blocks);
          times.push(performance.now() - t);
          expect(got).toHaveLength(runs);
        }
        times.sort((a, b) => a - b);
        console.log(`hover ${label}, ${runs} x ${per}: median ${times[2].toFixed(1)} ms (min ${times[0].toFixed(1)})`);
      }
      done();
    }, 300_000);
  }
});
