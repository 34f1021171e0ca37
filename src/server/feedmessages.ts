/**
 * Messages between an ingest and its parse thread (feedthread.ts ↔ feedworker.ts): the files
 * queued there in order (`index` 0, 1, ...), parsed one after another, each file's series posted
 * back piece by piece (typed arrays transferred) and each piece acknowledged once written, so
 * that the parse runs at most `AHEAD` pieces ahead of the store's writes.
 */
import type { LoadedSeries } from '../loaders/index';
import type { FileRow, Plan } from './fileplan';
import type { ParsedFile } from './feeder';

/** pieces (of `chunk` bytes) the parse may run ahead of the writes: memory held is ~AHEAD pieces */
export const AHEAD = 2;

export interface FeedJob {
  type: 'file';
  index: number;
  path: string;
  /** the name the loaders see (relative to the ingest's root) */
  name: string;
  size: number;
  plan: Extract<Plan, { action: 'read' }>;
  row: FileRow | undefined;
  /** the stored runs' clock origins when queued (the thread adds those the files before it set) */
  origins: [string, number][];
  chunk: number;
}

export type ToFeedThread = FeedJob | { type: 'ack'; piece: number };

export type FromFeedThread =
  | { type: 'series'; index: number; piece: number; series: LoadedSeries[] }
  | ({ type: 'done'; index: number } & ParsedFile)
  /** `file` and `detail` for a LoadError (that file cannot be read: the next is parsed), else only `message` (the thread stops) */
  | { type: 'failed'; index: number; message: string; file?: string; detail?: string };
