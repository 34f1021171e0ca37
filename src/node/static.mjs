// Static files of one folder over node:http (the built explorer, dist-demo/), for the production
// demo server (demo/live/prod.mjs) and the metricgl server's --static (src/server/http.ts). It never serves anything outside the folder: `..` segments (raw or %2e%2e), NUL,
// backslashes and hidden names are refused before the file system is asked, and the resolved real
// path (after symlinks) must still be inside the folder's real path.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { requestPath, sendText } from './http.mjs';

/** Content-Type by extension; anything else is application/octet-stream. */
export const MIME_TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  // the shipped logs (*.csv.gz) go out as the bytes on disk, with no Content-Encoding: the
  // explorer gunzips them itself (a server that sent `Content-Encoding: gzip` would make the
  // browser hand over the CSV instead, which the explorer also accepts)
  '.gz': 'application/gzip',
});

/**
 * The file path under `root` for a URL path, or a status to answer instead.
 * @param {string} root
 * @param {string} urlPath
 * @returns {{ file: string } | { status: number, message: string }}
 */
export function resolveUnder(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400, message: 'bad request: malformed %-encoding in the path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400, message: 'bad request: bad path' };
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { status: 400, message: 'bad request: .. in the path' };
  if (parts.some((p) => p.startsWith('.'))) return { status: 404, message: 'not found' };
  return { file: parts.length ? join(root, ...parts) : join(root, 'index.html') };
}

/**
 * A request handler serving `root` (GET and HEAD). `/` is root/index.html.
 * @param {string} root absolute path
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>}
 */
export function createStaticHandler(root) {
  /** @type {Promise<string> | null} */
  let realRoot = null;
  return async function serveStatic(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, `${req.method}: only GET and HEAD`, { allow: 'GET, HEAD' });
      return;
    }
    const urlPath = requestPath(req.url);
    if (urlPath === null) {
      sendText(res, 400, 'bad request: not a path');
      return;
    }
    const r = resolveUnder(root, urlPath);
    if ('status' in r) {
      sendText(res, r.status, r.message);
      return;
    }
    realRoot ??= realpath(root);
    let real;
    let st;
    try {
      const base = await realRoot;
      real = await realpath(r.file);
      if (real !== base && !real.startsWith(base.endsWith(sep) ? base : base + sep)) throw new Error('outside');
      st = await stat(real);
      if (!st.isFile()) throw new Error('not a file');
    } catch {
      realRoot = null; // the folder may have been rebuilt (a new inode): resolve it again next time
      sendText(res, 404, `not found: ${urlPath}`);
      return;
    }
    // hashed names under assets/ never change; index.html does with every build
    const immutable = urlPath.startsWith('/assets/');
    res.writeHead(200, {
      'content-type': MIME_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
      'content-length': st.size,
      'last-modified': st.mtime.toUTCString(),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(real);
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  };
}
