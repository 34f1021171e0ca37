#!/usr/bin/env node
// The demo: the explorer and, with --logdir, the training logs in a folder streamed live.
//
//   node demo/serve.mjs [--logdir DIR] [--demo-data] [--follow-links] [--port N] [--host H] [--open] [--dev]
//   node demo/serve.mjs --db FILE [--logdir DIR] [--demo-data] [--port N] [--host H] [--open]
//   npm run demo -- --logdir DIR          (the npm script adds --open)
//   npm run dev -- --logdir DIR           (the same with --dev)
//   npm run demo -- --db FILE             the explorer on a metricgl server over a DuckDB file
//
// --db FILE: the points stay in FILE (DuckDB) and the explorer asks the metricgl server for each
// view (M4 per pixel column, src/server): the built server (dist-server/http.js, made first when
// missing: npm run build:server) serves the built explorer and the source API (src/source/api.ts)
// on one port. A FILE that does not exist is made first from the shipped logs, by the server's
// ingest (`metricgl ingest`, dist-server/cli.js), unless --logdir is given without --demo-data
// (as without --db: the explorer is then on DIR alone). --logdir DIR: the server ingests what is
// written under DIR and pushes `grew` to the page (GET /api/live of the source API).
//
// By default it serves the production build of the explorer (dist-demo/, made first when missing
// or built from other sources: demo/live/build.mjs) with a plain node:http server
// (demo/live/prod.mjs). --dev serves demo/ through Vite's development server instead, with hot
// reload, for working on the explorer (demo/live/server.mjs); its dependency cache is
// node_modules/.vite-demo (METRICGL_DEMO_CACHE_DIR moves it), apart from the browser tests'
// node_modules/.vite so that neither re-optimises the other's. Both listen on 127.0.0.1 unless
// --host says otherwise.
//
// DIR holds csv, jsonl (also .ndjson) and TensorBoard tfevents files, in subfolders too
// (TensorBoard's `run_name/events.out.tfevents.*`); hidden files and folders are skipped. A
// relative DIR given through `npm run` is relative to the folder npm was run from. Symbolic links
// in DIR are followed when they lead to a file or folder inside DIR; a link leading outside is
// skipped (and named once on the console) unless --follow-links is given.
//
// ── HTTP API ────────────────────────────────────────────────────────────────────────────────────
// GET /api/logdir → 200 { dir: string | null, files: [{ path, size, kind }], demoData: boolean }
//     dir: the absolute logdir, null without --logdir (files then []); path relative to dir,
//     '/'-separated; size in bytes; kind 'csv' | 'jsonl' | 'tfevents'. demoData: whether the
//     explorer loads the shipped demo logs: always without --logdir, with it only if --demo-data.
//
// GET /api/live → Server-Sent Events (text/event-stream); 404 { error } without --logdir; 503
// { error } when 64 streams are open already (EventSource does not retry a 503). Every
// connection has its own offsets and starts from scratch: first every file's complete content so
// far, then only what is new. EventSource reconnects by itself (retry: 1000 ms) and then receives
// everything again, after a new `start` event: a client clears its data on `start`.
//
//   event: start    data: { dir }                   first message of every connection
//   (message)       data: LiveChunk                 default event type: EventSource.onmessage
//   event: synced   data: { files: number }         once, after the initial content of every file
//   : ping                                          SSE comment every 15 s (keeps proxies open)
//
//   LiveChunk = {
//     file: string,             path relative to dir, '/'-separated
//     kind: 'csv' | 'jsonl' | 'tfevents',
//     offset: number,           byte offset in the file where this chunk starts
//     reset?: true,             the file was truncated or rewritten (also truncated and written
//                               again between two polls, to the same length or longer, with the
//                               same first lines): drop everything read of it before; this chunk
//                               starts at offset 0 (its text/base64 may be empty)
//     text?: string,            csv / jsonl: COMPLETE lines, UTF-8 decoded, each ending in '\n'
//                               (CRLF files keep the '\r'); a csv file's first chunk starts with
//                               its header line
//     base64?: string,          tfevents: COMPLETE TFRecords, base64 (uint64 LE length, uint32
//                               masked CRC32C of the length, data, uint32 masked CRC32C of the data)
//   }
//
// Chunks of one file arrive in order and back to back (offset + bytes = next offset, until a
// reset). A line or record still being written is held back until its end is on disk, so a
// parser can treat every chunk as whole units. The server frames TFRecords by their length only;
// it does NOT verify the CRCs (the browser's parser does).
//
// Changes are noticed by fs.watch (recursive where the platform has it) and, because fs.watch
// misses events on some filesystems (network mounts, Docker volumes), by polling every 250 ms:
// a line appended to a log reaches the page well within a second. New files and new run folders
// are picked up the same way. A rewrite is recognised by the file's inode, its size, its first
// 256 bytes and the 1 KiB before the offset read so far (src/node/tail.mjs).
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_BUILD_DIR, ensureExplorerBuilt, REPO_ROOT } from './live/build.mjs';
import { canOpenBrowser, openBrowser } from './live/open.mjs';
import { startExplorerServer } from './live/prod.mjs';
import { listLogFiles } from '../src/node/tail.mjs';

