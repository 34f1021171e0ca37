/**
 * An ingest's parse thread (src/server/feedthread.ts) stores exactly what a parse in the ingest's
 * own thread stores. Run here, after `npm run build`, because only the server's build has the
 * worker's file (from the TypeScript sources the unit tests always parse in one thread). No page:
 * two DuckDB stores fed the same files, step by step, by the built `ingestFiles`, one with the
 * thread for every file and one without, compared table by table.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { clickhouseServerCommand } from '../clickhouse/binary.mjs';
import { startCluster } from '../clickhouse/cluster.mjs';
import { eventProto, record, writeEvents } from '../fixtures/tfevents';

interface Built {
  ingestFilesClickHouse(conn: { url: string; database: string }, paths: string[], opts?: Record<string, unknown>): Promise<Record<string, unknown>>;
  openStore(path: string, opts?: { threads?: number }): Promise<{ db: Db; close(): void }>;
  ingestFiles(db: Db, paths: string[], opts?: Record<string, unknown>): Promise<Record<string, unknown>>;
}
interface Db {
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
}

const TABLES = [
  'SELECT * FROM points ORDER BY series, ord',
  'SELECT * FROM series ORDER BY id',
  'SELECT * EXCLUDE (ingested_at) FROM files ORDER BY id',
  'SELECT * FROM runs ORDER BY run',
  'SELECT * FROM lod ORDER BY lv, series, b',
  'SELECT * FROM lod_series ORDER BY series',
];

async function dump(db: Db): Promise<string[]> {
  const out: string[] = [];
  for (const sql of TABLES) {
    const rows = (await db.runAndReadAll(sql)).getRows();
    // NaN and -0 written out, so that the comparison tells them apart
    out.push(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && (v !== v || Object.is(v, -0)) ? String(Object.is(v, -0) ? '-0' : v) : v)));
  }
  return out;
}

const ev = (step: number, wall: number) => ({ step, wall, tag: 'train/loss', value: 1 / (step + 1) });

test('the parse thread stores what a parse in one thread stores: CSV, JSON Lines, events, gzip, bad rows and files, out-of-order runs, grown and rewritten files', async () => {
  const built = (await import(pathToFileURL(join(process.cwd(), 'dist-server', 'index.js')).href)) as Built;
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-thread-'));
  try {
    const logs = join(dir, 'logs');
    mkdirSync(join(logs, 'run1'), { recursive: true });
    // several runs and metrics interleaved, float32 values printed with 16-17 digits, a bad row, NaN, inf
    const f = new Float32Array(1);
    let csv = 'run,metric,step,time,value\n';
    for (let i = 0; i < 6000; i++) {
      f[0] = Math.exp(-i / 900) * (1 + 0.1 * Math.sin(i));
      const v = i % 997 === 5 ? 'nan' : i % 1499 === 7 ? 'inf' : String(f[0]);
      csv += `r${i % 3},${i % 2 ? 'loss' : 'acc'},${Math.floor(i / 6)},${i * 1.5},${v}\n`;
      if (i === 3001) csv += 'r0,loss,oops,1,2\n';
    }
    writeFileSync(join(logs, 'a.csv'), csv);
    writeFileSync(join(logs, 'b.jsonl'), Array.from({ length: 2000 }, (_, i) => JSON.stringify({ run: 'b', step: i, time: i * 2, loss: 1 / (i + 1), acc: i / 2000 })).join('\n') + '\n');
    writeFileSync(join(logs, 'broken.csv'), 'not,a,log\n1,2,3\n');
    // a restarted run: steps go back (the writer's sorted path)
    writeFileSync(join(logs, 'restart.csv'), 'metric,step,value\nrestart,0,1\nrestart,1,2\nrestart,2,3\nrestart,1,20\nrestart,2,30\n');
    writeFileSync(join(logs, 'g.csv.gz'), gzipSync('metric,step,value\ngz,0,1\ngz,1,2\n'));
    // two event files of one run: the second continues the clock the first set
    writeFileSync(join(logs, 'run1', 'events.out.tfevents.1700000000.host'), writeEvents([0, 1, 2].map((s) => ev(s, 1.7e9 + s))));
    writeFileSync(join(logs, 'run1', 'events.out.tfevents.1700000100.host'), writeEvents([3, 4].map((s) => ev(s, 1.7e9 + 100 + s))));
    const paths = () => ['a.csv', 'broken.csv', 'b.jsonl', 'restart.csv', 'g.csv.gz', 'run1/events.out.tfevents.1700000000.host', 'run1/events.out.tfevents.1700000100.host'].map((p) => join(logs, p));

    const stores = await Promise.all(['thread', 'here'].map((n) => built.openStore(join(dir, `${n}.duckdb`), { threads: 1 })));
    const ingest = async () => {
      // small pieces: many acknowledgements, the thread held back and files queued ahead
      const [a, b] = [
        await built.ingestFiles(stores[0].db, paths(), { root: logs, chunkBytes: 4096, threadBytes: 0 }),
        await built.ingestFiles(stores[1].db, paths(), { root: logs, chunkBytes: 4096, threadBytes: Infinity }),
      ];
      expect(a.parseThread).toBe(true);
      expect(b.parseThread).toBe(false);
      const strip = (r: Record<string, unknown>) => ({ ...r, seconds: 0, parseThread: null });
      expect(strip(a)).toEqual(strip(b));
      expect(await dump(stores[0].db)).toEqual(await dump(stores[1].db));
      return a;
    };
    try {
      const first = await ingest();
      expect(first).toMatchObject({ files: 6, points: 6000 + 4000 + 5 + 2 + 5 });
      expect(first.errors).toEqual([expect.stringMatching(/broken\.csv/)]);
      expect(first.warnings).toEqual([expect.stringMatching(/a\.csv: line 3004: .*step/)]);

      // grown (from an offset, the header fed again), a half-written event record, a rewritten gzip
      appendFileSync(join(logs, 'a.csv'), 'r1,loss,2000,1,0.5\nr2,acc,2000,1,0.25\n');
      const next = record(eventProto(ev(5, 1.7e9 + 105)));
      appendFileSync(join(logs, 'run1', 'events.out.tfevents.1700000100.host'), next.subarray(0, 10));
      writeFileSync(join(logs, 'g.csv.gz'), gzipSync('metric,step,value\ngz,0,1\ngz,1,2\ngz,2,3\n'));
      expect(await ingest()).toMatchObject({ files: 3, points: 2 + 0 + 3, removed: 2 });
      appendFileSync(join(logs, 'run1', 'events.out.tfevents.1700000100.host'), next.subarray(10));
      expect(await ingest()).toMatchObject({ files: 1, points: 1 });
      // and the clock of run1 runs on from the first file's first wall
      const times = (await stores[0].db.runAndReadAll(`SELECT p.time FROM points p JOIN series s ON s.id = p.series WHERE s.run = 'run1' ORDER BY p.x`)).getRows();
      expect(times.map((r) => Number(r[0]))).toEqual([0, 1000, 2000, 103000, 104000, 105000]);
    } finally {
      for (const s of stores) s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('into ClickHouse too: the parse thread stores what a parse in one thread stores, a flush of full buffers after each piece', async () => {
  test.skip(clickhouseServerCommand() === null, 'clickhouse-server not found (node test/ensure-clickhouse.mjs installs it as root)');
  test.setTimeout(180_000);
  const built = (await import(pathToFileURL(join(process.cwd(), 'dist-server', 'index.js')).href)) as Built;
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-thread-ch-'));
  const cluster = await startCluster({ shards: 1 });
  try {
    const logs = join(dir, 'logs');
    mkdirSync(join(logs, 'run1'), { recursive: true });
    let csv = 'run,metric,step,value\n';
    for (let i = 0; i < 9000; i++) csv += `r${i % 3},loss,${Math.floor(i / 3)},${i % 811 === 3 ? 'nan' : String(Math.fround(1 / (i + 1)))}\n`;
    writeFileSync(join(logs, 'a.csv'), csv);
    writeFileSync(join(logs, 'broken.csv'), 'not,a,log\n1,2,3\n');
    writeFileSync(join(logs, 'b.jsonl'), Array.from({ length: 1500 }, (_, i) => JSON.stringify({ run: 'b', step: i, loss: 1 / (i + 1), acc: i / 1500 })).join('\n') + '\n');
    writeFileSync(join(logs, 'restart.csv'), 'metric,step,value\nrestart,0,1\nrestart,1,2\nrestart,1,20\n');
    writeFileSync(join(logs, 'run1', 'events.out.tfevents.1700000000.host'), writeEvents([0, 1, 2].map((s) => ev(s, 1.7e9 + s))));
    writeFileSync(join(logs, 'run1', 'events.out.tfevents.1700000100.host'), writeEvents([3, 4].map((s) => ev(s, 1.7e9 + 100 + s))));
    const paths = ['a.csv', 'broken.csv', 'b.jsonl', 'restart.csv', 'run1/events.out.tfevents.1700000000.host', 'run1/events.out.tfevents.1700000100.host'].map((p) => join(logs, p));
    const url = cluster.shards[0].http;
    const sql = async (q: string) => {
      const r = await fetch(`${url}/`, { method: 'POST', body: `${q} FORMAT JSONCompact` });
      if (!r.ok) throw new Error(`${q}: ${await r.text()}`);
      return JSON.stringify(((await r.json()) as { data: unknown[] }).data);
    };
    const dump = async (db: string) =>
      Promise.all([
        sql(`SELECT series, x, ord, y, time, wall, epoch, file FROM ${db}.points ORDER BY series, ord`),
        sql(`SELECT id, key, run, metric, fields, points, next_ord, has_time, has_wall, has_epoch FROM ${db}.series FINAL ORDER BY id`),
        sql(`SELECT id, path, kind, gzip, size, complete, head_len, head_hash, before_hash, points, warnings FROM ${db}.files FINAL ORDER BY id`),
        sql(`SELECT * FROM ${db}.runs FINAL ORDER BY run`),
      ]);
    const ingest = async () => {
      // small pieces and buffers: many flushes between pieces, the thread held back
      const opts = { root: logs, chunkBytes: 4096, flushPoints: 1000 };
      const a = await built.ingestFilesClickHouse({ url, database: 'thread_on' }, paths, { ...opts, threadBytes: 0 });
      const b = await built.ingestFilesClickHouse({ url, database: 'thread_off' }, paths, { ...opts, threadBytes: Infinity });
      expect(a.parseThread).toBe(true);
      expect(b.parseThread).toBe(false);
      const strip = (r: Record<string, unknown>) => ({ ...r, seconds: 0, parseThread: null });
      expect(strip(a)).toEqual(strip(b));
      expect(await dump('thread_on')).toEqual(await dump('thread_off'));
      return a;
    };
    expect(await ingest()).toMatchObject({ files: 5, points: 9000 + 3000 + 3 + 5 });
    appendFileSync(join(logs, 'a.csv'), 'r1,loss,3000,0.5\n');
    const next = record(eventProto(ev(5, 1.7e9 + 105)));
    appendFileSync(join(logs, 'run1', 'events.out.tfevents.1700000100.host'), next);
    expect(await ingest()).toMatchObject({ files: 2, points: 2 });
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
