/**
 * `npx metricgl` as a user runs it: the built CLI (dist-server/, made by `npm run build`) in real
 * processes, on generated CSV / JSON Lines files in a temp folder. No page: the API is checked
 * over HTTP from the test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const BIN = join(process.cwd(), 'bin', 'metricgl.mjs');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `metricgl serve` on `db` at any port: the process, the URL it printed, and what it printed so far. */
async function serve(db: string, extra: string[] = [], env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
    proc.stdout.on('data', () => {
      const m = /metricgl serve: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) (clearTimeout(t), resolve(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { proc, url, out: () => out };
}

test('metricgl ingest counts what it read; again it adds nothing; serve answers and exits on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-cli-'));
  try {
    mkdirSync(join(dir, 'logs', 'deep'), { recursive: true });
    let csv = 'run,metric,step,value\n';
    for (let i = 0; i < 1000; i++) csv += `a,loss,${i},${1 / (i + 1)}\n`;
    writeFileSync(join(dir, 'a.csv'), csv);
    const jsonl = Array.from({ length: 300 }, (_, i) => JSON.stringify({ run: 'b', step: i, loss: i, acc: i / 300 })).join('\n') + '\n';
    writeFileSync(join(dir, 'logs', 'deep', 'b.jsonl'), jsonl);
    writeFileSync(join(dir, 'logs', 'broken.csv'), 'not,a,log\n1,2,3\n');
    const db = join(dir, 'store.duckdb');

    const first = cli(['ingest', '--db', db, join(dir, 'a.csv'), join(dir, 'logs')]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^ingested 2 files: 1600 points in [\d.]+ s \(\d+ points\/s\), 0 warnings$/m);
    expect(first.stderr).toMatch(/not read: broken\.csv/);
    const again = cli(['ingest', '--db', db, join(dir, 'a.csv'), join(dir, 'logs')]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^ingested 0 files: 0 points/m);
    expect(cli(['--help']).stdout).toMatch(/metricgl serve --db FILE/);
    expect(cli(['ingest', '--db', db, join(dir, 'missing.csv')]).stderr).toMatch(/missing\.csv: no such file/);

    const { proc, url, out } = await serve(db);
    const info = await (await fetch(`${url}/api/source`)).json();
    expect(info).toEqual({ version: 1, engine: 'duckdb', series: 3, points: 1600 });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out()).toMatch(/metricgl serve: stopped/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve stops on SIGTERM while views are being answered (DuckDB queries interrupted, the process exits)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-cli-busy-'));
  try {
    let csv = 'run,metric,step,value\n';
    for (let r = 0; r < 20; r++) for (let i = 0; i < 30_000; i++) csv += `r${r},loss,${i},${Math.sin(i / 50) + r}\n`;
    writeFileSync(join(dir, 'big.csv'), csv);
    const db = join(dir, 'store.duckdb');
    expect(cli(['ingest', '--db', db, join(dir, 'big.csv')]).status).toBe(0);
    const { proc, url } = await serve(db);
    const list = (await (await fetch(`${url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as { series: { sid: number }[] };
    const view = JSON.stringify({ series: list.series.map((s) => s.sid), xColumn: 'x', x0: 0, x1: 30_000, W: 1000, yScale: 'linear' });
    const asks = [0, 1, 2].map(() => fetch(`${url}/api/view`, { method: 'POST', body: view, headers: { 'content-type': 'application/json' } }).catch(() => null));
    await new Promise((r) => setTimeout(r, 80));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running after 15 s'), 15_000))]);
    if (code === 'still running after 15 s') proc.kill('SIGKILL');
    expect(code).toBe(0);
    await Promise.all(asks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('metricgl lod builds the blocks and the step files; serve (from the step files, with its step thread or without), --m4 lod and --m4 naive answer a view with the same bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-cli-lod-'));
  try {
    let csv = 'run,metric,step,value\n';
    for (let r = 0; r < 3; r++) for (let i = 0; i < 20_000; i++) csv += `r${r},loss,${i},${i % 997 === 0 ? 'nan' : Math.sin(i / 50) + r + (i % 4099 === 0 ? 9 : 0)}\n`;
    writeFileSync(join(dir, 'big.csv'), csv);
    const db = join(dir, 'store.duckdb');
    expect(cli(['ingest', '--db', db, join(dir, 'big.csv')]).status).toBe(0);
    const built = cli(['lod', '--db', db]);
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(/^level-of-detail blocks for 3 series in [\d.]+ s$/m);
    expect(built.stdout).toMatch(/^step files for 3 series \(60000 points written\) in [\d.]+ s$/m);
    const files = readdirSync(`${db}.steps`);
    expect(files.length).toBe(12); // per series its steps, values, their index and its record
    expect(files.every((f) => /^\d+\.(json|x|y|xi)$/.test(f))).toBe(true);
    expect(cli(['lod', '--db', join(dir, 'none.duckdb')]).stderr).toMatch(/none\.duckdb does not exist/);
    expect(cli(['serve', '--db', db, '--m4', 'fast']).stderr).toMatch(/--m4 fast: steps, lod, naive/);
    const answers: Buffer[] = [];
    // METRICGL_STEP_THREAD: all hands the step thread half of every view (default: from 1M points in view), 0 none
    const runs: [string[], Record<string, string>][] = [[[], { METRICGL_STEP_THREAD: 'all' }], [['--m4', 'lod'], {}], [['--m4', 'naive'], {}], [[], { METRICGL_STEP_THREAD: '0' }]];
    for (const [extra, env] of runs) {
      const { proc, url } = await serve(db, extra, env);
      try {
        const list = (await (await fetch(`${url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as { series: { sid: number }[] };
        const view = JSON.stringify({ series: list.series.map((s) => s.sid), xColumn: 'x', x0: 1000.5, x1: 18_000, W: 300, yScale: 'log' });
        const res = await fetch(`${url}/api/view`, { method: 'POST', body: view, headers: { 'content-type': 'application/json' } });
        expect(res.status).toBe(200);
        answers.push(Buffer.from(await res.arrayBuffer()));
      } finally {
        proc.kill('SIGTERM');
      }
    }
    expect(answers[0].length).toBeGreaterThan(300 * 3 * 20);
    expect(answers[0].equals(answers[1])).toBe(true);
    expect(answers[0].equals(answers[2])).toBe(true);
    expect(answers[0].equals(answers[3])).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
