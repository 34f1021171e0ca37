// The live API of the demo (GET /api/logdir, GET /api/live), as one request handler that both
// servers mount: the production server (demo/live/prod.mjs) and the Vite dev server's plugin
// (demo/live/server.mjs). The contract is written out in demo/serve.mjs.
import { watch } from 'node:fs';
import { listLogFiles, Tailer } from '../../src/node/tail.mjs';
import { openEventStream, requestPath, sendJson } from '../../src/node/http.mjs';

const POLL_MS = 250;
const PING_MS = 15_000;
/** Event-stream clients at once: each holds a socket, a watcher and a poll timer. */
export const DEFAULT_MAX_CLIENTS = 64;

/**
 * One SSE message. `data` is JSON (it never holds a raw newline, so one `data:` line suffices).
 * @param {string | null} event
 * @param {unknown} data
 */
function sseMessage(event, data) {
  return `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * @param {{
 *   logdir?: string | null, demoData?: boolean, followLinks?: boolean, fsWatch?: boolean,
 *   maxClients?: number, warn?: (message: string) => void,
 * }} [options]
 *   logdir: absolute path, null: no folder (/api/logdir says so, /api/live is 404);
 *   demoData: with a logdir, whether the explorer also loads the shipped demo logs (default
 *   false; without a logdir always true); followLinks: follow symlinks that leave the logdir;
 *   fsWatch false: polling only; maxClients: open /api/live streams at most (503 past it);
 *   warn: where skipped links and read errors are reported (default console.warn)
 */
export function createLiveApi(options = {}) {
  const logdir = options.logdir ?? null;
  const demoData = logdir ? Boolean(options.demoData) : true;
  const useWatch = options.fsWatch !== false;
  const maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
  const warn = options.warn ?? ((m) => console.warn(m));
  /** links reported already: once per link for the server's life, not once per poll and client */
  const reported = new Set();
  const listOptions = {
    followLinks: Boolean(options.followLinks),
    onSkip: (/** @type {string} */ path, /** @type {string} */ target) => {
      if (reported.has(path)) return;
      reported.add(path);
      warn(`[live] not following ${path} -> ${target}: outside --logdir (--follow-links follows it)`);
    },
  };
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
    openEventStream(req, res);
    res.write(`retry: 1000\n${sseMessage('start', { dir })}`);

    const tailer = new Tailer(dir, listOptions);
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
        if (!closed && m !== lastError) warn(`[live] ${m}`); // once, not every poll
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

  /**
   * Answers /api/logdir and /api/live; returns false (and touches nothing) for any other path.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @returns {boolean}
   */
  function handle(req, res) {
    const path = requestPath(req.url);
    if (path !== '/api/logdir' && path !== '/api/live') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: `${req.method} ${path}: only GET` }, { allow: 'GET, HEAD' });
      return true;
    }
    if (path === '/api/logdir') {
      if (!logdir) {
        // no folder is an answer, not an error: the explorer shows the demo data and no live view
        sendJson(res, 200, { dir: null, files: [], demoData });
        return true;
      }
      listLogFiles(logdir, listOptions).then(
        (files) =>
          sendJson(res, 200, { dir: logdir, files: files.map(({ path, size, kind }) => ({ path, size, kind })), demoData }),
        (err) => sendJson(res, 500, { error: String(err?.message ?? err) }),
      );
      return true;
    }
    if (!logdir) {
      sendJson(res, 404, { error: 'no logdir: start the demo with --logdir DIR' });
      return true;
    }
    if (streams.size >= maxClients) {
      // EventSource gives up on a 503 (no reconnect storm); the message is for people and logs
      sendJson(
        res,
        503,
        { error: `too many live streams: ${maxClients} are open; close other explorer tabs and reload` },
        { 'retry-after': 5 },
      );
      return true;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' }).end();
      return true;
    }
    live(req, res);
    return true;
  }

  return {
    logdir,
    demoData,
    handle,
    closeAll,
    /** open /api/live streams */
    clients: () => streams.size,
  };
}
