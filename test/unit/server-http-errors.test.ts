/**
 * The metricgl server's edges, over real sockets and a real DuckDB file: POST /api/ingest and
 * the `grew` it pushes over SSE, a watched --logdir, bad requests (each a 4xx `{ error }` naming
 * the query's purpose, the server serving on), Host and Origin checks, CORS for named origins.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import type { IngestReply, LiveGrew, SourceInfo, SourceSeries } from '../../src/source/api';

const ALLOWED = 'http://app.example:3000';
let dir: string;
let server: SourceServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-edges-'));
  mkdirSync(join(dir, 'logs', 'run-a'), { recursive: true });
  writeFileSync(join(dir, 'logs', 'run-a', 'metrics.csv'), 'metric,step,value\nloss,0,1\nloss,1,0.5\n');
  server = await startSourceServer({ db: join(dir, 'store.duckdb'), port: 0, threads: 1, cors: [ALLOWED], logdir: join(dir, 'logs'), warn: () => {} });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const info = async () => (await (await fetch(server.url + '/api/source')).json()) as SourceInfo;
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** An open /api/live stream: the events it has sent, parsed. */
async function openLive(): Promise<{ events: { event: string; data: unknown }[]; next(name: string): Promise<unknown>; close(): void }> {
  const ac = new AbortController();
  const r = await fetch(server.url + '/api/live', { signal: ac.signal });
  expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = r.body!.getReader();
  const events: { event: string; data: unknown }[] = [];
  let text = '';
  const dec = new TextDecoder();
  return {
    events,
    async next(name) {
      for (;;) {
        const seen = events.findIndex((e) => e.event === name);
        if (seen >= 0) return events.splice(seen, 1)[0].data;
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += dec.decode(value, { stream: true });
        let end;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const msg = text.slice(0, end);
          text = text.slice(end + 2);
          const ev = /^event: (.*)$/m.exec(msg)?.[1];
          const data = /^data: (.*)$/m.exec(msg)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      }
    },
    close: () => ac.abort(),
  };
}

