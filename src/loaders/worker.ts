/**
 * The loader worker: reads the files it is sent (File or Blob, structured-cloned: no copy of the
 * bytes) and posts progress, then the series with their columns transferred.
 */
import { loadBlobs } from './load';
import type { FromLoader, ToLoader } from './messages';
import { transferables } from './table';

const post = (msg: FromLoader, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(msg, transfer);

self.onmessage = async (e: MessageEvent<ToLoader>) => {
  const { id, inputs } = e.data;
  let last = 0;
  try {
    const result = await loadBlobs(inputs, (done, total, file) => {
      const now = performance.now();
      if (now - last < 50 && done < total) return; // at most ~20 progress messages a second
      last = now;
      post({ type: 'progress', id, done, total, file });
    });
    post({ type: 'result', id, result }, transferables(result.series));
  } catch (err) {
    post({ type: 'failed', id, message: err instanceof Error ? err.message : String(err) });
  }
};
