// Shared by the benchmark scripts: serve the repo statically, open a page in headless Chromium
// (Debian's, through Playwright), and describe the machine and the WebGL renderer.
import { chromium } from '@playwright/test';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumPath } from '../test/chromium.mjs';
import { serveStatic } from '../test/static-server.mjs';

export const repo = fileURLToPath(new URL('..', import.meta.url));

export async function openBench(page = '/bench/pages/bench.html', port = 5399) {
  const server = await serveStatic(repo, port);
  const browser = await chromium.launch({ executablePath: chromiumPath() ?? undefined, args: chromiumArgs });
  const tab = await browser.newPage({ viewport: { width: 1000, height: 500 }, deviceScaleFactor: 1 });
  tab.on('pageerror', (e) => console.error('pageerror:', e.message));
  await tab.goto(`http://127.0.0.1:${port}${page}`);
  await tab.waitForFunction(() => window.benchReady === true);
  const renderer = await tab.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl');
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  });
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    browser: browser.version(),
    renderer,
    software: /swiftshader|llvmpipe|software/i.test(renderer),
  };
  const close = async () => {
    await browser.close();
    await new Promise((r) => server.close(r));
  };
  return { page: tab, machine, close };
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), min: s[0], max: s[s.length - 1], n: s.length };
}
