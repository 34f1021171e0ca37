/**
 * The metricgl server's HTTP API on a real loopback socket, over each store: a real DuckDB file
 * in a temp folder, and a real two-shard ClickHouse cluster (clickhouse-server processes started
 * here; skipped, and said so, where the package is missing): the series list and its filters,
 * hostile names as data, view bytes against the DuckDB m4Query of the same file (so the two
 * stores answer byte for byte alike), hover against a brute-force reference.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clickhouseServerCommand } from '../clickhouse/binary.mjs';
import { startCluster, type Cluster } from '../clickhouse/cluster.mjs';
import { parseFilter } from '../../src/query/filter';
import type { ClickHouseConn } from '../../src/server/clickhouse/conn';
import { ingestFilesClickHouse } from '../../src/server/clickhouse/ingest';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { ingestFiles } from '../../src/server/ingest';
import { m4Query } from '../../src/server/m4sql';
import { openStore } from '../../src/server/schema';
import type { HoverPoint, SourceInfo, SourceSeries } from '../../src/source/api';
import { decode } from '../../src/source/layout';
import type { M4Result, M4View, XColumnName } from '../../src/source/m4';
import { mulberry32, randInt } from './prng';

const HOSTILE = `'; DROP TABLE points; --`;
const HTML = '<img src=x onerror="alert(1)">';
const QUOTES = `it's "quoted"`;
const RUNS = ['alpha', 'beta', HOSTILE, HTML, QUOTES];

interface Pt { step: number; y: number; time: number; ord: number }
/** The points of each series as logged: run -> metric -> points. */
const data = new Map<string, Pt[]>();

const ENGINES = ['duckdb', ...(clickhouseServerCommand() !== null ? ['clickhouse'] : [])] as const;
if (ENGINES.length === 1) console.warn('server-http: the ClickHouse half SKIPPED: clickhouse-server not found (node test/ensure-clickhouse.mjs installs it as root)');

let dir: string;
let dbPath: string;
let sids: Map<string, number>;
const views: { view: M4View; expected: M4Result }[] = [];

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-http-'));
  const rand = mulberry32(11);
  let csv = 'run,metric,lr,step,value,time_ms\n';
  RUNS.forEach((run, r) => {
    for (const metric of ['loss', 'acc']) {
      const n = metric === 'loss' ? randInt(rand, 2000, 4000) : randInt(rand, 5, 40);
      const pts: Pt[] = [];
      for (let k = 0; k < n; k++) {
        // a restart at 70%: steps from 40% again, time keeps growing; a few NaN / Inf values
        const step = k < n * 0.7 ? k * 2 : Math.floor(n * 0.4) * 2 + (k - Math.floor(n * 0.7)) * 2;
        const u = rand();
        const y = u < 0.03 ? NaN : u < 0.04 ? Infinity : Math.fround(Math.exp(rand() * 3 - 1));
        const time = k * 100 + (k % 9 === 0 ? 50 : 0);
        pts.push({ step, y, time, ord: k });
        csv += `${q(run)},${metric},${r % 2 ? '1e-3' : '3e-4'},${step},${Number.isNaN(y) ? 'nan' : y === Infinity ? 'inf' : y},${time}\n`;
      }
      data.set(`${run}\0${metric}`, pts);
    }
  });
  writeFileSync(join(dir, 'runs.csv'), csv);
  dbPath = join(dir, 'store.duckdb');
  const store = await openStore(dbPath, { threads: 1 });
  const r = await ingestFiles(store.db, [join(dir, 'runs.csv')]);
  expect(r.errors).toEqual([]);
  const rows = (await store.db.runAndReadAll('SELECT run, metric, id FROM series')).getRows();
  sids = new Map(rows.map(([run, metric, id]) => [`${String(run)}\0${String(metric)}`, Number(id)]));
  // the answers m4Query gives, computed before the server holds the file
  const all = [...sids.values()];
  for (const v of [
    { series: all, xColumn: 'x', x0: 0, x1: 8000, W: 300, yScale: 'linear' },
    { series: all, xColumn: 'time', x0: 1000, x1: 200_000, W: 57, yScale: 'log' },
    { series: all.slice(0, 3), xColumn: 'x', x0: 500.5, x1: 900.25, W: 1000, yScale: 'linear' },
  ] as M4View[]) views.push({ view: v, expected: await m4Query(store.db, v) });
  store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