describe('metricgl server edges', () => {
  test('the --logdir folder is ingested at start, and what is appended pushes grew', async () => {
    expect(await info()).toMatchObject({ series: 1, points: 2 });
    const live = await openLive();
    await live.next('hello');
    appendFileSync(join(dir, 'logs', 'run-a', 'metrics.csv'), 'loss,2,0.25\nloss,3,0.125\n');
    const g = (await live.next('grew')) as LiveGrew;
    expect(g).toMatchObject({ added: 0, series: [{ points: 4, extent: { x: [0, 3] } }] });
    live.close();
  });

  test('POST /api/ingest adds points (JSON Lines and CSV) and pushes grew', async () => {
    const live = await openLive();
    await live.next('hello');
    const before = (await info()).points;
    const jsonl = Array.from({ length: 50 }, (_, i) => JSON.stringify({ run: 'posted', step: i, loss: 1 / (i + 1) })).join('\n');
    const r = await post('/api/ingest', jsonl, { 'content-type': 'application/x-ndjson' });
    expect(r.status).toBe(200);
    expect((await r.json()) as IngestReply).toEqual({ points: 50, series: 1, warnings: [] });
    const g = (await live.next('grew')) as LiveGrew;
    expect(g.added).toBe(1);
    expect(g.series[0]).toMatchObject({ points: 50, extent: { x: [0, 49] } });
    const csv = await post('/api/ingest?name=csv-run', 'metric,step,value\nacc,1,0.5\nacc,2,0.75\n', { 'content-type': 'text/csv' });
    expect(await csv.json()).toEqual({ points: 2, series: 1, warnings: [] });
    expect((await info()).points).toBe(before + 52);
    const list = ((await (await post('/api/series', JSON.stringify({ metric: 'acc' }))).json()) as { series: SourceSeries[] }).series;
    expect(list.map((s) => s.run)).toEqual(['csv-run']);
    live.close();
  });

  test('bad requests answer 4xx { error } naming the purpose; the server serves on', async () => {
    const err = async (r: Response | Promise<Response>, status: number, re: RegExp) => {
      const res = await r;
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(re);
      expect(body.error).not.toMatch(/\n\s+at /); // no stack trace
    };
    const view = { series: [0], xColumn: 'x', x0: 0, x1: 10, W: 10, yScale: 'linear' };
    await err(post('/api/view', '{"series": [0'), 400, /^view: the body is not JSON/);
    await err(post('/api/view', JSON.stringify({ ...view, x1: -1 })), 400, /^view: bad x range/);
    await err(post('/api/view', JSON.stringify({ ...view, W: 0 })), 400, /^view: bad column count/);
    await err(post('/api/view', JSON.stringify({ ...view, xColumn: `x'; DROP TABLE points; --` })), 400, /^view: unknown x column/);
    await err(post('/api/view', JSON.stringify({ ...view, series: ['1 OR 1=1'] })), 400, /^view: bad series id/);
    await err(post('/api/view', JSON.stringify({ ...view, pad: 'x'.repeat(2 << 20) })), 413, /^view: request body over/);
    await err(post('/api/hover', JSON.stringify({ series: [0], xColumn: 'x', x: 'NaN' })), 400, /^hover: "x" must be a finite number/);
    await err(post('/api/hover', '[]'), 400, /^hover: the body must be a JSON object/);
    await err(post('/api/series', JSON.stringify({ where: { op: 'eval', field: 'run', value: 1 } })), 400, /^series list: where.op: "eval" is not one of/);
    await err(post('/api/series', JSON.stringify({ where: { op: '~', field: 'run', value: '(a+)+$' } })), 400, /^series list: where.value: .*exponential/);
    await err(post('/api/series', JSON.stringify({ where: { op: 'and', left: { op: '==', field: 'run', value: 'a' } } })), 400, /^series list: where.right: not a filter node/);
    await err(post('/api/ingest', 'this is not a log\n', { 'content-type': 'text/plain' }), 400, /^ingest: .*not a CSV, JSON Lines/);
    await err(post('/api/ingest?name=a/b', 'metric,step,value\n', { 'content-type': 'text/csv' }), 400, /^ingest: "name" must be/);
    await err(fetch(server.url + '/api/view'), 405, /^view: GET \/api\/view: use POST/);
    await err(fetch(server.url + '/api/nope'), 404, /^request: no API \/api\/nope/);
    // fetch cannot set Host: a raw request (DNS rebinding sends the attacker's name)
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(server.url + '/api/source', { headers: { host: 'evil.example' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toMatch(/^source info: host not allowed: evil.example/);
    // a malformed request line: 400 from Node's parser, and nothing ends
    const reply = await new Promise<string>((resolve) => {
      const s = connect(Number(new URL(server.url).port), '127.0.0.1', () => s.write('GET http://[::1 HTTP/1.1\r\n\r\n'));
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('close', () => resolve(got));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(server.url + '/api/source')).status).toBe(200);
  });

  test('CORS: headers for the named origin only; other origins are refused', async () => {
    const pre = await fetch(server.url + '/api/view', { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const ok = await fetch(server.url + '/api/source', { headers: { origin: ALLOWED } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const own = await fetch(server.url + '/api/source');
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
    for (const origin of ['http://evil.example', 'null']) {
      const pre2 = await fetch(server.url + '/api/view', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(pre2.status).toBe(403);
      expect(pre2.headers.get('access-control-allow-origin')).toBeNull();
      // a "simple" POST needs no preflight: it is refused, and nothing is ingested
      const before = (await info()).points;
      const csrf = await post('/api/ingest', 'metric,step,value\nx,1,1\n', { origin, 'content-type': 'text/plain' });
      expect(csrf.status).toBe(403);
      expect((await info()).points).toBe(before);
    }
  });
});
