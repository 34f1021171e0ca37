// metricgl against the charts people use today (uPlot, ECharts, Chart.js, Plotly), in headless
// Chromium on the same generated data: first frame, zoom, pan, smoothing change, live append
// and JS heap after load, per scenario. Usage: npm run bench
//   SCENARIOS=1x1e5,1x1e7   only these scenarios (names in bench/lib/scenarios.mjs)
//   LIBS=metricgl,uplot     only these libraries (metricgl, uplot, echarts, chartjs, plotly)
//   QUICK=1                 2 repetitions, 1 first frame, 20 s limit: a smoke run
//   REPS=5 FIRST_REPS=3 LIMIT_S=60   repetitions, first-frame pages, per-step time limit
//   NAME=some-check         write bench-some-check.{json,md} instead of bench-latest.*
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './browser.mjs';
import { serveStatic } from '../test/static-server.mjs';
import { describeMachine, snapshotDist } from './lib/launch.mjs';
import { encodeRuns, loadRealRuns, scenarios } from './lib/scenarios.mjs';
import { runLibrary } from './lib/session.mjs';
import { checkTargets, renderMarkdown } from './lib/report.mjs';

const ALL_LIBS = ['metricgl', 'uplot', 'echarts', 'chartjs', 'plotly'];
const env = process.env;
if (env.REPORT) {
  const md = renderMarkdown(JSON.parse(readFileSync(env.REPORT, 'utf8')));
  writeFileSync(join(repo, 'bench/results/bench-latest.md'), md);
  console.log(md);
  process.exit(0);
}
const quick = env.QUICK === '1';
const reps = Number(env.REPS ?? (quick ? 2 : 5));
const ffReps = Number(env.FIRST_REPS ?? (quick ? 1 : 3));
const limitMs = 1000 * Number(env.LIMIT_S ?? (quick ? 20 : 60));
const list = (v, all) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : all);
const libs = list(env.LIBS, ALL_LIBS);
const wanted = list(env.SCENARIOS, scenarios.map((s) => s.name));
for (const l of libs) if (!ALL_LIBS.includes(l)) throw new Error(`unknown library ${l} (${ALL_LIBS.join(', ')})`);
for (const s of wanted) if (!scenarios.some((x) => x.name === s)) throw new Error(`unknown scenario ${s}`);

const port = Number(env.PORT ?? 5398);
const dist = snapshotDist(); // the engine measured, fixed for the whole run
const shots = env.SHOTS === '1' ? join(repo, 'bench/results/tmp') : null;
if (shots) mkdirSync(shots, { recursive: true });
const server = await serveStatic(repo, port);
const log = (s) => console.error(s);
const realRuns = wanted.includes('nanogpt') ? loadRealRuns() : null;
const realBin = realRuns && encodeRuns(realRuns);
let machine = null;
const results = [];
const started = Date.now();
for (const sc of scenarios.filter((s) => wanted.includes(s.name))) {
  if (sc.real && !realRuns) {
    console.error(`skipping ${sc.name}: ../shared/data/modded-nanogpt-loss.csv.gz not found`);
    continue;
  }
  console.error(`\n${sc.label}`);
  const entry = { name: sc.name, label: sc.label, results: {} };
  for (const lib of libs) {
    const r = await runLibrary({
      port, lib, scenario: sc, dist: dist.url, realBin, reps, ffReps, limitMs, log,
      slowMs: 10_000, // a first frame slower than this is measured once
      opBudgetMs: 30_000, // repetitions of one operation stop after this much time (n is reported)
      describe: machine ? null : describeMachine,
      shots, // SHOTS=1: a screenshot of each first frame under bench/results/tmp/ (to check the pictures)
    });
    machine ??= r.machine;
    delete r.machine;
    entry.data ??= r.data;
    entry.results[lib] = r;
  }
  results.push(entry);
}
server.close();

const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
const config = { metricgl: dist, quick, reps, firstFrameReps: ffReps, limitS: limitMs / 1000, libs, scenarios: wanted, minutes: (Date.now() - started) / 60000 };
const json = { date: new Date().toISOString(), machine, config, scenarios: results, targets: checkTargets(results, limitMs) };
const md = renderMarkdown(json);
const dir = join(repo, 'bench/results');
mkdirSync(dir, { recursive: true });
if (env.NAME) {
  // a named check (a filtered run after one change) leaves the latest full table alone
  writeFileSync(join(dir, `bench-${env.NAME}.json`), JSON.stringify(json, null, 2));
  writeFileSync(join(dir, `bench-${env.NAME}.md`), md);
} else {
  writeFileSync(join(dir, `bench-${stamp}.json`), JSON.stringify(json, null, 2));
  writeFileSync(join(dir, 'bench-latest.json'), JSON.stringify(json, null, 2));
  writeFileSync(join(dir, 'bench-latest.md'), md);
}
console.log('\n' + md);
