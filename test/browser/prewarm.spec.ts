/**
 * `prewarm()`: the page's decimation worker started before its first chart (src/worker/client.ts).
 * Workers are counted by wrapping the page's Worker constructor before the library loads: one
 * worker however often it is called, taken over by the first chart (which draws what its data
 * says, painted without GL as on a cold page), ended with the last chart as before, and a later
 * chart starts a new one as usual; a chart made when the page has its GL context draws with it.
 */
import { expect, test } from '@playwright/test';
import { openHarness } from './helpers';

declare global {
  interface Window {
    workerLog: string[];
    workerRunning: number;
  }
}

test('prewarm starts one worker before the first chart; the chart takes it over and it ends with the last chart', async ({ page }) => {
  await page.addInitScript(() => {
    window.workerLog = [];
    window.workerRunning = 0;
    const Base = window.Worker;
    window.Worker = class extends Base {
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        if (opts?.name !== 'metricgl-decimate') return;
        window.workerLog.push('start');
        // the worker's first word (docs/worker-protocol.md: `hello` answers `started`)
        this.addEventListener('message', (e) => e.data?.type === 'started' && window.workerRunning++);
      }
      terminate() {
        window.workerLog.push('end');
        super.terminate();
      }
    } as typeof Worker;
  });
  await openHarness(page);
  const r = await page.evaluate(async () => {
    const m = window.metricgl;
    const log: string[][] = [];
    const note = () => log.push([...window.workerLog]);
    note(); // nothing started by loading the library
    m.prewarm();
    m.prewarm();
    note(); // one worker
    // the app fetches its data meanwhile; the worker has started by then
    while (window.workerRunning === 0) await new Promise((r) => setTimeout(r, 20));
    const el = document.getElementById('chart')!;
    const chart = m.createChart(el, { interactive: false, xDomain: [0, 999], yDomain: [0, 1] });
    const n = 100_000;
    chart.setSeries([{ id: 'a', x: Float64Array.from({ length: n }, (_, i) => i / 100), y: Float32Array.from({ length: n }, () => 0.5), color: '#d62728', width: 2 }]);
    const f = await chart.rendered();
    m.prewarm(); // a chart on the page: nothing
    note(); // still one
    // the red line at y = 0.5 in the middle of the plot
    const canvas = el.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    const cx = Math.round((f.plot.left + f.plot.width / 2) * f.dpr), cy = Math.round((f.plot.top + f.plot.height / 2) * f.dpr);
    let red = 0;
    for (let dy = -3; dy <= 3; dy++) {
      const [r, g, b] = ctx.getImageData(cx, cy + dy, 1, 1).data;
      if (r > 180 && g < 80 && b < 80) red++;
    }
    // the page's context is made once that picture is on screen; a chart made now uses it at once
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
    const other = document.createElement('div');
    other.style.cssText = 'position:absolute;left:0;top:420px;width:400px;height:200px';
    document.body.append(other);
    // renderer 'webgl': the page has its context now, so the second chart's first picture is GL's
    const second = m.createChart(other, { interactive: false, renderer: 'webgl' });
    second.setSeries([{ id: 'c', x: Float64Array.from({ length: n }, (_, i) => i), y: Float32Array.from({ length: n }, (_, i) => Math.sin(i / 1000)) }]);
    const s2 = await second.rendered();
    second.destroy();
    chart.destroy();
    note(); // ended with the last chart
    const again = m.createChart(el, { interactive: false });
    again.setSeries([{ id: 'b', x: [0, 1, 2], y: [1, 2, 3] }]);
    const g = await again.rendered();
    again.destroy();
    note();
    return { log, points: f.points, renderer: f.renderer, secondRenderer: s2.renderer, red, againPoints: g.points };
  });
  expect(r.log).toEqual([[], ['start'], ['start'], ['start', 'end'], ['start', 'end', 'start', 'end']]);
  expect(r.points).toBe(100_000);
  // the prewarmed page has no GL context yet: the first picture is painted without one (first-picture.spec)
  expect(r.renderer).toBe('canvas2d');
  expect(r.secondRenderer).toBe('webgl');
  expect(r.red).toBeGreaterThan(0);
  expect(r.againPoints).toBe(3);
});