for (const engine of ENGINES) describe(`metricgl server API over ${engine}`, () => {
  let server: SourceServer;
  let cluster: Cluster | null = null;

  beforeAll(async () => {
    if (engine === 'duckdb') {
      server = await startSourceServer({ db: dbPath, port: 0, threads: 1 });
      return;
    }
    cluster = await startCluster({ shards: 2 });
    const conn: ClickHouseConn = { url: cluster.shards[0].http, database: 'metricgl_http', cluster: cluster.cluster, shards: cluster.shards.map((s) => s.http) };
    const r = await ingestFilesClickHouse(conn, [join(dir, 'runs.csv')]);
    expect(r.errors).toEqual([]);
    server = await startSourceServer({ clickhouse: conn, port: 0 });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await cluster?.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function seriesList(query: object): Promise<SourceSeries[]> {
    const r = await post('/api/series', query);
    expect(r.status).toBe(200);
    return ((await r.json()) as { series: SourceSeries[] }).series;
  }

  test('GET /api/source counts series and points', async () => {
    const info = (await (await fetch(server.url + '/api/source')).json()) as SourceInfo;
    let points = 0;
    for (const p of data.values()) points += p.length;
    expect(info).toEqual({ version: 1, engine, series: RUNS.length * 2, points });
  });

  test('GET /api/logdir (the explorer\'s first question) answers 200: no folder for the page to tail, and what this server is', async () => {
    const r = await fetch(server.url + '/api/logdir');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/json/);
    const info = (await (await fetch(server.url + '/api/source')).json()) as SourceInfo;
    expect(await r.json()).toEqual({ dir: null, files: [], demoData: false, source: info });
  });

  test('POST /api/series: all, by metric, by a parsed filter; extents and x columns', async () => {
    const all = await seriesList({});
    expect(all).toHaveLength(10);
    const loss = await seriesList({ metric: 'loss' });
    expect(loss.map((s) => s.run).sort()).toEqual([...RUNS].sort());
    const where = parseFilter('lr == "1e-3" and not (run ~ "^al")');
    const some = await seriesList({ metric: 'loss', where });
    expect(some.map((s) => s.run).sort()).toEqual([RUNS[1], RUNS[3]].sort());
    const s = loss.find((x) => x.run === 'alpha')!;
    const pts = data.get('alpha\0loss')!;
    const fin = pts.filter((p) => Number.isFinite(p.y)).map((p) => p.y);
    expect(s).toMatchObject({ sid: sids.get('alpha\0loss'), metric: 'loss', points: pts.length, xColumns: ['x', 'time'] });
    expect(s.extent.x).toEqual([0, Math.max(...pts.map((p) => p.step))]);
    expect(s.extent.time).toEqual([Math.min(...pts.map((p) => p.time)), Math.max(...pts.map((p) => p.time))]);
    expect(s.yExtent).toEqual([Math.min(...fin), Math.max(...fin)]);
    expect(s.fields.lr).toBe('3e-4');
  });

  test('hostile names come back as data, and filter as data', async () => {
    for (const run of [HOSTILE, HTML, QUOTES]) {
      const got = await seriesList({ where: { op: '==', field: 'run', value: run } });
      expect(got.map((s) => [s.run, s.metric]).sort()).toEqual([[run, 'acc'], [run, 'loss']]);
    }
    const r = await fetch(server.url + '/api/source');
    expect(((await r.json()) as SourceInfo).points).toBeGreaterThan(0); // the table is still there
  });

  test('POST /api/view answers exactly what DuckDB\'s m4Query answers on the same file', async () => {
    for (const { view, expected } of views) {
      const r = await post('/api/view', view);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/octet-stream');
      const { result, W } = decode(await r.arrayBuffer());
      expect(W).toBe(view.W);
      expect(result).toEqual(expected);
      expect(result.buckets.series.length + result.points.series.length).toBeGreaterThan(0);
    }
  });

  test('POST /api/hover: the nearest point of each series, as a brute force finds it', async () => {
    const rand = mulberry32(5);
    const ids = [...sids.values()];
    for (let t = 0; t < 40; t++) {
      const xColumn: XColumnName = t % 2 ? 'time' : 'x';
      const x = t % 7 === 0 ? randInt(rand, 0, 3000) * 2 : rand() * (xColumn === 'x' ? 8200 : 420_000) - 100;
      const r = await post('/api/hover', { series: ids, xColumn, x });
      expect(r.status).toBe(200);
      const got = ((await r.json()) as { points: HoverPoint[] }).points;
      const want = [...sids].map(([key, sid]) => bruteHover(sid, data.get(key)!, xColumn, x)).filter((p) => p !== null).sort((a, b) => a.sid - b.sid);
      expect(got).toEqual(want);
    }
  });
});

/** Sort by the store's order, then scan: what the worker's hover would pick. */
function bruteHover(sid: number, pts: Pt[], xColumn: XColumnName, c: number): HoverPoint | null {
  const v = (p: Pt) => (xColumn === 'x' ? p.step : p.time);
  const sorted = [...pts].sort((a, b) => v(a) - v(b) || a.step - b.step || a.ord - b.ord);
  const fin = sorted.map((p, i) => ({ p, i })).filter(({ p }) => Number.isFinite(p.y));
  if (fin.length === 0) return null;
  const lo = fin.filter(({ p }) => v(p) < c).at(-1);
  const hi = fin.find(({ p }) => v(p) >= c);
  const pick = !lo ? hi! : !hi ? lo : c - v(lo.p) <= v(hi.p) - c ? lo : hi;
  return {
    sid, index: pick.i, x: v(pick.p), y: pick.p.y, columns: { x: pick.p.step, time: pick.p.time },
    firstX: v(fin[0].p), lastX: v(fin[fin.length - 1].p),
  };
}
