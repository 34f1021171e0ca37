// The scenarios of the comparison, and the real training logs for the last one.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const realDataPath = fileURLToPath(new URL('../../../shared/data/modded-nanogpt-loss.csv.gz', import.meta.url));

/** name -> what the page generates (random walks on one shared step axis, laid out as `layout` says: harness.js generate) or 'real'. */
export const scenarios = [
  { name: '1x1e5', label: '1 run x 1e5', count: 1, points: 1e5 },
  { name: '1x1e6', label: '1 run x 1e6', count: 1, points: 1e6 },
  { name: '1x1e7', label: '1 run x 1e7', count: 1, points: 1e7 },
  { name: '100x1e5', label: '100 runs x 1e5', count: 100, points: 1e5 },
  { name: '1000x1e4', label: '1000 runs x 1e4', count: 1000, points: 1e4 },
  { name: '1000x1e4spread', label: '1000 runs x 1e4, spread apart', count: 1000, points: 1e4, layout: 'spread' },
  { name: '1000x1e4crossing', label: '1000 runs x 1e4, crossing (diverging LR sweep, NaN)', count: 1000, points: 1e4, layout: 'crossing' },
  { name: '10000x1e3', label: '10000 runs x 1e3', count: 10000, points: 1e3 },
  { name: '100000x100', label: '100000 runs x 100', count: 100000, points: 100 },
  { name: 'nanogpt', label: 'modded-nanogpt train loss (real logs)', real: true },
];

/**
 * All train-loss runs of the modded-nanogpt logs: per run x = step, y = loss, stably sorted by
 * step (restarted logs repeat steps; both attempts are kept). Null when the file is absent (the
 * data lives next to the repository, not in it).
 */
export function loadRealRuns(path = realDataPath) {
  if (!existsSync(path)) return null;
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const lines = text.split('\n');
  const head = lines[0].split(',');
  const col = (name) => head.indexOf(name);
  const [cRun, cSubset, cStep, cValue] = [col('run'), col('subset'), col('step'), col('value')];
  const byRun = new Map();
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const f = lines[i].split(',');
    if (f[cSubset] !== 'train') continue;
    let run = byRun.get(f[cRun]);
    if (!run) byRun.set(f[cRun], (run = []));
    run.push([Number(f[cStep]), Number(f[cValue])]);
  }
  return [...byRun.values()].map((pts) => {
    pts.sort((a, b) => a[0] - b[0]); // Array.prototype.sort is stable
    return { x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
  });
}

/**
 * The runs as one binary blob for the page to fetch (a JSON argument to page.evaluate leaves
 * megabytes behind in the page's heap, which would be charged to the library under test):
 * uint32 run count, uint32 length per run (padded to 8 bytes), then every run's x as float64,
 * then every run's y as float32.
 */
export function encodeRuns(runs) {
  const head = 8 * Math.ceil((4 * (runs.length + 1)) / 8);
  const total = runs.reduce((a, r) => a + r.x.length, 0);
  const buf = new ArrayBuffer(head + 8 * total + 4 * total);
  const h = new Uint32Array(buf, 0, runs.length + 1);
  h[0] = runs.length;
  runs.forEach((r, i) => (h[i + 1] = r.x.length));
  let off = head;
  for (const r of runs) {
    new Float64Array(buf, off, r.x.length).set(r.x);
    off += 8 * r.x.length;
  }
  for (const r of runs) {
    new Float32Array(buf, off, r.y.length).set(r.y);
    off += 4 * r.y.length;
  }
  return Buffer.from(buf);
}
