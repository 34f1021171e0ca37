// Launching Chromium for the comparison: Debian's, through Playwright, with the project's flags
// plus two for memory figures (gc() for a forced collection, unquantised performance.memory).
// One browser per (scenario, library), so nothing one library left behind (heap, GPU process
// state) is charged to the next.
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumPath } from '../../test/chromium.mjs';

export const benchArgs = [...chromiumArgs, '--js-flags=--expose-gc', '--enable-precise-memory-info'];

export function launch() {
  return chromium.launch({ executablePath: chromiumPath() ?? undefined, args: benchArgs });
}

/**
 * A fresh page holding one library (bench/pages/peers.html?lib=...), ready to be driven; `dist`
 * is the URL of the metricgl bundle to load (a snapshot, see snapshotDist).
 */
export async function openLibPage(browser, port, lib, log = console.error, dist = '/dist/metricgl.js') {
  const page = await browser.newPage({ viewport: { width: 1000, height: 500 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => log(`pageerror (${lib}): ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/bench/pages/peers.html?lib=${lib}&dist=${encodeURIComponent(dist)}`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  const err = await page.evaluate(() => window.benchError ?? null);
  if (err) throw new Error(`page for ${lib} did not load: ${err}`);
  return page;
}

/** The machine, the browser and the WebGL renderer (SwiftShader when there is no GPU). */
export async function describeMachine(browser, page) {
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl');
    if (!gl) return 'no WebGL';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  });
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    browser: `Chromium ${browser.version()}`,
    renderer,
    software: /swiftshader|llvmpipe|software/i.test(renderer),
  };
}

export class TimeoutError extends Error {}

/** Resolve with `promise`, or reject with a TimeoutError after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: over ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Close a browser even when its renderer is stuck in a long task. */
export async function closeBrowser(browser) {
  await withTimeout(browser.close(), 20_000, 'browser.close').catch(() => {});
}

/** The commit the measured dist/ was built from (as far as git knows), "+changes" when src/ differs. */
export function sourceVersion() {
  try {
    const run = (cmd) => execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return run('git rev-parse --short HEAD') + (run('git status --porcelain -- src shaders') ? '+changes' : '');
  } catch {
    return 'unknown';
  }
}

const repoDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Copy dist/ to bench/.tmp/dist/ and measure that copy: a rebuild of dist/ during a long run (the
 * tests build it) would otherwise change the engine between scenarios. Returns its URL and what
 * it was built from.
 */
export function snapshotDist() {
  const src = join(repoDir, 'dist');
  const dst = join(repoDir, 'bench/.tmp/dist');
  const file = join(src, 'metricgl.js');
  const source = { commit: sourceVersion(), builtAt: statSync(file).mtime.toISOString(), sha1: createHash('sha1').update(readFileSync(file)).digest('hex').slice(0, 10) };
  rmSync(dst, { recursive: true, force: true });
  cpSync(src, dst, { recursive: true });
  return { url: '/bench/.tmp/dist/metricgl.js', ...source };
}
