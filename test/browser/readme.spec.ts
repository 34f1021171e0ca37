/**
 * The README's first code sample runs as written: taken from README.md, its `import 'metricgl'`
 * pointed at the built bundle, run as a module script in a page served by a plain static server.
 */
import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrameInfo } from '../../src/index';
import { serveStatic } from '../static-server.mjs';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PORT = 5298;
let server: Server;

/** The first ```ts block after the README's "## Use" heading. */
function firstSample(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const use = readme.slice(readme.indexOf('\n## Use\n'));
  const m = /```ts\n([\s\S]*?)```/.exec(use);
  if (!m) throw new Error('README.md: no ```ts block under "## Use"');
  return m[1];
}

test.beforeAll(async () => {
  expect(existsSync(join(repo, 'dist/metricgl.js')), 'run `npm run build` first (npm test does)').toBe(true);
  server = await serveStatic(repo, PORT);
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('the README sample runs as written and draws both runs', async ({ page }) => {
  const sample = firstSample();
  expect(sample).toContain("from 'metricgl'");
  const code = sample.replace("from 'metricgl'", "from '/dist/metricgl.js'");
  const errors: string[] = [];
  const logs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : logs.push(m.text())));
  // the sample names its container in a comment: the page a reader would write
  const div = /<div id="(\w+)" style="([^"]+)"><\/div>/.exec(sample);
  expect(div, 'the sample says what page it needs').not.toBeNull();
  const html = `<!doctype html><meta charset="utf-8"><body style="margin:0">
<div id="${div![1]}" style="${div![2]}; width: 800px"></div>
<script type="module">
${code}
window.readmeFrame = frame;
</script>`;
  await page.route(`http://127.0.0.1:${PORT}/readme.html`, (r) => r.fulfill({ body: html, contentType: 'text/html' }));
  await page.goto(`http://127.0.0.1:${PORT}/readme.html`);
  await page.waitForFunction(() => (window as unknown as { readmeFrame?: unknown }).readmeFrame !== undefined || false, null, { timeout: 30_000 });
  const f = (await page.evaluate(() => (window as unknown as { readmeFrame: FrameInfo }).readmeFrame)) as FrameInfo;
  expect(errors).toEqual([]);
  expect(f.points).toBe(40_002);
  expect(f.xDomain).toEqual([10_000, 12_000]);
  expect(logs.some((l) => l.startsWith('40002 points'))).toBe(true);
  // run-a's colour is in the plot: the sample's picture is drawn
  const shot = await page.locator(`#${div![1]}`).screenshot();
  const { PNG } = await import('pngjs');
  const png = PNG.sync.read(shot);
  let blue = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
    if (Math.abs(r - 0x1f) < 40 && Math.abs(g - 0x77) < 40 && Math.abs(b - 0xb4) < 40) blue++;
  }
  expect(blue).toBeGreaterThan(200);
});
