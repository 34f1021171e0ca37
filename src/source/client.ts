/**
 * `connectSource(url)`: a metricgl server (src/source/api.ts) as the page sees it. It lists
 * series (filtered on the server: the explorer's filter string is parsed here and sent as its
 * AST, never as SQL) and remembers what it listed, so a chart can take `{ id, source }` series
 * synchronously: their sid, x columns and extents travel to the decimation worker, which asks
 * the server for every view and hover itself (src/worker/sourceview.ts).
 *
 * It also watches the server (livestream.ts): `grew` when ingest added points, and `state` when
 * the server goes away ('lost') or answers again ('ok'). Each time the stream comes up it asks
 * the listings it made again, so what it remembers (and what charts drew from it) catches up
 * with whatever was ingested while no page listened; changes come out as one `grew`.
 */
import { parseFilter, type FilterNode } from '../query/filter';
import { API, type LiveGrew, type SeriesQuery, type SourceInfo, type SourceSeries } from './api';
import { LiveStream } from './livestream';

export type { SourceInfo, SourceSeries };

/** 'ok': the server answers (or has not been found gone); 'lost': it does not, retries run. */
export type SourceState = 'ok' | 'lost';

export interface SourceStateEvent {
  state: SourceState;
  /** why (lost) or what came back (ok) */
  message: string;
}

/** Listings asked again on reconnect: the most recent ones, at most this many. */
const MAX_REMEMBERED = 16;

export interface SourceEvents {
  /** a request failed or the live stream broke */
  error: Error;
  /** ingest added points (a growing log file, POST /api/ingest), or a reconnect found some */
  grew: LiveGrew;
  /** the server went away or came back */
  state: SourceStateEvent;
}

export interface Source {
  /** the server's base URL, no trailing slash */
  readonly url: string;
  /** series matching a metric and a filter (the explorer's filter string, or its parsed form) */
  series(query?: { metric?: string; where?: string | FilterNode | null }): Promise<SourceSeries[]>;
  info(): Promise<SourceInfo>;
  on<K extends keyof SourceEvents>(type: K, fn: (e: SourceEvents[K]) => void): () => void;
  /** the listed series of a key (what a chart's `{ id, source }` names), undefined if never listed */
  listed(id: string): SourceSeries | undefined;
  /** 'lost' while the server does not answer (retries with back-off run), else 'ok' */
  readonly state: SourceState;
  /** The server was found unreachable elsewhere (a chart's view): say so and retry the stream now. */
  suspect(message: string): void;
  /** stop the live stream and drop the listeners */
  close(): void;
}

export interface SourceOptions {
  /** fetch to use (default: the global one) */
  fetch?: typeof fetch;
}

class SourceClient implements Source {
  readonly url: string;
  private known = new Map<string, SourceSeries>();
  private listeners: { [K in keyof SourceEvents]: Set<(e: SourceEvents[K]) => void> } = { error: new Set(), grew: new Set(), state: new Set() };
  private live: LiveStream | null = null;
  /** the listings made, as their request bodies (JSON), oldest first */
  private queries: string[] = [];
  private closed = false;
  state: SourceState = 'ok';

  constructor(url: string, private options: SourceOptions) {
    this.url = url.replace(/\/+$/, '');
  }

  async series(query: { metric?: string; where?: string | FilterNode | null } = {}): Promise<SourceSeries[]> {
    const where = typeof query.where === 'string' ? parseFilter(query.where) : query.where ?? null;
    const body: SeriesQuery = { metric: query.metric, where };
    const { series } = await this.request<{ series: SourceSeries[] }>(API.series, 'series list', body);
    for (const s of series) this.known.set(s.id, s);
    this.remember(JSON.stringify(body));
    return series;
  }

  suspect(message: string): void {
    if (this.closed) return;
    this.setState('lost', message);
    this.live?.retryNow();
  }

  info(): Promise<SourceInfo> {
    return this.request<SourceInfo>(API.source, 'source info');
  }

  listed(id: string): SourceSeries | undefined {
    return this.known.get(id);
  }

