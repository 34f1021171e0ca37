/**
 * `connectSource(url)`: a metricgl server (src/source/api.ts) as the page sees it. It lists
 * series (filtered on the server: the explorer's filter string is parsed here and sent as its
 * AST, never as SQL) and remembers what it listed, so a chart can take `{ id, source }` series
 * synchronously: their sid, x columns and extents travel to the decimation worker, which asks
 * the server for every view and hover itself (src/worker/sourceview.ts).
 */
import { parseFilter, type FilterNode } from '../query/filter';
import { API, type LiveGrew, type SeriesQuery, type SourceInfo, type SourceSeries } from './api';

export type { SourceInfo, SourceSeries };

export interface SourceEvents {
  /** a request failed or the live stream broke */
  error: Error;
  /** ingest added points (a growing log file, POST /api/ingest) */
  grew: LiveGrew;
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
  private listeners: { [K in keyof SourceEvents]: Set<(e: SourceEvents[K]) => void> } = { error: new Set(), grew: new Set() };
  private live: EventSource | null = null;
  private closed = false;

  constructor(url: string, private options: SourceOptions) {
    this.url = url.replace(/\/+$/, '');
  }

  async series(query: { metric?: string; where?: string | FilterNode | null } = {}): Promise<SourceSeries[]> {
    const where = typeof query.where === 'string' ? parseFilter(query.where) : query.where ?? null;
    const body: SeriesQuery = { metric: query.metric, where };
    const { series } = await this.request<{ series: SourceSeries[] }>(API.series, 'series list', body);
    for (const s of series) this.known.set(s.id, s);
    return series;
  }

  info(): Promise<SourceInfo> {
    return this.request<SourceInfo>(API.source, 'source info');
  }

  listed(id: string): SourceSeries | undefined {
    return this.known.get(id);
  }

  on<K extends keyof SourceEvents>(type: K, fn: (e: SourceEvents[K]) => void): () => void {
    if (!(type in this.listeners)) throw new TypeError(`source.on: no event ${JSON.stringify(type)} (error, grew)`);
    if (typeof fn !== 'function') throw new TypeError(`source.on(${JSON.stringify(type)}) needs a listener function`);
    const set = this.listeners[type] as Set<(e: SourceEvents[K]) => void>;
    set.add(fn);
    if (type === 'grew') this.listen();
    return () => set.delete(fn);
  }

  close(): void {
    this.closed = true;
    this.live?.close();
    this.live = null;
    this.listeners.error.clear();
    this.listeners.grew.clear();
  }

  private emit<K extends keyof SourceEvents>(type: K, e: SourceEvents[K]): void {
    for (const fn of this.listeners[type]) (fn as (e: SourceEvents[K]) => void)(e);
  }

  /** The live stream, opened for the first `grew` listener (browsers only: EventSource). */
  private listen(): void {
    if (this.live || this.closed || typeof EventSource === 'undefined') return;
    const es = new EventSource(this.url + API.live);
    es.addEventListener('grew', (ev) => {
      const grew = JSON.parse((ev as MessageEvent<string>).data) as LiveGrew;
      for (const g of grew.series) {
        const s = this.known.get(g.id);
        if (s) Object.assign(s, { points: g.points, extent: { ...s.extent, ...g.extent } });
      }
      this.emit('grew', grew);
    });
    es.onerror = () => this.emit('error', new Error(`live: ${this.url}${API.live} stream interrupted`));
    this.live = es;
  }

  private async request<T>(path: string, purpose: string, body?: unknown): Promise<T> {
    const f = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await f(this.url + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (err) {
      throw this.failed(new Error(`${purpose}: ${this.url}${path} unreachable: ${err instanceof Error ? err.message : String(err)}`));
    }
    const text = await res.text();
    if (!res.ok) {
      let msg = text;
      try {
        msg = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // not JSON: the body as it came
      }
      throw this.failed(new Error(`${purpose}: HTTP ${res.status}: ${msg}`));
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
