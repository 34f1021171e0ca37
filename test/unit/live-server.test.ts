// End to end, in node: the demo server (Vite + the live plugin) on a free port, /api/logdir and the
// /api/live SSE stream read with plain http requests; and the CLI as a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer, type DemoServer } from '../../demo/live/server.mjs';
import * as serveModule from '../../demo/serve.mjs';

interface SseEvent {
  event: string;
  data: string;
  at: number;
}

interface LiveChunk {
  file: string;
  kind: 'csv' | 'jsonl' | 'tfevents';
  offset: number;
  reset?: boolean;
  text?: string;
  base64?: string;
}

/** A hand-parsed SSE stream: every event so far, and waiting for the next one that matches. */
function openSse(url: string): Promise<{
  res: IncomingMessage;
  events: SseEvent[];
  comments: string[];
  waitFor(pred: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters: Array<{ pred: (e: SseEvent) => boolean; done: (e: SseEvent) => void; from: number }> = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => {
        buf += s;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (!data.length) continue;
          const e = { event, data: data.join('\n'), at: performance.now() };
          events.push(e);
          for (const w of [...waiters]) {
            if (w.pred(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.done(e);
            }
          }
        }
      });
      resolve({
        res,
        events,
        comments,
        waitFor(pred, timeoutMs = 3000) {
          const found = events.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((done, fail) => {
            const w = { pred, done: (e: SseEvent) => (clearTimeout(timer), done(e)), from: events.length };
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              fail(new Error(`no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            waiters.push(w);
          });
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
  });
}

const chunk = (e: SseEvent) => JSON.parse(e.data) as LiveChunk;
const isChunk = (file: string, pred: (c: LiveChunk) => boolean = () => true) => (e: SseEvent) =>
  e.event === 'message' && chunk(e).file === file && pred(chunk(e));

function getJson(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let s = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (s += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(s) }));
    }).on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// no dependency pre-bundling, no file watcher, a private cache: the test needs only the API
const quietVite = (cacheDir: string) => ({
  cacheDir,
  optimizeDeps: { noDiscovery: true, include: [] },
  server: { watch: null },
});

describe('demo server: /api/logdir and /api/live', () => {
  let dir = '';
  let server: DemoServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'metricgl-live-'));
    writeFileSync(join(dir, 'train.jsonl'), '{"step":1,"loss":2.5}\n{"step":2,"lo');
    mkdirSync(join(dir, 'run_a'));
    writeFileSync(join(dir, 'run_a', 'metrics.csv'), 'step,loss\n1,3\n');
    server = await startDemoServer({
      logdir: dir,
      port: 0,
      logLevel: 'silent',
      vite: quietVite(join(dir, '.vite-cache')),
    });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET /api/logdir lists the log files with sizes and kinds', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { status, body } = await getJson(`${server.url}/api/logdir`);
    expect(status).toBe(200);
    expect(body).toEqual({
      dir,
      files: [
        { path: 'run_a/metrics.csv', size: 14, kind: 'csv' },
        { path: 'train.jsonl', size: 35, kind: 'jsonl' },
      ],
      demoData: false, // --logdir alone: the explorer opens on the folder, without the demo logs
    });
  });

  it('GET /api/live: content so far, then an appended line within a second; partial lines wait', async () => {
    const sse = await openSse(`${server.url}/api/live`);
    try {
      expect(sse.res.statusCode).toBe(200);
      expect(sse.res.headers['content-type']).toMatch(/^text\/event-stream/);
      const start = await sse.waitFor((e) => e.event === 'start');
      expect(JSON.parse(start.data)).toEqual({ dir });
      await sse.waitFor((e) => e.event === 'synced');
      const initial = sse.events.filter((e) => e.event === 'message').map(chunk);
      expect(initial).toEqual([
        { file: 'run_a/metrics.csv', kind: 'csv', offset: 0, text: 'step,loss\n1,3\n' },
        { file: 'train.jsonl', kind: 'jsonl', offset: 0, text: '{"step":1,"loss":2.5}\n' },
      ]);

      // the rest of the half-written line, and a whole new one
      const t0 = performance.now();
      appendFileSync(join(dir, 'train.jsonl'), 'ss":2.4}\n{"step":3,"loss":2.3}\n');
      const e = await sse.waitFor(isChunk('train.jsonl', (c) => c.offset === 22), 1000);
      console.log(`appended line reached the SSE client after ${(e.at - t0).toFixed(0)} ms`);
      expect(e.at - t0).toBeLessThan(1000);
      expect(chunk(e).text).toBe('{"step":2,"loss":2.4}\n{"step":3,"loss":2.3}\n');

      // half a line: nothing (give watcher and poller time to see it), then the rest
      const before = sse.events.length;
      appendFileSync(join(dir, 'train.jsonl'), '{"step":4,');
      await sleep(700);
      expect(sse.events.slice(before).filter((x) => x.event === 'message')).toEqual([]);
      appendFileSync(join(dir, 'train.jsonl'), '"loss":2.2}\n');
      const f = await sse.waitFor(isChunk('train.jsonl', (c) => c.offset === 66), 1000);
      expect(chunk(f).text).toBe('{"step":4,"loss":2.2}\n');

      // a new run folder with a tfevents file (framed records only; dummy CRCs)
      mkdirSync(join(dir, 'run_b'));
      const rec = Buffer.alloc(16 + 3);
      rec.writeBigUInt64LE(3n, 0);
      rec.write('abc', 12);
      writeFileSync(join(dir, 'run_b', 'events.out.tfevents.1.host'), Buffer.concat([rec, rec.subarray(0, 7)]));
      const g = await sse.waitFor(isChunk('run_b/events.out.tfevents.1.host'), 1000);
      expect(chunk(g)).toMatchObject({ kind: 'tfevents', offset: 0 });
      expect(Buffer.from(chunk(g).base64!, 'base64').equals(rec)).toBe(true);

      // truncation: resent from the start with reset
      writeFileSync(join(dir, 'run_a', 'metrics.csv'), 'step,acc\n');
      const h = await sse.waitFor(isChunk('run_a/metrics.csv', (c) => c.reset === true), 1000);
      expect(chunk(h)).toEqual({ file: 'run_a/metrics.csv', kind: 'csv', offset: 0, reset: true, text: 'step,acc\n' });
    } finally {
      sse.close();
    }
  }, 20_000);

  it('close() ends the open streams', async () => {
    const own = mkdtempSync(join(tmpdir(), 'metricgl-live-close-'));
    const s2 = await startDemoServer({ logdir: dir, port: 0, logLevel: 'silent', vite: quietVite(own) });
    try {
      const sse = await openSse(`${s2.url}/api/live`);
      await sse.waitFor((e) => e.event === 'synced');
      const ended = new Promise<void>((r) => sse.res.on('close', () => r()));
      const t0 = performance.now();
      await s2.close();
      await ended;
      expect(performance.now() - t0).toBeLessThan(3000);
    } finally {
      await s2.close();
      rmSync(own, { recursive: true, force: true });
    }
  }, 20_000);

  it('without fs.watch (polling only) an appended line still arrives within a second', async () => {
    const own = mkdtempSync(join(tmpdir(), 'metricgl-live-poll-'));
    const s2 = await startDemoServer({ logdir: own, port: 0, logLevel: 'silent', fsWatch: false, vite: quietVite(join(own, '.c')) });
    try {
      const sse = await openSse(`${s2.url}/api/live`);
      try {
        await sse.waitFor((e) => e.event === 'synced');
        const lat: number[] = [];
        for (let i = 0; i < 4; i++) {
          const t0 = performance.now();
          appendFileSync(join(own, 'p.jsonl'), `{"step":${i}}\n`);
          const e = await sse.waitFor(isChunk('p.jsonl', (c) => c.text === `{"step":${i}}\n`), 1000);
          lat.push(e.at - t0);
          await sleep(37);
        }
        console.log(`polling only: latencies ${lat.map((x) => x.toFixed(0)).join(', ')} ms`);
        expect(Math.max(...lat)).toBeLessThan(1000);
      } finally {
        sse.close();
      }
    } finally {
      await s2.close();
      rmSync(own, { recursive: true, force: true });
    }
  }, 20_000);

  it('two clients each get everything; closing one leaves the other streaming', async () => {
    const a = await openSse(`${server.url}/api/live`);
    const b = await openSse(`${server.url}/api/live`);
    try {
      await a.waitFor((e) => e.event === 'synced');
      await b.waitFor((e) => e.event === 'synced');
      a.close();
      appendFileSync(join(dir, 'train.jsonl'), '{"step":5}\n');
      const e = await b.waitFor(isChunk('train.jsonl', (c) => c.text === '{"step":5}\n'), 1000);
      expect(chunk(e).offset).toBeGreaterThan(0);
    } finally {
      b.close();
    }
  }, 20_000);
});

describe('demo server without --logdir', () => {
  it('GET /api/logdir is 200 { dir: null, files: [], demoData: true }, /api/live 404; the demo is served (imported from demo/serve.mjs)', async () => {
    expect(serveModule.startDemoServer).toBe(startDemoServer); // importing the CLI module runs no CLI
    const dir = mkdtempSync(join(tmpdir(), 'metricgl-live-none-'));
    const server = await serveModule.startDemoServer({ port: 0, logLevel: 'silent', vite: quietVite(dir) });
    try {
      const info = await getJson(`${server.url}/api/logdir`);
      expect(info).toEqual({ status: 200, body: { dir: null, files: [], demoData: true } });
      const live = await getJson(`${server.url}/api/live`);
      expect(live.status).toBe(404);
      expect(live.body.error).toMatch(/--logdir/);
      const html = await new Promise<number>((resolve, reject) =>
        get(server.url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject),
      );
      expect(html).toBe(200);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('survives a malformed request line (GET http://[::1) that Vite alone dies of', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metricgl-live-bad-'));
    const server = await startDemoServer({ port: 0, logLevel: 'silent', vite: quietVite(dir) });
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const sock = connect(server.port, '127.0.0.1');
        let got = '';
        sock.on('data', (d) => (got += d));
        sock.on('close', () => resolve(got));
        sock.on('error', reject);
        sock.end('GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      });
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
      expect((await getJson(`${server.url}/api/logdir`)).status).toBe(200);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('/api/live: rewrites between two polls', () => {
  let dir = '';
  let server: DemoServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'metricgl-live-rw-'));
    // polling only: the rewrite below is synchronous, so no poll can run in the middle of it
    server = await startDemoServer({ logdir: dir, port: 0, logLevel: 'silent', fsWatch: false, vite: quietVite(join(dir, '.c')) });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lines = (from: number, to: number, v: (i: number) => number) =>
    Array.from({ length: to - from }, (_, k) => `${from + k},${v(from + k).toFixed(6)}\n`).join('');

  it('truncated and written again within one poll, same first lines, not shorter: reset and the new content', async () => {
    const f = join(dir, 'run.csv');
    // more than the first 256 bytes stay identical: a check of the file's head alone misses this
    const same = `step,loss\n${lines(0, 30, (i) => 5 - i / 100)}`;
    expect(same.length).toBeGreaterThan(300);
    const before = same + lines(30, 40, (i) => 5 - i / 100);
    writeFileSync(f, before);
    const sse = await openSse(`${server.url}/api/live`);
    try {
      await sse.waitFor((e) => e.event === 'synced');
      const got = sse.events.filter(isChunk('run.csv')).map((e) => chunk(e).text).join('');
      expect(got).toBe(before);
      const after = same + lines(30, 41, (i) => 9 + i / 100); // a restarted run's other values, longer
      writeFileSync(f, after);
      const r = await sse.waitFor(isChunk('run.csv', (c) => c.reset === true), 1500);
      expect(chunk(r).offset).toBe(0);
      const i = sse.events.indexOf(r);
      await sse.waitFor(() => sse.events.slice(i).filter(isChunk('run.csv')).map((e) => chunk(e).text).join('') === after, 1500);
      expect(sse.events.slice(i).filter(isChunk('run.csv')).map((e) => chunk(e).text).join('')).toBe(after);

      // the same length exactly, different last line
      const same2 = after.slice(0, -9) + '9.999999\n';
      expect(same2.length).toBe(after.length);
      const n = sse.events.length;
      writeFileSync(f, same2);
      const r2 = await sse.waitFor((e) => sse.events.indexOf(e) >= n && isChunk('run.csv', (c) => c.reset === true)(e), 1500);
      expect(chunk(r2).text).toBe(same2);

      // plain truncation: a reset with nothing in it
      const m = sse.events.length;
      truncateSync(f, 0);
      const r3 = await sse.waitFor((e) => sse.events.indexOf(e) >= m && isChunk('run.csv', (c) => c.reset === true)(e), 1500);
      expect(chunk(r3)).toEqual({ file: 'run.csv', kind: 'csv', offset: 0, reset: true, text: '' });
    } finally {
      sse.close();
    }
  }, 20_000);
});

describe('demo/serve.mjs CLI', () => {
  it.each([
    ['SIGTERM', 143], // Vite's own SIGTERM handler: closes the server, exits 128 + 15
    ['SIGINT', 0], // demo/serve.mjs: closes the server, exits 0
  ] as const)('--open twice with --logdir (relative to INIT_CWD under npm) starts, serves, stops on %s', async (signal, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'metricgl-live-cli-'));
    writeFileSync(join(dir, 'a.csv'), 'step,loss\n1,2\n');
    const serve = fileURLToPath(new URL('../../demo/serve.mjs', import.meta.url));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      npm_lifecycle_event: 'demo',
      INIT_CWD: dirname(dir),
      BROWSER: 'none',
      // Vite's dependency pre-bundling, cut short by the signal, leaves its temp folders here
      METRICGL_DEMO_CACHE_DIR: join(dir, '.vite-cache'),
    };
    delete env.CI; // the no-display rule alone must keep --open from failing
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    // --dev: this pins the development server (Vite); demo-cli.test.ts runs the default, the build
    const child = spawn(process.execPath, [serve, '--dev', '--open', '--logdir', basename(dir), '--open', '--port', '0'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 20_000);
        const check = () => {
          const m = /metricgl demo\s+(http:\/\/\S+)/.exec(out);
          if (m && /live stream/.test(out)) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        };
        child.stdout.on('data', check);
        child.on('exit', () => reject(new Error(`exited early:\n${out}`)));
      });
      expect(out).toContain(`logdir         ${dir}  (1 csv)`);
      if (process.platform === 'linux') expect(out).toContain('not opening a browser: no display');
      const { status, body } = await getJson(`${url}api/logdir`);
      expect(status).toBe(200);
      expect(body).toEqual({ dir, files: [{ path: 'a.csv', size: 14, kind: 'csv' }], demoData: false });
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(out).not.toMatch(/xdg-open|spawn|ENOENT/); // no failed attempt to open a browser
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('rejects an unknown option with usage and exit code 2', async () => {
    const serve = fileURLToPath(new URL('../../demo/serve.mjs', import.meta.url));
    const child = spawn(process.execPath, [serve, '--logdri', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(err).toMatch(/usage: node demo\/serve\.mjs/);
  }, 10_000);
});
