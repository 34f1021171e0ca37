/**
 * The explorer on a metricgl server (`npm run demo -- --db FILE`, or `npx metricgl serve`): the
 * page asks the server for its series list (`connectSource(location.origin).series(...)`), and
 * the charts draw `{ id, source }` series, so no point comes to the page: the decimation worker
 * asks the server for M4 per pixel column of every view. The filter is parsed here (its errors
 * shown as for local data) and sent as `where`; the server evaluates it over its series list.
 * When ingest adds points (a --logdir file growing), the list and the charts follow.
 *
 * Names and fields come from the database: they reach the page as text only (textContent,
 * Option text), never as markup.
 */
import type { LogdirAnswer } from '../../src/source/api';
import { connectSource, type Source, type SourceInfo, type SourceSeries } from '../../src/source/client';
import type { Dataset } from './model';

/**
 * Which server the page came from, in one request that every server of this repository answers
 * with 200: GET /api/logdir. The demo servers answer with their live folder (live.ts reads that
 * answer, so it is peeked at through a clone); a metricgl server answers with no folder and its
 * SourceInfo as `source` (LogdirAnswer). A metricgl server from before it answered /api/logdir
 * refuses it with a JSON error, and then GET /api/source says what it holds; a plain static
 * host's 404 is not JSON, and nothing more is asked (no second 404 on its console).
 */
export async function probeServer(): Promise<{ server: SourceInfo | null; logdir: Response | null }> {
  const logdir = await fetch('/api/logdir', { headers: { accept: 'application/json' } }).catch(() => null);
  const json = /json/.test(logdir?.headers.get('content-type') ?? '');
  if (logdir?.ok && json) {
    const answer = (await logdir.clone().json().catch(() => null)) as Partial<LogdirAnswer> | null;
    const server = asSourceInfo(answer?.source);
    if (server) return { server, logdir: null };
  } else if (logdir && json) {
    const server = await serverInfo();
    if (server) return { server, logdir: null };
  }
  return { server: null, logdir };
}

/** A SourceInfo of a server this page can read (version 1), or null. */
function asSourceInfo(info: Partial<SourceInfo> | null | undefined): SourceInfo | null {
  return info && info.version === 1 && typeof info.engine === 'string' ? (info as SourceInfo) : null;
}

/** What `GET /api/source` says, when the page's own server is a metricgl server; else null. */
export async function serverInfo(): Promise<SourceInfo | null> {
  try {
    const res = await fetch('/api/source', { headers: { accept: 'application/json' } });
    if (!res.ok || !/json/.test(res.headers.get('content-type') ?? '')) return null;
    return asSourceInfo((await res.json()) as Partial<SourceInfo>);
  } catch {
    return null;
  }
}

/** 'partial': the server answers, but not for some series now (a ClickHouse shard down) */
export type ServerState = 'connecting' | 'connected' | 'lost' | 'partial';

export interface ServerHooks {
  /** the state of the server (and why), for the page to show */
  state(state: ServerState, detail: string): void;
  /** the series list changed (series added or gone, or points): controls and counts follow */
  changed(): void;
  /** the server refused the filter (it parsed here): the message */
  filterError(message: string | null): void;
  /** the server's keep of the filter changed: the board shows it */
  kept(keys: Set<string> | null): void;
}

export interface ServerConnection {
  readonly source: Source;
  /** the server's totals, as last heard */
  readonly info: SourceInfo;
  readonly state: ServerState;
  /** List everything, and what `filter` keeps: the first view, and after points arrived. */
  refresh(): Promise<void>;
  /**
   * The filter changed: ask the server what it keeps (a newer call wins over an older one);
   * whether this answer was taken.
   */
  filter(filter: string): Promise<boolean>;
  close(): void;
}

/** How long after a `grew` the list is asked again (many appends make one refresh). */
const GREW_DELAY_MS = 250;
/** How often a lost server is asked whether it is back. */
const RETRY_MS = 2000;

