/**
 * `npm run demo -- --db FILE`: the explorer on a metricgl server over a DuckDB file. The real CLI
 * (demo/serve.mjs, which builds dist-demo/ when stale and starts the built server of dist-server/)
 * in a child process, on a store made from generated CSV logs by `metricgl ingest`, and once on
 * the shipped logs (a FILE that does not exist yet is made from them). The page lists series on
 * the server, draws `{ id, source }` series (no point comes to the page: every view is asked of
 * the server), sends its filter as `where`, shows names from the database as text, and follows a
 * --logdir file that grows, without a reload.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { statusNumbers } from './explorer-open';

test.describe.configure({ mode: 'serial' });

const SERVE = join(process.cwd(), 'demo', 'serve.mjs');
const BIN = join(process.cwd(), 'bin', 'metricgl.mjs');
const HOSTILE = `<img src=x onerror=alert(1)>'; DROP TABLE points; --`;
const RUNS = ['alpha', 'beta', 'gamma', HOSTILE];
const TRAIN = 10_000;
const EVAL_EVERY = 125;

/** A run's log: train loss every step, eval loss every 125 steps (long format, one file per run). */
function runCsv(run: string, from: number, to: number, header = true): string {
  const lines = header ? ['run,subset,metric,step,value,time_ms'] : [];
  for (let i = from; i < to; i++) {
    const base = 2 + 8 * Math.exp(-i / 1500) + (run.length % 5) * 0.05;
    lines.push(`${run},train,loss,${i},${(base + 0.1 * Math.sin(i * 0.37)).toFixed(5)},${i * 40}`);
    if (i % EVAL_EVERY === 0) lines.push(`${run},eval,loss,${i},${(base + 0.05).toFixed(5)},${i * 40 + 5}`);
  }
  return lines.join('\n') + '\n';
}

interface Served {
  proc: ChildProcess;
  url: string;
  out: () => string;
}

/** `node demo/serve.mjs ARGS`, until it prints its URL. */
async function serve(args: string[]): Promise<Served> {
  const proc = spawn(process.execPath, [SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BROWSER: 'none' } });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 100_000);
    const check = () => {
      const m = /metricgl demo {2}(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) (clearTimeout(t), resolve(m[1]));
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => (clearTimeout(t), reject(new Error(`serve exited ${code}: ${out}`))));
  });
  return { proc, url, out: () => out };
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s || s.proc.exitCode !== null) return;
  const exited = new Promise((resolve) => s.proc.once('exit', resolve));
  s.proc.kill('SIGTERM');
  // a demo server stops within seconds; one that does not is killed, and the test says so
  const t = setTimeout(() => s.proc.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(t);
  expect(s.proc.signalCode === 'SIGKILL' ? `killed after SIGTERM:\n${s.out()}` : code).toBe(143);
}

type Handle = {
  ready: Promise<unknown>;
  data: { series: Map<string, { run: string; step: Float64Array; remote?: { points: number } }> };
  board: { charts: import('../../src/index').Chart[] };
  state(): { filter: string };
};

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => !!(window as unknown as { explorer?: unknown }).explorer);
  await page.evaluate(() => (window as unknown as { explorer: Handle }).explorer.ready);
}

/** What the charts drew: FrameInfo.points summed over the charts. */
const drawnPoints = (page: Page) =>
  page.evaluate(async () => {
    const frames = await Promise.all((window as unknown as { explorer: Handle }).explorer.board.charts.map((c) => c.rendered()));
    return frames.reduce((n, f) => n + f.points, 0);
  });

const sourceInfo = async (url: string) => (await (await fetch(`${url}/api/source`)).json()) as { series: number; points: number };

/** Page errors and dialogs (an alert would be the hostile name run as markup). */
function watch(page: Page): { errors: string[]; dialogs: string[] } {
  const w = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('dialog', (d) => (w.dialogs.push(d.message()), void d.dismiss()));
  return w;
}

