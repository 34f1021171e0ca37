/**
 * Reading whole files (Blobs) into series: what the loader worker runs, also usable in Node.
 * Files are read in 4 MiB slices (gzip ones through a DecompressionStream), progress is
 * reported in bytes of the files as stored, and each file is parsed into its own table that
 * joins the result only when the whole file was read: a bad file adds an error naming it and
 * nothing else, and the other files load. A bad line is not a bad file: it is a warning naming
 * the line, and the rest of the file loads (the same as a live tail of it, parse.ts).
 */
import { isGzip, loaderFor, withoutGz } from './detect';
import { createFileParser, type FileParser } from './parse';
import { LoadError, type LoadedSeries } from './rows';
import { MetricTable } from './table';

export interface LoadInput {
  blob: Blob;
  /** the file's name */
  name: string;
  /** its path, when known (a picked folder's relative path): event files take their run from its folder */
  path?: string;
}

/** A file's problem: `message` says what is wrong, without the file's name (that is `file`). */
export interface FileMessage {
  file: string;
  message: string;
}

export interface LoadResult {
  series: LoadedSeries[];
  /** files that could not be read (their points are left out) */
  errors: FileMessage[];
  /** files that were read, with something to know: a bad line or record skipped (`line 7: ... (line skipped)`), an incomplete last line dropped, values beyond float32, text not UTF-8 */
  warnings: FileMessage[];
}

/** (bytes done, bytes total, file being read) */
export type ProgressFn = (done: number, total: number, file: string) => void;

export const SLICE = 4 << 20;

async function* slices(blob: Blob, size = SLICE): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < blob.size; at += size) yield new Uint8Array(await blob.slice(at, Math.min(blob.size, at + size)).arrayBuffer());
}

async function* gunzip(blob: Blob, counted: (n: number) => void): AsyncGenerator<Uint8Array> {
  const it = slices(blob);
  const source = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      const r = await it.next();
      if (r.done) return ctl.close();
      ctl.enqueue(r.value);
      counted(r.value.length);
    },
  });
  const reader = source.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

function messageOf(e: unknown): string {
  if (e instanceof LoadError) return e.detail;
  return e instanceof Error ? e.message : String(e);
}

/** A warning without its leading `file: ` (the parsers' warnings name the file first). */
function detailOf(w: string, file: string): string {
  return w.startsWith(file + ': ') ? w.slice(file.length + 2) : w;
}

/** Read one file into `table`; returns its warnings. Throws (a LoadError) when it cannot. */
export async function loadOne(input: LoadInput, table: MetricTable, progress: (bytes: number) => void): Promise<string[]> {
  const path = input.path || input.name;
  const head = new Uint8Array(await input.blob.slice(0, 16).arrayBuffer());
  let chunks: AsyncGenerator<Uint8Array>;
  // detection looks at the name without .gz; the parsers strip it from run names themselves
  const name = isGzip(head) ? withoutGz(path) : path;
  if (isGzip(head)) chunks = gunzip(input.blob, progress);
  else {
    chunks = (async function* () {
      for await (const s of slices(input.blob)) {
        yield s;
        progress(s.length);
      }
    })();
  }
  let parser: FileParser | null = null;
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      parser ??= createFileParser(path, loaderFor(name, chunk), { table });
      parser.push(chunk);
    }
  } catch (e) {
    if (e instanceof LoadError) throw e;
    const m = e instanceof Error ? e.message : String(e);
    throw new LoadError(path, isGzip(head) ? `cannot decompress (${m})` : m);
  }
  if (!parser) throw new LoadError(path, 'the file is empty');
  parser.end();
  return parser.warnings;
}

/** Read files into series; one bad file does not stop the others. */
export async function loadBlobs(inputs: LoadInput[], onProgress?: ProgressFn): Promise<LoadResult> {
  const total = inputs.reduce((n, f) => n + f.blob.size, 0);
  let done = 0;
  const all = new MetricTable();
  const errors: FileMessage[] = [];
  const warnings: FileMessage[] = [];
  for (const input of inputs) {
    const file = input.path || input.name;
    const table = new MetricTable();
    onProgress?.(done, total, file);
    const before = done;
    try {
      const w = await loadOne(input, table, (n) => {
        done += n;
        onProgress?.(done, total, file);
      });
      all.absorb(table);
      for (const message of w) warnings.push({ file, message: detailOf(message, file) });
    } catch (e) {
      errors.push({ file, message: messageOf(e) });
    }
    done = before + input.blob.size;
  }
  onProgress?.(total, total, '');
  return { series: all.columns(), errors, warnings };
}
