/**
 * A chart's ties to the servers its source series live on (connectSource). The chart follows
 * them without any call by the app:
 *
 *   - `grew` (ingest added points, or a reconnect found some): the new listed values of this
 *     chart's series go to the worker (`sourceGrew`), and the view is asked again: with
 *     `xDomain: null` it fits the new extents, as after `append`; a zoomed view stays put.
 *   - `state`: the server went away ('lost': the last picture stays, the source retries with
 *     back-off) or answers again ('ok': the listings were asked again, the view is asked again).
 *     The chart says so with its `source` event.
 *   - a frame naming series their server no longer has: one `error` event per such series,
 *     naming it; the rest is drawn.
 *   - a frame naming series their server could not answer now (a ClickHouse shard down): one
 *     `error` event per such series, the rest drawn, and the view asked again every
 *     UNANSWERED_RETRY_MS until they are answered (the shard back: the chart catches up).
 *
 * A source that offers no `on` (a bare listing, not connectSource's) draws without any of this.
 */
import type { SeriesInput, SeriesSource } from '../data/validate';
import type { SourceGrowth, ToWorker } from '../protocol/messages';
import type { LiveGrew } from '../source/api';
import type { Source, SourceStateEvent } from '../source/client';
import type { Change } from './scheduler';
import type { ChartEvents } from './types';

export interface SourceLinkHost {
  readonly chart: number;
  post(msg: ToWorker): void;
  mark(...changes: Change[]): void;
  emit<K extends 'source' | 'error'>(type: K, e: ChartEvents[K]): void;
}

interface Link {
  ids: Set<string>;
  off: (() => void)[];
}

function live(s: SeriesSource): s is Source {
  return typeof (s as Partial<Source>).on === 'function';
}

/** how often a view with unanswered series is asked again */
export const UNANSWERED_RETRY_MS = 2000;

export class SourceLinks {
  private links = new Map<SeriesSource, Link>();
  /** source series already reported missing (reported again only after they came back) */
  private missing = new Set<string>();
  /** source series already reported unanswered, and the timer asking again */
  private unanswered = new Set<string>();
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private host: SourceLinkHost) {}

  /** The chart's series were replaced: follow the sources they name. */
  set(series: readonly SeriesInput[]): void {
    this.destroy();
    for (const s of series) {
      if (!s.source) continue;
      let link = this.links.get(s.source);
      if (!link) this.links.set(s.source, (link = { ids: new Set(), off: [] }));
      link.ids.add(s.id);
    }
    for (const [src, link] of this.links) {
      if (!live(src)) continue;
      link.off.push(
        src.on('grew', (g) => this.grew(src, link, g)),
        src.on('state', (e) => this.state(src, link, e)),
      );
    }
  }

  /**
   * A view failed: if it found a server unreachable, the sources of that server learn it now
   * (the live stream may take a moment to notice), so `source` says 'lost' and retries start.
   */
  viewFailed(message: string): void {
    if (!/ unreachable/.test(message)) return;
    for (const src of this.links.keys()) if (live(src) && message.includes(src.url)) src.suspect(message);
  }

  /**
   * The ids a frame says are gone from their server, and those it could not answer now: an
   * `error` each, once (again only after they were answered); while some are unanswered, the
   * view is asked again.
   */
  frame(missing: readonly string[] | undefined, unanswered?: readonly string[]): void {
    this.report(this.missing, missing, (id, url) => `series ${JSON.stringify(id)}: ${url} no longer has it; the chart draws the others`);
    const before = new Map([...this.unanswered].map((id) => [id, this.urlOf(id)]));
    this.report(this.unanswered, unanswered, (id, url) =>
      `series ${JSON.stringify(id)}: ${url} could not answer it now (a shard of its store is down); the chart draws the others and asks again`);
    // per server: 'partial' while some of its series go unanswered, 'ok' once all are answered again
    const now = new Map<string, string[]>();
    for (const id of this.unanswered) now.set(this.urlOf(id), [...(now.get(this.urlOf(id)) ?? []), id]);
    for (const [url, ids] of now) {
      if (![...before.values()].includes(url)) this.host.emit('source', { url, state: 'partial', message: `${url}: ${ids.length} series could not be answered now (a shard of its store is down): ${ids.slice(0, 5).map((i) => JSON.stringify(i)).join(', ')}${ids.length > 5 ? ', …' : ''}` });
    }
    for (const url of new Set(before.values())) if (!now.has(url)) this.host.emit('source', { url, state: 'ok', message: `${url}: every series answered again` });
    if (this.unanswered.size > 0 && this.retry === null) {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.host.mark('view');
      }, UNANSWERED_RETRY_MS);
    }
  }

  private urlOf(id: string): string {
    return [...this.links].find(([, l]) => l.ids.has(id))?.[0].url ?? 'its server';
  }

  private report(known: Set<string>, ids: readonly string[] | undefined, message: (id: string, url: string) => string): void {
    const now = new Set(ids ?? []);
    for (const id of known) if (!now.has(id)) known.delete(id);
    for (const id of now) {
      if (known.has(id)) continue;
      known.add(id);
      this.host.emit('error', { message: message(id, this.urlOf(id)), id });
    }
  }

  destroy(): void {
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    this.unanswered.clear();
    for (const link of this.links.values()) for (const off of link.off) off();
    this.links.clear();
    this.missing.clear();
  }

  private grew(src: Source, link: Link, g: LiveGrew): void {
    const mine: SourceGrowth[] = [];
    for (const e of g.series) if (link.ids.has(e.id)) mine.push(growth(e.id, e.sid, e.points, e.extent));
    if (!mine.length) return;
    this.host.post({ type: 'sourceGrew', chart: this.host.chart, url: src.url, series: mine });
    this.host.mark('view');
  }

  private state(src: Source, link: Link, e: SourceStateEvent): void {
    this.host.emit('source', { url: src.url, state: e.state, message: e.message });
    if (e.state !== 'ok') return;
    // back: the listings were asked again; take them all (a `grew` before this carried the
    // changes, but a chart set up while the server was away may hold older ones) and draw
    const mine: SourceGrowth[] = [];
    for (const id of link.ids) {
      const l = src.listed(id);
      if (l) mine.push(growth(id, l.sid, l.points, l.extent));
    }
    if (mine.length) this.host.post({ type: 'sourceGrew', chart: this.host.chart, url: src.url, series: mine });
    this.host.mark('view');
  }
}

function growth(id: string, sid: number, points: number, extent: Partial<Record<string, [number, number]>>): SourceGrowth {
  const out: Record<string, [number, number]> = {};
  for (const [name, r] of Object.entries(extent)) if (r) out[name] = [r[0], r[1]];
  return { id, sid, points, extent: out };
}
