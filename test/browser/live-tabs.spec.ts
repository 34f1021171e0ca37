/**
 * Ten tabs of one browser profile on one metricgl server while its log folder is appended to.
 * A plain-http host gets six connections per profile and a live stream holds one for good, so
 * with a stream per tab the seventh tab's fetches would queue forever; the tabs share one stream
 * instead (src/source/liveshare.ts). Every tab answers its fetches all along and ends holding
 * exactly the points written (none twice, none lost); the server sees one /api/live stream from
 * the profile (counted by a small proxy in front of it, the only way in); and when the tab that
 * holds the stream closes, another takes over and later lines still reach every tab left.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameInfo, SourceSeries } from '../../src/index';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { frameWith, openHarness } from './helpers';

const ORIGIN = 'http://127.0.0.1:5199';
const PAGES = 10;
const FIRST = 100; // steps each run holds before the pages open
const PER_ROUND = 150; // steps appended to each run per round
/** ms after each round: some rounds land while the tabs redraw the one before, some when idle */
const GAPS = [300, 0, 700, 400];

const val = (k: number, i: number) => Math.round((1 + k + Math.exp(-i / 300) + 0.05 * Math.sin(i * (0.1 + k / 10))) * 1e6) / 1e6;
const RUNS = [
  { file: 'run-a.jsonl', head: '', lines: (from: number, to: number) => range(from, to).map((i) => JSON.stringify({ step: i, loss: val(0, i) }) + '\n') },
  { file: 'run-b.csv', head: 'metric,step,value\n', lines: (from: number, to: number) => range(from, to).map((i) => `loss,${i},${val(1, i)}\n`) },
];
const SERIES = RUNS.length;

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The server as the browser reaches it: every request passes here on its way, so the /api/live
 * streams open now (and the most at once) are what the server is holding for the profile.
 */
async function countingProxy(target: string): Promise<{ url: string; live(): number; most(): number; resetMost(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  let live = 0;
  let most = 0;
  const server = createServer((req, res) => {
    const up = httpRequest({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    if ((req.url ?? '').startsWith('/api/live')) {
      most = Math.max(most, ++live);
      res.once('close', () => live--);
    }
    // the browser let go before the answer ended (a stream closed): the server is to learn it
    res.once('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    live: () => live,
    most: () => most,
    resetMost: () => (most = live),
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

async function listed(server: SourceServer): Promise<SourceSeries[]> {
  const res = await fetch(`${server.url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { series: SourceSeries[] }).series;
}

type W = {
  metricgl: typeof import('../../src/index');
  ch: import('../../src/index').Chart;
  src: import('../../src/index').Source;
  seen: unknown[];
  maxPoints: number;
  streams(): { made: number; open: number };
};

/** A chart of every listed series; the page keeps its source, its chart's events and the most points it ever drew. */
async function openChart(page: Page, url: string, k: number): Promise<FrameInfo> {
  await openHarness(page);
  await page.addStyleTag({ content: '#chart { width: 300px !important; height: 180px !important; }' });
  const opened = page.evaluate(async (url) => {
    const w = window as unknown as W;
    w.seen = [];
    w.src = w.metricgl.connectSource(url);
    const list = await w.src.series();
    w.ch = w.metricgl.createChart(document.getElementById('chart')!, {});
    w.ch.on('source', (e) => w.seen.push({ source: e.state, message: e.message }));
    w.ch.on('error', (e) => w.seen.push({ error: e.message, id: e.id }));
    w.ch.setSeries(list.map((s, i) => ({ id: s.id, source: w.src, color: ['#d62728', '#1f77b4'][i % 2], width: 1 })));
    const first = await w.ch.rendered();
    w.maxPoints = first.points;
    // what the page holds all along, not only at the end: a point counted twice shows on the way
    const sample = async () => {
      const f = await w.ch.rendered().catch(() => null);
      if (f) w.maxPoints = Math.max(w.maxPoints, f.points);
      setTimeout(sample, 50);
    };
    void sample();
    return first;
  }, url);
  return within(opened, 30_000, `page ${k}: its first chart never came (its requests queued behind the other tabs' streams?)`);
}

function within<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(why)), ms)))]).finally(() => clearTimeout(timer));
}

/** Every page fetches from the server at once: each answers within a few seconds (none queued behind a stream). */
async function allAnswer(pages: Page[], url: string): Promise<number[]> {
  return Promise.all(
    pages.map((p, k) =>
      p.evaluate(async ([url, k]) => {
        const t0 = performance.now();
        try {
          const res = await fetch(`${url}/api/source`, { signal: AbortSignal.timeout(5000) });
          await res.json();
        } catch (err) {
          throw new Error(`page ${k}: GET /api/source did not answer within 5 s: ${(err as Error).message}`);
        }
        return Math.round(performance.now() - t0);
      }, [url, k] as const),
    ),
  );
}


/** Every page: exactly `total` points drawn, never more on the way, its source's counts the server's, no event (never lost). */
async function expectExact(pages: Page[], server: SourceServer, total: number): Promise<void> {
  const onServer = Object.fromEntries((await listed(server)).map((s) => [s.id, s.points]));
  const frames = await Promise.all(pages.map((p) => frameWith(p, total, 40_000)));
  for (const [k, { frame, max }] of frames.entries()) {
    expect(frame.points, `page ${k}`).toBe(total);
    expect(max, `page ${k}: most points ever drawn`).toBe(total);
  }
  for (const [k, p] of pages.entries()) {
    const { counts, seen } = await p.evaluate((ids) => {
      const w = window as unknown as W;
      return { counts: Object.fromEntries(ids.map((id) => [id, w.src.listed(id)?.points ?? -1])), seen: w.seen };
    }, Object.keys(onServer));
    expect(counts, `page ${k}: per-series points its source followed`).toEqual(onServer);
    expect(seen, `page ${k}: no error, never lost`).toEqual([]);
  }
}

/** Lines of steps [from, to) appended to every run. */
function append(logdir: string, from: number, to: number): void {
  for (const r of RUNS) appendFileSync(join(logdir, r.file), r.lines(from, to).join(''));
}

/** The EventSources each page made and holds open (counted by the init script). */
const streamsOf = (pages: Page[]) => Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as W).streams())));