test.describe('generated logs in a store, with --logdir', () => {
  let dir: string;
  let logs: string;
  let db: string;
  let server: Served;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    dir = mkdtempSync(join(tmpdir(), 'metricgl-demo-db-'));
    logs = join(dir, 'logs');
    mkdirSync(logs);
    RUNS.forEach((run, i) => writeFileSync(join(logs, `run${i}.csv`), runCsv(run, 0, TRAIN)));
    db = join(dir, 'runs.duckdb');
    // the store made beforehand, as `metricgl ingest` makes it: FILE exists, nothing shipped added
    const ingest = spawn(process.execPath, [BIN, 'ingest', '--db', db, logs], { stdio: 'pipe' });
    let text = '';
    ingest.stdout.on('data', (d) => (text += d));
    ingest.stderr.on('data', (d) => (text += d));
    expect(await new Promise((resolve) => ingest.on('exit', resolve)), text).toBe(0);
    server = await serve(['--db', db, '--logdir', logs, '--port', '0']);
  });

  test.afterAll(async () => {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  });

  const perRun = TRAIN + Math.ceil(TRAIN / EVAL_EVERY);

  test('the charts draw the server series: what the server holds, no point in the page', async ({ page }) => {
    const w = watch(page);
    const views: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/view')) views.push(r.method());
    });
    await open(page, `${server.url}/`);
    const info = await sourceInfo(server.url);
    expect(info).toEqual(expect.objectContaining({ series: RUNS.length * 2, points: RUNS.length * perRun }));
    expect(server.out()).toMatch(/database {7}.*runs\.duckdb {2}\(8 series, 40,320 points\)/);
    expect(await drawnPoints(page)).toBe(info.points);
    // the page holds the list only; the worker asked the server for the view
    const local = await page.evaluate(() => [...(window as unknown as { explorer: Handle }).explorer.data.series.values()].map((s) => [s.step.length, s.remote?.points ?? -1]));
    expect(local).toHaveLength(8);
    for (const [steps, remote] of local) (expect(steps).toBe(0), expect(remote).toBeGreaterThan(0));
    expect(views.length).toBeGreaterThan(0);
    const st = await statusNumbers(page);
    expect(st).toEqual(expect.objectContaining({ shown: 8, total: 8, points: info.points }));
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'connected');
    await expect(page.locator('#serverStatus')).toContainText('8 series, 40,320 points there');
    // the legend lists every run (train and eval of each)
    const labels = await page.locator('.metricgl-legend-label').allTextContents();
    expect(labels).toHaveLength(8);
    for (const run of ['alpha', 'beta', 'gamma']) expect(labels).toEqual(expect.arrayContaining([`${run} train`, `${run} eval`]));
    // metrics and group-by choices are the listed series' own
    await expect(page.locator('#metrics input')).toHaveCount(1);
    await expect(page.locator('#metrics input')).toHaveValue('loss');
    expect(await page.locator('#colorBy option').allTextContents()).toEqual(['(none)', 'subset']);
    // smoothing: either done, or said next to the control (source series drawn raw for now)
    const note = (await page.locator('#smoothNote').textContent()) ?? '';
    expect(note === '' || /drawn raw/.test(note)).toBe(true);
    expect(w.errors).toEqual([]);
    await expect(page.locator('#loadErrors')).toBeEmpty();
  });

  test('a filter narrows the list on the server; a bad one says what is wrong', async ({ page }) => {
    await open(page, `${server.url}/`);
    const asked = page.waitForRequest((r) => r.url().endsWith('/api/series') && /"where":\{/.test(r.postData() ?? ''));
    await page.locator('#filter').fill('subset == "train"');
    const req = await asked;
    expect(JSON.parse(req.postData()!).where).toEqual(expect.objectContaining({ field: 'subset', value: 'train' }));
    await expect.poll(async () => (await statusNumbers(page)).shown).toBe(4);
    expect(await statusNumbers(page)).toEqual(expect.objectContaining({ shown: 4, total: 8, points: RUNS.length * TRAIN }));
    expect(await drawnPoints(page)).toBe(RUNS.length * TRAIN);
    const labels = await page.locator('.metricgl-legend-label').allTextContents();
    expect(labels).toHaveLength(4);
    expect(labels.every((l) => l.endsWith(' train'))).toBe(true);
    await expect(page.locator('#filterError')).toBeEmpty();

    // a syntax error, and a field no series has: said, and the charts keep the last good filter
    await page.locator('#filter').fill('subset ==');
    await expect(page.locator('#filterError')).not.toBeEmpty();
    await page.locator('#filter').fill('colour == "red"');
    await expect(page.locator('#filterError')).toContainText('subset');
    expect((await statusNumbers(page)).shown).toBe(4);
    expect(await page.evaluate(() => (window as unknown as { explorer: Handle }).explorer.state().filter)).toBe('subset == "train"');
  });

  test('a hostile run name from the database shows as text, and filters through the server', async ({ page }) => {
    const w = watch(page);
    const state = encodeURIComponent(JSON.stringify({ colorBy: 'run', filter: 'run ~ "DROP TABLE"' }));
    await open(page, `${server.url}/#state=${state}`);
    await expect.poll(async () => (await statusNumbers(page)).shown).toBe(2);
    // the colour key names the run in full, as text
    const row = page.locator('[data-key=colour] .key-row').first();
    await expect(row).toHaveText(`${HOSTILE} · 1 run`);
    expect(await page.locator('[data-key=colour] .key-row').count()).toBe(1);
    const labels = await page.locator('.metricgl-legend-label').allTextContents();
    expect(labels).toEqual(expect.arrayContaining([`${HOSTILE.slice(0, 8)} train`, `${HOSTILE.slice(0, 8)} eval`]));
    expect(await page.locator('img').count()).toBe(0);
    expect(await drawnPoints(page)).toBe(perRun);
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
    // and the store is whole
    expect((await sourceInfo(server.url)).series).toBe(8);
  });

  test('aggregate by colour: the server aggregates each subset from every point, the page gets the groups, the tooltip names both', async ({ page }) => {
    const w = watch(page);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/aggregate/.test(r.url())) asked.push(r.url());
    });
    await open(page, `${server.url}/`);
    await page.selectOption('#colorBy', 'subset');
    await page.selectOption('#aggLine', 'mean');
    await page.selectOption('#aggBand', 'minmax');
    const r = await page.evaluate(async () => {
      const chart = (window as unknown as { explorer: Handle }).explorer.board.charts[0];
      const f = await chart.rendered();
      const train = await chart.aggregated('subset: train');
      const b = chart.element.getBoundingClientRect();
      return { groups: f.groups, bytes: f.bytes, length: train.x.length, maxN: Math.max(...train.n), plot: f.plot, box: { x: b.x, y: b.y } };
    });
    expect(r.groups).toBe(2);
    expect(r.length).toBe(TRAIN); // every train step of every run, aggregated on the server
    expect(r.maxN).toBe(RUNS.length);
    expect(asked.some((u) => u.endsWith('/api/aggregate'))).toBe(true);
    expect(asked.some((u) => u.endsWith('/api/aggregated'))).toBe(true);
    await page.mouse.move(r.box.x + r.plot.left + r.plot.width * 0.5, r.box.y + r.plot.top + r.plot.height * 0.5);
    const rows = page.locator('.metricgl-tooltip-groups tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: 'subset: eval' })).toHaveCount(1);
    expect(w.errors).toEqual([]);
  });

  test('a --logdir file that grows grows the chart, without a reload', async ({ page }) => {
    await open(page, `${server.url}/`);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const before = await drawnPoints(page);
    const more = 2000;
    appendFileSync(join(logs, 'run0.csv'), runCsv('alpha', TRAIN, TRAIN + more, false));
    const added = more + Math.ceil(more / EVAL_EVERY); // steps 10000..11999: evals at 10000, ..., 11875
    await expect.poll(async () => (await sourceInfo(server.url)).points, { timeout: 20_000 }).toBe(before + added);
    await expect.poll(async () => (await statusNumbers(page)).points, { timeout: 20_000 }).toBe(before + added);
    await expect.poll(() => drawnPoints(page), { timeout: 20_000 }).toBe(before + added);
    await expect(page.locator('#serverStatus')).toContainText(`${(before + added).toLocaleString('en-US')} points there`);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    // a new run in the folder: listed and drawn
    writeFileSync(join(logs, 'run9.csv'), runCsv('delta', 0, 500));
    await expect.poll(async () => (await statusNumbers(page)).total, { timeout: 20_000 }).toBe(10);
    await expect(page.locator('.metricgl-legend-label', { hasText: 'delta train' })).toHaveCount(1);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  test('a server that goes away is said, and when it is back the page goes on', async ({ page }) => {
    await open(page, `${server.url}/`);
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'connected');
    const port = new URL(server.url).port;
    await stop(server);
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'lost', { timeout: 15_000 });
    await expect(page.locator('#serverStatus')).toContainText('retrying');
    server = await serve(['--db', db, '--logdir', logs, '--port', port]);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    // and it still follows the folder
    const before = (await statusNumbers(page)).points;
    appendFileSync(join(logs, 'run1.csv'), runCsv('beta', TRAIN, TRAIN + 100, false));
    await expect.poll(async () => (await statusNumbers(page)).points, { timeout: 20_000 }).toBe(before + 101);
  });
});

