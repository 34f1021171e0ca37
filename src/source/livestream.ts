/**
 * The live stream of one metricgl server (`GET /api/live`, Server-Sent Events) as the page keeps
 * it: open while anyone listens, and reopened after a failure with a bounded back-off
 * (`retryDelay`), not with EventSource's own fixed retry: a server that is down for a minute is
 * asked a dozen times, not sixty, and one that comes back is found within five seconds.
 *
 * Whoever holds it learns when the stream is up (`opened`: the moment to catch up on what was
 * missed while it was down, since the server pushes only what grows while a page listens) and
 * when it broke (`lost`, once per outage, not once per failed retry).
 */
import type { LiveGrew } from './api';

/** First retry after this long, doubling per failure... */
export const RETRY_MIN_MS = 500;
/** ...up to this: the longest a page waits to notice that its server is back. */
export const RETRY_MAX_MS = 5000;

/** The wait before retry number `failures` (0-based): 0.5 s, 1 s, 2 s, 4 s, then 5 s. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, Math.min(failures, 16)));
}

export interface LiveHandlers {
  grew(g: LiveGrew): void;
  /** the stream is up (first time or again) */
  opened(): void;
  /** the stream broke or could not be opened; called once until it is up again */
  lost(message: string): void;
}

export class LiveStream {
  private es: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private down = false;
  private closed = false;

  constructor(private url: string, private on: LiveHandlers) {}

  /** Open the stream unless it is open or a retry is due (browsers only: EventSource). */
  start(): void {
    if (this.es || this.timer || this.closed || typeof EventSource === 'undefined') return;
    this.open();
  }

  /** Retry now rather than at the end of the back-off (something else found the server gone or back). */
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
      this.on.opened();
    };
    es.onerror = () => {
      // EventSource would retry by itself at the server's fixed `retry:`; this back-off is ours
      es.close();
      if (this.es !== es || this.closed) return;
      this.es = null;
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
