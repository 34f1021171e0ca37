/**
 * Main-thread side of the loaders: `loadFiles` parses files in a worker (the page stays
 * responsive, a progress callback follows the bytes read), `createIncrementalParser` parses live
 * tails where it is called.
 */
import type { FileMessage, LoadInput, LoadResult, ProgressFn } from './load';
import type { FromLoader, ToLoader } from './messages';

export type { FileMessage, LoadInput, LoadResult, ProgressFn } from './load';
export type { LoadedSeries, LoaderKind } from './rows';
export { LoadError } from './rows';
export { createIncrementalParser, type IncrementalParser } from './parse';

/** A File, or a Blob with its name and path (a dropped folder's entries carry their full path). */
export type FileLike = File | LoadInput;

function toInput(f: FileLike): LoadInput {
  if (typeof File !== 'undefined' && f instanceof File) {
    // webkitRelativePath (a picked folder) does not survive postMessage: send it along
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
    return { blob: f, name: f.name, path: rel || f.name };
  }
  return f as LoadInput;
}

let nextId = 1;

/**
 * Parse CSV, JSON Lines and TensorBoard event files (gzip-compressed or not) off the main thread.
 * Resolves with the series of every file that could be read; a file that could not is in
 * `errors` with a message naming it and what is wrong, and does not stop the others.
 */
export function loadFiles(files: FileLike[], onProgress?: ProgressFn): Promise<LoadResult> {
  const inputs = files.map(toInput);
  if (inputs.length === 0) return Promise.resolve({ series: [], errors: [], warnings: [] });
  const id = nextId++;
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'metricgl-loader' });
  return new Promise<LoadResult>((resolve, reject) => {
    const finish = () => worker.terminate();
    worker.onmessage = (e: MessageEvent<FromLoader>) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.type === 'progress') onProgress?.(m.done, m.total, m.file);
      else if (m.type === 'result') {
        finish();
        resolve(m.result);
      } else {
        finish();
        reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      finish();
      e.preventDefault();
      const errors: FileMessage[] = inputs.map((f) => ({ file: f.path || f.name, message: `the loader worker failed (${e.message})` }));
      resolve({ series: [], errors, warnings: [] });
    };
    worker.postMessage({ type: 'load', id, inputs } satisfies ToLoader);
  });
}