export { startDemoServer, liveLogdirPlugin } from './live/server.mjs'; // types: serve.d.mts
export { startExplorerServer } from './live/prod.mjs';

const USAGE = `usage: node demo/serve.mjs [--db FILE] [--logdir DIR] [--demo-data] [--follow-links] [--port N] [--host H] [--open] [--no-open] [--dev]
  --db FILE        the explorer on a metricgl server over the DuckDB file FILE: the points stay
                   there and each view is asked of the server; FILE is made from the shipped logs
                   when it does not exist (with --logdir: only with --demo-data)
  --logdir DIR     stream the csv / jsonl / tfevents logs under DIR to the page (GET /api/live);
                   the explorer then opens on them alone. With --db: the server ingests them as
                   they are written
  --demo-data      with --logdir: load the shipped demo logs too
  --follow-links   follow symbolic links in DIR that lead outside it (default: skipped, and named
                   on the console; links that stay inside DIR are followed)
  --port N         port (default 5173; the next free one if taken; 0: any)
  --host H         address to listen on (default 127.0.0.1: this machine only)
  --open           open a browser (not in CI, not without a display); --no-open overrides it
  --dev            Vite's development server over demo/ (hot reload), for working on the
                   explorer; without it the production build in dist-demo/ is served (and built
                   first when missing or out of date)`;

