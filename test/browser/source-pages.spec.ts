/**
 * Ten pages on one metricgl server while its log folder is being appended to: a server over a new
 * DuckDB file watching a folder of three runs (two JSONL, one CSV; four series), ten pages (one
 * browser context each, so each has its own connections) each drawing every listed series, and
 * lines appended in rounds, some landing while the pages are still redrawing the last one, one
 * line split across two writes. Every page ends holding exactly what was written (no point twice,
 * none lost), its source's per-series counts (kept up to date by the live pushes alone) equal the
 * server's, every series is drawn out to the last step, and x covers it.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameInfo, SourceSeries } from '../../src/index';
import { startSourceServer, type SourceServer } from '../../src/server/http';
import { frameWith, openHarness } from './helpers';

const ORIGIN = 'http://127.0.0.1:5199';
const PAGES = 10;
const FIRST = 100; // steps each run holds before the pages open
const ROUNDS = 5;
const PER_ROUND = 200; // steps appended to each run per round
/**
 * ms after each round before the next. The watcher polls every 250 ms: after 300-400 ms the round
 * before has been ingested and pushed and the ten pages (SwiftShader, two cores) are redrawing it
 * when the next one is read; after 0 two rounds are read together; after 900 the pages are idle.
 */
const GAPS = [300, 350, 0, 900, 400];

const val = (k: number, i: number) => Math.round((1 + k + Math.exp(-i / 400) + 0.05 * Math.sin(i * (0.1 + k / 10))) * 1e6) / 1e6;

/** The runs: file, the lines of steps [from, to), and the series (metrics) each step adds. */
const RUNS = [
  { file: 'run-a.jsonl', head: '', metrics: ['loss', 'acc'], lines: (from: number, to: number) => range(from, to).map((i) => JSON.stringify({ step: i, loss: val(0, i), acc: val(1, i) }) + '\n') },
  { file: 'run-b.jsonl', head: '', metrics: ['loss'], lines: (from: number, to: number) => range(from, to).map((i) => JSON.stringify({ step: i, loss: val(2, i) }) + '\n') },
  { file: 'run-c.csv', head: 'metric,step,value\n', metrics: ['loss'], lines: (from: number, to: number) => range(from, to).map((i) => `loss,${i},${val(3, i)}\n`) },
];
const SERIES = RUNS.reduce((n, r) => n + r.metrics.length, 0);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

