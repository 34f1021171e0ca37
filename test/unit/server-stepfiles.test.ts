/**
 * A server's step files over HTTP: written in the background after it opens its store and after
 * each ingest (settled() says when), views answered from them equal to the plain query's; and a
 * store whose step-file folder cannot be made serves by SQL, saying why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSourceServer } from '../../src/server/http';
import { ingestFiles } from '../../src/server/ingest';
import { openStore } from '../../src/server/schema';

let dir: string;
const csv = (run: string, from: number, to: number) => {
  let s = '';
  for (let i = from; i < to; i++) s += `${run},loss,${i},${i % 499 === 0 ? 'nan' : Math.cos(i / 90) + (i % 1777 === 0 ? 4 : 0)}\n`;
  return s;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-stepfiles-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function makeStore(name: string): Promise<string> {
  const db = join(dir, name);
  writeFileSync(join(dir, `${name}.csv`), 'run,metric,step,value\n' + csv('a', 0, 6000) + csv('b', 0, 9000));
  const store = await openStore(db, { threads: 1 });
  try {
    await ingestFiles(store.db, [join(dir, `${name}.csv`)]);
  } finally {
    store.close();
  }
  return db;
}

async function view(url: string): Promise<Buffer> {
  const list = (await (await fetch(`${url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as { series: { sid: number }[] };
  const body = JSON.stringify({ series: list.series.map((s) => s.sid), xColumn: 'x', x0: 100.5, x1: 8000, W: 200, yScale: 'log' });
  const res = await fetch(`${url}/api/view`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

test('a server writes its step files after opening and after an ingest; its views equal the plain query', async () => {
  const db = await makeStore('s.duckdb');
  const naive = await startSourceServer({ db, port: 0, threads: 1, m4: 'naive' });
  const expected = await view(naive.url).finally(() => naive.close());
  const server = await startSourceServer({ db, port: 0, threads: 1 });
  try {
    await server.settled();
    expect(server.stats().stepFiles).toMatchObject({ held: 2, written: 2, appended: 0 });
    expect((await view(server.url)).equals(expected)).toBe(true);
    // a run grows at its end: appended to, not written again
    const res = await fetch(`${server.url}/api/ingest?name=b`, { method: 'POST', body: 'metric,step,value\n' + csv('b', 9000, 9500).replace(/^b,/gm, ''), headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    await server.settled();
    expect(server.stats().stepFiles).toMatchObject({ held: 2, written: 2, appended: 1, pointsWritten: 15_500 });
  } finally {
    await server.close();
  }
});

test('a step-file folder that cannot be made: the server says so and serves by SQL', async () => {
  const db = await makeStore('t.duckdb');
  const naive = await startSourceServer({ db, port: 0, threads: 1, m4: 'naive' });
  const expected = await view(naive.url).finally(() => naive.close());
  writeFileSync(`${db}.steps`, 'a file where the folder would go');
  const warnings: string[] = [];
  const server = await startSourceServer({ db, port: 0, threads: 1, warn: (m) => warnings.push(m) });
  try {
    await server.settled();
    expect(warnings.join('\n')).toMatch(/step files under .*t\.duckdb\.steps: .* \(views read by SQL\)/);
    expect(server.stats().stepFiles).toBeNull();
    expect((await view(server.url)).equals(expected)).toBe(true);
  } finally {
    await server.close();
  }
});
