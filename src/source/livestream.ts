/**
 * The live stream of one metricgl server (`GET /api/live`, Server-Sent Events) as the page keeps
 * it: open while anyone listens, and reopened after a failure with a bounded back-off
 * (`retryDelay`), not with EventSource's own fixed retry: a server that is down for a minute is
 * asked a dozen times, not sixty, and one that comes back is found within five seconds.
 *
 * Whoever holds it learns when the stream is up (`opened`: the moment to catch up on what was
 * missed while it was down, since the server pushes only what grows while a page listens) and
 * when it broke (`lost`, once per outage, not once per failed retry).
 *
 * The tabs of one origin share one stream per URL (liveshare.ts): a browser gives a plain-http
 * host six connections per profile, and a stream holds one for good, so six tabs each with its
 * own stream would leave the seventh's fetches queued forever. Where the browser cannot share
 * (no Web Locks or BroadcastChannel: older browsers, a page served over plain http from a name
 * other than localhost, which is no secure context), each page opens its own, as before.
 */
import type { LiveGrew } from './api';
import { browserShareEnv, SharedLive, type LiveHandlers, type LiveStatus, type OwnStream, type Stream } from './liveshare';

export type { LiveHandlers };

/** First retry after this long, doubling per failure... */
export const RETRY_MIN_MS = 500;
/** ...up to this: the longest a page waits to notice that its server is back. */
export const RETRY_MAX_MS = 5000;

/** The wait before retry number `failures` (0-based): 0.5 s, 1 s, 2 s, 4 s, then 5 s. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, Math.min(failures, 16)));
}

export class LiveStream {
  private impl: Stream;

  constructor(url: string, on: LiveHandlers) {
    const env = typeof EventSource === 'undefined' ? null : browserShareEnv();
    this.impl = env
      ? new SharedLive(absolute(url), on, env, (h, down) => new DirectStream(url, h, down))
      : new DirectStream(url, on);
  }

  /** Open the stream unless it is open or a retry is due (browsers only: EventSource). */
  start(): void {
    this.impl.start();
  }

  /** Retry now rather than at the end of the back-off (something else found the server gone or back). */
  retryNow(): void {
    this.impl.retryNow();
  }

  close(): void {
    this.impl.close();
  }
}

/** The name the tabs agree on: one stream per absolute URL, however each page spelled it. */
function absolute(url: string): string {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return url;
  }
}

/**
 * One page's own EventSource with the back-off: the whole stream where tabs cannot share, the
 * holder's where they do. `down`: an outage was reported already (a tab taking over a stream
 * that was down), so its first failure is no new `lost`.
 */
export class DirectStream implements OwnStream {
  private es: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private up = false;
  private closed = false;

  constructor(private url: string, private on: LiveHandlers, private down = false) {}

  get status(): LiveStatus {
    return this.up ? 'up' : this.down ? 'down' : 'connecting';
  }

  start(): void {
    if (this.es || this.timer || this.closed || typeof EventSource === 'undefined') return;
    this.open();
  }

  retryNow(): void {
    if (this.closed || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.open();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.es?.close();
    this.es = null;
    this.up = false;
  }

  private open(): void {
    const es = new EventSource(this.url);
    this.es = es;
    es.addEventListener('grew', (ev) => {
      let g: LiveGrew;
      try {
        g = JSON.parse((ev as MessageEvent<string>).data) as LiveGrew;
      } catch {
        return; // a garbled event: the next catch-up (on reconnect) covers it
      }
      this.on.grew(g);
    });
    es.onopen = () => {
      this.failures = 0;
      this.down = false;
      this.up = true;
      this.on.opened();
    };
    es.onerror = () => {
      // EventSource would retry by itself at the server's fixed `retry:`; this back-off is ours
      es.close();
      if (this.es !== es || this.closed) return;
      this.es = null;
      this.up = false;
      const wait = retryDelay(this.failures++);
      if (!this.down) {
        this.down = true;
        this.on.lost(`live: ${this.url} unreachable or stream interrupted; retrying (every ${RETRY_MAX_MS / 1000} s at most)`);
      }
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.closed) this.open();
      }, wait);
    };
  }
}