async function listed(server: SourceServer): Promise<SourceSeries[]> {
  const res = await fetch(`${server.url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { series: SourceSeries[] }).series;
}

/** A small chart of every listed series on the harness; the page keeps its source and what it saw. */
async function openChart(browser: Browser, url: string, contexts: BrowserContext[]): Promise<{ page: Page; first: FrameInfo; ids: string[] }> {
  const context = await browser.newContext({ viewport: { width: 420, height: 260 } });
  contexts.push(context); // closed by the test, whatever happens next
  const page = await context.newPage();
  await openHarness(page);
  await page.addStyleTag({ content: '#chart { width: 400px !important; height: 240px !important; }' });
  const { first, ids } = await page.evaluate(async (url) => {
    const w = window as unknown as { metricgl: typeof import('../../src/index'); ch?: import('../../src/index').Chart; src: import('../../src/index').Source; seen: unknown[]; maxPoints: number; samples: number[]; doneSampling?: boolean };
    w.seen = [];
    w.maxPoints = 0;
    w.src = w.metricgl.connectSource(url);
    const list = await w.src.series();
    w.ch = w.metricgl.createChart(document.getElementById('chart')!, {});
    w.ch.on('source', (e) => w.seen.push({ source: e.state }));
    w.ch.on('error', (e) => w.seen.push({ error: e.message, id: e.id }));
    w.ch.setSeries(list.map((s, k) => ({ id: s.id, source: w.src, color: ['#d62728', '#1f77b4', '#2ca02c', '#9467bd'][k % 4], width: 1 })));
    const first = await w.ch.rendered();
    w.maxPoints = first.points;
    w.samples = [first.points];
    // sample what the page holds all along (rounds land while it redraws), not only at the end
    const sample = async () => {
      const f = await w.ch!.rendered().catch(() => null);
      if (f) {
        w.maxPoints = Math.max(w.maxPoints, f.points);
        if (f.points !== w.samples[w.samples.length - 1]) w.samples.push(f.points);
      }
      if (!w.doneSampling) setTimeout(sample, 50);
    };
    void sample();
    return { first, ids: list.map((s) => s.id) };
  }, url);
  return { page, first, ids };
}


test('ten pages on one server while its log folder is appended to: every page holds exactly what was written', async ({ browser }) => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-source-pages-'));
  const logdir = join(dir, 'logs');
  const contexts: BrowserContext[] = [];
  let server: SourceServer | null = null;
  try {
    // the runs as training scripts start them, then the server on the folder
    mkdirSync(logdir);
    for (const r of RUNS) writeFileSync(join(logdir, r.file), r.head + r.lines(0, FIRST).join(''));
    server = await startSourceServer({ db: join(dir, 'store.duckdb'), port: 0, cors: [ORIGIN], threads: 1, logdir });
    const first = await listed(server);
    expect(first).toHaveLength(SERIES);
    expect(first.every((s) => s.points === FIRST)).toBe(true);

    const pages = await Promise.all(range(0, PAGES).map(() => openChart(browser, server!.url, contexts)));
    for (const p of pages) {
      expect(p.first.points).toBe(SERIES * FIRST);
      expect(p.ids.sort()).toEqual(first.map((s) => s.id).sort());
    }

    // rounds of lines; round 1 comes in ten bursts 60 ms apart (each ingest lands while the pages
    // draw the one before); round 2 ends run-c on half a line, finished a poll later
    let steps = FIRST;
    for (let round = 0; round < ROUNDS; round++) {
      if (round === 1) {
        for (let b = 0; b < 10; b++) {
          const from = steps + (b * PER_ROUND) / 10, to = from + PER_ROUND / 10;
          for (const r of RUNS) appendFileSync(join(logdir, r.file), r.lines(from, to).join(''));
          await new Promise((res) => setTimeout(res, 60));
        }
        steps += PER_ROUND;
        if (GAPS[round]) await new Promise((res) => setTimeout(res, GAPS[round]));
        continue;
      }
      for (const r of RUNS) {
        const lines = r.lines(steps, steps + PER_ROUND);
        if (round === 2 && r.file === 'run-c.csv') {
          const text = lines.join('');
          const cut = text.length - 4; // "…,0.12" of the last line without its end
          appendFileSync(join(logdir, r.file), text.slice(0, cut));
          await new Promise((res) => setTimeout(res, 400)); // the watcher reads the file meanwhile
          appendFileSync(join(logdir, r.file), text.slice(cut));
        } else {
          appendFileSync(join(logdir, r.file), lines.join(''));
        }
      }
      steps += PER_ROUND;
      if (GAPS[round]) await new Promise((res) => setTimeout(res, GAPS[round]));
    }
    const last = steps - 1;
    const total = SERIES * steps;

    // the server ingested every line once
    await expect.poll(async () => (await listed(server!)).map((s) => s.points), { timeout: 15_000 }).toEqual(Array(SERIES).fill(steps));
    const onServer = await listed(server);

    // every page: exactly the total, never more on the way; its per-series counts are the server's
    const t0 = Date.now();
    const frames = await Promise.all(pages.map((p) => frameWith(p.page, total, 40_000)));
    const caughtUpMs = Date.now() - t0;
    for (const [k, { frame, max }] of frames.entries()) {
      expect(frame.points, `page ${k}`).toBe(total);
      expect(max, `page ${k}: most points ever drawn`).toBe(total);
      expect(frame.nonFinite, `page ${k}`).toBe(0);
      expect(frame.xDomain[0], `page ${k} x from`).toBeLessThanOrEqual(0);
      expect(frame.xDomain[1], `page ${k} x to`).toBeGreaterThanOrEqual(last);
    }
    const states: string[] = [];
    for (const [k, p] of pages.entries()) {
      const seen = await p.page.evaluate(async ([ids, last]) => {
        const w = window as unknown as { ch: import('../../src/index').Chart; src: import('../../src/index').Source; seen: { source?: string; error?: string }[]; samples: number[]; doneSampling: boolean };
        const counts = Object.fromEntries(ids.map((id) => [id, w.src.listed(id)?.points ?? -1]));
        const extents = Object.fromEntries(ids.map((id) => [id, w.src.listed(id)?.extent.x ?? null]));
        const hover = await w.ch.hoverAt(last);
        const atLast = Object.fromEntries(hover.points.map((h) => [h.id, h.x]));
        w.doneSampling = true;
        return { counts, extents, atLast, events: w.seen, samples: w.samples };
      }, [p.ids, last] as const);
      expect(seen.counts, `page ${k}: per-series points its source followed`).toEqual(Object.fromEntries(onServer.map((s) => [s.id, s.points])));
      expect(seen.extents, `page ${k}: per-series x extents`).toEqual(Object.fromEntries(onServer.map((s) => [s.id, [0, last]])));
      expect(seen.atLast, `page ${k}: every series drawn to the last step`).toEqual(Object.fromEntries(onServer.map((s) => [s.id, last])));
      expect(seen.events, `page ${k}: no error, never lost`).toEqual([]);
      // what it held went up only, and never past what was written
      expect(seen.samples, `page ${k}: points held over time`).toEqual([...seen.samples].sort((a, b) => a - b));
      expect(Math.max(...seen.samples), `page ${k}`).toBe(total);
      states.push(seen.samples.join(' '));
    }
    for (const [k, st] of states.entries()) console.log(`page ${k} held, in turn: ${st}`);
    console.log(`${PAGES} pages: ${total} points each, caught up ${caughtUpMs} ms after the last round`);
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
