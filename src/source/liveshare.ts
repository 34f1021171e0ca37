/**
 * One live stream per URL for all the tabs of an origin. Each tab asks for a Web Lock named after
 * the stream's absolute URL; the tab holding it (the holder) keeps the one EventSource and relays
 * what it hears on a BroadcastChannel of the same name: every `grew`, and the stream's ups and
 * downs. The others (followers) wait in the lock's queue and listen on the channel.
 *
 * Catching up is the client's business (client.ts asks its listings again on `opened`, and a
 * `grew` carries counts, not increments), so a tab may catch up once too often but never counts a
 * point twice. Hence the rules:
 *
 *   - a tab that joins while the stream is up asks the holder (`ask`) and, told that it is up,
 *     calls its own `opened`: it catches up with what was pushed before it listened;
 *   - the holder's `up` makes every tab call `opened`, also tabs that thought the stream up: after
 *     a takeover, what was pushed between the old holder's end and the new stream is fetched then;
 *   - `lost` stays once per outage in every tab: a follower drops a `down` while it knows the
 *     stream down, and a follower taking over an outage starts its stream as down already.
 *
 * When the holder's tab closes, crashes or is discarded, the browser releases its lock and the
 * next tab in the queue takes over with a new EventSource. A tab that is frozen or put into the
 * back/forward cache leaves (lock, queue and channel) so that no stream waits on a tab that cannot
 * run, and joins again when it runs again. A hidden tab stays: it still receives and relays, and
 * handing over on every switch of tabs would reconnect the stream, and make every tab catch up,
 * each time.
 */
import type { LiveGrew } from './api';

/** The holder's stream: opened and not broken since ('up'), broken and retrying ('down'), or neither yet. */
export type LiveStatus = 'connecting' | 'up' | 'down';

/** What a live stream tells its owner. */
export interface LiveHandlers {
  grew(g: LiveGrew): void;
  /** the stream is up (first time or again) */
  opened(): void;
  /** the stream broke or could not be opened; called once until it is up again */
  lost(message: string): void;
}

/** A page's handle on a stream, shared or its own. */
export interface Stream {
  start(): void;
  retryNow(): void;
  close(): void;
}

/** A stream of the page's own (an EventSource): what the holder relays. */
export interface OwnStream extends Stream {
  readonly status: LiveStatus;
}

/** What of BroadcastChannel is used (messages from one sender arrive in order; never to itself). */
export interface ChannelLike {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** What of navigator.locks is used: an exclusive lock, granted in request order. */
export interface LocksLike {
  request(name: string, options: { signal?: AbortSignal }, granted: () => Promise<void>): Promise<unknown>;
}

export interface ShareEnv {
  locks: LocksLike;
  channel(name: string): ChannelLike;
  /** Calls `leave` when the page stops running (frozen, back/forward cache), `back` when it runs again; returns the unhook. */
  lifecycle?(leave: () => void, back: () => void): () => void;
}

/** What travels on the channel. A version in the names keeps tabs of another version apart. */
export type ShareMessage =
  | { t: 'grew'; g: LiveGrew }
  | { t: 'up' }
  | { t: 'down'; message: string }
  | { t: 'ask'; from: string }
  | { t: 'state'; to: string; status: LiveStatus; message: string }
  | { t: 'retry' };

export const SHARE_PREFIX = 'metricgl-live/1 ';

/** The browser's locks and channels, or null where it lacks either (each page then has its own stream). */
export function browserShareEnv(): ShareEnv | null {
  const g = globalThis as { navigator?: { locks?: LocksLike }; BroadcastChannel?: typeof BroadcastChannel };
  const locks = g.navigator?.locks;
  const Channel = g.BroadcastChannel;
  if (!locks || typeof locks.request !== 'function' || typeof Channel !== 'function') return null;
  return { locks, channel: (name) => new Channel(name), lifecycle: pageLifecycle };
}

function pageLifecycle(leave: () => void, back: () => void): () => void {
  const doc = (globalThis as { document?: Document }).document;
  const win = (globalThis as { window?: Window }).window;
  if (!doc || !win) return () => {};
  const hide = (e: PageTransitionEvent) => {
    if (e.persisted) leave();
  };
  const show = (e: PageTransitionEvent) => {
    if (e.persisted) back();
  };
  doc.addEventListener('freeze', leave);
  doc.addEventListener('resume', back);
  win.addEventListener('pagehide', hide);
  win.addEventListener('pageshow', show);
  return () => {
    doc.removeEventListener('freeze', leave);
    doc.removeEventListener('resume', back);
    win.removeEventListener('pagehide', hide);
    win.removeEventListener('pageshow', show);
  };
}

function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * One tab's share of the stream at `url` (absolute): the holder's or a follower's part, whichever
 * the lock makes it; `open` makes the tab's own stream once it holds the lock.
 */
export class SharedLive implements Stream {
  private channel: ChannelLike | null = null;
  private abort: AbortController | null = null;
  private own: OwnStream | null = null;
  /** ends the lock callback's promise: the lock goes to the next tab */
  private release: (() => void) | null = null;
  /** what this tab last made of the stream ('unknown': joined, not told yet) */
  private known: 'unknown' | 'up' | 'down' = 'unknown';
  private lastLost = '';
  private unhook: (() => void) | null = null;
  private closed = false;
  private readonly id = newId();

