/**
 * The built bundle (npm run build) works where users put it: served as is by a plain static
 * server, and bundled again by an app's Vite. The worker must load in both.
 */
import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { FrameInfo } from '../../src/index';
import { inkRange, RED, shotPlot } from './helpers';
import { serveStatic } from '../static-server.mjs';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let server: Server;
const PORT = 5299;

test.beforeAll(async () => {
  expect(existsSync(join(repo, 'dist/metricgl.js')), 'run `npm run build` first (npm test does)').toBe(true);
  expect(existsSync(join(repo, 'dist/types/index.d.ts')), 'type declarations are built').toBe(true);
  server = await serveStatic(repo, PORT);
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function spikeDrawn(page: import('@playwright/test').Page, f: FrameInfo, at: number) {
  const shot = await shotPlot(page, f);
  const col = Math.floor(((at - f.xDomain[0]) / (f.xDomain[1] - f.xDomain[0])) * shot.width);
  const tops = [col - 1, col, col + 1].map((c) => inkRange(shot, c, RED)?.[0] ?? Infinity);
  return Math.min(...tops) < shot.height * 0.3;
}

test('dist/metricgl.js served by a plain static server draws, worker included', async ({ page }) => {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  await page.goto(`http://127.0.0.1:${PORT}/test/browser/pages/harness.html?dist`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  const f: FrameInfo = await page.evaluate(() => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float32Array.from({ length: n }, (_, i) => (i === 30_000 ? 3 : 1));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, { yDomain: [0, 4] });
    window.ch.setSeries([{ id: 'a', x, y, color: '#ff0000', width: 1 }]);
    return window.ch.rendered();
  });
  expect(f.points).toBe(100_000);
  expect(await spikeDrawn(page, f, 30_000)).toBe(true);
  expect(failed.filter((u) => !u.endsWith('favicon.ico'))).toEqual([]);
});

test("an app's Vite build that imports 'metricgl' draws, served from a sub-path", async ({ page }) => {
  const out = join(repo, 'test-results/app-dist');
  // the app resolves 'metricgl' like an installed package: through package.json "exports"
  const nm = join(tmpdir(), 'metricgl-app-node_modules');
  mkdirSync(nm, { recursive: true });
  if (!existsSync(join(nm, 'metricgl'))) symlinkSync(repo, join(nm, 'metricgl'), 'dir');
  await build({
    root: join(repo, 'test/browser/app'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: { metricgl: join(nm, 'metricgl') } },
    build: { outDir: out, emptyOutDir: true },
  });
  await page.goto(`http://127.0.0.1:${PORT}/test-results/app-dist/index.html`);
  const f: FrameInfo = await page.evaluate(() => (window as unknown as { appFrame: Promise<FrameInfo> }).appFrame);
  expect(f.points).toBe(100_000);
  expect(await spikeDrawn(page, f, 70_000)).toBe(true);
});
