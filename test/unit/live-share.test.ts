/**
 * The tabs of one origin share one live stream per URL (src/source/liveshare.ts): the tab that
 * holds the lock keeps the stream and relays it, the others listen. Node's own BroadcastChannel
 * carries the messages (ordered, asynchronous, never back to the sender, as in a browser); the
 * lock manager is a small FIFO one, and the holder's stream a fake the test drives. The last tests
 * put LiveStream itself on a fake EventSource: one per URL where the page can share, one per
 * page where it cannot.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { LiveGrew } from '../../src/source/api';
import { SharedLive, type LiveStatus, type LocksLike, type OwnStream, type ShareEnv } from '../../src/source/liveshare';
import { LiveStream, type LiveHandlers } from '../../src/source/livestream';

/** Exclusive locks granted in request order; a queued request can be aborted. */
class FifoLocks implements LocksLike {
  private held = new Set<string>();
  private queues = new Map<string, { granted: () => Promise<void>; done: (v: unknown) => void }[]>();

  request(name: string, options: { signal?: AbortSignal }, granted: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const q = this.queues.get(name) ?? [];
      this.queues.set(name, q);
      const entry = { granted, done: resolve };
      q.push(entry);
      options.signal?.addEventListener('abort', () => {
        const i = q.indexOf(entry);
        if (i < 0) return; // granted already: aborting does not release
        q.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
      this.pump(name);
    });
  }

  private pump(name: string): void {
    if (this.held.has(name)) return;
    const next = this.queues.get(name)?.shift();
    if (!next) return;
    this.held.add(name);
    void Promise.resolve()
      .then(() => next.granted())
      .then((v) => {
        this.held.delete(name);
        next.done(v);
        this.pump(name);
      });
  }
}

/** The holder's stream as the test drives it; lost once per outage, like DirectStream. */
class FakeOwn implements OwnStream {
  status: LiveStatus;
  retries = 0;
  started = 0;
  closed = false;
  constructor(private on: LiveHandlers, readonly down: boolean) {
    this.status = down ? 'down' : 'connecting';
  }
  start() {
    this.started++;
  }
  retryNow() {
    this.retries++;
  }
  close() {
    this.closed = true;
  }
  up() {
    this.status = 'up';
    this.on.opened();
  }
  fail(message: string) {
    if (this.status === 'down') return;
    this.status = 'down';
    this.on.lost(message);
  }
  grew(points: number) {
    this.on.grew(grew(points));
  }
}

const grew = (points: number): LiveGrew => ({ series: [{ sid: 1, id: 'run/loss', points, extent: { x: [0, points - 1] } }], added: 0 });

interface Tab {
  s: SharedLive;
  /** what the page heard, in order */
  log: string[];
  owns: FakeOwn[];
  readonly own: FakeOwn;
  /** the page is frozen / runs again */
  freeze(): void;
  resume(): void;
}

let made: Tab[] = [];
afterEach(() => {
  for (const t of made) t.s.close();
  made = [];
  vi.unstubAllGlobals();
});

let urls = 0;
/** A fresh stream URL per test: tests do not hear each other's channels. */
const freshUrl = () => `http://127.0.0.1:9/api/live?test=${++urls}`;

function tab(url: string, locks: LocksLike): Tab {
  const log: string[] = [];
  const owns: FakeOwn[] = [];
  let hooks: { leave(): void; back(): void } | null = null;
  const env: ShareEnv = {
    locks,
    channel: (name) => new BroadcastChannel(name) as unknown as ReturnType<ShareEnv['channel']>,
    lifecycle: (leave, back) => {
      hooks = { leave, back };
      return () => (hooks = null);
    },
  };
  const on: LiveHandlers = {
    grew: (g) => log.push(`grew ${g.series[0].points}`),
    opened: () => log.push('opened'),
    lost: (m) => log.push(`lost ${m}`),
  };
  const s = new SharedLive(url, on, env, (h, down) => {
    const o = new FakeOwn(h, down);
    owns.push(o);
    return o;
  });
  const t: Tab = {
    s,
    log,
    owns,
    get own() {
      return owns[owns.length - 1];
    },
    freeze: () => hooks?.leave(),
    resume: () => hooks?.back(),
  };
  made.push(t);
  s.start();
  return t;
}

/** Let the channel deliver and the locks move on. */
const settle = () => new Promise((r) => setTimeout(r, 40));

function tabs(n: number, url = freshUrl(), locks = new FifoLocks()): Tab[] {
  return Array.from({ length: n }, () => tab(url, locks));
}

