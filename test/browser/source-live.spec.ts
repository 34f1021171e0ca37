/**
 * A chart of source series follows its server with no call by the app: points ingested (POST
 * /api/ingest) are drawn once the server says they grew, a server stopped and started again on
 * the same port and file is waited for and caught up with, and a series that vanished from it
 * is named in an `error` while the rest is drawn. Real servers over real DuckDB files.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameInfo } from '../../src/index';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { ingestBytes } from '../../src/server/ingest';
import { openStore } from '../../src/server/schema';
import { diffFraction, openHarness, shotPlot } from './helpers';

const ORIGIN = 'http://127.0.0.1:5199';
let dir: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-source-live-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
test.beforeEach(async ({ page }) => openHarness(page));

/** y of step i of run r: the same float32 in node (written) and in the page (the arrays). */
const Y = `((r, i) => Math.fround(1 + (r === 'r1' ? 2 : 1) * Math.exp(-i / 700) + 0.1 * Math.sin(i * (r === 'r1' ? 0.37 : 0.11))))`;
const yOf = eval(Y) as (r: string, i: number) => number;

function csv(run: string, from: number, to: number): string {
  const lines = ['metric,step,value'];
  for (let i = from; i < to; i++) lines.push(`loss,${i},${yOf(run, i)}`);
  return lines.join('\n') + '\n';
}

async function post(server: SourceServer, run: string, from: number, to: number): Promise<void> {
  const res = await fetch(`${server.url}/api/ingest?name=${run}.csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv(run, from, to) });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A chart of the server's loss series; the page keeps what it saw of the chart's events. */
async function sourceChart(page: Page, url: string, opts: Record<string, unknown> = {}, group: string | null = null): Promise<{ ids: Record<string, string>; frame: FrameInfo }> {
  return page.evaluate(async ([url, opts, group]) => {
    const w = window as unknown as { metricgl: typeof import('../../src/index'); ch?: import('../../src/index').Chart; seen: unknown[] };
    w.seen = [];
    const src = w.metricgl.connectSource(url);
    const listed = (await src.series({ metric: 'loss' })).sort((a, b) => (a.run < b.run ? -1 : 1));
    w.ch?.destroy();
    w.ch = w.metricgl.createChart(document.getElementById('chart')!, opts);
    w.ch.on('source', (e) => w.seen.push({ source: e.state }));
    w.ch.on('error', (e) => w.seen.push({ error: e.message, id: e.id }));
    const ids: Record<string, string> = {};
    for (const s of listed) ids[s.run.replace(/\.csv$/, '')] = s.id;
    w.ch.setSeries(listed.map((s) => ({ id: s.id, source: src, color: s.run.startsWith('r1') ? '#d62728' : '#1f77b4', width: 1, ...(group && { group }) })));
    return { ids, frame: await w.ch.rendered() };
  }, [url, opts, group] as const);
}

/** The chart's frame once it holds `points` (drawn by itself, after the server told it). */
async function frameWith(page: Page, points: number): Promise<FrameInfo> {
  return page.evaluate(async (points) => {
    const w = window as unknown as { ch: import('../../src/index').Chart };
    for (const t0 = performance.now(); performance.now() - t0 < 20_000; ) {
      const f = await w.ch.rendered().catch(() => null);
      if (f && f.points === points) return f;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the chart never held ${points} points (last: ${(await w.ch.rendered().catch(() => null))?.points})`);
  }, points);
}

/** The same runs from arrays (steps [0, n) each), the reference picture. */
async function arrayChart(page: Page, runs: [string, number, string][], opts: Record<string, unknown> = {}, group: string | null = null): Promise<FrameInfo> {
  return page.evaluate(async ([Y, runs, opts, group]) => {
    const w = window as unknown as { metricgl: typeof import('../../src/index'); ch?: import('../../src/index').Chart };
    const yOf = eval(Y) as (r: string, i: number) => number;
    w.ch?.destroy();
    w.ch = w.metricgl.createChart(document.getElementById('chart')!, opts);
    w.ch.setSeries(runs.map(([r, n, id]) => ({
      id, x: Float64Array.from({ length: n }, (_, k) => k), y: Float32Array.from({ length: n }, (_, k) => yOf(r, k)), color: r === 'r1' ? '#d62728' : '#1f77b4', width: 1,
      ...(group && { group }),
    })));
    return w.ch.rendered();
  }, [Y, runs, opts, group] as const);
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: { source?: string; error?: string; id?: string }[] }).seen);

