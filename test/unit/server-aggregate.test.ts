/**
 * Groups aggregated by the metricgl server (POST /api/aggregate, /api/aggregate/hover,
 * /api/aggregated; server/aggregates.ts), over real HTTP and a real DuckDB file. The server
 * reads every point of a group's runs and aggregates them with the worker's code (align.ts); its
 * view of each group is then the M4 of the three curves. Oracles: m4Reference over the curves
 * aggregated in memory from the logged points (what the in-browser path draws), bit for bit,
 * and the plain float64 aggregate (aggregate/reference.ts) for aggregated(). Data: NaN, ±Inf,
 * values <= 0, uneven and repeated steps (a restarted run), runs of different extent. Run against
 * both stores: a DuckDB file and a two-shard ClickHouse cluster (clickhouse-server processes
 * started here; that half is skipped, and says so, where clickhouse-server is not installed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clickhouseServerCommand } from '../clickhouse/binary.mjs';
import { startCluster, type Cluster } from '../clickhouse/cluster.mjs';
import { aggregateRuns, type AggParams, type AggRun } from '../../src/aggregate/align';
import { aggregateReference } from '../../src/aggregate/reference';
import { loadTQuantile } from '../../src/aggregate/tquantile';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { smooth, type SmoothParams } from '../../src/smooth/reference';
import type { GroupAt, SourceSeries } from '../../src/source/api';
import { decodeAggregated } from '../../src/source/aggregatedlayout';
import { decode } from '../../src/source/layout';
import type { M4Result, M4View } from '../../src/source/m4';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import { nearestFinite } from '../../src/store/search';
import { mulberry32, randInt } from './prng';

interface Pt { step: number; y: number; ord: number }
const data = new Map<string, Pt[]>();
const ENGINES = ['duckdb', ...(clickhouseServerCommand() !== null ? ['clickhouse'] : [])] as const;
if (ENGINES.length === 1) console.warn('server-aggregate: the ClickHouse half SKIPPED: clickhouse-server not found (node test/ensure-clickhouse.mjs installs it as root)');

let dir: string;
let server: SourceServer;
let sids = new Map<string, number>();

const fmt = (y: number) => (Number.isNaN(y) ? 'nan' : y === Infinity ? 'inf' : y === -Infinity ? '-inf' : String(y));

function logRun(run: string, n: number, step0: number, rand: () => number, restartAt = -1): string {
  const pts = data.get(run) ?? [];
  data.set(run, pts);
  let step = step0, rows = '';
  let level = 2 + rand() * 3;
  for (let k = 0; k < n; k++) {
    if (k === restartAt) step = Math.floor(step * 0.6);
    level *= 0.999 + rand() * 0.0015;
    const u = rand();
    const y = u < 0.03 ? NaN : u < 0.035 ? Infinity : u < 0.05 ? -Math.fround(rand()) : u < 0.052 ? Math.fround(level * 40) : Math.fround(level * (0.9 + rand() * 0.2));
    pts.push({ step, y, ord: pts.length });
    rows += `${run},loss,${step},${fmt(y)}\n`;
    step += rand() < 0.1 ? 0 : randInt(rand, 1, 4);
  }
  return rows;
}

const post = (path: string, body: unknown) =>
  fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function ingest(csv: string): Promise<void> {
  const r = await fetch(`${server.url}/api/ingest?name=posted.csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'run,metric,step,value\n' + csv });
  expect(r.status).toBe(200);
  const list = ((await (await post('/api/series', {})).json()) as { series: SourceSeries[] }).series;
  sids = new Map(list.map((s) => [s.run, s.sid]));
}

/** A run as the store orders it (step, then logged order), as the worker holds it. */
function runOf(name: string): AggRun {
  const pts = [...data.get(name)!].sort((a, b) => a.step - b.step || a.ord - b.ord);
  return { x: Float64Array.from(pts, (p) => p.step), y: Float32Array.from(pts, (p) => p.y), n: pts.length };
}

const GROUPS = [['a1', 'a2', 'a3'], ['b1', 'b2'], ['c1']];
const groupSids = (groups = GROUPS) => groups.map((g) => g.map((r) => sids.get(r)!));