describe('one stream per URL for the tabs of an origin', () => {
  test('one tab holds the stream; its events reach every tab exactly once', async () => {
    const [a, b, c] = tabs(3);
    await settle();
    expect([a, b, c].map((t) => t.owns.length)).toEqual([1, 0, 0]);
    expect(a.s.holding).toBe(true);
    expect(a.own.started).toBe(1);
    a.own.up();
    a.own.grew(5);
    a.own.grew(9);
    await settle();
    for (const t of [a, b, c]) expect(t.log).toEqual(['opened', 'grew 5', 'grew 9']);
  });

  test('a tab that joins while the stream is up catches up once; the others do not', async () => {
    const url = freshUrl();
    const locks = new FifoLocks();
    const [a, b] = tabs(2, url, locks);
    await settle();
    a.own.up();
    await settle();
    const d = tab(url, locks);
    await settle();
    expect(d.log).toEqual(['opened']);
    expect(d.owns).toHaveLength(0);
    a.own.grew(3);
    await settle();
    expect(a.log).toEqual(['opened', 'grew 3']);
    expect(b.log).toEqual(['opened', 'grew 3']);
    expect(d.log).toEqual(['opened', 'grew 3']);
  });

  test('a tab that joins while the holder is still connecting waits for its up', async () => {
    const url = freshUrl();
    const locks = new FifoLocks();
    const [a] = tabs(1, url, locks);
    await settle();
    const b = tab(url, locks);
    await settle();
    expect(b.log).toEqual([]);
    a.own.up();
    await settle();
    expect(b.log).toEqual(['opened']);
  });

  test('an outage: lost once in every tab (also one joining meanwhile), then opened everywhere', async () => {
    const url = freshUrl();
    const locks = new FifoLocks();
    const [a, b] = tabs(2, url, locks);
    await settle();
    a.own.up();
    a.own.fail('gone');
    a.own.fail('gone again'); // a failed retry
    await settle();
    const e = tab(url, locks);
    await settle();
    expect(e.log).toEqual(['lost gone']);
    a.own.up();
    await settle();
    expect(a.log).toEqual(['opened', 'lost gone', 'opened']);
    expect(b.log).toEqual(['opened', 'lost gone', 'opened']);
    expect(e.log).toEqual(['lost gone', 'opened']);
  });

  test('the holder closes: the next tab takes over, every tab catches up, and later events still reach all', async () => {
    const [a, b, c] = tabs(3);
    await settle();
    a.own.up();
    a.own.grew(4);
    await settle();
    a.s.close();
    await settle();
    expect(a.own.closed).toBe(true);
    expect(b.s.holding).toBe(true);
    expect(b.owns).toHaveLength(1);
    expect(b.own.down).toBe(false);
    expect(c.owns).toHaveLength(0);
    // nothing is said until the new stream is up: the server did not go away
    expect(b.log).toEqual(['opened', 'grew 4']);
    b.own.up();
    b.own.grew(8);
    await settle();
    for (const t of [b, c]) expect(t.log).toEqual(['opened', 'grew 4', 'opened', 'grew 8']);
    expect(a.log).toEqual(['opened', 'grew 4']);
  });

  test('taking over during an outage: the outage is not reported twice', async () => {
    const url = freshUrl();
    const locks = new FifoLocks();
    const [a, b, c] = tabs(3, url, locks);
    await settle();
    a.own.up();
    a.own.fail('down');
    await settle();
    a.s.close();
    await settle();
    expect(b.own.down).toBe(true);
    expect(b.own.status).toBe('down');
    b.own.fail('still down'); // its first retry fails: the fake, like DirectStream, says nothing
    const f = tab(url, locks); // joins during the outage: told it once
    await settle();
    expect(f.log).toEqual(['lost down']);
    b.own.up();
    await settle();
    for (const t of [b, c]) expect(t.log).toEqual(['opened', 'lost down', 'opened']);
    expect(f.log).toEqual(['lost down', 'opened']);
  });

  test("a follower's retryNow reaches the holder's stream", async () => {
    const [a, b] = tabs(2);
    await settle();
    b.s.retryNow();
    await settle();
    expect(a.own.retries).toBe(1);
    a.s.retryNow();
    expect(a.own.retries).toBe(2);
  });

  test('a tab that left while queued never holds the stream', async () => {
    const [a, b, c] = tabs(3);
    await settle();
    b.s.close();
    a.s.close();
    await settle();
    expect(b.owns).toHaveLength(0);
    expect(c.s.holding).toBe(true);
  });

  test('a frozen follower leaves the queue and catches up when it runs again; a frozen holder hands over', async () => {
    const [a, b, c] = tabs(3);
    await settle();
    a.own.up();
    await settle();
    b.freeze();
    a.own.grew(6);
    await settle();
    expect(b.log).toEqual(['opened']);
    // frozen, b is out of the queue: the lock skips it
    a.freeze();
    await settle();
    expect(a.own.closed).toBe(true);
    expect(b.owns).toHaveLength(0);
    expect(c.s.holding).toBe(true);
    c.own.up();
    await settle();
    b.resume();
    a.resume();
    await settle();
    // both ran again while the stream was up: each catches up once
    expect(b.log).toEqual(['opened', 'opened']);
    expect(a.log).toEqual(['opened', 'grew 6', 'opened']);
    expect(c.log).toEqual(['opened', 'grew 6', 'opened']);
  });

  test('locks refused (an opaque origin): the tab keeps a stream of its own and hears it', async () => {
    const refusing: LocksLike = { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) };
    const url = freshUrl();
    const [a, b] = [tab(url, refusing), tab(url, refusing)];
    await settle();
    expect([a.owns.length, b.owns.length]).toEqual([1, 1]);
    a.own.up();
    a.own.grew(2);
    await settle();
    expect(a.log).toEqual(['opened', 'grew 2']);
    expect(b.log).toEqual([]);
    a.s.retryNow();
    expect(a.own.retries).toBe(1);
    a.s.start(); // another listener: still the one stream
    expect(a.owns).toHaveLength(1);
  });

  test('a tab frozen and resumed within one outage is told of it once', async () => {
    const [a, b] = tabs(2);
    await settle();
    a.own.up();
    a.own.fail('gone');
    await settle();
    b.freeze();
    b.resume(); // asks again: the holder answers 'down'
    await settle();
    expect(b.log).toEqual(['opened', 'lost gone']);
    a.own.up();
    await settle();
    expect(b.log).toEqual(['opened', 'lost gone', 'opened']);
  });
});

