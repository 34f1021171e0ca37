/**
 * The built bundle (npm run build) works where users put it: served as is by a plain static
 * server, and bundled again by an app's Vite. The worker must load in both. The loaders
 * (`metricgl/loaders`) are a package entry of their own: found by name with their types, free
 * of the chart's GPU code, and usable in Node (a server ingests logs with them).
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { build } from 'vite';
import type { FrameInfo } from '../../src/index';
import { inkRange, RED, shotPlot } from './helpers';
import { serveStatic } from '../static-server.mjs';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let server: Server;
const PORT = 5299;
/** an app folder where metricgl is installed: test/browser/app, with node_modules/metricgl linking to this repo */
let app: string;

test.beforeAll(async () => {
  expect(existsSync(join(repo, 'dist/metricgl.js')), 'run `npm run build` first (npm test does)').toBe(true);
  expect(existsSync(join(repo, 'dist/types/index.d.ts')), 'type declarations are built').toBe(true);
  server = await serveStatic(repo, PORT);
  // resolved like an installed package: bare names through node_modules and package.json "exports"
  app = mkdtempSync(join(tmpdir(), 'metricgl-app-'));
  cpSync(join(repo, 'test/browser/app'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'metricgl-test-app', private: true, type: 'module' }));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(repo, join(app, 'node_modules/metricgl'), 'dir');
});
test.afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(app, { recursive: true, force: true });
});

const appOut = join(repo, 'test-results/app-dist');
let appBuilt: Promise<unknown> | null = null;

/** The app's pages (index.html: a chart; loaders.html: the loaders alone) built by its own Vite, once. */
function buildApp(): Promise<unknown> {
  return (appBuilt ??= build({
    root: app,
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: appOut, emptyOutDir: true, rolldownOptions: { input: { index: join(app, 'index.html'), loaders: join(app, 'loaders.html') } } },
  }));
}

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
  await buildApp();
  await page.goto(`http://127.0.0.1:${PORT}/test-results/app-dist/index.html`);
  const f: FrameInfo = await page.evaluate(() => (window as unknown as { appFrame: Promise<FrameInfo> }).appFrame);
  expect(f.points).toBe(100_000);
  expect(await spikeDrawn(page, f, 70_000)).toBe(true);
});

test("an app's Vite build that imports 'metricgl/loaders' parses logs, parse worker included", async ({ page }) => {
  await buildApp();
  const failed: string[] = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  await page.goto(`http://127.0.0.1:${PORT}/test-results/app-dist/loaders.html`);
  const r = await page.evaluate(() => (window as unknown as { appLoaded: Promise<unknown> }).appLoaded);
  expect(r).toEqual({
    series: [
      { key: 'a\u0000value', run: 'a', metric: 'value', step: [0, 1], value: [1.5, 1.25] },
      { key: 'b\u0000value', run: 'b', metric: 'value', step: [0], value: [2] },
    ],
    errors: [],
    tail: [{ run: 'live', step: [0, 1], value: [3, 4] }],
  });
  expect(failed.filter((u) => !u.endsWith('favicon.ico'))).toEqual([]);
});

test('every package.json export names files the build wrote; dist/loaders.js holds no chart or GPU code', () => {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; import: string }> };
  expect(Object.keys(pkg.exports)).toEqual(['.', './loaders', './server']);
  for (const [name, entry] of Object.entries(pkg.exports)) {
    for (const file of [entry.types, entry.import]) expect(existsSync(join(repo, file)), `${name}: ${file}`).toBe(true);
  }
  const loaders = readFileSync(join(repo, pkg.exports['./loaders'].import), 'utf8');
  expect(loaders).not.toMatch(/regl|webgl|getContext/i);
  // self-contained: no chunk shared with the chart's bundle
  expect(loaders).not.toMatch(/^\s*import\s/m);
  // the server entry exports its functions by their names (not a minifier's)
  const server = readFileSync(join(repo, pkg.exports['./server'].import), 'utf8');
  for (const name of ['startSourceServer', 'ingestFiles', 'openStore', 'buildLodFile', 'ingestFilesClickHouse', 'createClickHouseSchema', 'insertSeries', 'm4QueryClickHouse']) expect(server).toMatch(new RegExp(`\\b${name}\\b`));
});

test("TypeScript finds the types of 'metricgl/loaders' by package name, and they check", () => {
  const main = join(app, 'server.ts');
  writeFileSync(main, "import { parseCsv, type LoadedSeries } from 'metricgl/loaders';\nexport const s: LoadedSeries[] = parseCsv('a.csv', 'step,value\\n0,1\\n').columns();\n");
  const expected = realpathSync(join(repo, 'dist/types/loaders/index.d.ts'));
  for (const [module, moduleResolution] of [
    [ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
    [ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
  ] as const) {
    const options: ts.CompilerOptions = { module, moduleResolution, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, types: [], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] };
    const found = ts.resolveModuleName('metricgl/loaders', main, options, ts.sys).resolvedModule?.resolvedFileName;
    expect(found && realpathSync(found)).toBe(expected);
    // Under NodeNext the declarations' own imports ('./client') would need .js extensions, which
    // src/ does not write: the declarations are checked as bundler-resolving apps read them.
    if (moduleResolution !== ts.ModuleResolutionKind.Bundler) continue;
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([main], options));
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  }
});

test("Node imports 'metricgl/loaders' by package name and parses files without a DOM", () => {
  const script = join(app, 'ingest.mjs');
  writeFileSync(
    script,
    `import { createFileParser, loaderFor, parseCsv, parseJsonl } from 'metricgl/loaders';
const csv = parseCsv('loss.csv', 'step,value\\n0,1.5\\n1,1.25\\n').columns();
const jsonl = parseJsonl('run.jsonl', '{"step": 3, "loss": 2}\\n').columns();
const bytes = new TextEncoder().encode('run,step,value\\nr,5,7\\n');
const p = createFileParser('x.csv', loaderFor('x.csv', bytes));
p.push(bytes);
p.end();
console.log(JSON.stringify({ dom: typeof document, csv: csv.map((s) => [s.key, ...s.value]), jsonl: jsonl.map((s) => s.metric), file: p.table.columns().map((s) => s.run) }));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, [script], { cwd: app, encoding: 'utf8' }));
  expect(out).toEqual({ dom: 'undefined', csv: [['loss\u0000value', 1.5, 1.25]], jsonl: ['loss'], file: ['r'] });
});
