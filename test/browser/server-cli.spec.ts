/**
 * `npx metricgl` as a user runs it: the built CLI (dist-server/, made by `npm run build`) in real
 * processes, on generated CSV / JSON Lines files in a temp folder. No page: the API is checked
 * over HTTP from the test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const BIN = join(process.cwd(), 'bin', 'metricgl.mjs');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
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

    const proc = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      proc.stdout.on('data', (d) => {
        out += d;
        const m = /metricgl serve: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) (clearTimeout(t), resolve(m[1]));
      });
      proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const info = await (await fetch(`${url}/api/source`)).json();
    expect(info).toEqual({ version: 1, engine: 'duckdb', series: 3, points: 1600 });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/metricgl serve: stopped/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
