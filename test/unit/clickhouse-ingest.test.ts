/**
 * Ingest into a two-shard ClickHouse cluster against ingest into a DuckDB file, step by step on
 * the same files: real logs (the shipped modded-nanogpt CSV, gzip), a file read again (nothing
 * added), grown (only what is new; a last line without its line break waits), rewritten
 * (replaced), an ingest cut off midway (undone by the next: no duplicates), text posted to
 * /api/ingest. After each step both stores report the same counts; at the end a server over each
 * answers the same series list, the same view bytes (raw, log y on time, smoothed) and the same
 * hovers. Real clickhouse-server processes, started and stopped here; skipped (and said so)
 * where the package is missing.
 */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clickhouseServerCommand } from '../clickhouse/binary.mjs';
import { startCluster, type Cluster } from '../clickhouse/cluster.mjs';
import type { ClickHouseConn } from '../../src/server/clickhouse/conn';
import { queryText } from '../../src/server/clickhouse/http';
import { ingestFilesClickHouse } from '../../src/server/clickhouse/ingest';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { ingestFiles, type IngestResult } from '../../src/server/ingest';
import { openStore } from '../../src/server/schema';
import type { HoverPoint, SourceSeries } from '../../src/source/api';
import { decode } from '../../src/source/layout';

const available = clickhouseServerCommand() !== null;
if (!available) console.warn('clickhouse-ingest: SKIPPED: clickhouse-server not found (node test/ensure-clickhouse.mjs installs it as root)');

let dir: string;
let cluster: Cluster;
let conn: ClickHouseConn;
const dbPath = () => join(dir, 'store.duckdb');

/** Ingest `paths` into both stores; both results (errors and warnings compared by the caller). */
async function both(paths: string[]): Promise<{ duck: IngestResult; ch: IngestResult }> {
  const store = await openStore(dbPath(), { threads: 1 });
  try {
    const duck = await ingestFiles(store.db, paths, { root: dir });
    const ch = await ingestFilesClickHouse(conn, paths, { root: dir });
    return { duck, ch };
  } finally {
    store.close();
  }
}

const counts = (r: IngestResult) => ({ files: r.files, points: r.points, removed: r.removed, warnings: r.warnings, errors: r.errors });

async function chPoints(): Promise<number> {
  return Number((await queryText(conn.url, `SELECT count() FROM ${conn.database}.points`, 'view'))[0][0]);
}

const csvLines = (run: string, from: number, n: number) =>
  Array.from({ length: n }, (_, k) => `${run},loss,${from + k},${(Math.exp(-(from + k) / 300) + ((from + k) % 97 === 0 ? 2 : 0)).toFixed(6)},${(from + k) * 250}\n`).join('');

