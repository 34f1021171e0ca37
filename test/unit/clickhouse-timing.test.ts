/**
 * Timings of the ClickHouse path on a two-shard local cluster: cluster start, insert of
 * 100 series x 1e5 points, and views over them (full, zoomed, panned) at 1000 columns.
 * Opt-in (it inserts 1e7 points): METRICGL_CLICKHOUSE_BENCH=1 npx vitest run test/unit/clickhouse-timing.test.ts
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clickhouseServerCommand } from '../clickhouse/binary.mjs';
import { startCluster, type Cluster } from '../clickhouse/cluster.mjs';
import type { M4View } from '../../src/source/m4';
import type { ClickHouseConn } from '../../src/server/clickhouse/conn';
import { insertPoints, type PointBatch } from '../../src/server/clickhouse/insert';
import { m4QueryClickHouse } from '../../src/server/clickhouse/m4';
import { createClickHouseSchema } from '../../src/server/clickhouse/schema';
import { mulberry32 } from './prng';

const bench = process.env.METRICGL_CLICKHOUSE_BENCH === '1';
const available = clickhouseServerCommand() !== null;
const SERIES = Number(process.env.METRICGL_CLICKHOUSE_BENCH_SERIES ?? 100);
const POINTS = Number(process.env.METRICGL_CLICKHOUSE_BENCH_POINTS ?? 100_000);

let cluster: Cluster;
let conn: ClickHouseConn;
let batches: PointBatch[] = [];

async function median(view: M4View, runs = 7, c: ClickHouseConn = conn): Promise<{ ms: number; buckets: number }> {
  const times: number[] = [];
  let buckets = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const r = await m4QueryClickHouse(c, view);
    times.push(performance.now() - t0);
    buckets = r.buckets.n.length;
  }
  times.sort((a, b) => a - b);
  return { ms: times[runs >> 1], buckets };
}

describe.skipIf(!bench || !available)('ClickHouse timings', () => {
  beforeAll(async () => {
    const t0 = performance.now();
    cluster = await startCluster({ shards: 2 });
    console.log(`cluster start (2 shards): ${Math.round(performance.now() - t0)} ms`);
    conn = { url: cluster.shards[0].http, database: 'metricgl_bench', cluster: cluster.cluster, shards: cluster.shards.map((s) => s.http) };
    await createClickHouseSchema(conn);
    const rand = mulberry32(3);
    for (let s = 0; s < SERIES; s++) {
      const x = Float64Array.from({ length: POINTS }, (_, k) => k);
      const y = Float32Array.from({ length: POINTS }, (_, k) => 2 + 3 * Math.exp(-k / 20000) + 0.1 * rand());
      batches.push({ series: s, file: 0, firstOrd: 0, x, y, time: Float64Array.from(x, (v) => v * 100), wall: null, epoch: null });
    }
    const t1 = performance.now();
    const n = await insertPoints(conn, batches);
    const s = (performance.now() - t1) / 1000;
    console.log(`insert ${n} points through the Distributed table: ${s.toFixed(1)} s (${Math.round(n / s)} points/s)`);
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  test(`views of ${SERIES} series x ${POINTS} points at W = 1000`, async () => {
    const ids = Array.from({ length: SERIES }, (_, k) => k);
    const full = await median({ series: ids, xColumn: 'x', x0: 0, x1: POINTS, W: 1000, yScale: 'linear' });
    const fullLog = await median({ series: ids, xColumn: 'x', x0: 0, x1: POINTS, W: 1000, yScale: 'log' });
    const zoom = await median({ series: ids, xColumn: 'x', x0: POINTS * 0.4, x1: POINTS * 0.45, W: 1000, yScale: 'linear' });
    const time = await median({ series: ids, xColumn: 'time', x0: 0, x1: POINTS * 100, W: 1000, yScale: 'linear' });
    const ten = await median({ series: ids.slice(0, 10), xColumn: 'x', x0: 0, x1: POINTS, W: 1000, yScale: 'linear' });
    console.log(`full view ${full.ms.toFixed(0)} ms (${full.buckets} buckets), log ${fullLog.ms.toFixed(0)} ms, zoom 5% ${zoom.ms.toFixed(0)} ms, time axis ${time.ms.toFixed(0)} ms, 10 series ${ten.ms.toFixed(0)} ms (medians of 7)`);
    expect(full.buckets).toBe(SERIES * 1000);
  }, 600_000);

  test('the same points on one server without a cluster (same machine, for comparison)', async () => {
    const single: ClickHouseConn = { url: cluster.shards[0].http, database: 'metricgl_bench_single' };
    await createClickHouseSchema(single);
    await insertPoints(single, batches);
    const ids = Array.from({ length: SERIES }, (_, k) => k);
    const full = await median({ series: ids, xColumn: 'x', x0: 0, x1: POINTS, W: 1000, yScale: 'linear' }, 7, single);
    const zoom = await median({ series: ids, xColumn: 'x', x0: POINTS * 0.4, x1: POINTS * 0.45, W: 1000, yScale: 'linear' }, 7, single);
    console.log(`one server: full view ${full.ms.toFixed(0)} ms, zoom 5% ${zoom.ms.toFixed(0)} ms (medians of 7)`);
    expect(full.buckets).toBe(SERIES * 1000);
  }, 600_000);
});
