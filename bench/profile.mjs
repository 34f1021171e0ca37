// Where one first frame's time goes: a Chrome performance trace (through Playwright) of one
// library's first frame in a scenario, summed per thread (page main thread, the decimation
// worker, the GPU process) and listed as the tasks over 1 ms on each, in order.
// Usage: npm run bench:profile
//   PROFILE_LIB=metricgl PROFILE_SCENARIO=1x1e7 PROFILE_REPS=3
//   PROFILE_WAY=first   the data handed to a mounted chart (bench.load), or
//   PROFILE_WAY=cold    chart creation and data in one step on a fresh page (bench.create)
//   PROFILE_SAMPLES=1   also V8 CPU samples of every thread (DevTools shows them per function)
// Writes bench/results/tmp/profile-<lib>-<scenario>.json, which DevTools' Performance panel opens.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './browser.mjs';
import { serveStatic } from '../test/static-server.mjs';
import { launch, openLibPage, snapshotDist } from './lib/launch.mjs';
import { scenarios } from './lib/scenarios.mjs';

const env = process.env;
const lib = env.PROFILE_LIB ?? 'metricgl';
const scenario = scenarios.find((s) => s.name === (env.PROFILE_SCENARIO ?? '1x1e7'));
if (!scenario || scenario.real) throw new Error('PROFILE_SCENARIO: one of the generated scenarios');
const reps = Number(env.PROFILE_REPS ?? 3);
const way = env.PROFILE_WAY ?? 'first';
if (way !== 'first' && way !== 'cold') throw new Error('PROFILE_WAY: first or cold');
const port = Number(env.PORT ?? 5397);
const categories = [
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing',
  'toplevel', 'gpu', 'disabled-by-default-v8.gc', ...(env.PROFILE_SAMPLES ? ['disabled-by-default-v8.cpu_profiler'] : []),
];

const dist = snapshotDist();
const server = await serveStatic(repo, port);
const browser = await launch();
const outDir = join(repo, 'bench/results/tmp');
mkdirSync(outDir, { recursive: true });
try {
  for (let r = 0; r < reps; r++) {
    const page = await openLibPage(browser, port, lib, console.error, dist.url);
    await page.evaluate((s) => window.bench.generate(s), { count: scenario.count, points: scenario.points, seed: 1 });
    if (way === 'first') await page.evaluate(() => window.bench.mount());
    await browser.startTracing(page, { categories });
    const ms = await page.evaluate((way) => (way === 'first' ? window.bench.load() : window.bench.create()), way);
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
    const file = join(outDir, `profile-${lib}-${scenario.name}-${way}.json`);
    writeFileSync(file, JSON.stringify(trace));
    console.log(`\n${lib} ${scenario.label}: first frame (${way}) ${ms.toFixed(1)} ms (trace: ${file})`);
    summarise(trace.traceEvents ?? trace, ms);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

/** Busy time per thread inside the timed window, and each thread's tasks over 1 ms in order. */
function summarise(events, ms) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  // the window: the page's evaluate of create() ends at the last event of the main thread that ran it
  const tasks = events.filter((e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.dur > 0);
  if (!tasks.length) return console.log('  (no task events in the trace)');
  const mainKey = [...names].find(([, n]) => n === 'CrRendererMain')?.[0];
  const mainTasks = tasks.filter((e) => `${e.pid}:${e.tid}` === mainKey).sort((a, b) => a.ts - b.ts);
  // the create() call is the first long-ish main-thread task after tracing began
  const t0 = (mainTasks.find((e) => e.dur > 1000) ?? mainTasks[0]).ts;
  const t1 = t0 + ms * 1000;
  const byThread = new Map();
  for (const e of tasks) {
    if (e.ts + e.dur < t0 || e.ts > t1) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const label = (key) => names.get(key) ?? key;
  const detail = (e) => {
    // the biggest child event inside this task (a function call, a GC, a paint...)
    const inner = events.filter((c) => c.ph === 'X' && c.pid === e.pid && c.tid === e.tid && c.ts >= e.ts && c.ts + c.dur <= e.ts + e.dur && c !== e && c.dur > 200 && !/RunTask/.test(c.name));
    inner.sort((a, b) => b.dur - a.dur);
    return inner.slice(0, 3).map((c) => `${c.name}${c.args?.data?.functionName ? `(${c.args.data.functionName})` : ''} ${(c.dur / 1000).toFixed(1)}`).join(', ');
  };
  const rows = [...byThread].map(([key, list]) => [key, list, list.reduce((a, e) => a + e.dur, 0) / 1000]).sort((a, b) => b[2] - a[2]);
  for (const [key, list, busy] of rows) {
    if (busy < 1) continue;
    console.log(`  ${label(key).padEnd(28)} busy ${busy.toFixed(1)} ms`);
    for (const e of list.sort((a, b) => a.ts - b.ts)) {
      if (e.dur < 1000) continue;
      console.log(`    +${((e.ts - t0) / 1000).toFixed(1).padStart(6)} ms  ${(e.dur / 1000).toFixed(1).padStart(6)} ms  ${detail(e)}`);
    }
  }
}