test('points ingested while the chart shows the run are drawn without a call: exact counts, x follows, a zoom stays', async ({ page }) => {
  const db = join(dir, 'live.duckdb');
  const server = await startSourceServer({ db, port: 0, cors: [ORIGIN], threads: 1 });
  try {
    await post(server, 'r1', 0, 1000);
    await post(server, 'r2', 0, 600);
    const { ids, frame: f0 } = await sourceChart(page, server.url);
    expect(f0.points).toBe(1600);
    expect(f0.xDomain[1]).toBe(999);

    await post(server, 'r1', 1000, 2500);
    const f1 = await frameWith(page, 3100);
    expect(f1.xDomain).toEqual([0, 2499]);
    const live = await shotPlot(page, f1);
    const a = await arrayChart(page, [['r1', 2500, ids.r1], ['r2', 600, ids.r2]]);
    expect(a.xDomain).toEqual(f1.xDomain);
    expect(a.yDomain).toEqual(f1.yDomain);
    // drawn exactly as the arrays: nothing twice, nothing missing
    expect(diffFraction(live, await shotPlot(page, a))).toBe(0);

    // zoomed: the view stays where it is, the counts still follow
    await sourceChart(page, server.url, { xDomain: [100, 500] });
    await post(server, 'r2', 600, 900);
    const f2 = await frameWith(page, 3400);
    expect(f2.xDomain).toEqual([100, 500]);
    expect((await seen(page)).filter((e) => e.error)).toEqual([]);
  } finally {
    await server.close();
  }
});

test('a group of source runs follows a growing run: the server aggregates it again, drawn as the arrays\' aggregate', async ({ page }) => {
  const server = await startSourceServer({ db: join(dir, 'live-group.duckdb'), port: 0, cors: [ORIGIN], threads: 1 });
  const opts = { aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' } };
  const union = () => page.evaluate(async () => {
    const g = await (window as unknown as { ch: import('../../src/index').Chart }).ch.aggregated('seeds');
    return { length: g.x.length, n800: g.n[800] };
  });
  try {
    await post(server, 'r1', 0, 1000);
    await post(server, 'r2', 0, 600);
    const { ids } = await sourceChart(page, server.url, opts, 'seeds');
    expect(await union()).toEqual({ length: 1000, n800: 1 });
    await post(server, 'r2', 600, 900);
    const f = await frameWith(page, 1900);
    expect(f.groups).toBe(1);
    expect(await union()).toEqual({ length: 1000, n800: 2 }); // r2 now reaches step 800
    const live = await shotPlot(page, f);
    const a = await arrayChart(page, [['r1', 1000, ids.r1], ['r2', 900, ids.r2]], opts, 'seeds');
    expect(a.yDomain).toEqual(f.yDomain);
    expect(diffFraction(live, await shotPlot(page, a))).toBe(0);
  } finally {
    await server.close();
  }
});

test('a server stopped and started again: lost, then caught up (counts exact); a vanished series is named, the rest drawn', async ({ page }) => {
  const db = join(dir, 'restart.duckdb');
  let server = await startSourceServer({ db, port: 0, cors: [ORIGIN], threads: 1 });
  const port = Number(new URL(server.url).port);
  try {
    await post(server, 'r1', 0, 1000);
    await post(server, 'r2', 0, 600);
    const { ids, frame: f0 } = await sourceChart(page, server.url);
    expect(f0.points).toBe(1600);
    const before = await shotPlot(page, f0);

    await server.close();
    await expect.poll(async () => (await seen(page)).map((e) => e.source).filter(Boolean)).toEqual(['lost']);
    // the last picture stays
    const f0b = await page.evaluate(() => (window as unknown as { ch: import('../../src/index').Chart }).ch.rendered());
    expect(diffFraction(before, await shotPlot(page, f0b))).toBe(0);

    // while it is down: r1 grows (no page listens), r2 is removed
    const store = await openStore(db, { threads: 1 });
    await ingestBytes(store.db, 'r1.csv', new TextEncoder().encode(csv('r1', 1000, 1800)));
    const sid = Number((await store.db.runAndReadAll(`SELECT id FROM series WHERE key = $1`, [ids.r2])).getRows()[0][0]);
    await store.db.run('DELETE FROM points WHERE series = $1', [sid]);
    await store.db.run('DELETE FROM series WHERE id = $1', [sid]);
    store.close();

    server = await startSourceServer({ db, port, cors: [ORIGIN], threads: 1 });
    const f1 = await frameWith(page, 1800);
    expect(f1.xDomain).toEqual([0, 1799]);
    const events = await seen(page);
    expect(events.map((e) => e.source).filter(Boolean)).toEqual(['lost', 'ok']);
    const named = events.filter((e) => e.id);
    expect(named).toHaveLength(1);
    expect(named[0].id).toBe(ids.r2);
    expect(named[0].error).toContain(JSON.stringify(ids.r2));
    const after = await shotPlot(page, f1);
    const a = await arrayChart(page, [['r1', 1800, ids.r1]]);
    expect(a.yDomain).toEqual(f1.yDomain);
    expect(diffFraction(after, await shotPlot(page, a))).toBe(0);
  } finally {
    await server.close();
  }
});
