// `npm run bench:source`: the metricgl server on a DuckDB file no browser could hold (issue 12).
//
// The sweep is written once (bench/source/sweep.mjs), its level-of-detail blocks built
// (buildLodFile) and its step files (buildStepFiles), and the figures of that kept beside it in
// FILE.made.json; later runs reuse it (a file made before the step files existed gets them then).
//
//   SWEEP=1000x1e6   runs x points of the generated sweep (bench/source/sweep.mjs); the file is
//                    made once under bench/.tmp/source/ and reused (SOURCE_DB= another path)
//   MODES=steps,lod,naive  server query paths (default all three): the step files beside the
//                    store, the level-of-detail tables, and the plain GROUP BY over the raw points
//                    in view (no level-of-detail table); empty: none;
//                    `clickhouse`: the same sweep copied into a local two-shard ClickHouse
//                    cluster (clickhouse-server needed), its ingest command, views and hovers,
//                    and each shard's part of a view (query_log)
//   NAIVE_MAX=100    the most runs in view the naive path is asked for (it scans every point in
//                    view: at 1,000 runs of 1e6 it takes minutes a view)
//   ARRAYS=10,100    runs drawn by the in-browser store for comparison (1e7, 1e8 points)
//   IN_VIEW=10,1000  the runs-in-view counts (default 1,10,100,1000); HOVER_MAX=100 no hover
//                    over more runs; CH_REPS=1 repetitions of each shard-cost view (default 3)
//   INGEST=0         skip the ingest figures; VIEWS=0 skip the page's views (hover only);
//                    REPS=5; NAME=x writes source-x.* instead of -latest
//
// Figures: ingest rate of `metricgl ingest` on files; first view, zoom and pan from the call to
// the frame drawn, median of REPS, with 1, 10, 100, 1,000 runs in view; bytes received per view;
// page heap; a hover over HTTP (median of three cursors) for as many runs. SwiftShader draws here: the figures are this machine's CPU, not a GPU's.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { repo, stats } from './browser.mjs';
import { serveStatic } from '../test/static-server.mjs';
import { closeBrowser, describeMachine, launch, withTimeout } from './lib/launch.mjs';
import { sweepRunJs, writeSweep } from './source/sweep.mjs';
import { timeIngest, writeLogs } from './source/ingest.mjs';
import { firstArrayView, firstSourceView, heapMB, setupPage, viewTo, zoomPanViews } from './source/page.mjs';
import { renderSourceReport, checkSourceTargets } from './source/report.mjs';
import { benchCluster, copySweep, perShardCost, timeIngestClickHouse } from './source/clickhouse.mjs';

const env = process.env;
const [RUNS, PER] = (env.SWEEP ?? '1000x1e6').split('x').map(Number);
const REPS = Number(env.REPS ?? 5);
const MODES = (env.MODES ?? 'steps,lod,naive').split(',').filter(Boolean);
const NAIVE_MAX = Number(env.NAIVE_MAX ?? 100);
const ARRAYS = (env.ARRAYS ?? '10,100').split(',').filter(Boolean).map(Number).filter((n) => n <= RUNS);
const IN_VIEW = (env.IN_VIEW ?? '1,10,100,1000').split(',').map(Number).filter((n) => n <= RUNS);
const HOVER_MAX = Number(env.HOVER_MAX ?? Infinity);
const CH_REPS = Number(env.CH_REPS ?? 3);
const LIMIT_MS = Number(env.LIMIT_S ?? 300) * 1000;
const tmp = join(repo, 'bench/.tmp/source');
const dbPath = env.SOURCE_DB ?? join(tmp, `sweep-${RUNS}x${PER}.duckdb`);
const log = (...a) => console.error(...a);
mkdirSync(tmp, { recursive: true });

const server = await import(join(repo, 'dist-server/index.js'));
const out = { sweep: { runs: RUNS, per: PER, points: RUNS * PER, db: dbPath }, ingest: {}, views: {}, arrays: {}, started: new Date().toISOString() };

