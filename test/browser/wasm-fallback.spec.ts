/**
 * The store's WebAssembly loops (src/store/kernels.ts) and their JS fallback draw the same
 * picture: the same chart on two pages, one of them with a Content Security Policy on the
 * decimation worker's script that forbids compiling WebAssembly there (no 'wasm-unsafe-eval', as
 * a strict app may serve it). The worker of each page is asked whether it can compile a module,
 * so the test knows both paths ran; the plots' pixels and the frames' counts must be equal.
 */
import { expect, test, type Page } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { openHarness, shotPlot } from './helpers';

async function draw(page: Page): Promise<FrameInfo> {
  return page.evaluate(async () => {
    const el = document.getElementById('chart')!;
    const chart = window.metricgl.createChart(el, { interactive: false });
    // enough points for the WebAssembly path (>= 1,024 a loop), with spikes, NaN, ±Infinity, zeros
    // and a sign change, unsorted in places (a restarted log), so every branch of the loops runs
    const n = 200_003;
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i < 150_000 ? i : i - 60_000; // steps logged again after a restart
      y[i] = 1.5 + Math.sin(i / 9000) - i / 1.5e5 + (i % 4999 === 0 ? 4 : 0) + 0.05 * Math.sin(i * 0.9);
    }
    y[10_000] = NaN; y[20_000] = Infinity; y[30_000] = -Infinity; y[40_000] = 0; y[40_001] = -0;
    chart.setSeries([{ id: 'a', x, y, color: '#1f77b4', width: 1 }, { id: 'b', x, y: y.map((v) => -v / 3), color: '#d62728', width: 1 }]);
    return chart.rendered();
  });
}

/** What the page's decimation worker says when asked to compile an (empty) WebAssembly module. */
async function workerCompiles(page: Page): Promise<string> {
  const w = page.workers().find((w) => /worker/.test(w.url()) && !/parse/.test(w.url()));
  expect(w, 'the decimation worker').toBeTruthy();
  return w!.evaluate(() => {
    try {
      new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      return 'compiles';
    } catch (e) {
      return `refused: ${String(e)}`;
    }
  });
}

test('with WebAssembly refused in the worker (CSP) the chart draws the same picture as with it', async ({ browser }) => {
  const plain = await browser.newPage({ viewport: { width: 1000, height: 500 }, deviceScaleFactor: 1 });
  const strict = await browser.newPage({ viewport: { width: 1000, height: 500 }, deviceScaleFactor: 1 });
  await strict.route(/\/worker\/worker\.ts/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, headers: { ...res.headers(), 'content-security-policy': "script-src 'self'" } });
  });
  await openHarness(plain);
  await openHarness(strict);
  const a = await draw(plain), b = await draw(strict);
  expect(await workerCompiles(plain)).toBe('compiles');
  expect(await workerCompiles(strict)).toMatch(/^refused: CompileError: .*(Content Security Policy|unsafe-eval)/);
  expect(b.points).toBe(a.points);
  expect(b.nonFinite).toBe(a.nonFinite);
  expect(b.nonPositive).toBe(a.nonPositive);
  expect(b.yDomain).toEqual(a.yDomain);
  expect(a.points).toBe(400_006);
  const sa = await shotPlot(plain, a), sb = await shotPlot(strict, b);
  expect(sb.width).toBe(sa.width);
  let differ = 0, ink = 0;
  for (let i = 0; i < sa.data.length; i += 4) {
    if (sa.data[i] !== sb.data[i] || sa.data[i + 1] !== sb.data[i + 1] || sa.data[i + 2] !== sb.data[i + 2]) differ++;
    if (sa.data[i] < 200 || sa.data[i + 2] < 200) ink++;
  }
  expect(ink).toBeGreaterThan(1000); // both curves are there
  expect(differ).toBe(0);
  await plain.close();
  await strict.close();
});
