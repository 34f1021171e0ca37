// The production demo server (demo/live/prod.mjs) on real loopback ports, read with real sockets:
// it survives malformed requests, never serves a file outside its folder, sets Content-Type,
// serves the .csv.gz demo data as its bytes, bounds the live streams, answers only to local host
// names, and the live API's contract. The served folder here is a stand-in build made by the test
// (index.html, a script, a real gzip file); test/browser/demo-build.spec.ts loads the real build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startExplorerServer, type ExplorerServer } from '../../demo/live/prod.mjs';
import { requestPath, isAllowedHost } from '../../src/node/http.mjs';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with the path sent exactly as given (Node's client does not normalise it). */
function fetchRaw(url: string, path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Bytes written to a plain TCP socket; resolves with everything the server sends until it closes (or 2 s). */
function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => (sock.destroy(), resolve(got)), 2000);
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('close', () => (clearTimeout(timer), resolve(got)));
    sock.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve(got) : reject(e)));
    sock.end(bytes); // half-close: the server answers, then closes
  });
}

/** Opens /api/live and resolves once the status line is in (the stream stays open). */
function openStream(url: string): Promise<{ status: number; body: () => string; close: () => void; closed: Promise<void> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/api/live' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      const closed = new Promise<void>((r) => res.on('close', () => r()));
      resolve({ status: res.statusCode ?? 0, body: () => body, close: () => req.destroy(), closed });
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CSV = 'run,metric,step,value\nr,loss,1,2.5\nr,loss,2,2.25\n';
const SECRET = 'SECRET-OUTSIDE-THE-ROOT';

describe('production demo server: static files', () => {
  let tmp = '';
  let root = '';
  let server: ExplorerServer;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'metricgl-prod-'));
    root = join(tmp, 'root');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>explorer</title><script type="module" src="./assets/app.js"></script>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);\n');
    writeFileSync(join(root, 'assets', 'logs.csv-abc.gz'), gzipSync(CSV));
    writeFileSync(join(root, '.sources-sha256'), 'hidden\n');
    writeFileSync(join(tmp, 'secret.txt'), SECRET);
    symlinkSync(join(tmp, 'secret.txt'), join(root, 'leak.txt')); // a link out of the root
    server = await startExplorerServer({ root, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const addr = server.server.address();
    expect(addr && typeof addr === 'object' && addr.address).toBe('127.0.0.1');
  });

  it('serves index.html at / with Content-Type; scripts as text/javascript; HEAD has no body; POST is 405', async () => {
    const index = await fetchRaw(server.url, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body.toString()).toContain('<title>explorer</title>');
    const js = await fetchRaw(server.url, '/assets/app.js?v=1');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-length']).toBe('16');
    const head = await fetchRaw(server.url, '/assets/app.js', { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '16', 0]);
    expect((await fetchRaw(server.url, '/', { method: 'POST' })).status).toBe(405);
    expect((await fetchRaw(server.url, '/nope.js')).status).toBe(404);
    expect((await fetchRaw(server.url, '/assets')).status).toBe(404); // a folder is not a file
  });

  it('serves the .csv.gz as its gzip bytes (application/gzip, no Content-Encoding)', async () => {
    const r = await fetchRaw(server.url, '/assets/logs.csv-abc.gz', { headers: { 'accept-encoding': 'gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/gzip');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.body.equals(readFileSync(join(root, 'assets', 'logs.csv-abc.gz')))).toBe(true);
    expect(gunzipSync(r.body).toString()).toBe(CSV);
  });

  it('/demo/index.html (the dev server address) redirects to /, keeping the query', async () => {
    const r = await fetchRaw(server.url, '/demo/index.html?x=1');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/?x=1');
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/..\\secret.txt',
    '/leak.txt', // a symlink inside the root that points out of it
    '/.sources-sha256', // hidden names
    '/%00/../secret.txt',
    '/%zz',
  ])('does not serve %s', async (path) => {
    const r = await fetchRaw(server.url, path);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.toString()).not.toContain(SECRET);
    expect(r.body.toString()).not.toContain('hidden');
  });

  it('absolute paths stay under the root: /<abs path>, //<abs path>, %2F<abs path>, file:// and http:// forms', async () => {
    const abs = join(tmp, 'secret.txt');
    for (const path of [abs, `/${abs}`, `/${encodeURIComponent(abs)}`, `file://${abs}`, `http://127.0.0.1${abs}`, `http://x/..${abs}`]) {
      const r = await fetchRaw(server.url, path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.body.toString()).not.toContain(SECRET);
    }
    // absolute form naming a file that is in the root is fine (RFC 9112 3.2.2)
    const ok = await fetchRaw(server.url, `${server.url}/assets/app.js`);
    expect(ok.status).toBe(200);
  });

  it('survives malformed request lines sent over a raw socket, then serves a normal GET', async () => {
    const bad = [
      'GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', // what ended the Vite dev server
      'GET http://[::1]:80:80/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      'GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      'GET \x00 HTTP/1.1\r\n\r\n',
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n',
      'GET / HTTP/1.1\r\nBad Header\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]), // a TLS ClientHello start
    ];
    for (const b of bad) {
      const reply = await rawExchange(server.port, b);
      expect(reply === '' || /^HTTP\/1\.1 4\d\d /.test(reply), JSON.stringify(reply.slice(0, 80))).toBe(true);
    }
    const first = await rawExchange(server.port, bad[0]);
    expect(first).toMatch(/^HTTP\/1\.1 400 /);
    const r = await fetchRaw(server.url, '/');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('<title>explorer</title>');
  });

  it('answers only to local host names (DNS rebinding)', async () => {
    expect((await fetchRaw(server.url, '/', { headers: { host: 'evil.example:80' } })).status).toBe(403);
    expect((await fetchRaw(server.url, '/api/logdir', { headers: { host: 'evil.example' } })).status).toBe(403);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, 'app.localhost']) {
      expect((await fetchRaw(server.url, '/', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('a busy port moves on to the next one', async () => {
    const blocker = createNetServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const busy = (blocker.address() as { port: number }).port;
    const s2 = await startExplorerServer({ root, port: busy }).catch((e) => {
      blocker.close();
      throw e;
    });
    try {
      expect(s2.port).toBeGreaterThan(busy);
      expect((await fetchRaw(s2.url, '/')).status).toBe(200);
    } finally {
      await s2.close();
      blocker.close();
    }
  });

  it('refuses to start without a build in its folder', async () => {
    await expect(startExplorerServer({ root: join(tmp, 'nothing'), port: 0 })).rejects.toThrow(/npm run build:demo/);
  });
});

describe('production demo server: the live API', () => {
  let tmp = '';
  let root = '';
  let logdir = '';

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'metricgl-prod-api-'));
    root = join(tmp, 'root');
    logdir = join(tmp, 'logs');
    mkdirSync(root);
    mkdirSync(logdir);
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(logdir, 'a.csv'), 'step,loss\n1,2\n');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('GET /api/logdir without --logdir: 200 { dir: null, files: [], demoData: true }; /api/live: 404', async () => {
    const s = await startExplorerServer({ root, port: 0 });
    try {
      const r = await fetchRaw(s.url, '/api/logdir');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(r.body.toString())).toEqual({ dir: null, files: [], demoData: true });
      const live = await fetchRaw(s.url, '/api/live');
      expect(live.status).toBe(404);
      expect(JSON.parse(live.body.toString()).error).toMatch(/--logdir/);
    } finally {
      await s.close();
    }
  });

  it('with --logdir demoData is false, and true with --demo-data', async () => {
    for (const demoData of [undefined, true]) {
      const s = await startExplorerServer({ root, port: 0, logdir, demoData });
      try {
        const r = await fetchRaw(s.url, '/api/logdir');
        expect(JSON.parse(r.body.toString())).toEqual({
          dir: logdir,
          files: [{ path: 'a.csv', size: 14, kind: 'csv' }],
          demoData: demoData === true,
        });
      } finally {
        await s.close();
      }
    }
  });

  it('at most maxClients event streams: one more is a 503 with a message; closing one makes room', async () => {
    const s = await startExplorerServer({ root, port: 0, logdir, maxClients: 3, fsWatch: false });
    const open: Awaited<ReturnType<typeof openStream>>[] = [];
    try {
      for (let i = 0; i < 3; i++) open.push(await openStream(s.url));
      expect(open.map((o) => o.status)).toEqual([200, 200, 200]);
      const over = await fetchRaw(s.url, '/api/live');
      expect(over.status).toBe(503);
      expect(over.headers['retry-after']).toBe('5');
      expect(JSON.parse(over.body.toString()).error).toMatch(/too many live streams: 3 are open/);
      // the rest of the server is unaffected
      expect((await fetchRaw(s.url, '/api/logdir')).status).toBe(200);
      open.shift()!.close();
      for (let i = 0; i < 50 && s.api.clients() > 2; i++) await sleep(20);
      expect(s.api.clients()).toBe(2);
      const again = await openStream(s.url);
      open.push(again);
      expect(again.status).toBe(200);
      for (let i = 0; i < 50 && !again.body().includes('event: synced'); i++) await sleep(20);
      expect(again.body()).toContain('"file":"a.csv"');
    } finally {
      for (const o of open) o.close();
      await s.close();
    }
  });

  it('symlinks out of --logdir (a file, a folder) are not streamed, and are reported once; --follow-links streams them', async () => {
    const own = mkdtempSync(join(tmpdir(), 'metricgl-prod-links-'));
    try {
      const logs = join(own, 'logs');
      mkdirSync(join(own, 'elsewhere'), { recursive: true });
      mkdirSync(logs);
      writeFileSync(join(own, 'passwd'), `root:x:0:0:${SECRET}\n`);
      writeFileSync(join(own, 'elsewhere', 'run.jsonl'), `{"step":1,"note":"${SECRET}"}\n`);
      writeFileSync(join(logs, 'ok.csv'), 'step,loss\n1,2\n');
      symlinkSync(join(own, 'passwd'), join(logs, 'p.csv')); // ln -s /etc/passwd DIR/p.csv
      symlinkSync(join(own, 'elsewhere'), join(logs, 'ext'));
      const warnings: string[] = [];
      const s = await startExplorerServer({ root, port: 0, logdir: logs, fsWatch: false, warn: (m) => warnings.push(m) });
      try {
        for (let k = 0; k < 2; k++) {
          const o = await openStream(s.url);
          for (let i = 0; i < 100 && !o.body().includes('event: synced'); i++) await sleep(20);
          expect(o.body()).toContain('"file":"ok.csv"');
          expect(o.body()).not.toContain(SECRET);
          await sleep(300); // a few polls more
          o.close();
        }
        const files = JSON.parse((await fetchRaw(s.url, '/api/logdir')).body.toString()).files;
        expect(files.map((f: { path: string }) => f.path)).toEqual(['ok.csv']);
        expect(warnings.sort()).toEqual([
          `[live] not following ext -> ${join(own, 'elsewhere')}: outside --logdir (--follow-links follows it)`,
          `[live] not following p.csv -> ${join(own, 'passwd')}: outside --logdir (--follow-links follows it)`,
        ]);
      } finally {
        await s.close();
      }
      const f = await startExplorerServer({ root, port: 0, logdir: logs, fsWatch: false, followLinks: true, warn: () => {} });
      try {
        const o = await openStream(f.url);
        for (let i = 0; i < 100 && !o.body().includes('event: synced'); i++) await sleep(20);
        expect(o.body()).toContain('"file":"ext/run.jsonl"');
        expect(o.body()).toContain('"file":"p.csv"');
        o.close();
      } finally {
        await f.close();
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('close() ends open streams promptly', async () => {
    const s = await startExplorerServer({ root, port: 0, logdir });
    const o = await openStream(s.url);
    const t0 = performance.now();
    await s.close();
    await o.closed;
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('http helpers', () => {
  it('requestPath never throws', () => {
    expect(requestPath('/a/b?c#d')).toBe('/a/b');
    expect(requestPath('http://[::1')).toBeNull();
    expect(requestPath('http://h:1/x/y')).toBe('/x/y');
    expect(requestPath('*')).toBeNull();
    expect(requestPath('file:///etc/passwd')).toBeNull();
    expect(requestPath(undefined)).toBeNull();
  });
  it('isAllowedHost: IPs, localhost, the given names; nothing else', () => {
    expect(isAllowedHost('127.0.0.1:5173', [])).toBe(true);
    expect(isAllowedHost('[::1]:5173', [])).toBe(true);
    expect(isAllowedHost('LOCALHOST', [])).toBe(true);
    expect(isAllowedHost('devbox:5173', ['devbox'])).toBe(true);
    expect(isAllowedHost('evil.example', ['devbox'])).toBe(false);
    expect(isAllowedHost('[evil', [])).toBe(false);
    expect(isAllowedHost(undefined, [])).toBe(true);
  });
});
