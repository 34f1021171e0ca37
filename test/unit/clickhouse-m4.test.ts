/**
 * M4 on a two-shard ClickHouse cluster equals the float64 reference (source/m4ref.ts), on data
 * with every awkward case the reference defines a rule for, over many seeded random views.
 *
 * Needs clickhouse-server (`node test/ensure-clickhouse.mjs` installs Debian's as root; CI runs
 * it). Without one the suite is skipped and says so; it never passes without running.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clickhouseServerCommand } from '../clickhouse/binary.mjs';
import { startCluster, TEST_USER, type Cluster } from '../clickhouse/cluster.mjs';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import type { M4View, XColumnName } from '../../src/source/m4';
import type { ClickHouseConn } from '../../src/server/clickhouse/conn';
import { query, queryText } from '../../src/server/clickhouse/http';
import { insertPoints, insertSeries } from '../../src/server/clickhouse/insert';
import { m4QueryClickHouse } from '../../src/server/clickhouse/m4';
import { decodeRowBinary } from '../../src/server/clickhouse/rowbinary';
import { createClickHouseSchema } from '../../src/server/clickhouse/schema';
import { sqlFloat64 } from '../../src/server/clickhouse/sqlnumber';
import { mulberry32, randInt } from './prng';
import { expectExercised } from './m4-exercised';

const available = clickhouseServerCommand() !== null;
if (!available) {
  console.warn('clickhouse-m4: SKIPPED: clickhouse-server not found (node test/ensure-clickhouse.mjs installs it as root with apt)');
}

let cluster: Cluster;
let conn: ClickHouseConn;
const all: RefSeries[] = [];

/**
 * One series of one of several shapes: dense, sparse, restarted (steps logged again later, with
 * higher ordinals), few distinct steps (ties), uneven gaps; y with spikes, NaN, ±Inf, -0, 0 and
 * negatives; a time column with gaps (NaN) and a few infinite values.
 */
function makeSeries(id: number, shape: number, rand: () => number): RefSeries {
  const n = shape === 1 ? randInt(rand, 0, 40) : shape === 2 ? randInt(rand, 3000, 8000) : randInt(rand, 200, 1500);
  const step = new Float64Array(n);
  const y = new Float32Array(n);
  const time = new Float64Array(n);
  const restartAt = shape === 3 ? Math.floor(n * 0.7) : -1;
  let s = id % 3;
  for (let k = 0; k < n; k++) {
    if (restartAt >= 0 && k >= restartAt) step[k] = Math.floor(n * 0.4) + (k - restartAt);
    else if (shape === 4) step[k] = Math.floor(k / 7) * 3;
    else if (shape === 5) step[k] = s += rand() < 0.1 ? randInt(rand, 20, 200) : rand() < 0.3 ? 0.25 : 1; // uneven
    else step[k] = k * 2 + (id % 3);
    const u = rand();
    y[k] =
      u < 0.02 ? NaN : u < 0.03 ? Infinity : u < 0.035 ? -Infinity : u < 0.08 ? -rand() : u < 0.09 ? 0 : u < 0.095 ? -0
        : u < 0.1 ? 1 : u < 0.11 ? 50 * rand() // spikes
          : Math.exp(3 * (rand() - 0.5)) + (rand() < 0.2 ? Math.round(rand() * 4) : 0);
    const w = rand();
    time[k] = w < 0.05 ? NaN : w < 0.052 ? (w < 0.051 ? Infinity : -Infinity) : step[k] * 100 + (k % 13 === 0 ? 50 : 0);
  }
  return { id, step, y, columns: { time } };
}

async function same(view: M4View, c: ClickHouseConn = conn): Promise<ReturnType<typeof m4Reference>> {
  const ref = m4Reference(all, view);
  const got = await m4QueryClickHouse(c, view);
  expect(got.series).toEqual(ref.series);
  expect(got.points).toEqual(ref.points);
  expect(got.buckets).toEqual(ref.buckets);
  return ref;
}

const ids = () => all.map((s) => s.id);

