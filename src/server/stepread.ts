/**
 * Reading a view's points out of step files (stepfiles.ts says what they hold) and reducing
 * them: what the server's own thread and its step thread (stepworker.ts) both run, so this module
 * imports nothing of DuckDB.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { M4Result, M4View } from '../source/m4';
import { SortedM4 } from '../source/m4sorted';
import { lowerBound, lowerBoundAbove } from '../store/search';

/** Points [r0, r1) of series `id` hold those in view and their two neighbours. */
export interface StepWindow {
  id: number;
  r0: number;
  r1: number;
}

/** steps, values, the index of every 256th step (stepfiles.ts), the record */
export type StepFileKind = 'x' | 'y' | 'xi' | 'json';

export function stepPath(dir: string, id: number, kind: StepFileKind): string {
  return join(dir, `${id}.${kind}`);
}

/** Values [at, at + into.length) of a step file into `into`. */
export function readStepFile(dir: string, id: number, kind: 'x' | 'y' | 'xi', into: Float64Array | Float32Array, at: number): void {
  const path = stepPath(dir, id, kind);
  const fd = openSync(path, 'r');
  try {
    const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const got = readSync(fd, bytes, done, bytes.length - done, at * into.BYTES_PER_ELEMENT + done);
      if (got === 0) throw new Error(`step files: ${path} ends early`);
      done += got;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads windows of series into grown scratch arrays, and adds each to an M4 being built. */
export class WindowReader {
  private xs = new Float64Array(0);
  private ys = new Float32Array(0);

  constructor(private readonly dir: string) {}

  /** Window `w` read and added to `out` (its series the next one `out` expects). */
  add(out: SortedM4, view: M4View, w: StepWindow): void {
    const m = w.r1 - w.r0;
    if (this.xs.length < m) {
      this.xs = new Float64Array(Math.max(m, this.xs.length * 2));
      this.ys = new Float32Array(this.xs.length);
    }
    const v = this.xs.subarray(0, m), y = this.ys.subarray(0, m);
    readStepFile(this.dir, w.id, 'x', v, w.r0);
    readStepFile(this.dir, w.id, 'y', y, w.r0);
    const a = lowerBound(v, 0, m, view.x0), b = lowerBoundAbove(v, m, view.x1, a);
    out.add(v, y, a, b);
  }
}

/** M4 of the view over the windows (ascending ids), all at once: the step thread's job. */
export function reduceWindows(dir: string, view: M4View, windows: readonly StepWindow[], reader = new WindowReader(dir)): M4Result {
  const out = new SortedM4(view, windows.map((w) => w.id));
  for (const w of windows) reader.add(out, view, w);
  return out.done();
}

/** The buffers of an answer, to transfer it between threads. */
export function m4Buffers(r: M4Result): ArrayBuffer[] {
  return [r.series, r.buckets, r.points].flatMap((part) => Object.values(part).map((a: Float64Array) => a.buffer as ArrayBuffer));
}