  on<K extends keyof SourceEvents>(type: K, fn: (e: SourceEvents[K]) => void): () => void {
    if (!(type in this.listeners)) throw new TypeError(`source.on: no event ${JSON.stringify(type)} (error, grew, state)`);
    if (typeof fn !== 'function') throw new TypeError(`source.on(${JSON.stringify(type)}) needs a listener function`);
    const set = this.listeners[type] as Set<(e: SourceEvents[K]) => void>;
    set.add(fn);
    if (type === 'grew' || type === 'state') this.listen();
    return () => set.delete(fn);
  }

  close(): void {
    this.closed = true;
    this.live?.close();
    this.live = null;
    this.listeners.error.clear();
    this.listeners.grew.clear();
    this.listeners.state.clear();
  }

  private emit<K extends keyof SourceEvents>(type: K, e: SourceEvents[K]): void {
    for (const fn of this.listeners[type]) (fn as (e: SourceEvents[K]) => void)(e);
  }

  private remember(query: string): void {
    const i = this.queries.indexOf(query);
    if (i >= 0) this.queries.splice(i, 1);
    this.queries.push(query);
    if (this.queries.length > MAX_REMEMBERED) this.queries.shift();
  }

  private setState(state: SourceState, message: string): void {
    if (state === this.state) return;
    this.state = state;
    this.emit('state', { state, message });
  }

  /** The live stream, opened for the first `grew` or `state` listener (browsers only: EventSource). */
  private listen(): void {
    if (this.closed) return;
    this.live ??= new LiveStream(this.url + API.live, {
      grew: (g) => this.grew(g),
      opened: () => void this.catchUp(),
      lost: (message) => {
        if (this.state === 'ok') this.emit('error', new Error(message));
        this.setState('lost', message);
      },
    });
    this.live.start();
  }

  /** Remember what grew, and tell the listeners. */
  private grew(g: LiveGrew): void {
    for (const e of g.series) {
      const s = this.known.get(e.id);
      if (s) Object.assign(s, { points: e.points, extent: { ...s.extent, ...e.extent } });
    }
    this.emit('grew', g);
  }

  /**
   * The stream is up: ask every remembered listing again (the server pushed nothing while no
   * page listened) and report what changed as one `grew`; then the state is 'ok' again.
   */
  private async catchUp(): Promise<void> {
    const changed: LiveGrew['series'] = [];
    try {
      for (const q of [...this.queries]) {
        const { series } = await this.request<{ series: SourceSeries[] }>(API.series, 'series list', JSON.parse(q) as SeriesQuery, false);
        for (const s of series) {
          const had = this.known.get(s.id);
          if (had && (had.points !== s.points || JSON.stringify(had.extent) !== JSON.stringify(s.extent) || had.sid !== s.sid)) {
            changed.push({ sid: s.sid, id: s.id, points: s.points, extent: s.extent });
          }
          if (had) Object.assign(had, s);
          else this.known.set(s.id, s);
        }
      }
    } catch (err) {
      this.setState('lost', err instanceof Error ? err.message : String(err));
      return;
    }
    if (this.closed) return;
    if (changed.length) this.emit('grew', { series: changed, added: 0 });
    this.setState('ok', `${this.url} answers again`);
  }

  /** `report`: failures go to the `error` listeners (a catch-up's do not: it reports a state) */
  private async request<T>(path: string, purpose: string, body?: unknown, report = true): Promise<T> {
    const fail = (err: Error) => (report ? this.failed(err) : err);
    const f = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await f(this.url + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (err) {
      throw fail(new Error(`${purpose}: ${this.url}${path} unreachable: ${err instanceof Error ? err.message : String(err)}`));
    }
    const text = await res.text();
    if (!res.ok) {
      let msg = text;
      try {
        msg = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // not JSON: the body as it came
      }
      throw fail(new Error(`${purpose}: HTTP ${res.status}: ${msg}`));
    }
    return JSON.parse(text) as T;
  }

  private failed(err: Error): Error {
    this.emit('error', err);
    return err;
  }
}

/** A metricgl server at `url` (`npx metricgl serve`), e.g. `connectSource('http://127.0.0.1:8080')`. */
export function connectSource(url: string, options: SourceOptions = {}): Source {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new TypeError(`connectSource needs an http(s) URL, got ${String(url)}`);
  return new SourceClient(url, options);
}
