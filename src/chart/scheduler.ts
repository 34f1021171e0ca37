/**
 * When the chart draws. Setters only say what changed (named flags); one commit consumes all
 * of them in a fixed order (uPlot's `_commit`): queued appends go out, styles are restyled, and
 * the view is either redrawn from what is on the GPU or asked of the worker. A change never
 * draws by itself, so setters made together cost one commit, and a commit happens at most once
 * per display frame whatever the event rate.
 *
 * `rendered()` waiters belong to the changes made before them: one that comes while changes are
 * dirty waits for the commit that takes them; one that comes while only a request is in flight
 * waits for that request's frame.
 */

/** What changed since the last commit. */
export interface Dirty {
  /** series set or appended (appends wait in a queue until the commit sends them) */
  data: boolean;
  /** something the worker's view depends on: an option, a run's visibility, a read-back */
  view: boolean;
  /** the container's size or the pixel ratio */
  size: boolean;
  /** slot styles: colours, widths, dimming */
  styles: boolean;
  /** the smoothing of GPU-smoothed curves: a rescan of what is on the GPU, no worker */
  smoothing: boolean;
}

export type Change = keyof Dirty;

/** The stages of a commit, called in this order. */
export interface Stages<F> {
  /** `data`: send the queued appends first, so that the view asked for next includes them */
  flush(): void;
  /** false while nothing can be drawn (the GPU context is lost): the changes wait for it */
  ready(): boolean;
  /** `styles`: the slot styles are to be uploaded with the next draw */
  restyle(): void;
  /**
   * Neither data, view nor size changed: draw the last view again from what is on the GPU and
   * return its frame; null when that cannot serve (no view yet, or culled for styles that now
   * see through), and the worker is asked instead.
   */
  redraw(since: number): F | null;
  /** Ask the worker for the view; its frame comes back through `drawn`. */
  request(since: number): void;
}

/** The worker's start: on a cold page it runs only once the current task has ended. */
export interface WorkerGate {
  readonly running: boolean;
  started(fn: () => void): void;
}

/** The browser's timing, replaceable in tests. */
export interface Clock {
  now(): number;
  frame(fn: () => void): number;
  cancelFrame(id: number): void;
  microtask(fn: () => void): void;
}

/** With no display frame since the last commit for this long (a hidden page), commit anyway. */
export const IDLE_MS = 100;

/** A display frame's interval at 60 Hz: this long after a commit, a frame has begun since. */
export const FRAME_MS = 1000 / 60;

const browserClock: Clock = {
  now: () => performance.now(),
  frame: (fn) => requestAnimationFrame(fn),
  cancelFrame: (id) => cancelAnimationFrame(id),
  microtask: (fn) => queueMicrotask(fn),
};

interface Waiter<F> {
  resolve(f: F): void;
  reject(e: Error): void;
}

/** Changes committed together: what they were, since when, and who waits for them. */
interface Batch<F> {
  dirty: Dirty;
  /** when the first of them was made (performance.now()) */
  since: number;
  waiters: Waiter<F>[];
}

/** What the next commit waits for: the worker's start, the end of this task, or a display frame. */
type Wait = { on: 'worker' } | { on: 'task' } | { on: 'frame'; id: number };

const clean = (): Dirty => ({ data: false, view: false, size: false, styles: false, smoothing: false });

export class Scheduler<F> {
  /** changes not committed yet, and the rendered() calls made since the first of them */
  private next: Batch<F> = { dirty: clean(), since: 0, waiters: [] };
  /** the committed changes whose frame the worker is making: at most one request at a time */
  private inflight: Batch<F> | null = null;
  private wait: Wait | null = null;
  private last: F | null = null;
  /**
   * A display frame has begun since the last commit (notePassedFrame): the next change commits
   * at the end of the task; otherwise it waits for the next frame.
   */
  private framePassed = true;
  private passFrame = 0;
  /** when the last commit started: a hidden page runs no frames, so a change long after it commits at once too */
  private lastCommit = -Infinity;
  private destroyed = false;

  constructor(
    private stages: Stages<F>,
    private gate: WorkerGate,
    private clock: Clock = browserClock,
  ) {}

  /** The last frame on screen (null before the first). */
  get onScreen(): F | null {
    return this.last;
  }

  /** Someone waits for a frame: it must be real (GPU flushed) before it is reported. */
  get awaited(): boolean {
    return this.next.waiters.length > 0 || (this.inflight?.waiters.length ?? 0) > 0;
  }

  mark(...changes: Change[]): void {
    if (this.destroyed) return;
    const n = this.next;
    n.since ||= this.clock.now();
    for (const c of changes) n.dirty[c] = true;
    this.schedule();
  }

