// The demo's dev server: Vite over demo/ plus the "live from disk" endpoints (see demo/serve.mjs
// for the CLI and the event format). Types in server.d.mts.
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, mergeConfig } from 'vite';
import { listLogFiles, Tailer } from './tail.mjs';

const DEMO_ROOT = fileURLToPath(new URL('..', import.meta.url));
// its own dependency cache: sharing node_modules/.vite with `vite` runs of another config (the
// browser tests' server) would make each re-optimise the other's dependencies under it.
// METRICGL_DEMO_CACHE_DIR moves it (the CLI test points it at a temporary folder).
const CACHE_DIR =
  process.env.METRICGL_DEMO_CACHE_DIR || fileURLToPath(new URL('../../node_modules/.vite-demo', import.meta.url));
const POLL_MS = 250;
const PING_MS = 15_000;

/**
 * Whether `--open` may open a browser here: never in CI, and on Linux/BSD only with a display
 * (without one, xdg-open fails and Vite prints its stack trace; the server works either way).
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 */
export function canOpenBrowser(env = process.env, platform = process.platform) {
  if (env.CI && env.CI !== '0' && env.CI.toLowerCase() !== 'false') return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * One SSE message. `data` is JSON (it never holds a raw newline, so one `data:` line suffices).
 * @param {string | null} event
 * @param {unknown} data
 */
function sseMessage(event, data) {
  return `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * The Vite plugin serving GET /api/logdir and GET /api/live for `logdir` (null: both answer 404).
 * `closeAll()` ends the open streams and their watchers (also done when the Vite server closes).
 * @param {string | null} logdir absolute path
 * @param {{ fsWatch?: boolean }} [options] fsWatch false: polling only (tests of the fallback)
 */
export function liveLogdirPlugin(logdir, options = {}) {
  const useWatch = options.fsWatch !== false;
  /** @type {Set<() => void>} */
  const streams = new Set();
  const closeAll = () => {
    for (const end of [...streams]) end();
  };

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  function live(req, res) {
    const dir = /** @type {string} */ (logdir);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.write(`retry: 1000\n${sseMessage('start', { dir })}`);

    const tailer = new Tailer(dir);
    let closed = false;
    let running = false;
    let again = false;
    let synced = false;
    let lastError = '';

    /** Writes, and waits for the socket to drain when its buffer is full (false: closed). */
    const write = (/** @type {string} */ text) =>
      res.write(text) || closed
        ? Promise.resolve()
        : new Promise((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });

    // one scan at a time; a change noticed during a scan runs another one right after
    const pump = async () => {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          for await (const c of tailer.scan()) {
            if (closed) return;
            /** @type {{ file: string, kind: string, offset: number, reset?: boolean, text?: string, base64?: string }} */
            const msg = { file: c.file, kind: c.kind, offset: c.offset };
            if (c.reset) msg.reset = true;
            if (c.kind === 'tfevents') msg.base64 = c.data.toString('base64');
            else msg.text = c.data.toString('utf8');
            await write(sseMessage(null, msg));
          }
          if (!synced && !closed) {
            synced = true;
            await write(sseMessage('synced', { files: Object.keys(tailer.offsets()).length }));
          }
        } while (again && !closed);
      } catch (err) {
        const m = String(/** @type {Error} */ (err)?.message ?? err);
        if (!closed && m !== lastError) console.warn(`[live] ${m}`); // once, not every poll
        lastError = m;
      } finally {
        running = false;
      }
    };

    /** @type {import('node:fs').FSWatcher | null} */
    let watcher = null;
    const onChange = () => void pump();
    if (useWatch) {
      try {
        watcher = watch(dir, { recursive: true, persistent: false }, onChange);
      } catch {
        try {
          watcher = watch(dir, { persistent: false }, onChange); // subfolders: polling only
        } catch {
          watcher = null; // the folder does not exist (yet): polling only
        }
      }
    }
    watcher?.on('error', () => {
      watcher?.close();
      watcher = null;
    });
    const poll = setInterval(onChange, POLL_MS);
    const ping = setInterval(() => {
      if (!closed) res.write(': ping\n\n');
    }, PING_MS);

    const end = () => {
      if (closed) return;
      closed = true;
      streams.delete(end);
      clearInterval(poll);
      clearInterval(ping);
      watcher?.close();
      watcher = null;
      if (!res.writableEnded) res.end();
    };
    streams.add(end);
    req.on('close', end);
    res.on('close', end);
    void pump();
  }

  /** @type {import('vite').Plugin & { closeAll(): void }} */
  const plugin = {
    name: 'metricgl-live-logdir',
    apply: 'serve',
    closeAll,
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (path !== '/api/logdir' && path !== '/api/live') return next();
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { allow: 'GET' }).end();
          return;
        }
        if (!logdir) {
          sendJson(res, 404, { error: 'no logdir: start the demo with --logdir DIR' });
          return;
        }
        if (path === '/api/logdir') {
          listLogFiles(logdir).then(
            (files) =>
              sendJson(res, 200, {
                dir: logdir,
                files: files.map(({ path, size, kind }) => ({ path, size, kind })),
              }),
            (err) => sendJson(res, 500, { error: String(err?.message ?? err) }),
          );
          return;
        }
        if (req.method === 'HEAD') {
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' }).end();
          return;
        }
        live(req, res);
      });
      server.httpServer?.once('close', closeAll);
    },
    closeBundle: closeAll,
  };
  return plugin;
}

/**
 * Starts the demo (Vite over demo/) with the live endpoints, listening on host:port (port 0: any
 * free port; a busy port moves on to the next free one, as Vite does).
 * @param {{
 *   logdir?: string | null, port?: number, host?: string, open?: boolean,
 *   logLevel?: import('vite').LogLevel, vite?: import('vite').InlineConfig, fsWatch?: boolean,
 * }} [options]
 */
export async function startDemoServer(options = {}) {
  const { logdir = null, port = 5173, host = '127.0.0.1', open = false, logLevel = 'info' } = options;
  if (logdir) {
    const st = await stat(logdir).catch(() => null);
    if (st && !st.isDirectory()) throw new Error(`--logdir ${logdir}: not a folder`);
  }
  const opened = Boolean(open) && canOpenBrowser();
  const plugin = liveLogdirPlugin(logdir, { fsWatch: options.fsWatch });
  /** @type {import('vite').InlineConfig} */
  const base = {
    root: DEMO_ROOT,
    cacheDir: CACHE_DIR,
    logLevel,
    server: { host, port, open: opened ? '/' : false },
    plugins: [plugin],
  };
  const rel = logdir ? relative(DEMO_ROOT, logdir) : '..';
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    // logs inside demo/: not Vite's business (its watcher would track every log file too)
    base.server = { ...base.server, watch: { ignored: [`${logdir}/**`] } };
  }
  const vite = await createServer(options.vite ? mergeConfig(base, options.vite) : base);
  try {
    await vite.listen();
  } catch (err) {
    await vite.close();
    throw err;
  }
  const addr = vite.httpServer?.address();
  const actualPort = addr && typeof addr === 'object' ? addr.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`; // no trailing '/'
  let closing = /** @type {Promise<void> | null} */ (null);
  return {
    url,
    port: actualPort,
    logdir,
    opened,
    vite,
    close() {
      closing ??= (async () => {
        plugin.closeAll();
        await vite.close();
      })();
      return closing;
    },
  };
}
