// The production demo server (`npm run demo`): the built explorer (dist-demo/, see build.mjs)
// from a plain node:http static server, plus the live API (api.mjs). No Vite server: a dev
// server's URL handling is not something to expose to every local process (one malformed request
// line, `GET http://[::1 HTTP/1.1`, used to end the demo). Types in prod.d.mts.
import { createServer } from 'node:http';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createLiveApi } from './api.mjs';
import { DEFAULT_BUILD_DIR } from './build.mjs';
import { isAllowedHost, requestPath, sendText } from '../../src/node/http.mjs';
import { canOpenBrowser, openBrowser } from './open.mjs';
import { createStaticHandler } from '../../src/node/static.mjs';

/** Ports tried after a busy one (as Vite does: the next free one). */
const PORT_TRIES = 20;

/**
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {Error} */ err) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Starts the production demo server on host:port (port 0: any free port; a busy port moves on to
 * the next free one).
 * @param {import('./prod.d.mts').ExplorerServerOptions} [options]
 * @returns {Promise<import('./prod.d.mts').ExplorerServer>}
 */
export async function startExplorerServer(options = {}) {
  const { logdir = null, port = 5173, host = '127.0.0.1', open = false, root = DEFAULT_BUILD_DIR } = options;
  if (logdir) {
    const st = await stat(logdir).catch(() => null);
    if (st && !st.isDirectory()) throw new Error(`--logdir ${logdir}: not a folder`);
  }
  if (!(await stat(join(root, 'index.html')).catch(() => null))) {
    throw new Error(`no explorer build in ${root} (npm run build:demo makes it)`);
  }
  const api = createLiveApi({
    logdir,
    demoData: options.demoData,
    followLinks: options.followLinks,
    fsWatch: options.fsWatch,
    maxClients: options.maxClients,
    warn: options.warn,
  });
  const serveStatic = createStaticHandler(root);
  const hostNames = [host.toLowerCase(), hostname().toLowerCase()];

  /** @type {import('node:http').RequestListener} */
  const onRequest = (req, res) => {
    // nothing a client sends may end the server: every failure becomes this request's answer
    const fail = (/** @type {unknown} */ err) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${/** @type {Error} */ (err)?.message ?? err}`);
      else res.destroy();
    };
    try {
      if (!isAllowedHost(req.headers.host, hostNames)) {
        sendText(res, 403, `host not allowed: ${req.headers.host} (use http://127.0.0.1 or http://localhost)`);
        return;
      }
      if (api.handle(req, res)) return;
      const path = requestPath(req.url);
      // the dev server's address of the explorer; the build is at /
      if (path === '/demo' || path === '/demo/' || path === '/demo/index.html') {
        const q = /** @type {string} */ (req.url).indexOf('?');
        res.writeHead(302, { location: `/${q >= 0 ? /** @type {string} */ (req.url).slice(q) : ''}`, 'content-length': 0 }).end();
        return;
      }
      serveStatic(req, res).catch(fail);
    } catch (err) {
      fail(err);
    }
  };

  const server = createServer(onRequest);
  // a request Node's parser rejects (bad request line, bad header): 400 and close that socket
  server.on('clientError', (err, socket) => {
    if (socket.writable && !/** @type {any} */ (err).code?.startsWith?.('ECONN')) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    } else socket.destroy();
  });

  let actualPort = port;
  for (let i = 0; ; i++) {
    try {
      await listen(server, port === 0 ? 0 : port + i, host);
      break;
    } catch (err) {
      const code = /** @type {NodeJS.ErrnoException} */ (err).code;
      if (code !== 'EADDRINUSE' || port === 0 || i + 1 >= PORT_TRIES || port + i >= 65535) throw err;
    }
  }
  const addr = server.address();
  actualPort = addr && typeof addr === 'object' ? addr.port : actualPort;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`; // no trailing '/'
  const opened = Boolean(open) && canOpenBrowser() && openBrowser(`${url}/`);

  /** @type {Promise<void> | null} */
  let closing = null;
  return {
    url,
    port: actualPort,
    logdir,
    root,
    opened,
    server,
    api,
    close() {
      closing ??= new Promise((resolve) => {
        api.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
