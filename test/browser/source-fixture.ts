/**
 * The runs the source specs draw two ways (from arrays, from a metricgl server): generated once,
 * written as CSV logs into a real DuckDB store behind a real server, and rebuilt in the page from
 * the same code so both hold the same float32 values.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameInfo } from '../../src/index';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { ingestFiles } from '../../src/server/ingest';
import { openStore } from '../../src/server/schema';

/** Evaluated in node (to write the logs) and in the page (the arrays): the same float32 values. */
export const MAKE = `(() => {
  const runs = {};
  for (const [name, n, seed] of [['a', 40000, 1], ['b', 300, 2]]) {
    let s = seed;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const step = new Float64Array(n), time = new Float64Array(n), y = new Float32Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      step[i] = name === 'a' ? i : i * 130;
      t += 40 + (i % 500 === 0 ? 3000 : 0);
      time[i] = t;
      const u = rand();
      // NaN gaps, values <= 0 (skipped on log), a spike
      y[i] = i % 3000 > 2950 ? NaN : u < 0.01 ? -u : (1 + 3 * Math.exp(-i / 6000)) * (1 + 0.2 * rand()) + (i === 20000 ? 8 : 0);
    }
    runs[name] = { step, time, y };
  }
  return runs;
})()`;

export interface RunsServer {
  server: SourceServer;
  close(): Promise<void>;
}

/** A server over a new store holding runs a and b, in a temp folder named from `prefix`. */
export async function startRunsServer(prefix: string): Promise<RunsServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const runs = eval(MAKE) as Record<string, { step: Float64Array; time: Float64Array; y: Float32Array }>;
  const paths: string[] = [];
  for (const [name, r] of Object.entries(runs)) {
    const lines = ['metric,step,time,value'];
    for (let i = 0; i < r.y.length; i++) lines.push(`loss,${r.step[i]},${r.time[i]},${Number.isNaN(r.y[i]) ? 'nan' : r.y[i]}`);
    const p = join(dir, `run-${name}.csv`);
    writeFileSync(p, lines.join('\n') + '\n');
    paths.push(p);
  }
  const db = join(dir, 'runs.duckdb');
  const store = await openStore(db, { threads: 1 });
  await ingestFiles(store.db, paths, { root: dir });
  store.close();
  const server = await startSourceServer({ db, port: 0, cors: ['http://127.0.0.1:5199'], threads: 1 });
  return {
    server,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Opts = Record<string, unknown>;

/** Draw runs a and b (from arrays or from the source) with these options (and `perRun`: more fields of each run's input); the frame drawn. */
export async function drawRuns(page: import('@playwright/test').Page, url: string, from: 'arrays' | 'source' | 'mixed', opts: Opts, perRun: Record<string, Opts> = {}): Promise<FrameInfo> {
  return page.evaluate(async ([MAKE, url, from, opts, perRun]) => {
    const w = window as unknown as { metricgl: typeof import('../../src/index'); ch?: import('../../src/index').Chart };
    const d = eval(MAKE);
    w.ch?.destroy();
    w.ch = w.metricgl.createChart(document.getElementById('chart')!, opts);
    const src = w.metricgl.connectSource(url);
    const listed = await src.series({ metric: 'loss' });
    const key = (run: string) => listed.find((s) => s.run.includes(`run-${run}`))!.id;
    const styles = { a: { color: '#d62728', width: 1 }, b: { color: '#1f77b4', width: 1.5 } } as const;
    w.ch.setSeries((['a', 'b'] as const).map((run) => {
      const useSource = from === 'source' || (from === 'mixed' && run === 'b');
      return useSource
        ? { id: key(run), source: src, ...styles[run], ...perRun[run] }
        : { id: run === 'a' ? key('a') : key('b'), x: d[run].step, y: d[run].y, xs: { time: d[run].time }, ...styles[run], ...perRun[run] };
    }));
    return w.ch.rendered();
  }, [MAKE, url, from, opts, perRun] as const);
}

