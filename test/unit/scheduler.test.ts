import { describe, expect, it } from 'vitest';
import { FRAME_MS, IDLE_MS, Scheduler, type Clock, type Stages, type WorkerGate } from '../../src/chart/scheduler';

/** A page in node: hand-run microtasks and animation frames, a settable time, a worker gate. */
function page(opts: { running?: boolean; ready?: () => boolean; redraw?: boolean; peek?: (s: Scheduler<number>) => void } = {}) {
  let time = 1000;
  let tasks: (() => void)[] = [];
  const frames = new Map<number, () => void>();
  let nextId = 1;
  const clock: Clock = {
    now: () => time,
    frame: (fn) => (frames.set(nextId, fn), nextId++),
    cancelFrame: (id) => frames.delete(id),
    microtask: (fn) => tasks.push(fn),
  };
  const startFns: (() => void)[] = [];
  let running = opts.running ?? true;
  const gate: WorkerGate & { start(): void } = {
    get running() {
      return running;
    },
    started(fn) {
      if (running) fn();
      else startFns.push(fn);
    },
    start() {
      running = true;
      for (const fn of startFns.splice(0)) fn();
    },
  };
  const calls: string[] = [];
  let frameNo = 0;
  const stages: Stages<number> = {
    flush: () => calls.push('flush'),
    ready: () => (calls.push('ready'), opts.ready?.() ?? true),
    restyle: () => calls.push('restyle'),
    redraw: (since) => (calls.push(`redraw@${since}`), opts.peek?.(s), opts.redraw === false ? null : ++frameNo),
    request: (since) => (calls.push(`request@${since}`), opts.peek?.(s)),
  };
  const s = new Scheduler(stages, gate, clock);
  return {
    s,
    gate,
    calls,
    /** the end of the current task */
    endTask() {
      while (tasks.length) {
        const t = tasks;
        tasks = [];
        for (const fn of t) fn();
      }
    },
    /** a display frame */
    displayFrame() {
      const fs = [...frames.values()];
      frames.clear();
      for (const fn of fs) fn();
    },
    /** the worker's answer to the request in flight */
    answer() {
      s.drawn(++frameNo);
    },
    /** a first view committed and drawn, in this display frame; the calls log starts after it */
    drawFirst() {
      s.mark('view');
      this.endTask();
      this.answer();
      calls.length = 0;
    },
    advance(ms: number) {
      time += ms;
    },
    get pendingFrames() {
      return frames.size;
    },
  };
}

const settle = () => new Promise<void>((r) => setTimeout(r, 0));