describe.skipIf(!available)('ClickHouse M4 on a two-shard cluster equals the reference', () => {
  beforeAll(async () => {
    const t0 = performance.now();
    cluster = await startCluster({ shards: 2 });
    console.log(`clickhouse-m4: two shards up in ${Math.round(performance.now() - t0)} ms`);
    conn = { url: cluster.shards[0].http, database: 'metricgl_m4', cluster: cluster.cluster, shards: cluster.shards.map((s) => s.http) };
    await createClickHouseSchema(conn);
    await createClickHouseSchema(conn); // a second time: everything exists, nothing changes
    const rand = mulberry32(13);
    for (let k = 0; k < 48; k++) all.push(makeSeries(k * 3 + 1, k % 6, rand)); // ids 1, 4, 7, ...: both parities, so both shards
    // stretches with nothing drawable (NaN, then values <= 0 for log) wider than a column
    const n = 3000;
    const step = Float64Array.from({ length: n }, (_, k) => k * 4);
    const y = Float32Array.from({ length: n }, (_, k) => (k >= 1000 && k < 1100 ? NaN : k >= 2000 && k < 2100 ? -1 : 1 + Math.sin(k / 50) / 2));
    all.push({ id: 200, step, y, columns: { time: Float64Array.from(step, (v) => v * 10) } });
    await insertPoints(conn, all.map((s) => ({ series: s.id, file: 0, firstOrd: 0, x: Float64Array.from(s.step), y: s.y, time: s.columns!.time as Float64Array, wall: null, epoch: null })));
    await insertSeries(conn, all.map((s) => ({ id: s.id, key: `run-${s.id}\0loss\0{}`, run: `run-${s.id}`, metric: 'loss', fields: '{}', points: s.y.length, nextOrd: s.y.length, hasTime: true, hasWall: false, hasEpoch: false })));
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  test('each shard holds, and answers for, only its own series', async () => {
    const held: number[][] = [];
    for (const s of cluster.shards) {
      const rows = await queryText(s.http, 'SELECT series, count() FROM metricgl_m4.points_local GROUP BY series ORDER BY series', 'view');
      for (const [id, count] of rows) expect(Number(count)).toBe(all.find((r) => r.id === Number(id))!.y.length);
      held.push(rows.map((r) => Number(r[0])));
    }
    expect(held[0].length).toBeGreaterThan(5);
    expect(held[1].length).toBeGreaterThan(5);
    expect(held[0].filter((id) => held[1].includes(id))).toEqual([]);
    expect([...held[0], ...held[1]].sort((a, b) => a - b)).toEqual(all.filter((s) => s.y.length > 0).map((s) => s.id));
    // a shard's own M4 subquery (the dense split) sees its series only
    for (let k = 0; k < 2; k++) {
      const rows = await queryText(cluster.shards[k].http, 'SELECT DISTINCT series FROM metricgl_m4.points_local WHERE series IN (SELECT series FROM metricgl_m4.points_local)', 'view');
      expect(rows.map((r) => Number(r[0])).sort((a, b) => a - b)).toEqual(held[k]);
    }
    // the series table is a full copy on every shard
    for (const s of cluster.shards) expect((await queryText(s.http, 'SELECT count() FROM metricgl_m4.series FINAL', 'series list'))[0][0]).toBe(String(all.length));
  });

  test('view x0, x1 and span reach SQL as exactly the same doubles (-0, subnormals, huge)', async () => {
    const rand = mulberry32(5);
    const dv = new DataView(new ArrayBuffer(8));
    const vals = [-0, 0, 5e-324, -1.5e-310, 2.2250738585072014e-308, 1.7976931348623157e308, 2 ** 60, 1e21, 333.3, 0.1 + 0.2];
    while (vals.length < 400) {
      dv.setUint32(0, Math.floor(rand() * 2 ** 32));
      dv.setUint32(4, Math.floor(rand() * 2 ** 32));
      const v = dv.getFloat64(0);
      if (Number.isFinite(v)) vals.push(v);
    }
    const buf = await query(conn.url, `SELECT arrayJoin([${vals.map(sqlFloat64).join(', ')}])`, { purpose: 'view', format: 'RowBinary' });
    const got = decodeRowBinary(buf, ['Float64'])[0].values as Float64Array;
    expect(Array.from(got, (v, k) => Object.is(v, vals[k]) || `${vals[k]} came back as ${v}`).filter((v) => v !== true)).toEqual([]);
  });

  describe('fixed views', () => {
    for (const yScale of ['linear', 'log'] as const) {
      for (const W of [1, 7, 100, 1000]) {
        test(`${yScale}, W = ${W}, every series over the whole range`, () => same({ series: ids(), xColumn: 'x', x0: 0, x1: 20000, W, yScale }));
      }
      test(`${yScale}: a range that cuts the series (neighbours on both sides)`, () => same({ series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale }));
      test(`${yScale}: fractional edges and ties at column edges`, () => same({ series: ids(), xColumn: 'x', x0: 0.1, x1: 300.1, W: 3, yScale }));
      test(`${yScale}: the time column (gaps and infinite values)`, () => same({ series: ids(), xColumn: 'time', x0: 5000, x1: 150000, W: 400, yScale }));
    }
  });

  test('log x: columns cut at the worker\'s edges, whole and cut ranges, both y scales, the time column, random views', async () => {
    for (const yScale of ['linear', 'log'] as const) {
      await same({ series: ids(), xColumn: 'x', x0: 1, x1: 20000, W: 1000, yScale, xScale: 'log' });
      await same({ series: ids(), xColumn: 'x', x0: 1, x1: 10000, W: 4, yScale, xScale: 'log' });
      await same({ series: ids(), xColumn: 'x', x0: 0.001, x1: 50, W: 600, yScale, xScale: 'log' });
      await same({ series: ids(), xColumn: 'time', x0: 100, x1: 150000, W: 400, yScale, xScale: 'log' });
    }
    const rand = mulberry32(31);
    for (let k = 0; k < 10; k++) {
      const a = 10 ** (rand() * 4 - 1), b = a * (1 + rand() * 100);
      await same({ series: ids().filter(() => rand() < 0.6), xColumn: rand() < 0.7 ? 'x' : 'time', x0: a, x1: b, W: randInt(rand, 1, 1500), yScale: rand() < 0.5 ? 'log' : 'linear', xScale: 'log' });
    }
  }, 60_000);

  test('the data exercises what it should', async () => {
    const r = await same({ series: ids(), xColumn: 'x', x0: 0, x1: 20000, W: 1000, yScale: 'log' });
    const cut = await same({ series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale: 'linear' });
    expectExercised(r, cut);
    expect(all.some((s) => s.y.some((v) => Object.is(v, -0)))).toBe(true); // ties of 0 and -0 at a column's min / max
  });

  test('views past the data, between points, on points, one column, subsets and unknown ids', async () => {
    await same({ series: ids(), xColumn: 'x', x0: 1e6, x1: 2e6, W: 50, yScale: 'linear' });
    await same({ series: ids(), xColumn: 'x', x0: -2e6, x1: -1e6, W: 50, yScale: 'log' });
    await same({ series: ids(), xColumn: 'x', x0: 10.5, x1: 10.6, W: 50, yScale: 'linear' });
    await same({ series: ids(), xColumn: 'x', x0: 100, x1: 400, W: 1, yScale: 'linear' });
    await same({ series: [7, 7, 1, 9999, 13, 4, 200], xColumn: 'x', x0: 0, x1: 4000, W: 300, yScale: 'linear' });
    await same({ series: [], xColumn: 'x', x0: 0, x1: 1, W: 3, yScale: 'linear' });
    await same({ series: [123456], xColumn: 'x', x0: 0, x1: 1, W: 3, yScale: 'linear' });
    await same({ series: Array.from({ length: 20000 }, (_, k) => k), xColumn: 'x', x0: 100, x1: 2500, W: 500, yScale: 'log' }); // a long id list
  });

  test('many seeded random views (x0 / x1 on points, zooms, W from 1 to 2000, both axes, both scales)', async () => {
    const rand = mulberry32(29);
    const pointX = (col: XColumnName) => {
      const s = all[randInt(rand, 0, all.length)];
      const v = col === 'x' ? s.step : s.columns!.time!;
      const k = randInt(rand, 0, Math.max(1, v.length));
      return Number.isFinite(v[k]) ? v[k] : 17;
    };
    for (let k = 0; k < 80; k++) {
      const xColumn: XColumnName = rand() < 0.7 ? 'x' : 'time';
      const scale = xColumn === 'x' ? 1 : 100;
      let x0: number, x1: number;
      const kind = k % 4;
      if (kind === 0) [x0, x1] = [pointX(xColumn), 0]; // x0 on a point
      else if (kind === 1) [x0, x1] = [rand() * 8000 * scale, 0];
      else if (kind === 2) [x0, x1] = [-rand() * 100 * scale, 0];
      else [x0, x1] = [rand() * 6000 * scale, 0];
      x1 = kind === 0 && rand() < 0.5 ? Math.max(pointX(xColumn), x0 + 1) : x0 + (rand() < 0.3 ? rand() * 20 : 1 + rand() * 12000) * scale;
      if (!(x1 > x0)) x1 = x0 + 1;
      const pick = rand() < 0.3 ? ids() : ids().filter(() => rand() < 0.5);
      const W = rand() < 0.1 ? 1 : randInt(rand, 1, 2000);
      await same({ series: pick, xColumn, x0, x1, W, yScale: rand() < 0.5 ? 'log' : 'linear' });
    }
  }, 60_000);

  test('the same answer whichever shard is asked', () =>
    same({ series: ids(), xColumn: 'x', x0: 50, x1: 5000, W: 640, yScale: 'log' }, { ...conn, url: cluster.shards[1].http }));

  test('one server without a cluster: plain tables, the same answers', async () => {
    const single: ClickHouseConn = { url: cluster.shards[1].http, database: 'metricgl_single' };
    await createClickHouseSchema(single);
    await insertPoints(single, all.map((s) => ({ series: s.id, file: 0, firstOrd: 0, x: Float64Array.from(s.step), y: s.y, time: s.columns!.time as Float64Array, wall: null, epoch: null })));
    await same({ series: ids(), xColumn: 'x', x0: 0, x1: 20000, W: 1000, yScale: 'log' }, single);
    await same({ series: ids(), xColumn: 'time', x0: 5000, x1: 150000, W: 333, yScale: 'linear' }, single);
    await same({ series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale: 'linear' }, single);
  }, 30_000);

  test('names travel as data: quotes, SQL, tabs, newlines, NUL, HTML reach every shard unchanged; the newest row wins', async () => {
    const evil = ["it's", "'; DROP TABLE metricgl_m4.points; --", 'tab\there\nnewline\\', 'nul\0byte', '<script>alert(1)</script>', 'ü€😀'];
    const rows = evil.map((name, k) => ({ id: 100000 + k, key: `${name}\0loss\0{}`, run: name, metric: `m ${name}`, fields: JSON.stringify({ lr: name }), points: k, nextOrd: k, hasTime: false, hasWall: k % 2 === 0, hasEpoch: false }));
    await insertSeries(conn, rows, 1);
    await insertSeries(conn, rows.map((r) => ({ ...r, points: r.points + 10 })), 2);
    for (const s of cluster.shards) {
      const buf = await query(s.http, 'SELECT id, key, run, metric, fields, points, has_wall FROM metricgl_m4.series FINAL WHERE id >= 100000 ORDER BY id', { purpose: 'series list', format: 'RowBinary' });
      const [id, key, run, metric, fields, points, hasWall] = decodeRowBinary(buf, ['Int32', 'String', 'String', 'String', 'String', 'Int64', 'UInt8']).map((c) => c.values);
      expect(Array.from(id as Int32Array)).toEqual(rows.map((r) => r.id));
      expect(key).toEqual(rows.map((r) => r.key));
      expect(run).toEqual(evil);
      expect(metric).toEqual(rows.map((r) => r.metric));
      expect(fields).toEqual(rows.map((r) => r.fields));
      expect(Array.from(points as Float64Array)).toEqual(rows.map((r) => r.points + 10));
      expect(Array.from(hasWall as Uint8Array)).toEqual(rows.map((r) => (r.hasWall ? 1 : 0)));
    }
    expect((await queryText(conn.url, 'SELECT count() FROM metricgl_m4.points', 'view'))[0][0]).toBe(String(all.reduce((n, s) => n + s.y.length, 0)));
  });

  test('credentials from METRICGL_CLICKHOUSE_USER / _PASSWORD go as headers; a wrong one is named in the error', async () => {
    const saved = { user: process.env.METRICGL_CLICKHOUSE_USER, password: process.env.METRICGL_CLICKHOUSE_PASSWORD };
    const restore = (k: string, v: string | undefined) => (v === undefined ? delete process.env[k] : (process.env[k] = v));
    try {
      process.env.METRICGL_CLICKHOUSE_USER = TEST_USER.name;
      process.env.METRICGL_CLICKHOUSE_PASSWORD = TEST_USER.password;
      expect(await queryText(conn.url, 'SELECT 1', 'series list')).toEqual([['1']]);
      await same({ series: ids().slice(0, 5), xColumn: 'x', x0: 0, x1: 3000, W: 100, yScale: 'linear' });
      process.env.METRICGL_CLICKHOUSE_USER = 'nobody';
      expect(await queryText(conn.url, 'SELECT 1', 'series list').catch((e: Error) => e.message)).toMatch(/^ClickHouse series list query failed: Code: 192, .*Unknown user nobody/);
      process.env.METRICGL_CLICKHOUSE_USER = TEST_USER.name;
      process.env.METRICGL_CLICKHOUSE_PASSWORD = 'not-the-password-7f3a';
      const err = await queryText(conn.url, 'SELECT 1', 'series list').catch((e: Error) => e.message);
      expect(err).toMatch(/^ClickHouse series list query failed: Code: 193, .*Wrong password for user metricgl_user/);
      expect(err).not.toContain('not-the-password-7f3a'); // the password itself is never in an error
    } finally {
      restore('METRICGL_CLICKHOUSE_USER', saved.user);
      restore('METRICGL_CLICKHOUSE_PASSWORD', saved.password);
    }
  });

  test('a bad view is refused before any SQL; a failing query names its purpose and the first error line', async () => {
    await expect(m4QueryClickHouse(conn, { series: [1], xColumn: 'x', x0: 1, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(RangeError);
    await expect(m4QueryClickHouse(conn, { series: [1], xColumn: 'x; DROP TABLE points' as 'x', x0: 0, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(/unknown x column/);
    await expect(m4QueryClickHouse({ ...conn, database: 'x; DROP' }, { series: [1], xColumn: 'x', x0: 0, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(/bad ClickHouse database name/);
    const err = await m4QueryClickHouse({ ...conn, database: 'metricgl_missing' }, { series: [1], xColumn: 'x', x0: 0, x1: 1, W: 10, yScale: 'linear' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^ClickHouse view query failed: Code: \d+, e\.displayText\(\) = DB::Exception: .*metricgl_missing/);
    expect((err as Error).message).not.toMatch(/Stack trace|\n/);
    const down = await m4QueryClickHouse({ ...conn, url: 'http://127.0.0.1:1' }, { series: [1], xColumn: 'x', x0: 0, x1: 1, W: 10, yScale: 'linear' }).catch((e: Error) => e);
    expect((down as Error).message).toMatch(/^ClickHouse view query failed: cannot connect to 127\.0\.0\.1:1/);
    expect((await queryText(conn.url, 'SELECT count() FROM metricgl_m4.points', 'view'))[0][0]).not.toBe('0');
  });
});

// reported as skipped, with the reason as its name, where there is no server to test against
if (!available) test.skip('ClickHouse M4: clickhouse-server is not installed (node test/ensure-clickhouse.mjs installs it as root with apt)', () => {});
