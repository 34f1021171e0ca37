// `node demo/serve.mjs` (what `npm run demo` runs) as a child process, in its default mode: it
// builds the explorer when there is no build of the current sources (into a temporary folder
// here, METRICGL_DEMO_BUILD_DIR), serves the build with the production server, and skips the
// build on the next start. Also --follow-links and the skipped-link message on the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('../../demo/serve.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

function fetchText(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
}

/** Starts the CLI; resolves with its URL once the banner is printed. */
async function startCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [SERVE, ...args, '--port', '0'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 60_000);
    const check = () => {
      const m = /metricgl demo\s+(http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => reject(new Error(`exited early:\n${out}`)));
  });
  return { child, url, exited, out: () => out };
}

const kill = (c: ChildProcess) => {
  if (c.exitCode === null) c.kill('SIGKILL');
};

describe('demo/serve.mjs (production: the built explorer)', () => {
  let tmp = '';
  let env: NodeJS.ProcessEnv;
  let logdir = '';
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'metricgl-cli-prod-'));
    logdir = join(tmp, 'logs');
    mkdirSync(logdir);
    writeFileSync(join(logdir, 'a.csv'), 'step,loss\n1,2\n');
    writeFileSync(join(tmp, 'outside.csv'), 'step,secret\n1,42\n');
    symlinkSync(join(tmp, 'outside.csv'), join(logdir, 'p.csv'));
    env = { ...process.env, METRICGL_DEMO_BUILD_DIR: join(tmp, 'build'), BROWSER: 'none' };
    delete env.npm_lifecycle_event;
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds when there is no build, serves it (page, scripts, demo data), stops on SIGTERM; the next start does not build', async () => {
    const t0 = performance.now();
    const a = await startCli(['--logdir', logdir], env);
    try {
      console.log(`first start (with the build) printed its URL after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      expect(a.out()).toMatch(/building the explorer into .*\(not built yet\)/);
      expect(a.out()).toMatch(/built in \d+\.\d s/);
      expect(a.out()).toContain(`logdir         ${logdir}  (1 csv)`); // p.csv leads outside: not counted
      const page = await fetchText(a.url);
      expect(page.status).toBe(200);
      expect(page.type).toBe('text/html; charset=utf-8');
      const html = page.body.toString();
      expect(html).toContain('metricgl explorer');
      expect(html).not.toContain('./explorer/main.ts'); // built: the script is bundled
      const assets = readdirSync(join(tmp, 'build', 'assets'));
      const gz = assets.find((f) => f.endsWith('.gz'));
      expect(gz, assets.join(', ')).toMatch(/^modded-nanogpt-loss\.csv-.*\.gz$/);
      const data = await fetchText(`${a.url}assets/${gz}`);
      expect([data.status, data.type, data.body[0], data.body[1]]).toEqual([200, 'application/gzip', 0x1f, 0x8b]);
      const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
      expect((await fetchText(`${a.url}${script}`)).type).toBe('text/javascript; charset=utf-8');
      const info = JSON.parse((await fetchText(`${a.url}api/logdir`)).body.toString());
      expect(info).toEqual({ dir: logdir, files: [{ path: 'a.csv', size: 14, kind: 'csv' }], demoData: false });
      await fetchText(`${a.url}api/logdir`);
      // the link out of the folder is named on the console once, however often it is listed
      await new Promise((r) => setTimeout(r, 100));
      expect(a.out().match(/not following p\.csv -> .*outside\.csv: outside --logdir/g)).toHaveLength(1);
      a.child.kill('SIGTERM');
      expect(await a.exited).toBe(143);
    } finally {
      kill(a.child);
    }
    expect(existsSync(join(tmp, 'build', 'index.html'))).toBe(true);

    const b = await startCli(['--logdir', logdir, '--follow-links', '--demo-data'], env);
    try {
      expect(b.out()).not.toContain('building');
      const info = JSON.parse((await fetchText(`${b.url}api/logdir`)).body.toString());
      expect(info.files.map((f: { path: string }) => f.path)).toEqual(['a.csv', 'p.csv']);
      expect(info.demoData).toBe(true);
      b.child.kill('SIGINT');
      expect(await b.exited).toBe(0);
    } finally {
      kill(b.child);
    }
  }, 90_000);
});