describe('Scheduler', () => {
  it('commits changes made together once, at the end of the task', () => {
    const p = page();
    p.s.mark('data');
    p.s.mark('view', 'styles');
    p.s.mark('size');
    expect(p.calls).toEqual([]);
    p.endTask();
    expect(p.calls).toEqual(['flush', 'ready', 'restyle', 'request@1000']);
  });

  it('consumes the flags in a fixed order, and skips the stages of flags not set', () => {
    const p = page();
    p.drawFirst();
    p.displayFrame();
    p.s.mark('styles', 'smoothing');
    p.endTask();
    // neither data, view nor size: the last view is redrawn from the GPU, no request
    expect(p.calls).toEqual(['ready', 'restyle', 'redraw@1000']);
  });

  it('asks the worker when the last view cannot be redrawn', () => {
    const p = page({ redraw: false });
    p.s.mark('styles');
    p.endTask();
    expect(p.calls).toEqual(['ready', 'restyle', 'redraw@1000', 'request@1000']);
  });

  it('commits at the next animation frame when one commit already happened in this frame', () => {
    const p = page();
    p.drawFirst();
    p.s.mark('view');
    p.endTask();
    expect(p.calls).toEqual([]); // no display frame since the last commit
    p.displayFrame(); // the commit's own frame callback runs, then ours
    expect(p.calls).toEqual(['ready', 'request@1000']);
  });

  it('commits at once on a page that runs no frames (hidden) after IDLE_MS', () => {
    const p = page();
    p.drawFirst();
    p.advance(IDLE_MS + 1);
    p.s.mark('view');
    p.endTask();
    expect(p.calls).toEqual(['ready', `request@${1000 + IDLE_MS + 1}`]);
  });

  it('holds one request in flight; a change during it commits once the frame is drawn', () => {
    const p = page();
    p.s.mark('view');
    p.endTask();
    expect(p.calls).toEqual(['ready', 'request@1000']);
    p.displayFrame();
    p.advance(5);
    p.s.mark('data');
    p.s.mark('view');
    p.endTask();
    p.displayFrame();
    expect(p.calls).toEqual(['ready', 'request@1000']); // still in flight
    p.advance(FRAME_MS);
    // drawn a frame interval after its commit: a display frame has begun since, commit at once
    p.answer();
    p.endTask();
    expect(p.calls).toEqual(['ready', 'request@1000', 'flush', 'ready', 'request@1005']);
  });

  it('asks no frame callback before the picture is drawn: the display frame that is due stays the app\'s', () => {
    const p = page();
    p.drawFirst();
    p.displayFrame();
    p.s.mark('view');
    p.endTask();
    expect(p.calls).toEqual(['ready', 'request@1000']);
    // the commit took no frame callback: a requestAnimationFrame the app makes after the
    // picture is drawn is served by the frame that was due, not the one after it
    expect(p.pendingFrames).toBe(0);
    p.advance(4);
    p.answer();
    expect(p.pendingFrames).toBe(1); // asked once it is drawn, to know when a frame has begun
    // a change in the same display frame waits for the next one
    p.s.mark('view');
    p.endTask();
    expect(p.calls).toEqual(['ready', 'request@1000']);
    p.displayFrame();
    p.endTask();
    expect(p.calls).toEqual(['ready', 'request@1000', 'ready', 'request@1004']);
  });

  it('resolves rendered() only for changes made before it', async () => {
    const p = page();
    p.s.mark('view');
    const first = p.s.rendered();
    p.endTask(); // request 1 in flight
    const during = p.s.rendered(); // nothing new: waits for request 1
    p.s.mark('view');
    const later = p.s.rendered(); // waits for the change after request 1
    const got: string[] = [];
    first.then((f) => got.push(`first:${f}`));
    during.then((f) => got.push(`during:${f}`));
    later.then((f) => got.push(`later:${f}`));
    p.answer(); // frame 1
    await settle();
    expect(got).toEqual(['first:1', 'during:1']);
    p.displayFrame();
    p.endTask();
    p.answer(); // frame 2
    await settle();
    expect(got).toEqual(['first:1', 'during:1', 'later:2']);
    // nothing changed since: at once, with the frame on screen
    expect(await p.s.rendered()).toBe(2);
  });

  it('reports waiters as awaited while their frame is drawn', () => {
    const seen: boolean[] = [];
    const p = page({ peek: (s) => seen.push(s.awaited) });
    p.s.mark('view');
    void p.s.rendered();
    p.endTask();
    p.answer();
    p.displayFrame();
    p.s.mark('styles'); // nobody waits for this one
    p.endTask();
    expect(seen).toEqual([true, false]);
  });

  it('on a cold page waits for the worker to start', () => {
    const p = page({ running: false });
    p.s.mark('data', 'view');
    p.endTask();
    p.displayFrame();
    expect(p.calls).toEqual([]);
    p.gate.start();
    p.endTask();
    expect(p.calls).toEqual(['flush', 'ready', 'request@1000']);
  });

  it('holds changes while nothing can be drawn, until marked again', async () => {
    let ready = false;
    const p = page({ ready: () => ready });
    p.s.mark('view');
    const waiting = p.s.rendered();
    p.endTask();
    expect(p.calls).toEqual(['ready']);
    p.displayFrame();
    ready = true;
    p.advance(3);
    p.s.mark('styles'); // the context is back
    p.endTask();
    // the held view change is still dirty: the worker is asked, since the first change
    expect(p.calls).toEqual(['ready', 'ready', 'restyle', 'request@1000']);
    p.answer();
    expect(await waiting).toBe(1);
  });

  for (const how of ['held', 'failed'] as const) {
    it(`a request ${how} (context lost / worker error) goes back into the next commit, which waits for a change`, async () => {
      const p = page();
      p.s.mark('view');
      const waiting = p.s.rendered();
      p.endTask();
      if (how === 'held') p.s.held();
      else p.s.failed(new Error('boom'));
      p.displayFrame();
      p.endTask();
      expect(p.calls).toEqual(['ready', 'request@1000']); // nothing commits by itself
      p.s.mark('styles');
      p.endTask();
      // still a view change: the worker is asked again, since the first change
      expect(p.calls).toEqual(['ready', 'request@1000', 'ready', 'restyle', 'request@1000']);
      p.answer();
      // a failure tells whoever waited; a held frame's waiters get the next one
      if (how === 'held') expect(await waiting).toBe(1);
      else await expect(waiting).rejects.toThrow('boom');
    });
  }

  it('destroy rejects waiters and commits nothing more', async () => {
    const p = page();
    p.s.mark('view');
    const a = p.s.rendered();
    p.s.destroy();
    p.endTask();
    p.displayFrame();
    await expect(a).rejects.toThrow('chart destroyed');
    await expect(p.s.rendered()).rejects.toThrow('chart destroyed');
    p.s.mark('view');
    p.endTask();
    expect(p.calls).toEqual([]);
    expect(p.pendingFrames).toBe(0);
  });
});
