// The demo's development server (`npm run dev`): Vite over demo/, for working on the explorer,
// plus the live API (api.mjs). `npm run demo` serves a build instead (prod.mjs). See
// demo/serve.mjs for the CLI and the API's contract. Types in server.d.mts.
import { stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, mergeConfig } from 'vite';
import { createLiveApi } from './api.mjs';
import { canOpenBrowser } from './open.mjs';

export { canOpenBrowser } from './open.mjs';

const DEMO_ROOT = fileURLToPath(new URL('..', import.meta.url));
// its own dependency cache: sharing node_modules/.vite with `vite` runs of another config (the
// browser tests' server) would make each re-optimise the other's dependencies under it.
// METRICGL_DEMO_CACHE_DIR moves it (the CLI test points it at a temporary folder).
const CACHE_DIR =
  process.env.METRICGL_DEMO_CACHE_DIR || fileURLToPath(new URL('../../node_modules/.vite-demo', import.meta.url));

/**
 * The Vite plugin serving GET /api/logdir and GET /api/live for `logdir` (see api.mjs).
 * `closeAll()` ends the open streams and their watchers (also done when the Vite server closes).
 * @param {string | null} logdir absolute path
 * @param {Omit<import('./api.d.mts').LiveApiOptions, 'logdir'>} [options]
 */
export function liveLogdirPlugin(logdir, options = {}) {
  const api = createLiveApi({ ...options, logdir });
  /** @type {import('vite').Plugin & { closeAll(): void }} */
  const plugin = {
    name: 'metricgl-live-logdir',
    apply: 'serve',
    closeAll: api.closeAll,
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!api.handle(req, res)) next();
      });
      server.httpServer?.once('close', api.closeAll);
    },
    closeBundle: api.closeAll,
  };
  return plugin;
}

/**
 * Puts a check in front of the server's request listeners (Vite's connect app): a request target
 * that is not a path (`GET http://[::1 HTTP/1.1`) is answered 400 here, because connect's URL
 * parsing throws on it outside any try, which ends the whole process. A browser sends paths only.
 * @param {import('node:http').Server | import('node:http2').Http2SecureServer} server
 */
function guardRequests(server) {
  const listeners = /** @type {Function[]} */ (server.listeners('request'));
  server.removeAllListeners('request');
  server.on('request', (/** @type {any} */ req, /** @type {any} */ res) => {
    if (typeof req.url !== 'string' || !req.url.startsWith('/')) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end('bad request: the request target must be a path\n');
      return;
    }
    for (const l of listeners) l.call(server, req, res);
  });
}

/**
 * Starts the demo (Vite over demo/) with the live endpoints, listening on host:port (port 0: any
 * free port; a busy port moves on to the next free one, as Vite does).
 * @param {{
 *   logdir?: string | null, port?: number, host?: string, open?: boolean,
 *   logLevel?: import('vite').LogLevel, vite?: import('vite').InlineConfig, fsWatch?: boolean,
 *   demoData?: boolean, followLinks?: boolean, maxClients?: number,
 * }} [options]
 */
export async function startDemoServer(options = {}) {
  const { logdir = null, port = 5173, host = '127.0.0.1', open = false, logLevel = 'info' } = options;
  if (logdir) {
    const st = await stat(logdir).catch(() => null);
    if (st && !st.isDirectory()) throw new Error(`--logdir ${logdir}: not a folder`);
  }
  const opened = Boolean(open) && canOpenBrowser();
  const plugin = liveLogdirPlugin(logdir, {
    fsWatch: options.fsWatch,
    demoData: options.demoData,
    followLinks: options.followLinks,
    maxClients: options.maxClients,
  });
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
  if (vite.httpServer) guardRequests(vite.httpServer);
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
