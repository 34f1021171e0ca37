/**
 * The parse thread's entry (node worker_threads; built to dist-server/feedworker.js): reads the
 * files it is sent, in order, with the loaders (feedFile, as an ingest in one thread does) and
 * posts each piece's series back, waiting for the ingest when it is `AHEAD` pieces behind.
 */
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { LoadError, transferables, type LoadedSeries } from '../loaders/index';
import { AHEAD, type FeedJob, type FromFeedThread, type ToFeedThread } from './feedmessages';
import { feedFile, FileFeed } from './feeder';

const port = parentPort!;
const post = (msg: FromFeedThread, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

const queue: FeedJob[] = [];
let running = false;
/** pieces posted, and the last one the ingest has written */
let piece = 0;
let acked = -1;
let wake: (() => void) | null = null;
/** runs' clock origins: the store's, and those each file read so far set (as the ingest's catalog) */
const origins = new Map<string, number>();

port.on('message', (msg: ToFeedThread) => {
  if (msg.type === 'ack') {
    acked = msg.piece;
    wake?.();
    return;
  }
  queue.push(msg);
  if (!running) void run();
});

async function run(): Promise<void> {
  running = true;
  for (let job = queue.shift(); job; job = queue.shift()) {
    const index = job.index;
    try {
      await read(job);
    } catch (e) {
      if (e instanceof LoadError) post({ type: 'failed', index, message: e.message, file: e.file, detail: e.detail });
      else {
        post({ type: 'failed', index, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        return; // not a file's fault: the ingest stops
      }
    }
  }
  running = false;
}

async function read(job: FeedJob): Promise<void> {
  for (const [run, origin] of job.origins) if (!origins.has(run)) origins.set(run, origin);
  let series: LoadedSeries[] = [];
  const send = async () => {
    if (series.length === 0) return; // only posted pieces are acknowledged
    post({ type: 'series', index: job.index, piece, series }, transferables(series));
    series = [];
    while (piece - acked > AHEAD) await new Promise<void>((r) => (wake = r));
    piece++;
  };
  const feed = new FileFeed(job.name, origins, (s) => series.push(s));
  const fh = await open(job.path, 'r');
  try {
    const read = await feedFile(fh, job.size, job.plan, job.row, feed, job.chunk, send);
    await send(); // what end() drained
    for (const [run, origin] of feed.runOrigins) origins.set(run, origin);
    post({ type: 'done', index: job.index, read, kind: feed.kind, warnings: feed.warnings, origins: [...feed.runOrigins] });
  } finally {
    await fh.close();
  }
}
