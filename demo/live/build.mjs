// The explorer's production build (vite.demo.config.ts → dist-demo/), made when it is missing or
// was built from other sources than the ones on disk now. "Other sources" is decided by content,
// not by modification times (a checkout, a copy or a clock can make those lie): a SHA-256 over the
// files the build reads, stored in the build as `.sources-sha256` (hidden names are never served).
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where `npm run demo` serves from; METRICGL_DEMO_BUILD_DIR moves it (the CLI tests do). */
export const DEFAULT_BUILD_DIR = process.env.METRICGL_DEMO_BUILD_DIR || join(REPO_ROOT, 'dist-demo');
const CONFIG = join(REPO_ROOT, 'vite.demo.config.ts');
const STAMP = '.sources-sha256';
/**
 * What the built explorer is made of, relative to the repository: the page, its scripts, the
 * library and its shaders, the shipped data, the build config, and the locked dependency versions
 * (node_modules itself changes only through package-lock.json).
 */
export const BUILD_INPUTS = [
  'demo/index.html',
  'demo/explorer',
  'demo/data',
  'src',
  'shaders',
  'vite.demo.config.ts',
  'package-lock.json',
];

/** @param {string} abs @param {string[]} out */
async function filesUnder(abs, out) {
  let entries;
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code === 'ENOTDIR') out.push(abs);
    return; // a missing input hashes as missing (its name is not in the list)
  }
  for (const e of entries) {
    const p = join(abs, e.name);
    if (e.isDirectory()) await filesUnder(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** SHA-256 (hex) over the names and contents of BUILD_INPUTS, in a fixed order. About 4 MB: ms. */
export async function sourcesHash(repoRoot = REPO_ROOT) {
  /** @type {string[]} */
  const files = [];
  for (const input of BUILD_INPUTS) await filesUnder(join(repoRoot, input), files);
  const names = files.map((f) => relative(repoRoot, f).split(sep).join('/')).sort();
  const h = createHash('sha256');
  for (const name of names) {
    h.update(`${name}\0`);
    h.update(await readFile(join(repoRoot, name)));
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Whether `outDir` holds a build of the current sources.
 * @param {string} [outDir]
 * @returns {Promise<{ fresh: boolean, reason: string, hash: string }>}
 */
export async function buildStatus(outDir = DEFAULT_BUILD_DIR) {
  const hash = await sourcesHash();
  const stamp = await readFile(join(outDir, STAMP), 'utf8').catch(() => null);
  const index = await readFile(join(outDir, 'index.html'), 'utf8').catch(() => null);
  if (stamp === null || index === null) return { fresh: false, reason: 'not built yet', hash };
  if (stamp.trim() !== hash) return { fresh: false, reason: 'its sources changed', hash };
  return { fresh: true, reason: 'up to date', hash };
}

/**
 * Builds the explorer into `outDir`: into a folder beside it first, then swapped in, so that a
 * server reading the old build never sees half a new one, and a failed build leaves the old one.
 * @param {{ outDir?: string, hash?: string, logLevel?: 'info' | 'warn' | 'error' | 'silent' }} [options]
 * @returns {Promise<{ ms: number }>}
 */
export async function buildExplorer(options = {}) {
  const outDir = options.outDir ?? DEFAULT_BUILD_DIR;
  const t0 = performance.now();
  const hash = options.hash ?? (await sourcesHash());
  const tmp = `${outDir}.tmp-${process.pid}`;
  const old = `${outDir}.old-${process.pid}`;
  const { build } = await import('vite'); // only here: serving a build needs no Vite
  try {
    await build({ configFile: CONFIG, logLevel: options.logLevel ?? 'warn', build: { outDir: tmp, emptyOutDir: true } });
    await writeFile(join(tmp, STAMP), `${hash}\n`);
    await rename(outDir, old).catch(() => {}); // none yet: nothing to move away
    await rename(tmp, outDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
  return { ms: performance.now() - t0 };
}

/**
 * Builds when `outDir` has no build of the current sources; otherwise does nothing.
 * @param {{ outDir?: string, force?: boolean, log?: (line: string) => void, logLevel?: 'info' | 'warn' | 'error' | 'silent' }} [options]
 * @returns {Promise<{ built: boolean, ms: number, reason: string }>}
 */
export async function ensureExplorerBuilt(options = {}) {
  const outDir = options.outDir ?? DEFAULT_BUILD_DIR;
  const status = await buildStatus(outDir);
  if (status.fresh && !options.force) return { built: false, ms: 0, reason: status.reason };
  const reason = options.force ? 'asked to' : status.reason;
  options.log?.(`  building the explorer into ${relative(process.cwd(), outDir) || '.'} (${reason}) ...`);
  const { ms } = await buildExplorer({ outDir, hash: status.hash, logLevel: options.logLevel });
  options.log?.(`  built in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, ms, reason };
}

// `node demo/live/build.mjs [--if-stale]` (npm run build:demo): always builds, or only when stale
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const ifStale = process.argv.includes('--if-stale');
  ensureExplorerBuilt({ force: !ifStale, log: (l) => console.log(l.trim()) }).then(
    (r) => {
      if (!r.built) console.log(`explorer build ${DEFAULT_BUILD_DIR}: ${r.reason}`);
    },
    (err) => {
      console.error(err?.stack ?? err);
      process.exit(1);
    },
  );
}
