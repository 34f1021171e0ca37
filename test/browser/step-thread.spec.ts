/**
 * The built server's step thread (dist-server/stepworker.js; from the TypeScript sources there is
 * none, so the unit tests never run it): views over the step files with half of their series
 * reduced there give the bytes the plain query gives, and a view does use it.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Built {
  openStore(path: string): Promise<{ db: unknown; close(): void }>;
  ingestFiles(db: unknown, paths: string[]): Promise<unknown>;
  buildStepFiles(path: string): Promise<{ series: number }>;
  startSourceServer(o: { db: string; port: number; m4?: string }): Promise<{ url: string; settled(): Promise<void>; stats(): { stepFiles: { shared: number; held: number } | null }; close(): Promise<void> }>;
}

test('views shared with the step thread equal the plain query, byte for byte', async () => {
  const built = (await import(pathToFileURL(join(process.cwd(), 'dist-server', 'index.js')).href)) as Built;
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-step-thread-'));
  const saved = process.env.METRICGL_STEP_THREAD;
  try {
    let csv = 'run,metric,step,value\n';
    for (let r = 0; r < 5; r++) for (let i = 0; i < 12_000; i++) csv += `r${r},loss,${i * (r + 1)},${i % 991 === 0 ? 'nan' : i % 3001 === 0 ? 'inf' : Math.sin(i / 70) + r - (i % 4093 === 0 ? 9 : 0)}\n`;
    writeFileSync(join(dir, 'a.csv'), csv);
    const db = join(dir, 'store.duckdb');
    const store = await built.openStore(db);
    await built.ingestFiles(store.db, [join(dir, 'a.csv')]);
    store.close();
    expect((await built.buildStepFiles(db)).series).toBe(5);
    const views = [
      { xColumn: 'x', x0: 0, x1: 60_000, W: 400, yScale: 'linear' },
      { xColumn: 'x', x0: 1000.5, x1: 9000, W: 250, yScale: 'log' },
      { xColumn: 'x', x0: 10, x1: 50_000, W: 120, yScale: 'linear', xScale: 'log' },
    ];
    const answers = async (m4: string) => {
      const srv = await built.startSourceServer({ db, port: 0, m4 });
      try {
        await srv.settled();
        const list = (await (await fetch(`${srv.url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as { series: { sid: number }[] };
        const out: Buffer[] = [];
        for (const v of views) {
          const res = await fetch(`${srv.url}/api/view`, { method: 'POST', body: JSON.stringify({ ...v, series: list.series.map((s) => s.sid) }), headers: { 'content-type': 'application/json' } });
          expect(res.status).toBe(200);
          out.push(Buffer.from(await res.arrayBuffer()));
        }
        return { out, stats: srv.stats().stepFiles };
      } finally {
        await srv.close();
      }
    };
    process.env.METRICGL_STEP_THREAD = 'all';
    const shared = await answers('steps');
    expect(shared.stats).toMatchObject({ held: 5, shared: views.length });
    process.env.METRICGL_STEP_THREAD = '0';
    const alone = await answers('steps');
    expect(alone.stats).toMatchObject({ held: 5, shared: 0 });
    const naive = await answers('naive');
    for (let i = 0; i < views.length; i++) {
      expect(shared.out[i].equals(naive.out[i])).toBe(true);
      expect(alone.out[i].equals(naive.out[i])).toBe(true);
    }
  } finally {
    if (saved === undefined) delete process.env.METRICGL_STEP_THREAD;
    else process.env.METRICGL_STEP_THREAD = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});
