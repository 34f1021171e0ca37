/**
 * The metricgl server: the HTTP API of source/api.ts over a store (backend.ts: a DuckDB file or a
 * ClickHouse server or cluster), and optionally the built explorer (dist-demo/) and a watched log
 * folder.
 *
 * Request hygiene is the demo server's (src/node/http.mjs, static.mjs): a malformed request
 * line is a 400 and ends nothing, a Host header that does not name this machine is refused (DNS
 * rebinding), loopback only unless told otherwise. A request carrying an Origin that is neither
 * this server's nor one named with `cors` is refused outright, not just left without CORS
 * headers: a page elsewhere could otherwise POST text to /api/ingest (a "simple" request needs
 * no preflight). Every error answer is JSON `{ error }` naming the query's purpose.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { LoadError } from '../loaders/index';
import { API, UNANSWERED_HEADER, type IngestReply, type LiveGrew, type LogdirAnswer, type SourceInfo } from '../source/api';
import { encode } from '../source/layout';
import { encodeAggregated } from '../source/aggregatedlayout';
import { AggregateCache, aggregatedGroup, aggregateHover, aggregateView, type AggregateStores } from './aggregates';
import { smoothingOn } from '../smooth/params';
import { isAllowedHost, requestPath, sendJson } from '../node/http.mjs';
import { createStaticHandler } from '../node/static.mjs';
import type { StepFileStats, StoreBackend } from './backend';
import { openClickHouseBackend } from './clickhouse/backend';
import type { ClickHouseConn } from './clickhouse/conn';
import { openDuckDBBackend, type M4Path } from './duckdbbackend';
import type { IngestResult } from './ingest';
import { LiveHub } from './live';
import { LogdirWatcher } from './logdir';
import { checkAggregateHoverQuery, checkAggregateQuery, checkAggregateViewQuery, checkHoverQuery, checkSeriesQuery, checkViewQuery, INGEST_BODY_LIMIT, readBody, readJson, RequestError } from './requests';
import { SeriesIndex } from './seriesindex';
import { SmoothCache } from './smoothcache';
import { ingestName } from './ingestname';

export interface SourceServerOptions {
  /** the DuckDB file (created when missing); or `clickhouse` */
  db?: string;
  /** a ClickHouse server or cluster holding the store (its tables created when missing) */
  clickhouse?: ClickHouseConn;
  /** 0: any free port (default) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** origins whose pages may call the API */
  cors?: string[];
  /** a folder to watch and ingest */
  logdir?: string | null;
  /** the built explorer to serve at / */
  staticRoot?: string | null;
  /** DuckDB worker threads (default: DuckDB's, the core count) */
  threads?: number;
  maxLiveClients?: number;
  /** bytes of raw and smoothed columns held for smoothed views (default smoothcache.ts's) */
  smoothCacheBytes?: number;
  /**
   * how a raw view on a DuckDB file is computed: 'steps' (default) from the step files beside it
   * where they hold a series up to date (stepfiles.ts), the rest from the level-of-detail blocks;
   * 'lod' from the blocks where a series has them (m4lod.ts); 'naive' always by GROUP BY over
   * the points in view (m4sql.ts); equal answers
   */
  m4?: M4Path;
  warn?: (message: string) => void;
}

