/** Messages between the loader worker and the page. */
import type { LoadInput, LoadResult } from './load';

export type ToLoader = { type: 'load'; id: number; inputs: LoadInput[] };

export type FromLoader =
  | { type: 'progress'; id: number; done: number; total: number; file: string }
  | { type: 'result'; id: number; result: LoadResult }
  | { type: 'failed'; id: number; message: string };
