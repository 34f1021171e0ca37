// What a Web Worker costs before it runs any of metricgl's code: the time from `new Worker` on a
// fresh page to the first message of a one-line module worker (it posts its own clock at the top
// of its script), and of metricgl's decimation worker (its `started` answer to `hello`), with the
// page's main thread idle, or busy for 30 ms in the same task or in the next one (a worker's start
// needs the main thread: work there delays it). The floor under any first frame that a worker
// decimates. Usage: node bench/worker-start.mjs [PAGES] (default 9), after `npm run build`.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stats } from './browser.mjs';
import { launch } from './lib/launch.mjs';
import { serveStatic } from '../test/static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const reps = Number(process.argv[2] ?? 9);
// metricgl's decimation worker: the file of dist/assets/ that answers `hello`
const decimate = readdirSync(`${root}dist/assets`).find((f) => /^worker-.*\.js$/.test(f) && readFileSync(`${root}dist/assets/${f}`, 'utf8').includes('started'));
if (!decimate) throw new Error('no decimation worker under dist/assets: npm run build first');
const server = await serveStatic(root, 5416);
const browser = await launch();
for (const worker of ['one-line', 'metricgl']) {
  for (const main of ['idle', 'busy in the same task', 'busy in the next task']) {
    const ms = [];
    for (let r = 0; r < reps; r++) {
      const page = await browser.newPage();
      // the page of the bench, the library loaded (and its page quiet) before the clock starts
      await page.goto('http://127.0.0.1:5416/bench/pages/bench.html');
      await page.waitForFunction(() => window.benchReady === true);
      await page.waitForTimeout(50);
      ms.push(await page.evaluate(async ({ worker, main, url }) => {
        const t0 = performance.now();
        const w = worker === 'one-line'
          ? new Worker(URL.createObjectURL(new Blob(['postMessage(0)'], { type: 'text/javascript' })), { type: 'module' })
          : new Worker(url, { type: 'module' });
        const first = new Promise((resolve) => (w.onmessage = () => resolve(performance.now() - t0)));
        if (worker === 'metricgl') w.postMessage({ type: 'hello', chart: 0 });
        const busy = () => { const end = performance.now() + 30; while (performance.now() < end); };
        if (main === 'busy in the same task') busy();
        if (main === 'busy in the next task') setTimeout(busy, 0);
        const t = await first;
        w.terminate();
        return t;
      }, { worker, main, url: `/dist/assets/${decimate}` }));
      await page.close();
    }
    const { median, min, max } = stats(ms);
    console.log(`${worker.padEnd(9)} worker, main thread ${main.padEnd(22)} median ${median.toFixed(1)} ms [${min.toFixed(1)}–${max.toFixed(1)}]`);
  }
}
await browser.close();
server.close();
