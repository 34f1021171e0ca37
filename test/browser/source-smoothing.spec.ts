/**
 * Source series smoothed by their server (ViewQuery.smoothing: exact over every point, in
 * sorted-x order) are drawn exactly as the same runs from arrays smoothed by the worker's cpu
 * reference (smoothingBackend 'cpu'): smoothed curves in the smoothed slots, the raw view faint
 * behind when showRaw. A real server over a real DuckDB file, filled from generated CSV logs.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { diffFraction, openHarness, shotPlot } from './helpers';
import { drawRuns, MAKE, startRunsServer, type Opts, type RunsServer } from './source-fixture';

let fx: RunsServer;

test.beforeAll(async () => {
  fx = await startRunsServer('metricgl-source-smooth-');
});

test.afterAll(async () => fx?.close());

test.beforeEach(async ({ page }) => openHarness(page));

const draw = (page: import('@playwright/test').Page, from: 'arrays' | 'source' | 'mixed', opts: Opts): Promise<FrameInfo> => drawRuns(page, fx.server.url, from, opts);

const CASES: [string, Opts][] = [
  ['ema, raw behind', { smoothing: { weight: 0.6, mode: 'ema' } }],
  ['time-weighted, raw behind', { smoothing: { weight: 0.6, mode: 'time-weighted' } }],
  ['ema, smoothed only', { smoothing: { weight: 0.6, mode: 'ema' }, showRaw: false }],
  ['time-weighted on relative time, zoomed', { smoothing: { weight: 0.6, mode: 'time-weighted' }, xColumn: 'time', xDomain: [300000, 900000] }],
  ['ema on a log x axis, raw behind', { smoothing: { weight: 0.6, mode: 'ema' }, xScale: 'log' }],
  // the window modes (issue 15): the same reference on the server, streamed in chunks
  ['running-average, raw behind', { smoothing: { mode: 'running-average', window: 200 } }],
  ['centred, smoothed only, zoomed', { smoothing: { mode: 'centred', window: 201 }, showRaw: false, xDomain: [15000, 25000] }],
  ['gaussian on relative time, raw behind', { smoothing: { mode: 'gaussian', sigma: 20000 }, xColumn: 'time' }],
];

for (const [name, opts] of CASES) {
  test(`smoothed on the server draws as the cpu reference: ${name}`, async ({ page }) => {
    const a = await draw(page, 'arrays', { ...opts, smoothingBackend: 'cpu' });
    const fromArrays = await shotPlot(page, a);
    const s = await draw(page, 'source', opts);
    const fromSource = await shotPlot(page, s);
    expect(a.smoothing).toBe('cpu');
    expect(s.smoothing).toBe('server');
    expect(s.xDomain).toEqual(a.xDomain);
    expect(s.yDomain).toEqual(a.yDomain);
    expect(s.points).toBe(a.points);
    expect(s.primitives).toBe(a.primitives);
    expect(diffFraction(fromSource, fromArrays)).toBe(0);
  });
}

test('smoothed(id) of a source series says why it is not offered', async ({ page }) => {
  await draw(page, 'source', { smoothing: { weight: 0.6, mode: 'ema' } });
  const msg = await page.evaluate(async () => {
    const w = window as unknown as { ch: import('../../src/index').Chart };
    const id = w.ch.series()[0].id;
    return w.ch.smoothed(id).then(() => 'read', (e: Error) => e.message);
  });
  expect(msg).toMatch(/stay on .*smoothed\(\) reads back full-resolution values only for series given as arrays/);
});

/**
 * One chart holding run a twice, from arrays and from the server: with smoothing on, both rows of
 * the tooltip show the same smoothed value (the server reads it from the values its smoothed
 * view is drawn from, with the view's R; the arrays' comes from the cpu backend), and with GPU
 * smoothing the source row still shows its server's value, not a read of another slot's texels.
 */
/** smoothing, the backend asked for, the backend it runs on */
const TIPS = [
  [{ weight: 0.6, mode: 'ema' }, 'cpu', 'cpu'],
  [{ weight: 0.6, mode: 'time-weighted' }, 'cpu', 'cpu'],
  [{ weight: 0.6, mode: 'time-weighted' }, 'gpu', 'gpu'],
  // running-average and centred smooth on the CPU whatever the backend; gaussian has a GPU pass
  [{ weight: 0, mode: 'centred', window: 101 }, 'gpu', 'cpu'],
  [{ weight: 0, mode: 'gaussian', sigma: 40 }, 'gpu', 'gpu'],
] as const;
for (const [smoothing, asked, backend] of TIPS) {
  const mode = smoothing.mode;
  test(`the tooltip shows a source series' smoothed value as the same arrays': ${mode}, ${backend} backend`, async ({ page }) => {
    const f = await page.evaluate(async ([MAKE, url, smoothing, asked]) => {
      const w = window as unknown as { metricgl: typeof import('../../src/index'); ch?: import('../../src/index').Chart };
      const d = eval(MAKE);
      w.ch?.destroy();
      w.ch = w.metricgl.createChart(document.getElementById('chart')!, { smoothing, smoothingBackend: asked });
      const src = w.metricgl.connectSource(url);
      const listed = await src.series({ metric: 'loss' });
      const id = listed.find((s) => s.run.includes('run-a'))!.id;
      w.ch.setSeries([
        { id: 'from-arrays', label: 'arrays', x: d.a.step, y: d.a.y, xs: { time: d.a.time }, color: '#d62728' },
        { id, label: 'server', source: src, color: '#1f77b4' },
      ]);
      return { frame: await w.ch.rendered(), id };
    }, [MAKE, fx.server.url, smoothing, asked] as const);
    expect(f.frame.smoothing).toBe(backend);
    const box = (await page.locator('#chart').boundingBox())!;
    const { plot, xDomain } = f.frame;
    const tip = page.locator('.metricgl-tooltip');
    /** the smoothed column of each row, by series id (ids may hold any character: read, not selected) */
    const shown = () => tip.evaluate((el) => Object.fromEntries([...el.querySelectorAll('tr')].map((tr) => [tr.dataset.id, tr.cells[2]?.textContent ?? ''])));
    for (const x of [1234.5, 20000, 29990, 37777]) {
      await page.mouse.move(5, 5);
      await expect(tip).toBeHidden();
      await page.mouse.move(box.x + plot.left + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * plot.width, box.y + plot.top + plot.height / 2);
      await expect(tip.locator('tr')).toHaveCount(2);
      const cells = await shown();
      const [fromArrays, fromServer] = [cells['from-arrays'], cells[f.id]];
      expect(fromServer).toMatch(/\d/); // a value, not '–'
      const info = await page.evaluate(async (x) => (await (window as unknown as { ch: import('../../src/index').Chart }).ch.hoverAt(x)).points, x);
      const [a, s] = ['from-arrays', f.id].map((id) => info.find((p) => p.id === id)!);
      expect(s.index).toBe(a.index);
      expect(s.y).toBe(a.y);
      expect(s.smoothed).not.toBeNull();
      expect(s.smoothed).not.toBe(s.y);
      if (backend === 'cpu') {
        expect(fromServer).toBe(fromArrays);
        expect(s.smoothed).toBe(a.smoothed);
      } else {
        // the GPU scan runs in float32: near the exact value, not equal to it
        expect(Math.abs(s.smoothed! - a.smoothed!)).toBeLessThan(1e-4 * Math.abs(s.smoothed!));
      }
    }
  });
}
