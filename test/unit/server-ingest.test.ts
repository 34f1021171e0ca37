import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/server/cli';
import { ingestFiles } from '../../src/server/ingest';
import { compact, openStore, type Store } from '../../src/server/schema';
import { eventProto, record, writeEvents } from '../fixtures/tfevents';

const HOSTILE = `'; DROP TABLE points; --`;
const HTML = '<img src=x onerror="alert(1)">';
const QUOTES = `it's "quoted"`;

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-ingest-'));
  store = await openStore(join(dir, 'store.duckdb'), { threads: 1 });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string, params: (string | number)[] = []): Promise<unknown[][]> {
  return (await store.db.runAndReadAll(sql, params)).getRows();
}

async function pointsOf(metric: string): Promise<[number, number][]> {
  const r = await rows('SELECT p.x, p.y FROM points p JOIN series s ON s.id = p.series WHERE s.metric = $1 ORDER BY p.x, p.ord', [metric]);
  return r.map(([x, y]) => [Number(x), Number(y)]);
}

function csv(run: string, metric: string, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += `"${run.replace(/"/g, '""')}",${metric},${i},${i / 2}\n`;
  return s;
}

describe('ingest', () => {
  test('hostile names arrive as data, the tables survive', async () => {
    const path = join(dir, 'hostile.csv');
    writeFileSync(path, 'run,metric,step,value\n' + csv(HOSTILE, 'm_hostile', 0, 5) + csv(HTML, 'm_html', 0, 3) + csv(QUOTES, 'm_quotes', 0, 2));
    const r = await ingestFiles(store.db, [path]);
    expect(r).toMatchObject({ files: 1, points: 10, errors: [] });
    const runs = await rows(`SELECT run, metric, points FROM series WHERE metric LIKE 'm\\_%' ESCAPE '\\' ORDER BY metric`);
    expect(runs).toEqual([
      [HOSTILE, 'm_hostile', 5n],
      [HTML, 'm_html', 3n],
      [QUOTES, 'm_quotes', 2n],
    ]);
    expect(await pointsOf('m_hostile')).toEqual([0, 1, 2, 3, 4].map((i) => [i, i / 2]));
  });

  test('again: nothing; grown: only the new lines; a half-written line is read once finished', async () => {
    const path = join(dir, 'grow.csv');
    writeFileSync(path, 'run,metric,step,value\n' + csv('a', 'grow', 0, 100));
    expect((await ingestFiles(store.db, [path])).points).toBe(100);
    expect(await ingestFiles(store.db, [path])).toMatchObject({ files: 0, points: 0, removed: 0 });
    appendFileSync(path, csv('a', 'grow', 100, 150));
    expect(await ingestFiles(store.db, [path])).toMatchObject({ files: 1, points: 50, removed: 0 });
    appendFileSync(path, 'a,grow,150,7'); // no line break yet: 7 may become 75 (the loaders skip such a line)
    expect(await ingestFiles(store.db, [path])).toMatchObject({ files: 1, points: 0, removed: 0, warnings: [] });
    appendFileSync(path, '5\n' + csv('a', 'grow', 151, 160));
    expect(await ingestFiles(store.db, [path])).toMatchObject({ points: 10, removed: 0 });
    const pts = await pointsOf('grow');
    expect(pts.length).toBe(160);
    expect(pts[150]).toEqual([150, 75]);
    expect(pts.every(([x, y], i) => x === i && (i === 150 || y === i / 2))).toBe(true);
    expect(await rows(`SELECT points FROM files WHERE path = $1`, [path])).toEqual([[160n]]);
  });

  test('a rewritten file replaces its own points only; series merged from two files keep the other', async () => {
    const a = join(dir, 'merge-a.jsonl');
    const b = join(dir, 'merge-b.jsonl');
    const line = (step: number, v: number) => JSON.stringify({ run: 'r', metric: 'merged', step, value: v }) + '\n';
    writeFileSync(a, [0, 1, 2].map((s) => line(s, 1)).join(''));
    writeFileSync(b, [3, 4].map((s) => line(s, 2)).join(''));
    await ingestFiles(store.db, [a, b]);
    expect((await pointsOf('merged')).map((p) => p[1])).toEqual([1, 1, 1, 2, 2]);
    writeFileSync(a, [0, 1].map((s) => line(s, 9)).join('')); // shorter and different
    expect(await ingestFiles(store.db, [a, b])).toMatchObject({ files: 1, points: 2, removed: 3 });
    expect(await pointsOf('merged')).toEqual([[0, 9], [1, 9], [3, 2], [4, 2]]);
    writeFileSync(a, [0, 1].map((s) => line(s, 8)).join('')); // same size, other bytes
    expect(await ingestFiles(store.db, [a])).toMatchObject({ files: 1, points: 2, removed: 2 });
    expect((await pointsOf('merged')).map((p) => p[1])).toEqual([8, 8, 2, 2]);
    expect(await rows(`SELECT points FROM series WHERE metric = 'merged'`)).toEqual([[4n]]);
  });

  test('repeated steps keep the order they were logged in', async () => {
    const path = join(dir, 'restart.csv');
    writeFileSync(path, 'metric,step,value\nrestart,0,1\nrestart,1,2\nrestart,2,3\nrestart,1,20\nrestart,2,30\n');
    await ingestFiles(store.db, [path]);
    expect((await pointsOf('restart')).map((p) => p[1])).toEqual([1, 2, 20, 3, 30]);
  });

  test('event files: grown by records, a half-written record waits, the clock continues', async () => {
    const path = join(dir, 'run1', 'events.out.tfevents.1700000000.host');
    const ev = (step: number) => ({ step, wall: 1.7e9 + step, tag: 'tf/loss', value: step / 4 });
    rmSync(join(dir, 'run1'), { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(join(dir, 'run1'));
    writeFileSync(path, writeEvents([0, 1, 2].map(ev)));
    await ingestFiles(store.db, [path], { root: dir });
    const next = record(eventProto(ev(3)));
    appendFileSync(path, next.subarray(0, 10));
    expect(await ingestFiles(store.db, [path], { root: dir })).toMatchObject({ files: 1, points: 0 });
    appendFileSync(path, next.subarray(10));
    expect(await ingestFiles(store.db, [path], { root: dir })).toMatchObject({ files: 1, points: 1 });
    const r = await rows(`SELECT s.run, p.x, p.y, p.time FROM points p JOIN series s ON s.id = p.series WHERE s.metric = 'tf/loss' ORDER BY p.x`);
    expect(r.map((row) => row.map((v) => (typeof v === 'string' ? v : Number(v))))).toEqual([0, 1, 2, 3].map((s) => ['run1', s, s / 4, s * 1000]));
  });

  test('gzip files are read whole, and again only when they change', async () => {
    const path = join(dir, 'g.csv.gz');
    writeFileSync(path, gzipSync('metric,step,value\ngz,0,1\ngz,1,2\n'));
    expect((await ingestFiles(store.db, [path])).points).toBe(2);
    expect((await ingestFiles(store.db, [path])).files).toBe(0);
    writeFileSync(path, gzipSync('metric,step,value\ngz,0,1\ngz,1,2\ngz,2,3\n'));
    expect(await ingestFiles(store.db, [path])).toMatchObject({ points: 3, removed: 2 });
  });

  test('metricgl ingest DIR reads the gzip logs in the folder too', async () => {
    const logs = join(dir, 'gzdir');
    mkdirSync(join(logs, 'run1'), { recursive: true });
    writeFileSync(join(logs, 'run1', 'm.csv.gz'), gzipSync('metric,step,value\ngzdir,0,1\ngzdir,1,2\ngzdir,2,4\n'));
    writeFileSync(join(logs, 'plain.csv'), 'metric,step,value\ngzplain,0,1\n');
    const db = join(dir, 'cli.duckdb');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['ingest', '--db', db, logs], { out: (s) => out.push(s), err: (s) => err.push(s) }, false);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const s = await openStore(db, { threads: 1 });
    try {
      const r = (await s.db.runAndReadAll('SELECT metric, points FROM series ORDER BY metric')).getRows();
      expect(r).toEqual([
        ['gzdir', 3n],
        ['gzplain', 1n],
      ]);
    } finally {
      s.close();
    }
  });

  test('a file that is no log is an error, the others are read', async () => {
    const bad = join(dir, 'notes.txt');
    const good = join(dir, 'ok.csv');
    writeFileSync(bad, 'hello\n');
    writeFileSync(good, 'metric,step,value\nok,0,1\n');
    const r = await ingestFiles(store.db, [bad, good]);
    expect(r.errors.length).toBe(1);
    expect(r.points).toBe(1);
  });

  test('compact keeps every point', async () => {
    const before = await rows('SELECT count(*), sum(x), sum(y) FROM points');
    await compact(store.db);
    expect(await rows('SELECT count(*), sum(x), sum(y) FROM points')).toEqual(before);
  });
});