/** A stand-in for the browser's EventSource: the test opens, fails and feeds it. */
class FakeEventSource {
  static made: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((e: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(type: string, fn: (e: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: string) {
    for (const fn of this.listeners.get(type) ?? []) fn({ data });
  }
}

function page(url: string): { live: LiveStream; log: string[] } {
  const log: string[] = [];
  const live = new LiveStream(url, {
    grew: (g) => log.push(`grew ${g.series[0].points}`),
    opened: () => log.push('opened'),
    lost: () => log.push('lost'),
  });
  live.start();
  return { live, log };
}

describe('LiveStream', () => {
  test('with locks and channels: one EventSource for two pages; the other takes over when the holder closes', async () => {
    FakeEventSource.made = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.stubGlobal('navigator', { locks: new FifoLocks() });
    const url = freshUrl();
    const p = page(url);
    const q = page(url);
    try {
      await settle();
      expect(FakeEventSource.made.map((e) => e.url)).toEqual([url]);
      const es = FakeEventSource.made[0];
      es.onopen?.();
      es.emit('grew', JSON.stringify(grew(12)));
      es.emit('grew', '{garbled');
      await settle();
      expect(p.log).toEqual(['opened', 'grew 12']);
      expect(q.log).toEqual(['opened', 'grew 12']);
      // an outage: once each, however many retries fail
      es.onerror?.();
      await new Promise((r) => setTimeout(r, 600)); // the first retry, after retryDelay(0)
      expect(FakeEventSource.made).toHaveLength(2);
      FakeEventSource.made[1].onerror?.();
      await settle();
      expect(p.log).toEqual(['opened', 'grew 12', 'lost']);
      expect(q.log).toEqual(['opened', 'grew 12', 'lost']);
      // the other page nudges the holder: it retries at once, not after 1 s
      q.live.retryNow();
      await settle();
      expect(FakeEventSource.made).toHaveLength(3);
      FakeEventSource.made[2].onopen?.();
      await settle();
      p.live.close();
      await settle();
      expect(FakeEventSource.made[2].closed).toBe(true);
      expect(FakeEventSource.made).toHaveLength(4);
      FakeEventSource.made[3].onopen?.();
      FakeEventSource.made[3].emit('grew', JSON.stringify(grew(20)));
      await settle();
      expect(q.log).toEqual(['opened', 'grew 12', 'lost', 'opened', 'opened', 'grew 20']);
      expect(p.log).toEqual(['opened', 'grew 12', 'lost', 'opened']);
    } finally {
      p.live.close();
      q.live.close();
    }
  });

  test('without Web Locks: each page has its own EventSource, as before', async () => {
    FakeEventSource.made = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.stubGlobal('navigator', {});
    const url = freshUrl();
    const p = page(url);
    const q = page(url);
    try {
      expect(FakeEventSource.made).toHaveLength(2);
      FakeEventSource.made[0].onopen?.();
      expect(p.log).toEqual(['opened']);
      expect(q.log).toEqual([]);
    } finally {
      p.live.close();
      q.live.close();
    }
  });
});