/** @param {string[]} argv */
export function parseCli(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      logdir: { type: 'string' },
      'demo-data': { type: 'boolean' },
      'follow-links': { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
      'no-open': { type: 'boolean' },
      dev: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) throw new Error(`unexpected arguments: ${positionals.join(' ')}`);
  const port = values.port === undefined ? 5173 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port ${values.port}: not a port`);
  }
  const dir = values.logdir ?? positionals[0];
  // `npm run demo -- --logdir runs` runs in the package folder; INIT_CWD is where npm was started
  const cwd = (process.env.npm_lifecycle_event && process.env.INIT_CWD) || process.cwd();
  if (values.db !== undefined && !values.db) throw new Error('--db needs a file name');
  if (values.db && values.dev) throw new Error('--db serves the production build; it does not go with --dev');
  if (values.db && values['follow-links']) throw new Error('--follow-links does not go with --db (the server does not follow links out of DIR)');
  return {
    help: Boolean(values.help),
    db: values.db ? resolve(cwd, values.db) : null,
    logdir: dir ? resolve(cwd, dir) : null,
    demoData: Boolean(values['demo-data']),
    followLinks: Boolean(values['follow-links']),
    port,
    host: values.host ?? '127.0.0.1',
    open: Boolean(values.open) && !values['no-open'],
    dev: Boolean(values.dev),
  };
}

const SHIPPED_LOGS = join(REPO_ROOT, 'demo', 'data', 'modded-nanogpt-loss.csv.gz');
const SERVER_BUILD = join(REPO_ROOT, 'dist-server');

/**
 * The built metricgl server (dist-server/), built first when missing. Its `http.js` entry exports
 * startSourceServer; `cli.js` exports main (`metricgl ingest` / `serve`).
 * @param {(line: string) => void} log
 * @returns {Promise<{ startSourceServer: (o: object) => Promise<{ url: string, close(): Promise<void> }>, cli: (argv: string[], io: { out(s: string): void, err(s: string): void }) => Promise<number> }>}
 */
async function serverBuild(log) {
  const http = join(SERVER_BUILD, 'http.js');
  const cli = join(SERVER_BUILD, 'cli.js');
  if (!existsSync(http) || !existsSync(cli)) {
    log(`  building the metricgl server into dist-server/ (${existsSync(cli) ? 'no http.js entry' : 'not built yet'}) ...`);
    const { build } = await import('vite');
    await build({ configFile: join(REPO_ROOT, 'vite.server.config.ts'), logLevel: 'warn' });
  }
  const [h, c] = await Promise.all([import(pathToFileURL(http).href), import(pathToFileURL(cli).href)]);
  if (typeof h.startSourceServer !== 'function') throw new Error(`${http} does not export startSourceServer`);
  return { startSourceServer: h.startSourceServer, cli: c.main };
}

/**
 * A free port at or after `port` on `host` (as the demo server does: the next free one), asked
 * before the server opens its store, so a busy port costs nothing. 0: any.
 * @param {number} port @param {string} host
 */
async function freePort(port, host) {
  for (let i = 0; i < 20; i++) {
    const p = port === 0 ? 0 : port + i;
    const got = await new Promise((ok) => {
      const probe = createServer();
      probe.once('error', () => ok(-1));
      probe.listen(p, host, () => {
        const a = probe.address();
        probe.close(() => ok(a && typeof a === 'object' ? a.port : p));
      });
    });
    if (got >= 0) return /** @type {number} */ (got);
    if (port === 0) break;
  }
  throw new Error(`no free port from ${port} on ${host}`);
}

/**
 * The explorer on a metricgl server over `args.db` (made from the shipped logs when missing).
 * @param {ReturnType<typeof parseCli>} args
 * @param {(line: string) => void} log
 */
async function startDbServer(args, log) {
  const db = /** @type {string} */ (args.db);
  if (args.logdir && !(await stat(args.logdir).catch(() => null))?.isDirectory()) throw new Error(`--logdir ${args.logdir}: not a folder`);
  await ensureExplorerBuilt({ log });
  const { startSourceServer, cli } = await serverBuild(log);
  let created = '';
  if (!existsSync(db) && (!args.logdir || args.demoData)) {
    log(`  making ${db} from the shipped logs (${SHIPPED_LOGS.slice(REPO_ROOT.length)}) ...`);
    const lines = /** @type {string[]} */ ([]);
    const status = await cli(['ingest', '--db', db, SHIPPED_LOGS], { out: (s) => lines.push(s), err: (s) => lines.push(s) });
    if (status !== 0) {
      // half a store would be taken for a whole one next time
      await Promise.all([rm(db, { force: true }), rm(`${db}.wal`, { force: true })]);
      throw new Error(`making ${db} failed:\n${lines.join('\n')}`);
    }
    created = lines.find((l) => l.startsWith('ingested')) ?? '';
  }
  const port = await freePort(args.port, args.host);
  const server = await startSourceServer({ db, staticRoot: DEFAULT_BUILD_DIR, logdir: args.logdir, port, host: args.host });
  const opened = args.open && canOpenBrowser() ? openBrowser(`${server.url}/`) : false;
  return { ...server, opened, created, shortcuts: null };
}

/** @param {ReturnType<typeof parseCli>} args */
async function start(args) {
  if (args.db) return startDbServer(args, (line) => console.log(line));
  const common = {
    logdir: args.logdir,
    demoData: args.demoData,
    followLinks: args.followLinks,
    port: args.port,
    host: args.host,
    open: args.open,
  };
  if (args.dev) {
    const { startDemoServer } = await import('./live/server.mjs'); // Vite: only for --dev
    const server = await startDemoServer(common);
    return { ...server, shortcuts: () => server.vite.bindCLIShortcuts({ print: true }) };
  }
  await ensureExplorerBuilt({ log: (line) => console.log(line) });
  return { ...(await startExplorerServer(common)), shortcuts: null };
}

async function main() {
  let args;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error(`${/** @type {Error} */ (err).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const server = await start(args);
  const lines = ['', `  metricgl demo  ${server.url}/${args.dev ? '  (development server)' : ''}`];
  if (args.db) {
    const info = await (await fetch(`${server.url}/api/source`)).json().catch(() => null);
    const held = info ? `${info.series.toLocaleString('en-US')} series, ${info.points.toLocaleString('en-US')} points` : '?';
    lines.push(`  database       ${args.db}  (${held}${'created' in server && server.created ? `; made now: ${server.created}` : ''})`);
    if (args.logdir) lines.push(`  logdir         ${args.logdir}  (ingested as it is written)`);
  } else if (args.logdir) {
    const files = await listLogFiles(args.logdir, { followLinks: args.followLinks });
    const counts = ['csv', 'jsonl', 'tfevents']
      .map((k) => [k, files.filter((f) => f.kind === k).length])
      .filter(([, n]) => n)
      .map(([k, n]) => `${n} ${k}`);
    lines.push(`  logdir         ${args.logdir}  (${counts.length ? counts.join(', ') : 'no log files yet'})`);
    lines.push(`  live stream    ${server.url}/api/live`);
  }
  if (args.open && !server.opened) {
    const ci = process.env.CI && !/^(0|false)$/i.test(process.env.CI);
    const why = ci ? 'CI' : !canOpenBrowser() ? 'no display' : 'BROWSER=none';
    lines.push(`  (not opening a browser: ${why})`);
  }
  console.log(`${lines.join('\n')}\n`); // one write: a reader sees the block whole
  if (process.stdin.isTTY) server.shortcuts?.();

  let stopping = false;
  /** @param {number} code */
  const stop = (code) => {
    if (stopping) process.exit(130); // second Ctrl-C
    stopping = true;
    server.close().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop(0));
  // --dev: Vite's own SIGTERM handler closes the server (exit code 143); the same here
  if (!args.dev) process.on('SIGTERM', () => stop(143));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  });
}