// 1. the sweep in a store, made once: the figures of its making are kept beside it
const madeFile = `${dbPath}.made.json`;
if (!existsSync(madeFile)) {
  log(`writing the sweep: ${RUNS} runs x ${PER} points into ${dbPath}`);
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  const store = await server.openStore(dbPath);
  const generateS = await writeSweep(store.db, RUNS, PER, { log });
  store.close();
  const t0 = performance.now();
  await server.buildLodFile(dbPath);
  const lodS = (performance.now() - t0) / 1000;
  writeFileSync(madeFile, JSON.stringify({ generateS, lodS, bytes: statSync(dbPath).size, at: new Date().toISOString() }));
}
out.sweep.made = JSON.parse(readFileSync(madeFile, 'utf8'));
if (MODES.includes('steps') && out.sweep.made.stepsS === undefined) {
  const s = await server.buildStepFiles(dbPath);
  out.sweep.made.stepsS = s.seconds;
  writeFileSync(madeFile, JSON.stringify(out.sweep.made));
}
log(`sweep: ${(out.sweep.made.bytes / 2 ** 30).toFixed(1)} GiB, written in ${out.sweep.made.generateS.toFixed(0)} s, LOD in ${out.sweep.made.lodS.toFixed(0)} s${out.sweep.made.stepsS === undefined ? '' : `, step files in ${out.sweep.made.stepsS.toFixed(0)} s`}`);

// 2. ingest rate of the command, on files
if (env.INGEST !== '0') {
  for (const kind of ['csv', 'jsonl']) {
    const dir = join(tmp, `logs-${kind}`);
    const paths = existsSync(join(dir, 'done')) ? null : await writeLogs(dir, kind, 100, 100_000);
    if (paths) writeFileSync(join(dir, 'done'), '');
    const files = Array.from({ length: 100 }, (_, s) => join(dir, `sweep-${String(s).padStart(4, '0')}.${kind}`));
    out.ingest[kind] = timeIngest(repo, join(tmp, `ingest-${kind}.duckdb`), files);
    log(`ingest ${kind}: ${JSON.stringify(out.ingest[kind])}`);
  }
  const nanogpt = join(repo, 'demo/data/modded-nanogpt-loss.csv.gz');
  out.ingest.nanogpt = timeIngest(repo, join(tmp, 'ingest-nanogpt.duckdb'), [nanogpt]);
  log(`ingest nanogpt: ${JSON.stringify(out.ingest.nanogpt)}`);
}

// 3. views from the server, per query path, and from the in-browser store
const pagePort = 5499;
const statics = await serveStatic(repo, pagePort);
const origin = `http://127.0.0.1:${pagePort}`;
const browser = await launch();
const { zoom, pan } = zoomPanViews(PER, 499955);
const timed = (what, p) => withTimeout(p, LIMIT_MS, what);