/** The expected view: the groups aggregated in memory (align.ts, float32 curves), smoothed, then m4Reference. */
function expected(v: Omit<M4View, 'series'>, p: AggParams, params: SmoothParams | null, groups = GROUPS): M4Result {
  const series: RefSeries[] = [];
  groups.forEach((g, gi) => {
    const r = aggregateRuns(g.map(runOf), p);
    const x = r.x.slice(0, r.length);
    [r.line, r.low, r.high].forEach((vals, k) => {
      const y = Float32Array.from(vals.subarray(0, r.length));
      const drawn = params ? smooth(x, y, params, new Float32Array(y.length)) : y;
      series.push({ id: 3 * gi + k, step: x, y: drawn });
    });
  });
  const want = m4Reference(series, { ...v, series: series.map((s) => s.id) });
  if (params) {
    // counts are those of the aggregate's own values, as for smoothed views
    const raw = m4Reference(series.map((s, i) => {
      const gi = Math.floor(i / 3), r = aggregateRuns(groups[gi].map(runOf), p);
      return { ...s, y: Float32Array.from([r.line, r.low, r.high][i % 3].subarray(0, r.length)) };
    }), { ...v, series: series.map((s) => s.id) });
    want.series.nonFinite = raw.series.nonFinite;
    want.series.nonPositive = raw.series.nonPositive;
  }
  return want;
}

async function aggregateView(v: Omit<M4View, 'series'>, p: AggParams, smoothing: SmoothParams | null, groups = GROUPS): Promise<M4Result> {
  const r = await post('/api/aggregate', { ...v, groups: groupSids(groups), line: p.line, band: p.band, yScale: p.log ? 'log' : 'linear', smoothing });
  expect(r.status, await r.clone().text()).toBe(200);
  return decode(await r.arrayBuffer()).result;
}