test('ten tabs of one profile share one live stream: all answer, all hold exactly what was written, and a tab takes over when the holder closes', async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-live-tabs-'));
  const logdir = join(dir, 'logs');
  let context: BrowserContext | null = null;
  let server: SourceServer | null = null;
  let proxy: Awaited<ReturnType<typeof countingProxy>> | null = null;
  try {
    mkdirSync(logdir);
    for (const r of RUNS) writeFileSync(join(logdir, r.file), r.head + r.lines(0, FIRST).join(''));
    server = await startSourceServer({ db: join(dir, 'store.duckdb'), port: 0, cors: [ORIGIN], threads: 1, logdir });
    expect((await listed(server)).map((s) => s.points)).toEqual(Array(SERIES).fill(FIRST));
    proxy = await countingProxy(server.url);
    const url = proxy.url;

    // one profile: one context, its tabs share connections, locks and channels
    context = await browser.newContext({ viewport: { width: 320, height: 200 } });
    await context.addInitScript(() => {
      const Native = window.EventSource;
      const made: EventSource[] = [];
      (window as unknown as { streams(): { made: number; open: number } }).streams = () => ({ made: made.length, open: made.filter((e) => e.readyState !== Native.CLOSED).length });
      window.EventSource = class extends Native {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          made.push(this);
        }
      };
    });
    const pages: Page[] = [];
    for (let k = 0; k < PAGES; k++) pages.push(await context.newPage());
    const firsts = await Promise.all(pages.map((p, k) => openChart(p, url, k)));
    for (const f of firsts) expect(f.points).toBe(SERIES * FIRST);
    // every chart follows its source: each tab has joined the stream
    await expect.poll(() => proxy!.live(), { timeout: 10_000 }).toBe(1);

    // rounds of lines; every tab's fetches answer in each gap
    let steps = FIRST;
    const answers: number[][] = [];
    for (const gap of GAPS) {
      append(logdir, steps, steps + PER_ROUND);
      steps += PER_ROUND;
      if (gap) await sleep(gap);
      answers.push(await allAnswer(pages, url));
    }
    await expect.poll(async () => (await listed(server!)).map((s) => s.points), { timeout: 15_000 }).toEqual(Array(SERIES).fill(steps));
    await expectExact(pages, server, SERIES * steps);
    expect(proxy.live(), 'open /api/live streams on the server').toBe(1);
    expect(proxy.most(), 'most /api/live streams open at once').toBe(1);
    const streams = await streamsOf(pages);
    expect(streams.reduce((n, s) => n + s.made, 0), 'EventSources made by the tabs').toBe(1);
    const holder = streams.findIndex((s) => s.open === 1);
    expect(holder).toBeGreaterThanOrEqual(0);
    console.log(`holder: page ${holder}; fetch answers (ms) per round: ${answers.map((a) => Math.max(...a)).join(', ')} at most`);

    // the holder closes; lines written right away land while the stream changes hands
    proxy.resetMost();
    await pages[holder].close();
    const left = pages.filter((_, k) => k !== holder);
    append(logdir, steps, steps + PER_ROUND);
    steps += PER_ROUND;
    await expect.poll(async () => (await streamsOf(left)).filter((s) => s.open === 1).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => proxy!.live(), { timeout: 10_000 }).toBe(1);
    for (const gap of GAPS.slice(0, 2)) {
      await sleep(gap || 100);
      append(logdir, steps, steps + PER_ROUND);
      steps += PER_ROUND;
      await allAnswer(left, url);
    }
    await expect.poll(async () => (await listed(server!)).map((s) => s.points), { timeout: 15_000 }).toEqual(Array(SERIES).fill(steps));
    await expectExact(left, server, SERIES * steps);
    expect(proxy.live(), 'open /api/live streams after the takeover').toBe(1);
    // the old stream may end a moment after the new one starts; never more than the two
    expect(proxy.most(), 'most /api/live streams open at once during the takeover').toBeLessThanOrEqual(2);
    const after = await streamsOf(left);
    expect(after.reduce((n, s) => n + s.open, 0), 'EventSources open after the takeover').toBe(1);
    expect(after.reduce((n, s) => n + s.made, 0), 'EventSources made after the takeover').toBe(1);
    console.log(`${PAGES} tabs, then ${left.length}: ${SERIES * steps} points each; streams open at once during the takeover: ${proxy.most()}`);
  } finally {
    await context?.close().catch(() => {});
    await proxy?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