describe.skipIf(!available)('ingest into ClickHouse equals ingest into DuckDB', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'metricgl-ch-ingest-'));
    cluster = await startCluster({ shards: 2 });
    conn = { url: cluster.shards[0].http, database: 'metricgl_ingest', cluster: cluster.cluster, shards: cluster.shards.map((s) => s.http) };
    copyFileSync(join(__dirname, '../../demo/data/modded-nanogpt-loss.csv.gz'), join(dir, 'nanogpt.csv.gz'));
    writeFileSync(join(dir, 'a.csv'), `run,metric,step,value,time_ms\n${csvLines('r1', 0, 800)}${csvLines('r2', 0, 600)}`);
    mkdirSync(join(dir, 'sweep'));
    writeFileSync(join(dir, 'sweep', 'b.jsonl'), Array.from({ length: 300 }, (_, k) => JSON.stringify({ metric: 'acc', step: k * 3, value: k % 50 === 7 ? 'NaN' : 1 - 1 / (k + 2), lr: '1e-3' }) + '\n').join(''));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const files = () => [join(dir, 'nanogpt.csv.gz'), join(dir, 'a.csv'), join(dir, 'sweep', 'b.jsonl')];

  test('first ingest, then the same files again: nothing added', async () => {
    const first = await both(files());
    expect(first.duck.points).toBeGreaterThan(300_000);
    expect(counts(first.ch)).toEqual(counts(first.duck));
    expect(await chPoints()).toBe(first.duck.points);
    const again = await both(files());
    expect(counts(again.ch)).toEqual({ files: 0, points: 0, removed: 0, warnings: [], errors: [] });
    expect(counts(again.duck)).toEqual(counts(again.ch));
    expect(await chPoints()).toBe(first.duck.points);
  }, 120_000);

  test('a grown file adds only what is new; a last line without its line break waits for it', async () => {
    const before = await chPoints();
    appendFileSync(join(dir, 'a.csv'), csvLines('r1', 800, 100) + 'r1,loss,900,0.5');
    const grown = await both(files());
    expect(counts(grown.ch)).toEqual(counts(grown.duck));
    expect(grown.ch.points).toBe(100);
    appendFileSync(join(dir, 'a.csv'), ',225000\n');
    const finished = await both(files());
    expect(counts(finished.ch)).toEqual(counts(finished.duck));
    expect(finished.ch.points).toBe(1);
    expect(await chPoints()).toBe(before + 101);
  }, 120_000);

  test('a rewritten file replaces its own points', async () => {
    writeFileSync(join(dir, 'sweep', 'b.jsonl'), Array.from({ length: 120 }, (_, k) => JSON.stringify({ metric: 'acc', step: k, value: k / 120, lr: '1e-3' }) + '\n').join(''));
    const r = await both(files());
    expect(counts(r.ch)).toEqual(counts(r.duck));
    expect(r.ch).toMatchObject({ removed: 300, points: 120 });
  }, 120_000);

  test('an ingest cut off midway leaves points behind; the next one removes them and reads the file again', async () => {
    const before = await chPoints();
    writeFileSync(join(dir, 'c.csv'), `run,metric,step,value\n${Array.from({ length: 500 }, (_, k) => `r3,loss,${k},${1 / (k + 1)}\n`).join('')}`);
    // gzip's magic, then garbage: gunzip fails after c.csv was read and its points sent
    writeFileSync(join(dir, 'd.csv.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]));
    const cut = [join(dir, 'c.csv'), join(dir, 'd.csv.gz')];
    await expect(ingestFilesClickHouse(conn, cut, { root: dir, flushPoints: 1 })).rejects.toThrow();
    expect(await chPoints()).toBe(before + 500); // really written, not yet recorded
    const store = await openStore(dbPath(), { threads: 1 });
    try {
      await expect(ingestFiles(store.db, cut, { root: dir })).rejects.toThrow(); // one transaction: nothing stays
    } finally {
      store.close();
    }
    const r = await both([join(dir, 'c.csv')]);
    expect(counts(r.ch)).toEqual(counts(r.duck));
    expect(r.ch.points).toBe(500);
    expect(await chPoints()).toBe(before + 500);
  }, 120_000);

  describe('a server over each store', () => {
    let duck: SourceServer, ch: SourceServer;
    beforeAll(async () => {
      duck = await startSourceServer({ db: dbPath(), port: 0, threads: 1 });
      ch = await startSourceServer({ clickhouse: conn, port: 0 });
    }, 60_000);
    afterAll(async () => {
      await duck?.close();
      await ch?.close();
    });

    const post = (s: SourceServer, path: string, body: unknown) =>
      fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const list = async (s: SourceServer) => ((await (await post(s, '/api/series', {})).json()) as { series: SourceSeries[] }).series;

    test('the same series list, views and hovers', async () => {
      const series = await list(duck);
      expect(series.length).toBeGreaterThan(5);
      expect(await list(ch)).toEqual(series);
      const ids = series.map((s) => s.sid);
      const xmax = Math.max(...series.map((s) => s.extent.x![1]));
      const tmax = Math.max(...series.map((s) => s.extent.time?.[1] ?? 0));
      const views = [
        { series: ids, xColumn: 'x', x0: 0, x1: xmax, W: 640, yScale: 'linear' },
        { series: ids, xColumn: 'x', x0: xmax * 0.1, x1: xmax * 0.12, W: 300, yScale: 'log' },
        { series: ids, xColumn: 'time', x0: 0, x1: tmax, W: 200, yScale: 'log' },
        { series: ids, xColumn: 'x', x0: 0, x1: xmax, W: 500, yScale: 'linear', smoothing: { weight: 0.6, mode: 'ema', range: xmax } },
        { series: ids, xColumn: 'x', x0: 10, x1: xmax, W: 400, yScale: 'log', xScale: 'log', smoothing: { weight: 0.8, mode: 'time-weighted', range: xmax } },
        // the window modes (issue 15): the same streamed smoothing over ClickHouse's answers
        { series: ids, xColumn: 'x', x0: 0, x1: xmax, W: 500, yScale: 'linear', smoothing: { mode: 'centred', window: 21 } },
        { series: ids, xColumn: 'time', x0: 0, x1: tmax, W: 300, yScale: 'linear', smoothing: { mode: 'gaussian', sigma: tmax / 200 } },
        { series: ids, xColumn: 'x', x0: xmax * 0.1, x1: xmax * 0.3, W: 300, yScale: 'log', smoothing: { mode: 'running-average', window: 50 } },
      ];
      for (const v of views) {
        const [a, b] = await Promise.all([post(duck, '/api/view', v), post(ch, '/api/view', v)]);
        expect(a.status).toBe(200);
        expect(b.status).toBe(200);
        const da = decode(await a.arrayBuffer()), db = decode(await b.arrayBuffer());
        expect(da.result.buckets.series.length + da.result.points.series.length).toBeGreaterThan(0);
        expect(db).toEqual(da);
      }
      for (const x of [0, 1234.5, xmax / 3, xmax + 10]) {
        for (const smoothing of [null, { weight: 0.6, mode: 'ema', range: xmax }, { mode: 'centred', window: 15 }]) {
          const q = { series: ids, xColumn: 'x', x, smoothing };
          const [a, b] = await Promise.all([post(duck, '/api/hover', q), post(ch, '/api/hover', q)]);
          const pa = ((await a.json()) as { points: HoverPoint[] }).points;
          expect(pa.length).toBeGreaterThan(0);
          expect(((await b.json()) as { points: HoverPoint[] }).points).toEqual(pa);
        }
      }
    }, 120_000);

    test('POST /api/ingest: the same reply and the same list after', async () => {
      const text = Array.from({ length: 50 }, (_, k) => JSON.stringify({ run: 'posted', metric: 'loss', step: k, value: 2 - k / 50 })).join('\n');
      const send = (s: SourceServer) => fetch(`${s.url}/api/ingest?name=posted.jsonl`, { method: 'POST', body: text });
      const [a, b] = [await send(duck), await send(ch)];
      expect(a.status).toBe(200);
      const ra = await a.json();
      expect(ra).toMatchObject({ points: 50 });
      expect(await b.json()).toEqual(ra);
      expect(await list(ch)).toEqual(await list(duck));
    }, 60_000);

    test('a store that does not answer: errors naming the query (view, hover), not a stack trace; the list still answers', async () => {
      const series = await list(ch);
      const ids = series.map((s) => s.sid);
      await cluster.shardDown(0);
      await cluster.shardDown(1);
      const v = await post(ch, '/api/view', { series: ids, xColumn: 'x', x0: 0, x1: 1000, W: 100, yScale: 'linear' });
      expect(v.status).toBe(500);
      const ve = ((await v.json()) as { error: string }).error;
      expect(ve).toMatch(/^view: the server failed: ClickHouse view query failed: cannot connect/);
      expect(ve).not.toMatch(/\n\s+at /);
      const h = await post(ch, '/api/hover', { series: ids, xColumn: 'x', x: 10 });
      expect(h.status).toBe(500);
      expect(((await h.json()) as { error: string }).error).toMatch(/^hover: the server failed: ClickHouse hover query failed: cannot connect/);
      expect(await list(ch)).toEqual(series); // held by the server
    }, 60_000);
  });
});
