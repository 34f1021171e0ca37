// Small HTTP helpers shared by the node servers: the demo's (demo/live/api.mjs, prod.mjs) and the
// metricgl server (src/server/http.ts, live.ts). Plain Node ES module, no build step, because
// demo/serve.mjs runs the demo's servers unbuilt; the server's build bundles it (types in http.d.mts).
import { isIP } from 'node:net';

/**
 * The path of a request target, or null when it is not one a browser sends. Never throws: a
 * malformed target (`GET http://[::1 HTTP/1.1`) is the client's error, not the server's end.
 * Origin form (`/a/b?q`) is taken as is, up to `?` or `#`; absolute form (`http://h/a/b`, RFC
 * 9112 3.2.2) gives its path; `*` and anything else give null.
 * @param {string | undefined} target
 * @returns {string | null}
 */
export function requestPath(target) {
  if (typeof target !== 'string' || target === '') return null;
  if (target.startsWith('/')) {
    const end = target.search(/[?#]/);
    return end < 0 ? target : target.slice(0, end);
  }
  if (!/^https?:\/\//i.test(target)) return null;
  try {
    return new URL(target).pathname;
  } catch {
    return null;
  }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string | number>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message one line; the body is that line and a newline
 * @param {Record<string, string | number>} [headers]
 */
export function sendText(res, status, message, headers = {}) {
  const text = `${message}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}

/**
 * Whether a request's Host header names this machine: an IP address, `localhost` (or a name
 * under `.localhost`), the address the server listens on, or the machine's name. A web page
 * elsewhere can point its own domain at 127.0.0.1 (DNS rebinding) and then read a local
 * server as same-origin; its requests still carry its domain in Host, which this refuses.
 * No Host at all (HTTP/1.0 tools) is allowed: browsers always send one.
 * @param {string | undefined} hostHeader
 * @param {string[]} names further allowed host names (lowercase)
 */
export function isAllowedHost(hostHeader, names) {
  if (hostHeader === undefined || hostHeader === '') return true;
  let name = hostHeader.trim().toLowerCase();
  if (name.startsWith('[')) {
    const end = name.indexOf(']');
    if (end < 0) return false;
    name = name.slice(1, end);
    return isIP(name) === 6;
  }
  name = name.replace(/:\d*$/, '').replace(/\.$/, '');
  if (isIP(name)) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return names.includes(name);
}

/**
 * Start a Server-Sent Events response: the headers that keep proxies from buffering it, and a
 * socket that neither waits to batch small writes nor times out while the stream is idle.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {Record<string, string>} [headers]
 */
export function openEventStream(req, res, headers = {}) {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  req.socket.setNoDelay(true);
  req.socket.setTimeout(0);
}