export function connectServer(first: SourceInfo, data: Dataset, hooks: ServerHooks): ServerConnection {
  const source = connectSource(location.origin);
  let info = first;
  let state: ServerState = 'connecting';
  let filterText = '';
  let seq = 0;
  let grewTimer = 0;
  let retryTimer = 0;
  let closed = false;

  const say = (s: ServerState, detail = '') => {
    state = s;
    hooks.state(s, detail);
  };
  const lost = (why: string) => {
    if (closed) return;
    say('lost', why);
    if (!retryTimer) retryTimer = window.setTimeout(retry, RETRY_MS);
  };
  /** A lost server answered again: list everything once more (points may have come meanwhile). */
  const retry = async () => {
    retryTimer = 0;
    if (closed) return;
    try {
      info = await source.info();
    } catch (e) {
      // (the failed request also said 'error', which may have set the timer already)
      if (!retryTimer) retryTimer = window.setTimeout(retry, RETRY_MS);
      say('lost', `${(e as Error).message}`);
      return;
    }
    await conn.refresh().catch(() => {});
  };

  /** The list and the filter's keep, then the dataset (its listeners redraw). */
  const list = async (filter: string): Promise<{ all: SourceSeries[]; kept: Set<string> | null } | null> => {
    const mine = ++seq;
    const all = await source.series({});
    if (state !== 'connected') say('connected');
    let kept: Set<string> | null = null;
    if (filter.trim()) {
      try {
        kept = new Set((await source.series({ where: filter })).map((s) => s.id));
        hooks.filterError(null);
      } catch (e) {
        const msg = (e as Error).message;
        // a refused filter (a 400) is the filter's fault; no answer at all is the server's
        if (!/HTTP 4\d\d/.test(msg)) throw e;
        hooks.filterError(msg);
        return null;
      }
    } else hooks.filterError(null);
    return mine === seq ? { all, kept } : null; // a newer call is on its way
  };

  const conn: ServerConnection = {
    source,
    get info() {
      return info;
    },
    get state() {
      return state;
    },
    async refresh() {
      try {
        const r = await list(filterText);
        if (closed) return;
        info = await source.info().catch(() => info);
        if (!r) return;
        hooks.kept(r.kept);
        data.setRemote(r.all, source);
        hooks.changed();
      } catch (e) {
        lost((e as Error).message);
        throw e;
      }
    },
    async filter(filter) {
      filterText = filter;
      try {
        const r = await list(filter);
        if (!r || closed) return false;
        hooks.kept(r.kept);
        data.setRemote(r.all, source);
        hooks.changed();
        return true;
      } catch (e) {
        lost((e as Error).message);
        return false;
      }
    },
    close() {
      closed = true;
      clearTimeout(grewTimer);
      clearTimeout(retryTimer);
      source.close();
    },
  };

  source.on('error', (e) => lost(e.message));
  source.on('grew', () => {
    if (state === 'lost' && !retryTimer) say('connected');
    clearTimeout(grewTimer);
    grewTimer = window.setTimeout(() => void conn.refresh().catch(() => {}), GREW_DELAY_MS);
  });
  // the engine's source is getting a `state` event (connected / lost, retrying); older ones have
  // none and say so by throwing: then the errors above and the retries tell the state
  try {
    (source.on as (type: string, fn: (e: unknown) => void) => () => void)('state', (e) => {
      const raw = typeof e === 'string' ? e : (e as { state?: unknown; status?: unknown } | null)?.state ?? (e as { status?: unknown } | null)?.status;
      const text = String(raw ?? '');
      const detail = String((e as { message?: unknown } | null)?.message ?? '');
      if (/^(open|connected|live|ok)/i.test(text)) {
        if (state !== 'connected') void conn.refresh().catch(() => {});
      } else if (/lost|closed|retry|error|reconnect/i.test(text)) lost(detail || text);
    });
  } catch {
    // no `state` event in this engine
  }
  return conn;
}