export interface SourceServer {
  /** http://host:port, no trailing slash */
  url: string;
  /** what the server has done since it started (monitoring, tests) */
  stats(): ServerStats;
  /** resolves once the files the store keeps beside it (DuckDB's step files) are up to date */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Work counted since a server started. */
export interface ServerStats {
  /** points read out of the store for smoothing and aggregates (a grown run's new points alone where its columns were held) */
  pointsRead: number;
  /** points smoothed */
  pointsSmoothed: number;
  /** groups aggregated over every point */
  groupsAggregated: number;
  /** groups brought up to date past what grew at their runs' ends */
  groupsExtended: number;
  /** the step files of a DuckDB store (null: none kept, m4 other than 'steps', or ClickHouse) */
  stepFiles: StepFileStats | null;
}

/** Series left out of an answer (a shard down): named in a header, the answer as usual for the rest. */
function unansweredHeader(unanswered: readonly number[]): Record<string, string> {
  return unanswered.length ? { [UNANSWERED_HEADER]: unanswered.join(',') } : {};
}

function sendBinary(res: ServerResponse, bytes: Buffer, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': bytes.length, 'cache-control': 'no-store' });
  res.end(bytes);
}

type Handler = (req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) => Promise<void>;

const PURPOSE: Record<string, string> = {
  [API.source]: 'source info', [API.logdir]: 'log folder', [API.series]: 'series list', [API.view]: 'view', [API.hover]: 'hover',
  [API.aggregate]: 'aggregate view', [API.aggregateHover]: 'aggregate hover', [API.aggregated]: 'aggregated', [API.live]: 'live', [API.ingest]: 'ingest',
};

export async function startSourceServer(opts: SourceServerOptions): Promise<SourceServer> {
  const host = opts.host ?? '127.0.0.1';
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const cors = new Set(opts.cors ?? []);
  if ((opts.db === undefined) === (opts.clickhouse === undefined)) throw new Error('the server needs one store: db (a DuckDB file) or clickhouse');
  const store: StoreBackend = opts.clickhouse ? await openClickHouseBackend(opts.clickhouse) : await openDuckDBBackend(opts.db!, { threads: opts.threads, m4: opts.m4, warn });
  const index = new SeriesIndex();
  const hub = new LiveHub(opts.maxLiveClients);
  const smoothCache = new SmoothCache(opts.smoothCacheBytes);
  const aggregates = new AggregateCache();
  /** `use` over the store's points of the groups' series, with the caches (aggregates.ts) */
  const withGroups = <T>(groups: number[][], use: (s: AggregateStores, answered: readonly number[]) => Promise<T>) =>
    store.withPoints([...new Set(groups.flat())].sort((a, b) => a - b), (points, answered) => use({ points, cache: smoothCache, aggregates }, answered));
  try {
    await index.refresh(store.series);
  } catch (e) {
    await store.close();
    throw e;
  }
  /** The series list refreshed after an ingest, and the open pages told; what changed. */
  const afterIngest = async (r: IngestResult): Promise<LiveGrew | null> => {
    if (r.points === 0 && r.removed === 0) return null;
    await store.afterIngest();
    const grew = await index.refresh(store.series);
    // smoothed columns of changed series are stale; a removal may leave a series out of `grew`
    // (it has no points left), so then everything goes
    if (r.removed > 0) smoothCache.clear();
    else smoothCache.invalidate(grew.series.map((s) => s.sid), new Map(r.grewFrom ?? []));
    hub.grew(grew);
    return grew;
  };
  const serveStatic = opts.staticRoot ? createStaticHandler(resolve(opts.staticRoot)) : null;
  const hostNames = [host.toLowerCase(), hostname().toLowerCase()];

  const info = (): SourceInfo => ({ version: 1, engine: store.engine, ...index.totals });

  const routes: Record<string, { method: 'GET' | 'POST'; run: Handler }> = {
    [API.source]: {
      method: 'GET',
      run: async (_req, res, h) => sendJson(res, 200, info(), h),
    },
    [API.logdir]: {
      method: 'GET',
      run: async (_req, res, h) => sendJson(res, 200, { dir: null, files: [], demoData: false, source: info() } satisfies LogdirAnswer, h),
    },
    [API.series]: {
      method: 'POST',
      run: async (req, res, h) => {
        const q = checkSeriesQuery(await readJson(req, 'series list'));
        sendJson(res, 200, { series: index.query(q.metric, q.where ?? null) }, h);
      },
    },
    [API.view]: {
      method: 'POST',
      run: async (req, res, h) => {
        const view = checkViewQuery(await readJson(req, 'view'));
        const sm = view.smoothing;
        // smoothing off (weight 0, window 1: docs/semantics.md) is the raw view, in SQL
        const { result, unanswered } = await store.view(view, sm && smoothingOn(sm) ? sm : null, smoothCache);
        sendBinary(res, Buffer.from(encode(result, view.W)), { ...h, ...unansweredHeader(unanswered) });
      },
    },
    [API.hover]: {
      method: 'POST',
      run: async (req, res, h) => {
        const q = checkHoverQuery(await readJson(req, 'hover'));
        const { points, unanswered } = await store.hover(q, smoothCache);
        sendJson(res, 200, unanswered.length ? { points, unanswered } : { points }, h);
      },
    },
    [API.aggregate]: {
      method: 'POST',
      run: async (req, res, h) => {
        const q = checkAggregateViewQuery(await readJson(req, 'aggregate view'));
        const sm = q.smoothing && smoothingOn(q.smoothing) ? q.smoothing : null;
        const { value, unanswered } = await withGroups(q.groups, (s, answered) => aggregateView(s, q, sm, answered));
        sendBinary(res, Buffer.from(encode(value, q.W)), { ...h, ...unansweredHeader(unanswered) });
      },
    },
    [API.aggregateHover]: {
      method: 'POST',
      run: async (req, res, h) => {
        const q = checkAggregateHoverQuery(await readJson(req, 'aggregate hover'));
        const sm = q.smoothing && smoothingOn(q.smoothing) ? q.smoothing : null;
        const { value, unanswered } = await withGroups(q.groups, (s, answered) => aggregateHover(s, q, sm, answered));
        sendJson(res, 200, unanswered.length ? { groups: value, unanswered } : { groups: value }, h);
      },
    },
    [API.aggregated]: {
      method: 'POST',
      run: async (req, res, h) => {
        const q = checkAggregateQuery(await readJson(req, 'aggregated'), 'aggregated', true);
        const { value, unanswered } = await withGroups(q.groups, (s, answered) => aggregatedGroup(s, q, answered));
        if (!value) throw new RequestError(503, `aggregated: series ${unanswered.join(', ')} cannot be read now (a shard down); asked again later, the group is whole`);
        sendBinary(res, Buffer.from(encodeAggregated(value)), h);
      },
    },
    [API.live]: {
      method: 'GET',
      run: async (req, res, h) => {
        if (!hub.open(req, res, h)) throw new RequestError(503, `live: ${hub.size} streams open already; close a page and retry`);
      },
    },
    [API.ingest]: {
      method: 'POST',
      run: async (req, res, h) => {
        const name = ingestName(req);
        const body = await readBody(req, INGEST_BODY_LIMIT, 'ingest');
        const r = await store.ingestBytes(name, body);
        const grew = await afterIngest(r);
        const reply: IngestReply = { points: r.points, series: grew?.series.length ?? 0, warnings: r.warnings };
        sendJson(res, 200, reply, h);
      },
    },
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = requestPath(req.url);
    const purpose = (path && PURPOSE[path]) ?? 'request';
    try {
      if (!isAllowedHost(req.headers.host, hostNames)) throw new RequestError(403, `${purpose}: host not allowed: ${req.headers.host}`);
      if (path === null) throw new RequestError(400, 'request: not a path');
      const route = routes[path];
      if (!route) {
        if (path.startsWith('/api/')) throw new RequestError(404, `request: no API ${path} (there are ${Object.values(API).join(', ')})`);
        if (!serveStatic) throw new RequestError(404, `request: ${path}: this server serves the API only (${Object.values(API).join(', ')})`);
        await serveStatic(req, res);
        return;
      }
      const origin = req.headers.origin;
      const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`;
      if (!sameOrigin && !cors.has(origin)) throw new RequestError(403, `${purpose}: origin ${origin} not allowed (serve --cors ORIGIN allows one)`);
      const h: Record<string, string> = sameOrigin ? {} : { 'access-control-allow-origin': origin, 'access-control-expose-headers': UNANSWERED_HEADER, vary: 'origin' };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...h, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' }).end();
        return;
      }
      if (req.method !== route.method) throw new RequestError(405, `${purpose}: ${req.method} ${path}: use ${route.method}`);
      await route.run(req, res, h);
    } catch (e) {
      const [status, message] = e instanceof RequestError ? [e.status, e.message]
        : e instanceof LoadError || e instanceof RangeError ? [400, `${purpose}: ${e.message}`]
        : [500, `${purpose}: the server failed: ${(e as Error)?.message ?? String(e)}`];
      if (status >= 500 && !(e instanceof RequestError)) warn(message);
      if (res.headersSent) res.destroy();
      else sendJson(res, status, { error: message });
    }
  };

  const server = createServer((req, res) => void onRequest(req, res));
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && !err.code?.startsWith('ECONN')) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => (server.off('error', fail), ok()));
  });
  const watcher = opts.logdir ? new LogdirWatcher(resolve(opts.logdir), (paths, root) => store.ingestFiles(paths, root), afterIngest, warn) : null;
  await watcher?.start();
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : opts.port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stats: () => ({
      pointsRead: smoothCache.counters.readPoints, pointsSmoothed: smoothCache.counters.smoothedPoints,
      groupsAggregated: aggregates.counters.aggregated, groupsExtended: aggregates.counters.extended,
      stepFiles: store.stepFiles?.() ?? null,
    }),
    settled: async () => {
      await store.settled?.();
    },
    close() {
      closing ??= (async () => {
        await watcher?.stop();
        hub.close();
        await new Promise<void>((ok) => {
          server.close(() => ok());
          server.closeAllConnections();
        });
        await store.close();
      })();
      return closing;
    },
  };
}