test('the shipped logs: a FILE that does not exist is made from them, and drawn from the server', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-demo-db-shipped-'));
  let server: Served | undefined;
  try {
    const db = join(dir, 'demo.duckdb');
    const t0 = Date.now();
    server = await serve(['--db', db, '--port', '0']);
    const made = Date.now() - t0;
    expect(server.out()).toMatch(/making .*demo\.duckdb from the shipped logs/);
    expect(server.out()).toMatch(/\(1,204 series, 330,535 points; made now: ingested 1 files: 330535 points/);
    await open(page, `${server.url}/`);
    const st = await statusNumbers(page);
    expect(st).toEqual(expect.objectContaining({ shown: 1204, total: 1204, points: 330_535 }));
    expect(await drawnPoints(page)).toBe(330_535);
    expect(await page.locator('.metricgl-legend-count').textContent()).toMatch(/^1,?204 runs$/);
    const key = (await page.locator('[data-key=colour] .key-row').allTextContents()).sort();
    expect(key).toEqual([expect.stringMatching(/^eval · [\d,]+ runs$/), expect.stringMatching(/^train · [\d,]+ runs$/)]);
    await page.locator('#filter').fill('record ~ "Muon" and subset == "train"');
    await expect.poll(async () => (await statusNumbers(page)).shown).toBeLessThan(1204);
    const narrowed = await statusNumbers(page);
    expect(narrowed.shown).toBeGreaterThan(0);
    expect(await drawnPoints(page)).toBe(narrowed.points);
    console.log(`shipped logs: store made and served in ${(made / 1000).toFixed(1)} s; ${await page.locator('#status').textContent()}`);
  } finally {
    // the page away first, and its last views answered: a process that exits while a DuckDB
    // query is still running hangs in DuckDB's teardown (reported to the server side)
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 2000));
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store without --logdir: the page opens with no console error and no failed request', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-demo-db-nologdir-'));
  let server: Served | undefined;
  try {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'run0.csv'), runCsv('alpha', 0, 2000));
    const db = join(dir, 'runs.duckdb');
    const ingest = spawn(process.execPath, [BIN, 'ingest', '--db', db, logs], { stdio: 'pipe' });
    expect(await new Promise((resolve) => ingest.on('exit', resolve))).toBe(0);
    server = await serve(['--db', db, '--port', '0']);
    const consoleErrors: string[] = [];
    const failed: string[] = [];
    const asked: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      asked.push(new URL(r.url()).pathname);
      if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    await open(page, `${server.url}/`);
    expect(await drawnPoints(page)).toBe(2000 + Math.ceil(2000 / EVAL_EVERY));
    await expect(page.locator('#serverStatus')).toHaveAttribute('data-state', 'connected');
    // the one probe says which server this is; the series come from the source API
    expect(asked).toContain('/api/logdir');
    expect(asked).toContain('/api/series');
    expect(failed).toEqual([]);
    expect(consoleErrors).toEqual([]);
  } finally {
    // as above: the page away and its last views answered before the server stops
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 1000));
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
