/** connectSource against a real server over a real DuckDB file: listing, filters, errors that name the query. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { ingestFiles } from '../../src/server/ingest';
import { openStore } from '../../src/server/schema';
import { connectSource } from '../../src/source/client';

let dir: string;
let server: SourceServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-source-client-'));
  const paths = ['alpha', 'beta'].map((run) => {
    const p = join(dir, `${run}.csv`);
    writeFileSync(p, 'metric,step,value\n' + Array.from({ length: 50 }, (_, i) => `loss,${i},${1 + i / 10}\nacc,${i},${i / 50}`).join('\n') + '\n');
    return p;
  });
  const db = join(dir, 's.duckdb');
  const store = await openStore(db, { threads: 1 });
  await ingestFiles(store.db, paths, { root: dir });
  store.close();
  server = await startSourceServer({ db, port: 0, threads: 1 });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('series lists by metric and remembers what it listed', async () => {
  const src = connectSource(server.url + '/');
  expect(src.url).toBe(server.url);
  const loss = await src.series({ metric: 'loss' });
  expect(loss).toHaveLength(2);
  for (const s of loss) {
    expect(s.metric).toBe('loss');
    expect(s.points).toBe(50);
    expect(s.extent.x).toEqual([0, 49]);
    expect(src.listed(s.id)).toBe(s);
  }
  expect((await src.info()).points).toBe(200);
  src.close();
});

test('a filter string is parsed here and sent as its AST', async () => {
  const src = connectSource(server.url);
  const all = await src.series({ metric: 'loss' });
  const one = all[0];
  const picked = await src.series({ metric: 'loss', where: `run == ${JSON.stringify(one.run)}` });
  expect(picked.map((s) => s.id)).toEqual([one.id]);
});

test('errors name the query', async () => {
  const dead = connectSource('http://127.0.0.1:9');
  const seen: string[] = [];
  dead.on('error', (e) => seen.push(e.message));
  await expect(dead.series()).rejects.toThrow(/^series list: .*unreachable/);
  expect(seen[0]).toMatch(/^series list/);
  expect(() => connectSource('ftp://x')).toThrow(TypeError);
});
