export type LogKind = 'csv' | 'jsonl' | 'tfevents';

export interface LogFile {
  /** relative to the folder, '/'-separated */
  path: string;
  abs: string;
  kind: LogKind;
  size: number;
  ino: number;
  mtimeMs: number;
}

export interface TailChunk {
  /** relative to the folder, '/'-separated */
  file: string;
  kind: LogKind;
  /** byte offset of `data` in the file */
  offset: number;
  /** the file was truncated or rewritten: drop what was read of it before; `data` starts at 0 */
  reset: boolean;
  /** complete lines (csv, jsonl) or complete TFRecords (tfevents); empty only with `reset` */
  data: Buffer;
}

export function kindOf(name: string): LogKind | null;

export function completeUnits<T extends Uint8Array>(
  kind: LogKind,
  buf: T,
): { units: T; consumed: number; need: number };

export interface ListOptions {
  /** follow symbolic links whose target is outside the folder too (default false: skipped) */
  followLinks?: boolean;
  /** list gzip-compressed logs too (`*.csv.gz`, `*.jsonl.gz`), as the kind of their name without `.gz` (default false: the tailer cannot tail them) */
  gzip?: boolean;
  /** called for each skipped link (to a log file or a folder): its path under the folder, its target */
  onSkip?: (path: string, target: string) => void;
}

export function listLogFiles(dir: string, options?: ListOptions): Promise<LogFile[]>;

export class Tailer {
  constructor(dir: string, options?: { maxChunk?: number } & ListOptions);
  readonly dir: string;
  readonly maxChunk: number;
  offsets(): Record<string, number>;
  scan(): AsyncGenerator<TailChunk, void, undefined>;
}
