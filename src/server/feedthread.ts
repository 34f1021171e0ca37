/**
 * A parse thread for an ingest: the loaders run there (feedworker.ts) while this thread writes
 * the series they yield into the store, so on two cores the parse and DuckDB's appends overlap
 * instead of taking turns (README "Ingest"). The files are queued there in order and parsed one
 * after another; what arrives for a file before the ingest reaches it waits here (at most
 * `AHEAD` pieces: the thread waits for their acknowledgement).
 *
 * Only the server's build has the worker's file (dist-server/feedworker.js); run from the
 * TypeScript sources `FeedThread.start()` gives null and an ingest parses in its own thread.
 * test/browser/ingest-thread.spec.ts runs the built server both ways on the same files.
 */
import { existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LoadError } from '../loaders/index';
import { feedFile, type Feeder, type FileRead, type ParsedFile } from './feeder';
import type { FileRow, Plan } from './fileplan';
import type { FeedJob, FromFeedThread, ToFeedThread } from './feedmessages';

interface Waiting {
  feed: Feeder;
  resolve: (p: ParsedFile) => void;
  reject: (e: unknown) => void;
  /** run after each piece is taken (a writer that sends what it holds), before its acknowledgement */
  afterPiece?: () => Promise<void>;
  /** the pieces' afterPiece calls, in order */
  chain: Promise<void>;
}

export class FeedThread {
  private queued = 0;
  /** messages of files the ingest has not reached yet, by index */
  private readonly early = new Map<number, FromFeedThread[]>();
  private current: ({ index: number } & Waiting) | null = null;
  private broken: unknown = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: FromFeedThread) => this.receive(msg));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`the ingest's parse thread exited (code ${code})`)));
  }

  /** A parse thread, or null where there is no built worker to run (the TypeScript sources). */
  static start(): FeedThread | null {
    const url = new URL('./feedworker.js', import.meta.url);
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return null;
    return new FeedThread(new Worker(url));
  }

  /** Queue a file; its index is the order of the calls (0, 1, ...). */
  submit(job: Omit<FeedJob, 'type' | 'index'>): number {
    const index = this.queued++;
    this.send({ type: 'file', index, ...job });
    return index;
  }

  /**
   * File `index`'s series into `feed`, in the order parsed; resolves at its end (after the last
   * `afterPiece`). A piece is acknowledged once `afterPiece` has run for it.
   */
  feed(index: number, feed: Feeder, afterPiece?: () => Promise<void>): Promise<ParsedFile> {
    if (this.current) throw new Error('FeedThread: one file at a time');
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<ParsedFile>((resolve, reject) => {
      this.current = { index, feed, resolve, reject, afterPiece, chain: Promise.resolve() };
      const early = this.early.get(index) ?? [];
      this.early.delete(index);
      for (const msg of early) this.receive(msg);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private send(msg: ToFeedThread): void {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromFeedThread): void {
    const cur = this.current;
    if (!cur || cur.index !== msg.index) {
      if (msg.type === 'failed' && msg.file === undefined) return this.fail(new Error(msg.message));
      const list = this.early.get(msg.index) ?? [];
      list.push(msg);
      this.early.set(msg.index, list);
      return;
    }
    try {
      if (msg.type === 'series') {
        cur.feed.take(msg.series);
        const ack = () => this.send({ type: 'ack', piece: msg.piece });
        if (cur.afterPiece) {
          cur.chain = cur.chain.then(cur.afterPiece).then(ack);
          // a failed send stops the file at once (the thread, unacknowledged, waits for nothing)
          cur.chain.catch((e: unknown) => {
            if (this.current === cur) this.current = null;
            cur.reject(e);
          });
        } else ack();
        return;
      }
      this.current = null;
      // settled once the sends of its pieces are done (none is left running behind the next file)
      const end = msg.type === 'done' ? () => cur.resolve(msg) : () => cur.reject(msg.file !== undefined && msg.detail !== undefined ? new LoadError(msg.file, msg.detail) : new Error(msg.message));
      cur.chain.then(end, cur.reject);
    } catch (e) {
      // the store refused a series (a write error): the ingest stops with it
      this.current = null;
      cur.reject(e);
    }
  }

  private fail(e: unknown): void {
    this.broken ??= e;
    const cur = this.current;
    this.current = null;
    cur?.reject(e);
  }
}

/** A file an ingest reads: where from (fileplan.ts), and the name its loaders see. */
export interface PlannedRead {
  path: string;
  name: string;
  size: number;
  plan: Extract<Plan, { action: 'read' }>;
  row: FileRow | undefined;
}

/** How an ingest's planned files are parsed: `parse(i, ...)` file i, in order, then `close()`. */
export interface FileParses {
  /** whether a parse thread runs them */
  readonly threaded: boolean;
  parse(i: number, feed: Feeder, fh: FileHandle, afterPiece?: () => Promise<void>): Promise<FileRead>;
  close(): Promise<void>;
}

/**
 * The parses of an ingest's files: all queued in one parse thread when there are at least
 * `threadBytes` to read (it parses the next file while the ingest writes the one before, and
 * carries event files' clock origins along), else each read here when its turn comes. Both
 * stores' ingests (ingest.ts, clickhouse/ingest.ts) read their files through it.
 */
export function fileParses(files: readonly PlannedRead[], origins: Iterable<[string, number]>, chunk: number, threadBytes: number): FileParses {
  const toRead = files.reduce((a, f) => a + f.size - f.plan.from, 0);
  const thread = toRead >= threadBytes ? FeedThread.start() : null;
  if (thread) for (const f of files) thread.submit({ ...f, origins: [...origins], chunk });
  return {
    threaded: thread !== null,
    async parse(i, feed, fh, afterPiece) {
      const f = files[i];
      if (!thread) return feedFile(fh, f.size, f.plan, f.row, feed, chunk, afterPiece);
      const parsed = await thread.feed(i, feed, afterPiece);
      feed.adopt(parsed);
      return parsed.read;
    },
    close: async () => thread?.close(),
  };
}