async function freshPage() {
  const page = await browser.newPage({ viewport: { width: 1000, height: 500 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => log(`pageerror: ${e.message}`));
  await page.goto(`${origin}/bench/pages/bench.html`);
  await page.waitForFunction(() => window.benchReady === true);
  out.machine ??= await describeMachine(browser, page);
  return page;
}

/** first (REPS fresh series sets), zoom and pan, heap; `first` draws the n runs. */
async function measure(label, page, first) {
  const r = { first: [], zoom: [], pan: [], bytes: {}, primitives: {} };
  try {
    for (let k = 0; k < REPS; k++) {
      await page.evaluate(() => window.ch.setSeries([]));
      const f = await timed(`${label} first`, first());
      r.first.push(f.ms);
      r.bytes.first = f.bytes;
      r.points = f.points;
      r.W = f.W;
      r.primitives.first = f.primitives;
    }
    for (const [a, b] of zoom) {
      const f = await timed(`${label} zoom`, viewTo(page, a, b));
      r.zoom.push(f.ms);
      r.bytes.zoom = f.bytes;
    }
    for (const [a, b] of pan) {
      const f = await timed(`${label} pan`, viewTo(page, a, b));
      r.pan.push(f.ms);
      r.bytes.pan = f.bytes;
    }
    r.heapMB = await heapMB(page);
  } catch (e) {
    r.error = String(e.message ?? e).split('\n')[0];
  }
  for (const k of ['first', 'zoom', 'pan']) r[k] = r[k].length ? { ms: r[k], ...stats(r[k]) } : null;
  log(`${label}: first ${r.first?.median.toFixed(0)} zoom ${r.zoom?.median.toFixed(0)} pan ${r.pan?.median.toFixed(0)} ms, bytes ${JSON.stringify(r.bytes)}, heap ${r.heapMB?.toFixed(1)} MB${r.error ? ` (${r.error})` : ''}`);
  return r;
}

/** POST /api/hover for the first n series at three cursors near the zoom's centre: median ms over HTTP. */
async function hoverTimes(url, n) {
  const list = (await (await fetch(`${url}/api/series`, { method: 'POST', body: JSON.stringify({ metric: 'loss' }), headers: { 'content-type': 'application/json' } })).json()).series;
  const series = list.map((s) => s.sid).sort((a, b) => a - b).slice(0, n);
  const ms = [];
  for (const x of [499_955.5, 512_345, 487_001.25]) {
    const t0 = performance.now();
    const r = await fetch(`${url}/api/hover`, { method: 'POST', body: JSON.stringify({ series, xColumn: 'x', x }), headers: { 'content-type': 'application/json' } });
    const got = await r.json();
    if (!r.ok || got.points.length !== n) throw new Error(`hover: ${r.status} ${JSON.stringify(got).slice(0, 200)}`);
    ms.push(performance.now() - t0);
  }
  return { ms, ...stats(ms) };
}

out.hover = {};
let ch = null;
if (MODES.includes('clickhouse')) {
  ch = await benchCluster('sweep');
  out.clickhouse = { shards: ch.conn.shards.length, copy: await copySweep(server, dbPath, ch.conn, tmp, log) };
  log(`clickhouse copy: ${JSON.stringify(out.clickhouse.copy)}`);
  if (env.INGEST !== '0') {
    const files = Array.from({ length: 100 }, (_, s) => join(tmp, 'logs-csv', `sweep-${String(s).padStart(4, '0')}.csv`));
    out.ingest['csv, clickhouse'] = timeIngestClickHouse(repo, ch.conn, 'ingest_csv', files);
    log(`ingest csv into clickhouse: ${JSON.stringify(out.ingest['csv, clickhouse'])}`);
  }
  // each shard's part of a full view and of the median zoom step, 10 and 1,000 runs
  const ids = (await (await import(join(repo, 'dist-server/index.js'))).startSourceServer({ clickhouse: ch.conn, port: 0 }).then(async (s) => {
    const list = (await (await fetch(`${s.url}/api/series`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()).series;
    await s.close();
    return list.map((x) => x.sid).sort((a, b) => a - b);
  }));
  out.clickhouse.perShard = {};
  for (const n of [10, 1000].filter((k) => k <= RUNS)) {
    for (const [name, [x0, x1]] of [['full', [0, PER]], ['zoom', zoom[2]]]) {
      const r = await perShardCost(server, ch.conn, { series: ids.slice(0, n), xColumn: 'x', x0, x1, W: 952, yScale: 'linear' }, CH_REPS);
      out.clickhouse.perShard[`${n} ${name}`] = r;
      log(`clickhouse per shard, ${n} runs ${name}: ${JSON.stringify(r)}`);
    }
  }
}
for (const mode of MODES) {
  const srv = mode === 'clickhouse'
    ? await server.startSourceServer({ clickhouse: ch.conn, port: 0, cors: [origin], warn: log })
    : await server.startSourceServer({ db: dbPath, port: 0, cors: [origin], m4: mode, warn: log });
  await srv.settled(); // the step files up to date before anything is timed
  out.views[mode] = {};
  out.hover[mode] = {};
  try {
    for (const n of IN_VIEW) {
      if ((mode === 'naive' && n > NAIVE_MAX) || n > HOVER_MAX) continue;
      out.hover[mode][n] = await timed(`${mode} hover ${n}`, hoverTimes(srv.url, n));
      log(`${mode} hover ${n} runs: ${out.hover[mode][n].median.toFixed(0)} ms`);
    }
    if (env.VIEWS === '0') continue;
    for (const n of IN_VIEW) {
      if (mode === 'naive' && n > NAIVE_MAX) {
        out.views[mode][n] = { skipped: `over NAIVE_MAX=${NAIVE_MAX} runs` };
        continue;
      }
      const page = await freshPage();
      await setupPage(page, srv.url);
      out.views[mode][n] = await measure(`${mode} ${n} runs`, page, () => firstSourceView(page, n));
      await page.close();
    }
  } finally {
    await srv.close();
  }
}
for (const n of ARRAYS) {
  const page = await freshPage();
  await setupPage(page, null);
  out.arrays[n] = await measure(`in-browser ${n} runs`, page, () => firstArrayView(page, n, PER, sweepRunJs.toString()));
  await page.close();
}
await closeBrowser(browser);
await new Promise((r) => statics.close(r));
await ch?.cluster.stop();

// 4. the report
out.targets = checkSourceTargets(out);
const name = env.NAME ? `source-${env.NAME}` : 'source-latest';
mkdirSync(join(repo, 'bench/results'), { recursive: true });
writeFileSync(join(repo, `bench/results/${name}.json`), JSON.stringify(out, null, 1));
writeFileSync(join(repo, `bench/results/${name}.md`), renderSourceReport(out));
console.log(renderSourceReport(out));