async function same(v: Omit<M4View, 'series' | 'yScale'>, p: AggParams, smoothing: SmoothParams | null = null): Promise<M4Result> {
  const view = { ...v, yScale: p.log ? 'log' as const : 'linear' as const };
  const got = await aggregateView(view, p, smoothing);
  const want = expected(view, p, smoothing);
  expect(got.series).toEqual(want.series);
  expect(got.buckets).toEqual(want.buckets);
  expect(got.points).toEqual(want.points);
  return got;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-aggregate-'));
  await loadTQuantile(); // expected() aggregates ci95 bands here too
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const engine of ENGINES) describe(`groups aggregated by the server over ${engine}`, () => {
  let cluster: Cluster | null = null;

  beforeAll(async () => {
    if (engine === 'duckdb') server = await startSourceServer({ db: join(dir, 'agg.duckdb'), port: 0, threads: 1 });
    else {
      cluster = await startCluster({ shards: 2 });
      server = await startSourceServer({ clickhouse: { url: cluster.shards[0].http, database: 'metricgl_agg', cluster: cluster.cluster, shards: cluster.shards.map((s) => s.http) }, port: 0 });
    }
    data.clear();
    const rand = mulberry32(33);
    await ingest(
      logRun('a1', 4000, 0, rand) + logRun('a2', 3000, 3, rand, 2000) + logRun('a3', 5000, 10, rand) +
      logRun('b1', 2500, 0, rand) + logRun('b2', 60, 500, rand) + logRun('c1', 1500, 7, rand) + logRun('other', 1000, 0, rand),
    );
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await cluster?.stop();
  });

  for (const [line, band] of [['mean', 'minmax'], ['median', 'std'], ['mean', 'ci95'], ['median', 'none']] as const) {
    for (const log of [false, true]) {
      test(`${line} / ${band}, ${log ? 'log' : 'linear'} y: whole range, a cut range, a narrow view`, async () => {
        const p = { line, band, log };
        await same({ xColumn: 'x', x0: 0, x1: 16000, W: 300 }, p);
        await same({ xColumn: 'x', x0: 1234.5, x1: 5678.25, W: 200 }, p);
        const r = await same({ xColumn: 'x', x0: 500, x1: 700, W: 800 }, p);
        expect(r.points.x.length).toBeGreaterThan(100); // sparse there: the curves' own points
      });
    }
  }

  test('smoothed: every mode over every union x, pan and slider moves', async () => {
    const p: AggParams = { line: 'mean', band: 'minmax', log: false };
    const modes: SmoothParams[] = [
      { mode: 'ema', weight: 0.9, range: 0 }, { mode: 'time-weighted', weight: 0.6, range: 16000 },
      { mode: 'running-average', weight: 0, window: 25, range: 0 }, { mode: 'centred', weight: 0, window: 31, range: 0 },
      { mode: 'gaussian', weight: 0, sigma: 30, range: 0 },
    ];
    for (const s of modes) await same({ xColumn: 'x', x0: 0, x1: 16000, W: 300 }, p, s);
    for (const [x0, x1, w] of [[2000, 6000, 0.9], [3000, 7000, 0.9], [3000, 7000, 0.6]]) await same({ xColumn: 'x', x0, x1, W: 250 }, p, { mode: 'ema', weight: w, range: 0 });
  });

  test('a spike of one run is in the min-max band at every zoom', async () => {
    const spike = data.get('a1')!.find((q) => Number.isFinite(q.y) && q.y > 20)!;
    for (const [x0, x1, W] of [[0, 16000, 100], [spike.step - 500, spike.step + 500, 300], [spike.step - 5, spike.step + 5, 300]]) {
      const r = await aggregateView({ xColumn: 'x', x0, x1, W, yScale: 'linear' }, { line: 'mean', band: 'minmax', log: false }, null);
      const highs = [...r.buckets.maxY.filter((_, i) => r.buckets.series[i] === 2), ...r.points.y.filter((_, i) => r.points.series[i] === 2)];
      expect(Math.max(...highs)).toBeGreaterThanOrEqual(spike.y);
    }
  });

  test('hover: each group at its union x nearest the cursor, with the smoothed line', async () => {
    const p: AggParams = { line: 'mean', band: 'std', log: false };
    const sm: SmoothParams = { mode: 'ema', weight: 0.8, range: 0 };
    for (const x of [0, 1500.4, 2999.5, 9000, 1e6]) {
      const r = await post('/api/aggregate/hover', { groups: groupSids(), xColumn: 'x', line: p.line, band: p.band, yScale: 'linear', x, smoothing: sm });
      expect(r.status).toBe(200);
      const got = ((await r.json()) as { groups: (GroupAt | null)[] }).groups;
      GROUPS.forEach((g, gi) => {
        const a = aggregateRuns(g.map(runOf), p);
        const xs = a.x.slice(0, a.length), line32 = Float32Array.from(a.line.subarray(0, a.length));
        const i = nearestFinite(xs, line32, a.length, x, 'linear');
        const s = smooth(xs, line32, sm, new Float32Array(line32.length))[i];
        expect(got[gi]).toEqual({ x: xs[i], line: a.line[i], low: a.low[i], high: a.high[i], n: a.n[i], smoothed: Number.isFinite(s) ? s : null });
      });
    }
  });

  // the plain definition is slow (a sort per union x): the two-run group, with time to spare on a loaded machine
  test('aggregated: the whole group, equal to the plain float64 definition', async () => {
    for (const band of ['minmax', 'ci95'] as const) {
      const r = await post('/api/aggregated', { groups: [groupSids()[1]], xColumn: 'x', line: 'median', band, yScale: 'log' });
      expect(r.status).toBe(200);
      const got = decodeAggregated(await r.arrayBuffer());
      const want = aggregateReference(GROUPS[1].map(runOf), { line: 'median', band, log: true });
      expect(Array.from(got.x)).toEqual(want.x);
      expect(Array.from(got.n)).toEqual(want.n);
      for (const k of ['line', 'low', 'high'] as const) {
        want[k].forEach((w, i) => {
          if (Number.isNaN(w)) expect(got[k][i]).toBeNaN();
          else expect(Math.abs(got[k][i] - w)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w)));
        });
      }
    }
  }, 30_000);

  test('an ingest that appends to a member is aggregated again; the rest is kept', async () => {
    const v = { xColumn: 'x' as const, x0: 0, x1: 30000, W: 300 };
    const p: AggParams = { line: 'mean', band: 'minmax', log: false };
    const q: AggParams = { line: 'median', band: 'ci95', log: true };
    const ema: SmoothParams = { mode: 'ema', weight: 0.8, range: 0 };
    await same(v, p);
    await same(v, q, ema);
    const before = server.stats();
    // a2 grows at its end (on DuckDB, whose ingest says where each run grew, group a is brought
    // up to date past a2's old last step); c1 gets earlier steps (group c aggregated anew)
    const last = data.get('a2')!.at(-1)!.step;
    await ingest(logRun('a2', 3000, last + 1, mulberry32(8)) + logRun('c1', 10, 100, mulberry32(9)));
    await same(v, p);
    await same(v, q, ema);
    // a1 grows past every other run, from its last step again: the union x grows at its end
    await ingest(logRun('a1', 500, data.get('a1')!.at(-1)!.step, mulberry32(10)));
    await same(v, p);
    await same(v, q, ema);
    await same({ ...v, x0: 9000, x1: 12000 }, q);
    const after = server.stats();
    // both parameter sets: group a after each ingest, group c after the first
    const extended = engine === 'duckdb' ? 4 : 0;
    expect(after.groupsExtended - before.groupsExtended).toBe(extended);
    expect(after.groupsAggregated - before.groupsAggregated).toBe(6 - extended);
  });

  test.skipIf(engine !== 'clickhouse')('a shard down: groups with a series there are left out and named, the others answered; back up, all of them', async () => {
    // the Distributed table puts series s on shard s % 2: one group all on shard 0, one across both
    const names = GROUPS.flat();
    const even = names.filter((r) => sids.get(r)! % 2 === 0), odd = names.filter((r) => sids.get(r)! % 2 === 1);
    expect(even.length, JSON.stringify([...sids])).toBeGreaterThan(1);
    expect(odd.length).toBeGreaterThan(0);
    const groups = [even.slice(0, 2), [even[0], odd[0]], odd.slice(0, 1)];
    const all = groupSids(groups);
    const down = new Set(all.flat().filter((sid) => sid % 2 === 1));
    const v = { xColumn: 'x' as const, x0: 0, x1: 16000, W: 200, yScale: 'linear' as const };
    const p: AggParams = { line: 'mean', band: 'minmax', log: false };
    // a few points more on every run: the columns the server held for them are dropped, so the
    // next aggregate has to read the store (an answer from held columns needs no shard)
    const rand = mulberry32(77);
    await ingest(names.map((r) => logRun(r, 5, data.get(r)!.at(-1)!.step + 1, rand)).join(''));
    await cluster!.shardDown(1);
    try {
      const r = await post('/api/aggregate', { ...v, groups: all, line: p.line, band: p.band });
      expect(r.status, await r.clone().text()).toBe(200);
      expect(r.headers.get('x-metricgl-unanswered')).toBe([...down].sort((a, b) => a - b).join(','));
      const got = decode(await r.arrayBuffer()).result;
      // the answered groups, at their own positions (series 3g..3g + 2), equal to the in-memory aggregate
      const want = expected(v, p, null, groups);
      const keep = (id: number) => all[Math.floor(id / 3)].every((sid) => !down.has(sid));
      expect(Array.from(got.series.id)).toEqual(Array.from(want.series.id).filter(keep));
      expect(Array.from(got.buckets.maxY)).toEqual(Array.from(want.buckets.maxY).filter((_, i) => keep(want.buckets.series[i])));
      const hover = await post('/api/aggregate/hover', { groups: all, xColumn: 'x', line: p.line, band: p.band, yScale: 'linear', x: 1000 });
      const h = (await hover.json()) as { groups: (GroupAt | null)[]; unanswered: number[] };
      expect(h.groups.map((g) => g !== null)).toEqual(all.map((g) => g.every((sid) => !down.has(sid))));
      expect(h.unanswered.sort((a, b) => a - b)).toEqual([...down].sort((a, b) => a - b));
      const split = all.find((g) => g.some((sid) => down.has(sid)))!;
      const one = await post('/api/aggregated', { groups: [split], xColumn: 'x', line: p.line, band: p.band, yScale: 'linear' });
      expect(one.status).toBe(503);
      expect(((await one.json()) as { error: string }).error).toMatch(/aggregated: series .* cannot be read now \(a shard down\)/);
    } finally {
      await cluster!.shardUp(1);
    }
    expect(await aggregateView(v, p, null, groups)).toEqual(expected(v, p, null, groups));
  });

  test('bad queries are a 400 naming the query and the field', async () => {
    const base = { groups: groupSids(), xColumn: 'x', line: 'mean', band: 'minmax', yScale: 'linear', x0: 0, x1: 100, W: 10 };
    const cases: [string, unknown, RegExp][] = [
      ['/api/aggregate', { ...base, groups: [] }, /aggregate view: "groups" must be a non-empty array/],
      ['/api/aggregate', { ...base, groups: [[1, 'x']] }, /aggregate view: bad series id "x"/],
      ['/api/aggregate', { ...base, line: "'; DROP TABLE points; --" }, /aggregate view: "line" must be "mean" or "median"/],
      ['/api/aggregate', { ...base, band: 'iqr' }, /aggregate view: "band" must be/],
      ['/api/aggregate', { ...base, x1: -1 }, /aggregate view: bad x range/],
      ['/api/aggregate/hover', { ...base, x: 'left' }, /aggregate hover: "x" must be a finite number/],
      ['/api/aggregated', { ...base, groups: groupSids() }, /aggregated: "groups" must hold one group, not 3/],
    ];
    for (const [path, body, re] of cases) {
      const r = await post(path, body);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(re);
    }
    // the server still answers
    await same({ xColumn: 'x', x0: 0, x1: 100, W: 10 }, { line: 'mean', band: 'minmax', log: false });
  });
});