  /** Resolves with the frame that has everything marked before this call on screen. */
  rendered(): Promise<F> {
    if (this.destroyed) return Promise.reject(new Error('chart destroyed'));
    const pending = isDirty(this.next.dirty);
    if (this.last && !pending && !this.inflight) return Promise.resolve(this.last);
    const batch = pending || !this.inflight ? this.next : this.inflight;
    return new Promise((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }

  /** The frame of the request in flight is on screen. */
  drawn(frame: F): void {
    const b = this.inflight;
    if (!b) return;
    this.inflight = null;
    this.notePassedFrame();
    this.finish(b.waiters, frame);
    this.schedule();
  }

  /** The request in flight will not be drawn (the context is lost): its changes wait again. */
  held(): void {
    const b = this.inflight;
    this.inflight = null;
    this.notePassedFrame();
    if (b) this.putBack(b);
  }

  /** The worker failed: what is drawn stays drawn, whoever waits learns why nothing new came. */
  failed(err: Error): void {
    this.held();
    for (const w of this.next.waiters.splice(0)) w.reject(err);
  }

  destroy(): void {
    this.destroyed = true;
    if (this.wait?.on === 'frame') this.clock.cancelFrame(this.wait.id);
    this.clock.cancelFrame(this.passFrame);
    this.wait = null;
    const err = new Error('chart destroyed');
    for (const w of [...(this.inflight?.waiters ?? []), ...this.next.waiters]) w.reject(err);
    this.inflight = null;
    this.next = { dirty: clean(), since: 0, waiters: [] };
  }

  /**
   * One commit per display frame, started as early as possible: the first change after a quiet
   * frame commits at the end of the current task (a microtask: setters made together still go
   * together), so a zoom does not wait a whole frame before the worker even hears of it; further
   * changes within the same frame wait for the next one.
   */
  private schedule(): void {
    if (this.wait || this.inflight || this.destroyed || !isDirty(this.next.dirty)) return;
    if (!this.gate.running) {
      // A cold page: the worker starts once this task ends. Commit then, beside its ingest of
      // the first data, rather than delay its start by a layout.
      const w: Wait = { on: 'worker' };
      this.wait = w;
      this.gate.started(() => this.resume(w));
      return;
    }
    if (this.framePassed || this.clock.now() - this.lastCommit > IDLE_MS) {
      const w: Wait = { on: 'task' };
      this.wait = w;
      this.clock.microtask(() => {
        if (this.wait === w) this.commit();
      });
    } else {
      this.wait = { on: 'frame', id: this.clock.frame(() => this.commit()) };
    }
  }

  private resume(w: Wait): void {
    if (this.wait !== w) return;
    this.wait = null;
    this.schedule();
  }

  /**
   * Whether a display frame has begun since the last commit, found once its picture is drawn:
   * a whole frame interval since the commit says so; otherwise a frame callback asked now will.
   * Asked then, not at the commit: a callback asked at the commit took the display frame that
   * was due (the page's next one ran before the worker's answer came), so whatever the app asks
   * of the frame after the picture (its own requestAnimationFrame) waited a whole interval more.
   */
  private notePassedFrame(): void {
    if (this.framePassed) return;
    if (this.clock.now() - this.lastCommit >= FRAME_MS) {
      this.framePassed = true;
      return;
    }
    this.clock.cancelFrame(this.passFrame);
    this.passFrame = this.clock.frame(() => (this.framePassed = true));
  }

  private commit(): void {
    this.wait = null;
    this.framePassed = false;
    this.lastCommit = this.clock.now();
    this.clock.cancelFrame(this.passFrame);
    // the batch is in flight from here: its waiters count as awaited while it is drawn
    const b = (this.inflight = this.next);
    this.next = { dirty: clean(), since: 0, waiters: [] };
    const { dirty, since } = b;
    const s = this.stages;
    if (dirty.data) s.flush();
    if (!s.ready()) {
      this.held(); // marked again when drawing is possible again
      return;
    }
    if (dirty.styles) s.restyle();
    const frame = dirty.data || dirty.view || dirty.size ? null : s.redraw(since);
    if (frame) this.drawn(frame);
    else s.request(since);
  }

  private finish(waiters: Waiter<F>[], frame: F): void {
    this.last = frame;
    for (const w of waiters) w.resolve(frame);
  }

  /** Changes that were not drawn join the next commit, first in line. */
  private putBack(b: Batch<F>): void {
    const n = this.next;
    for (const c of Object.keys(b.dirty) as Change[]) n.dirty[c] ||= b.dirty[c];
    n.since = n.since ? Math.min(n.since, b.since) : b.since;
    n.waiters.unshift(...b.waiters);
  }
}

function isDirty(d: Dirty): boolean {
  return d.data || d.view || d.size || d.styles || d.smoothing;
}
