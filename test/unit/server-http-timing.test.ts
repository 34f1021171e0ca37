/**
 * Timings through the shipped paths, skipped unless METRICGL_SERVER_BENCH=1: `metricgl ingest`
 * (the built CLI, a real process) on 1e6 CSV points, then /api/view over HTTP (10 series x 1e5
 * points, W = 1000) from `startSourceServer` on that store. Needs `npm run build:server` first.
 *   npm run build:server && METRICGL_SERVER_BENCH=1 npx vitest run test/unit/server-http-timing.test.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startSourceServer } from '../../src/server/http';
import { m4Query } from '../../src/server/m4sql';
import { openStore } from '../../src/server/schema';
import { mulberry32 } from './prng';

const on = !!process.env.METRICGL_SERVER_BENCH;
const threads = Number(process.env.METRICGL_SERVER_THREADS ?? 2);

describe.skipIf(!on)('server timings over the CLI and HTTP', () => {
  test('metricgl ingest of 1e6 points, then /api/view of 10 x 1e5 at W = 1000', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metricgl-server-http-bench-'));
    try {
      const runs = 10, per = 1e5;
      const rand = mulberry32(3);
      const parts: string[] = ['run,metric,step,value,time_ms\n'];
      for (let s = 0; s < runs; s++) {
        let v = 3, rows = '';
        for (let k = 0; k < per; k++) rows += `r${s},loss,${k},${(v = Math.max(0.1, v + (rand() - 0.52) * 0.05))},${k * 250}\n`;
        parts.push(rows);
      }
      const csv = parts.join('');
      writeFileSync(join(dir, 'big.csv'), csv);
      const db = join(dir, 'bench.duckdb');
      const r = spawnSync(process.execPath, ['bin/metricgl.mjs', 'ingest', '--db', db, '--threads', String(threads), join(dir, 'big.csv')], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      console.log(`CLI (CSV ${(csv.length / 1e6).toFixed(0)} MB): ${r.stdout.trim()}`);

      // the same query in process, for what HTTP adds
      const view = { series: [...Array(runs).keys()], xColumn: 'x' as const, x0: 0, x1: per - 1, W: 1000, yScale: 'linear' as const };
      const store = await openStore(db, { threads });
      const direct: number[] = [];
      for (let k = 0; k < 6; k++) {
        const t = performance.now();
        await m4Query(store.db, view);
        direct.push(performance.now() - t);
      }
      store.close();
      direct.sort((a, b) => a - b);
      console.log(`m4Query in process, same store: median ${direct[3].toFixed(1)} ms (min ${direct[0].toFixed(1)})`);

      const server = await startSourceServer({ db, port: 0, threads });
      try {
        const body = JSON.stringify(view);
        const post = async () => {
          const t = performance.now();
          const res = await fetch(`${server.url}/api/view`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          const bytes = (await res.arrayBuffer()).byteLength;
          expect(res.status).toBe(200);
          return { ms: performance.now() - t, bytes };
        };
        await post(); // warm
        const times: number[] = [];
        let bytes = 0;
        for (let k = 0; k < 11; k++) {
          const v = await post();
          times.push(v.ms);
          bytes = v.bytes;
        }
        times.sort((a, b) => a - b);
        console.log(`/api/view ${runs} x ${per}, W = 1000, full range: median ${times[5].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[10].toFixed(1)}), ${bytes} bytes`);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