  constructor(
    private readonly url: string,
    private readonly on: LiveHandlers,
    private readonly env: ShareEnv,
    private readonly open: (on: LiveHandlers, down: boolean) => OwnStream,
  ) {}

  /** whether this tab has the stream's EventSource now (the holder's, or its own where locks are refused) */
  get holding(): boolean {
    return this.own !== null;
  }

  start(): void {
    if (this.closed || this.channel || this.own) return;
    this.unhook ??=
      this.env.lifecycle?.(
        () => this.leave(),
        () => {
          if (!this.closed && !this.channel && !this.own) this.join();
        },
      ) ?? null;
    this.join();
  }

  retryNow(): void {
    if (this.own) this.own.retryNow();
    else this.channel?.postMessage({ t: 'retry' } satisfies ShareMessage);
  }

  close(): void {
    this.closed = true;
    this.unhook?.();
    this.unhook = null;
    this.leave();
  }

  private join(): void {
    let ch: ChannelLike;
    try {
      ch = this.env.channel(SHARE_PREFIX + this.url);
    } catch {
      this.alone();
      return;
    }
    this.channel = ch;
    ch.onmessage = (e) => this.receive(ch, e.data as ShareMessage);
    const abort = new AbortController();
    this.abort = abort;
    this.env.locks.request(SHARE_PREFIX + this.url, { signal: abort.signal }, () => this.hold(ch)).catch(() => {
      if (abort.signal.aborted || this.channel !== ch) return; // the tab left while it waited in the queue
      // the lock manager refused (an opaque origin: a sandboxed frame, a file: page): without a
      // lock no tab could be elected, so this one keeps a stream of its own, as without sharing
      this.leave();
      if (!this.closed) this.alone();
    });
    // a holder answers; with none, this tab gets the lock and the answer does not matter
    ch.postMessage({ t: 'ask', from: this.id } satisfies ShareMessage);
  }

  /** A stream of this tab's own, heard by this tab only. */
  private alone(): void {
    this.own = this.open(this.relay(() => {}), this.known === 'down');
    this.own.start();
  }

  /** The lock is ours: open the stream and keep the lock until the tab leaves. */
  private hold(ch: ChannelLike): Promise<void> {
    if (this.channel !== ch) return Promise.resolve(); // left before the lock came
    this.abort = null;
    return new Promise<void>((resolve) => {
      this.release = resolve;
      this.own = this.open(this.relay((m) => ch.postMessage(m)), this.known === 'down');
      this.own.start();
    });
  }

  /** The handlers of this tab's own stream: each event goes to `post` (the other tabs), then to this tab. */
  private relay(post: (m: ShareMessage) => void): LiveHandlers {
    // the others first: a listener of this tab that throws must not keep them uninformed
    return {
      grew: (g) => {
        post({ t: 'grew', g });
        this.on.grew(g);
      },
      opened: () => {
        this.known = 'up';
        post({ t: 'up' });
        this.on.opened();
      },
      lost: (message) => {
        this.known = 'down';
        this.lastLost = message;
        post({ t: 'down', message });
        this.on.lost(message);
      },
    };
  }

  private leave(): void {
    this.abort?.abort();
    this.abort = null;
    this.own?.close();
    this.own = null;
    this.release?.();
    this.release = null;
    if (this.channel) {
      this.channel.onmessage = null;
      this.channel.close();
    }
    this.channel = null;
    // back after a freeze, the holder's 'up' answer means: catch up on what passed meanwhile
    if (this.known === 'up') this.known = 'unknown';
  }

  private receive(ch: ChannelLike, m: ShareMessage): void {
    if (ch !== this.channel || !m || typeof m !== 'object') return;
    const own = this.own;
    if (own) {
      if (m.t === 'ask') ch.postMessage({ t: 'state', to: m.from, status: own.status, message: this.lastLost } satisfies ShareMessage);
      else if (m.t === 'retry') own.retryNow();
      // anything else is from the tab that held the stream before this one: this one's stream tells it
      return;
    }
    switch (m.t) {
      case 'grew':
        this.on.grew(m.g);
        break;
      case 'up':
        this.known = 'up';
        this.on.opened();
        break;
      case 'down':
        this.lost(m.message);
        break;
      case 'state':
        if (m.to !== this.id) break;
        if (m.status === 'up' && this.known !== 'up') {
          this.known = 'up';
          this.on.opened();
        } else if (m.status === 'down') this.lost(m.message);
        break;
    }
  }

  private lost(message: string): void {
    this.lastLost = message;
    if (this.known === 'down') return;
    this.known = 'down';
    this.on.lost(message);
  }
}
