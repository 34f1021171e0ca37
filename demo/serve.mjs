#!/usr/bin/env node
// The demo server: Vite over demo/ and, with --logdir, the training logs in a folder streamed live.
//
//   node demo/serve.mjs [--logdir DIR] [--port N] [--host H] [--open] [--no-open]
//   npm run demo -- --logdir DIR          (the npm script adds --open)
//
// DIR holds csv, jsonl (also .ndjson) and TensorBoard tfevents files, in subfolders too
// (TensorBoard's `run_name/events.out.tfevents.*`); hidden files and folders are skipped. A
// relative DIR given through `npm run` is relative to the folder npm was run from. Vite's
// dependency cache is node_modules/.vite-demo (METRICGL_DEMO_CACHE_DIR moves it), apart from the
// browser tests' node_modules/.vite so that neither re-optimises the other's.
//
// ── HTTP API ────────────────────────────────────────────────────────────────────────────────────
// GET /api/logdir → 200 { dir: string (absolute), files: [{ path, size, kind }] }
//     path relative to dir, '/'-separated; size in bytes; kind 'csv' | 'jsonl' | 'tfevents'.
//     404 { error } when the server was started without --logdir (same for /api/live).
//
// GET /api/live → Server-Sent Events (text/event-stream). Every connection has its own offsets
// and starts from scratch: first every file's complete content so far, then only what is new.
// EventSource reconnects by itself (retry: 1000 ms) and then receives everything again, after a
// new `start` event: a client clears its data on `start`.
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
//     reset?: true,             the file was truncated or rewritten: drop everything read of it
//                               before; this chunk starts at offset 0 (its text/base64 may be empty)
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
// are picked up the same way.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoServer } from './live/server.mjs';
import { listLogFiles } from './live/tail.mjs';

export { startDemoServer, liveLogdirPlugin } from './live/server.mjs'; // types: serve.d.mts

const USAGE = `usage: node demo/serve.mjs [--logdir DIR] [--port N] [--host H] [--open] [--no-open]
  --logdir DIR  stream the csv / jsonl / tfevents logs under DIR to the page (GET /api/live)
  --port N      port (default 5173; the next free one if taken; 0: any)
  --host H      address to listen on (default 127.0.0.1)
  --open        open a browser (not in CI, not without a display); --no-open overrides it`;

/** @param {string[]} argv */
export function parseCli(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      logdir: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
      'no-open': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) throw new Error(`unexpected arguments: ${positionals.join(' ')}`);
  const port = values.port === undefined ? 5173 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port}: not a port`);
  const dir = values.logdir ?? positionals[0];
  // `npm run demo -- --logdir runs` runs in the package folder; INIT_CWD is where npm was started
  const cwd = (process.env.npm_lifecycle_event && process.env.INIT_CWD) || process.cwd();
  return {
    help: Boolean(values.help),
    logdir: dir ? resolve(cwd, dir) : null,
    port,
    host: values.host ?? '127.0.0.1',
    open: Boolean(values.open) && !values['no-open'],
  };
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
  const server = await startDemoServer({ logdir: args.logdir, port: args.port, host: args.host, open: args.open });
  const lines = ['', `  metricgl demo  ${server.url}/`];
  if (args.logdir) {
    const files = await listLogFiles(args.logdir);
    const counts = ['csv', 'jsonl', 'tfevents']
      .map((k) => [k, files.filter((f) => f.kind === k).length])
      .filter(([, n]) => n)
      .map(([k, n]) => `${n} ${k}`);
    lines.push(`  logdir         ${args.logdir}  (${counts.length ? counts.join(', ') : 'no log files yet'})`);
    lines.push(`  live stream    ${server.url}/api/live`);
  }
  if (args.open && !server.opened) {
    const ci = process.env.CI && !/^(0|false)$/i.test(process.env.CI);
    lines.push(`  (not opening a browser: ${ci ? 'CI' : 'no display'})`);
  }
  console.log(`${lines.join('\n')}\n`); // one write: a reader sees the block whole
  if (process.stdin.isTTY) server.vite.bindCLIShortcuts({ print: true });

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130); // second Ctrl-C
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop); // SIGTERM: Vite's own handler closes the server (exit code 143)
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  });
}
