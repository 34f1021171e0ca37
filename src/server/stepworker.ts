/**
 * The step thread's entry (node worker_threads; built to dist-server/stepworker.js): reduces the
 * windows of step files it is sent (stepread.ts) and posts the answer back, its arrays
 * transferred, so a view over many runs uses a second core (stepthread.ts).
 */
import { parentPort } from 'node:worker_threads';
import { m4Buffers, reduceWindows, WindowReader, type StepWindow } from './stepread';
import type { M4View } from '../source/m4';

const port = parentPort!;
const readers = new Map<string, WindowReader>();

port.on('message', (job: { seq: number; dir: string; view: M4View; windows: StepWindow[] }) => {
  try {
    let reader = readers.get(job.dir);
    if (!reader) readers.set(job.dir, (reader = new WindowReader(job.dir)));
    const result = reduceWindows(job.dir, job.view, job.windows, reader);
    port.postMessage({ seq: job.seq, result }, m4Buffers(result));
  } catch (e) {
    port.postMessage({ seq: job.seq, error: (e as Error).message });
  }
});
