// The worker's frame for the many-run scenarios, in Node (no browser, no GPU): `frameReply`
// (src/worker/frame.ts, what the worker runs for a view) timed over ten zoom steps of the
// browser bench's data (bench/adapters/harness.js `generate`), median and fastest, ms. It times
// the decimation, occlusion and density alone, where the browser bench adds the copy to the page
// and the draw. Usage: npm run bench:frames
//   SCENARIOS=10000x1e3,1000x1e4,1000x1e4spread,1000x1e4crossing,100000x100   runs x points[layout]
//   W=920 H=440   the plot in device pixels (the browser bench's)
// The modules are TypeScript; Vite (already a devDependency) bundles them to bench/.tmp/ first.
import { stats } from './browser.mjs';
import { bundle } from './lib/bundle.mjs';
import { generate } from './adapters/harness.js';

const load = await bundle('frames', { frame: 'src/worker/frame.ts', store: 'src/store/store.ts' });
const { frameReply } = await load('frame');
const { createSeries, ingestX } = await load('store');

const env = process.env;
const wanted = (env.SCENARIOS ?? '10000x1e3,1000x1e4,1000x1e4spread,1000x1e4crossing,100000x100').split(',');
const W = Number(env.W ?? 920), H = Number(env.H ?? 440);
for (const sc of wanted) {
  const m = /^(\d+)x(\d+(?:e\d+)?)(\w*)$/.exec(sc);
  if (!m) throw new Error(`scenario ${sc}: runs x points[layout], as 1000x1e4spread`);
  const runs = Number(m[1]), n = Number(m[2]);
  const data = generate(runs, n, 1, m[3] || 'overlapping');
  const x = ingestX(data.xs[0]); // one x column for every run, as the worker holds a sweep
  const series = data.ys.map((y, i) => createSeries(`r${i}`, i, x, y));
  const density = runs > 2000; // density: 'auto'
  const times = [];
  let reply = null;
  for (let r = 0; r <= 10; r++) {
    // the browser bench's zoom: each step 10% narrower around the centre
    const span = (n - 1) * Math.pow(0.9, (r % 10) + 1), c = (n - 1) / 2;
    const msg = {
      type: 'view', chart: 1, seq: r + 1, recycle: [new Float32Array(0), new Float32Array(0), new Float32Array(0), new Float32Array(0)],
      view: { xScale: 'linear', yScale: 'linear', xDomain: [c - span / 2, c + span / 2], yDomain: null, width: W, height: H, hidden: [], thin: true, cull: true, density, slots: series.length },
    };
    const t0 = performance.now();
    reply = frameReply(msg, series, null).reply;
    if (r > 0) times.push(performance.now() - t0); // the first warms the code up
  }
  const s = stats(times);
  console.log(`${sc}: frame median ${s.median.toFixed(1)} ms, fastest ${s.min.toFixed(1)} ms (${density ? 'density' : 'lines'}, picture ${reply.image?.kind ?? 'spans'}, ${reply.spanCount} spans, ${reply.segmentCount} segments)`);
}
