/**
 * A second thread for the step files' views (stepworker.ts): a view over many runs hands it half
 * of its series' windows and reduces the other half itself, so both cores work on it.
 *
 * Only the server's build has the worker's file (dist-server/stepworker.js); from the TypeScript
 * sources `StepThread.start()` gives null and views use one thread (the same answer:
 * test/browser/server-cli.spec.ts compares the built server's views with and without it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { M4Result, M4View } from '../source/m4';
import type { StepWindow } from './stepread';

/** below this many points in view the hand-over costs more than it saves */
const MIN_POINTS = 1 << 20;

export class StepThread {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: M4Result) => void; reject: (e: Error) => void }>();
  private broken: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    /** a view reads at least this many points before half of them go to the thread */
    readonly minPoints: number,
  ) {
    worker.unref(); // an idle step thread keeps no process alive
    worker.on('message', (msg: { seq: number; result?: M4Result; error?: string }) => {
      const w = this.waiting.get(msg.seq);
      this.waiting.delete(msg.seq);
      if (msg.result) w?.resolve(msg.result);
      else w?.reject(new Error(`step thread: ${msg.error}`));
    });
    const fail = (e: Error) => {
      this.broken = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the step thread exited (code ${code})`)));
  }

  /**
   * A step thread, or null where there is no built worker to run (the TypeScript sources).
   * METRICGL_STEP_THREAD=0 runs without one; =all hands it half of every view of two series or
   * more (the tests: the same answers either way).
   */
  static start(): StepThread | null {
    const mode = process.env.METRICGL_STEP_THREAD;
    if (mode === '0') return null;
    const url = new URL('./stepworker.js', import.meta.url);
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return null;
    return new StepThread(new Worker(url), mode === 'all' ? 0 : MIN_POINTS);
  }

  get usable(): boolean {
    return !this.broken;
  }

  reduce(dir: string, view: M4View, windows: StepWindow[]): Promise<M4Result> {
    if (this.broken) return Promise.reject(this.broken);
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, dir, view, windows });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
