/**
 * The explorer served from ClickHouse, as the README shows it: the built CLI (`metricgl ingest
 * --clickhouse ... --cluster ... --shard ...`, then `metricgl serve --clickhouse ... --logdir`)
 * in real processes over a real two-shard cluster (clickhouse-server processes started and
 * stopped here). The page draws every point the cluster holds, none of them held by the page, and
 * follows a log file that grows. Usage errors and a server that is not there are said in one
 * line each. Skipped, and said so, where clickhouse-server is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { clickhouseServerCommand } from '../clickhouse/binary.mjs';
import { startCluster, type Cluster } from '../clickhouse/cluster.mjs';

test.describe.configure({ mode: 'serial' });

const BIN = join(process.cwd(), 'bin', 'metricgl.mjs');
const available = clickhouseServerCommand() !== null;
const STEPS = 4000;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runCsv(run: string, from: number, to: number, header = true): string {
  const lines = header ? ['run,metric,step,value,time_ms'] : [];
  for (let i = from; i < to; i++) lines.push(`${run},loss,${i},${(2 + 8 * Math.exp(-i / 900) + 0.1 * Math.sin(i * 0.37) + (i % 1111 === 0 ? 3 : 0)).toFixed(5)},${i * 40}`);
  return lines.join('\n') + '\n';
}

type Handle = {
  ready: Promise<unknown>;
  data: { series: Map<string, { step: Float64Array; remote?: { points: number } }> };
  board: { charts: { rendered(): Promise<{ points: number }> }[] };
};

const drawnPoints = (page: Page) =>
  page.evaluate(async () => {
    const frames = await Promise.all((window as unknown as { explorer: Handle }).explorer.board.charts.map((c) => c.rendered()));
    return frames.reduce((n, f) => n + f.points, 0);
  });

test.describe('metricgl serve --clickhouse on a two-shard cluster', () => {
  test.skip(!available, 'clickhouse-server not found (node test/ensure-clickhouse.mjs installs it as root)');
  let cluster: Cluster;
  let dir: string;
  let logs: string;
  let store: string[];
  let proc: ChildProcess;
  let url: string;
  let out = '';

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    // `serve` serves the built explorer (dist-demo/): built here when stale, whatever ran before
    const { ensureExplorerBuilt } = await import('../../demo/live/build.mjs');
    await ensureExplorerBuilt({ log: (l: string) => console.log(l) });
    dir = mkdtempSync(join(tmpdir(), 'metricgl-ch-serve-'));
    logs = join(dir, 'logs');
    mkdirSync(logs);
    for (const [i, run] of ['alpha', 'beta', 'gamma'].entries()) writeFileSync(join(logs, `run${i}.csv`), runCsv(run, 0, STEPS));
    cluster = await startCluster({ shards: 2 });
    store = ['--clickhouse', cluster.shards[0].http, '--database', 'explorer', '--cluster', cluster.cluster, ...cluster.shards.flatMap((s) => ['--shard', s.http])];
  });

  test.afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('ingest counts what it read; again it adds nothing; bad flags and an absent server are one line each', () => {
    const first = cli(['ingest', ...store, logs]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^ingested 3 files: ${3 * STEPS} points in [\\d.]+ s`, 'm'));
    const again = cli(['ingest', ...store, logs]);
    expect(again.stdout).toMatch(/^ingested 0 files: 0 points/m);
    const noShards = cli(['ingest', '--clickhouse', cluster.shards[0].http, '--cluster', cluster.cluster, logs]);
    expect(noShards.status).toBe(2);
    expect(noShards.stderr).toMatch(/--cluster needs --shard URL/);
    const secret = cli(['ingest', '--clickhouse', 'http://user:pw@127.0.0.1:8123', logs]);
    expect(secret.status).toBe(2);
    expect(secret.stderr).toMatch(/no credentials in the URL; set METRICGL_CLICKHOUSE_USER/);
    expect(cli(['ingest', '--db', 'x.duckdb', '--clickhouse', cluster.shards[0].http, logs]).stderr).toMatch(/name one store/);
    const gone = cli(['ingest', '--clickhouse', 'http://127.0.0.1:9', logs]);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(/^metricgl ingest: ClickHouse http:\/\/127\.0\.0\.1:9 database metricgl: ClickHouse schema query failed: cannot connect/m);
    expect(gone.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('serve: the explorer draws every point the cluster holds, and follows a growing log', async ({ page }) => {
    proc = spawn(process.execPath, [BIN, 'serve', ...store, '--logdir', logs, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
      proc.stdout!.on('data', () => {
        const m = /metricgl serve: (http:\/\/127\.0\.0\.1:\d+)\/ \(store ClickHouse .* cluster \S+ \(2 shards\)/.exec(out);
        if (m) (clearTimeout(t), resolve(m[1]));
      });
      proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const info = async () => (await (await fetch(`${url}/api/source`)).json()) as { engine: string; series: number; points: number };
    expect(await info()).toEqual({ version: 1, engine: 'clickhouse', series: 3, points: 3 * STEPS });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    await page.waitForFunction(() => !!(window as unknown as { explorer?: unknown }).explorer);
    await page.evaluate(() => (window as unknown as { explorer: Handle }).explorer.ready);
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'connected');
    await expect(page.locator('#serverStatus')).toContainText('(clickhouse)');
    expect(await drawnPoints(page)).toBe(3 * STEPS);
    const local = await page.evaluate(() => [...(window as unknown as { explorer: Handle }).explorer.data.series.values()].map((s) => s.step.length));
    expect(local).toEqual([0, 0, 0]);
    const labels = await page.locator('.metricgl-legend-label').allTextContents();
    expect(labels.sort()).toEqual(['alpha', 'beta', 'gamma']);

    // the watched folder grows: ingested into the cluster, pushed to the page, drawn
    appendFileSync(join(logs, 'run1.csv'), runCsv('beta', STEPS, STEPS + 500, false));
    await expect.poll(async () => (await info()).points, { timeout: 30_000 }).toBe(3 * STEPS + 500);
    await expect.poll(() => drawnPoints(page), { timeout: 30_000 }).toBe(3 * STEPS + 500);
    expect(errors).toEqual([]);
    expect(out).not.toMatch(/failed/);
  });

  test('one shard down: the page names the series it could not get and draws the rest; the shard back, it catches up', async ({ page }) => {
    await page.goto(`${url}/`);
    await page.waitForFunction(() => !!(window as unknown as { explorer?: unknown }).explorer);
    await page.evaluate(() => (window as unknown as { explorer: Handle }).explorer.ready);
    const all = 3 * STEPS + 500;
    expect(await drawnPoints(page)).toBe(all);
    const list = ((await (await fetch(`${url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as { series: { sid: number; run: string; points: number }[] }).series;
    // the Distributed table puts series s on shard s % 2
    const onShard1 = list.filter((s) => s.sid % 2 === 1);
    expect(onShard1.length).toBeGreaterThan(0);
    expect(onShard1.length).toBeLessThan(list.length);
    const left = all - onShard1.reduce((n, s) => n + s.points, 0);
    await cluster.shardDown(1);
    const ask = () => page.evaluate(() => (window as unknown as { explorer: { board: { charts: { setState(s: unknown): void }[] } } }).explorer.board.charts[0].setState({ xDomain: [0, 4499] }));
    await ask(); // a zoom: the next view meets the down shard
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'partial', { timeout: 20_000 });
    await expect(page.locator('#serverStatus')).toContainText('could not be answered now');
    for (const s of onShard1) await expect(page.locator('#serverStatus')).toContainText(s.run);
    await expect.poll(() => drawnPoints(page), { timeout: 20_000 }).toBe(left);
    // the view API says the same: a header naming them, the others answered
    const res = await fetch(`${url}/api/view`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ series: list.map((s) => s.sid), xColumn: 'x', x0: 0, x1: 4499, W: 300, yScale: 'linear' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-metricgl-unanswered')).toBe(onShard1.map((s) => s.sid).join(','));
    await cluster.shardUp(1);
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    await expect.poll(() => drawnPoints(page), { timeout: 20_000 }).toBe(all);
  });
});
