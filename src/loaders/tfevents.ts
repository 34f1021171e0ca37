/**
 * TensorBoard event files (`events.out.tfevents.*`), read in the browser.
 *
 * The file is a sequence of TFRecords (tfrecord.ts: framing and checksums; broken framing stops
 * the file). A bad data checksum, or data that is not an Event protobuf, only spoils that record
 * (its length is known): it is skipped with a warning naming its byte offset, and the records
 * after it are read. An incomplete record at the end waits for more bytes (a file still being
 * written); at `end` it is dropped with a warning. A double value beyond float32 range is stored
 * as ±Infinity and counted.
 *
 * Each record is a `tensorflow.Event` (event.ts). A point is a simple_value, or a tensor of
 * dtype float, double, half or bfloat16 holding exactly one value (float_val / double_val /
 * half_val or tensor_content, shape with one element). Tags whose metadata names a plugin other
 * than `scalars` (histograms, images, text, ...) are skipped, as are all other summaries.
 *
 * Names (see `runOfPath` and `splitTag`):
 * - run: the `run` option if given, else the event file's folder (`logs/exp1/events...` → exp1);
 *   when that folder is a subset word (Keras writes `exp1/train/`, `exp1/validation/`) the run is
 *   the folder above and the folder is the subset. Without a folder: the file name.
 * - metric and subset from the tag: a `/`-separated part that is a subset word is taken out as
 *   the subset (`train/loss`, `loss/train` → loss, subset train; `metrics/eval/acc` →
 *   metrics/acc, eval); otherwise, a first or last `_`-separated word of the tag's last part
 *   (`train_loss`, `loss_val`, `metrics/val_acc` → metrics/acc). A tag that is only a subset
 *   word stays as it is. The subset from the tag wins over the folder's.
 *   Subset words (any case, kept as written, lower-cased): train, training, eval, evaluation,
 *   val, valid, validation, test.
 * - wall: wall_time in epoch ms; time: wall minus the wall of the run's first point, in ms.
 */
import type { SeriesBuilder } from './builder';
import { readEvent } from './event';
import { F32_MAX, FileNotes, beyondFloat32 } from './notes';
import { ProtoError, Reader } from './proto';
import { MetricTable } from './table';
import { TfRecordReader, type RecordHandler } from './tfrecord';

export interface ByteParser {
  push(chunk: Uint8Array): void;
  end(): void;
  readonly table: MetricTable;
  readonly warnings: string[];
}

export interface TfeventsOptions {
  table?: MetricTable;
  /** the run's name (default: from the path, see runOfPath) */
  run?: string;
  /** the subset every point of the file has unless its tag names one (default: from the path) */
  subset?: string;
}

const SUBSET_WORDS = new Set(['train', 'training', 'eval', 'evaluation', 'val', 'valid', 'validation', 'test']);

/** Run (and subset) of an event file from its path: its folder, or the folder above a subset folder. */
export function runOfPath(path: string): { run: string; subset: string | null } {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const file = parts.pop() ?? path;
  const parent = parts.pop();
  if (parent === undefined) return { run: file, subset: null };
  if (SUBSET_WORDS.has(parent.toLowerCase()) && parts.length > 0) return { run: parts[parts.length - 1], subset: parent.toLowerCase() };
  return { run: parent, subset: null };
}

/** Metric and subset of a tag (rule in the module comment). */
export function splitTag(tag: string): { metric: string; subset: string | null } {
  const parts = tag.split('/');
  if (parts.length > 1) {
    for (let i = 0; i < parts.length; i++) {
      const w = parts[i].toLowerCase();
      if (SUBSET_WORDS.has(w)) {
        const rest = parts.filter((_, j) => j !== i).join('/');
        if (rest.replace(/\//g, '') !== '') return { metric: rest, subset: w };
      }
    }
  }
  const last = parts[parts.length - 1];
  const words = last.split('_');
  if (words.length > 1) {
    const head = parts.slice(0, -1).join('/');
    const join = (w: string[]) => (head ? head + '/' : '') + w.join('_');
    const first = words[0].toLowerCase();
    if (SUBSET_WORDS.has(first) && words.slice(1).join('') !== '') return { metric: join(words.slice(1)), subset: first };
    const end = words[words.length - 1].toLowerCase();
    if (SUBSET_WORDS.has(end) && words.slice(0, -1).join('') !== '') return { metric: join(words.slice(0, -1)), subset: end };
  }
  return { metric: tag, subset: null };
}

/** A point read from a record, added once the whole record has decoded. */
interface Point {
  s: SeriesBuilder;
  tag: string;
  step: number;
  v: number;
  wall: number;
}

class TfeventsParser implements ByteParser, RecordHandler {
  readonly table: MetricTable;
  readonly warnings: string[];
  private readonly notes: FileNotes;
  private readonly framing: TfRecordReader;
  /** byte offset of the record being read (for warnings about its values) */
  private at = 0;
  private readonly run: string;
  private readonly subset: string | null;
  private readonly skipTags = new Set<string>();
  private readonly byTag = new Map<string, SeriesBuilder>();
  /** the points of the record being decoded */
  private points: Point[] = [];
  private readonly onScalar = (tag: string, step: number, wall: number, v: number) => this.scalar(tag, step, wall, v);

  constructor(file: string, opts: TfeventsOptions) {
    this.table = opts.table ?? new MetricTable();
    this.notes = new FileNotes(file);
    this.warnings = this.notes.list;
    this.framing = new TfRecordReader(file, this);
    const where = runOfPath(file);
    this.run = opts.run ?? where.run;
    this.subset = opts.subset ?? (opts.run === undefined ? where.subset : null);
  }

  push(chunk: Uint8Array): void {
    this.framing.push(chunk);
  }

  end(): void {
    const { left, offset } = this.framing.end();
    if (left > 0) {
      this.notes.add(`record at byte ${offset}: incomplete (${left} bytes at the end of the file; it may still be being written); ignored`);
    }
    this.notes.end();
  }

  corrupt(at: number): void {
    this.notes.skippedRecord(at, 'the data checksum does not match (the record is corrupt)');
  }

  record(b: Uint8Array, dv: DataView, from: number, to: number, at: number): void {
    this.at = at;
    // a record's points go in only when all of it decodes (a bad one adds nothing)
    const points: Point[] = (this.points = []);
    try {
      readEvent(new Reader(b, dv, from, to), this.skipTags, this.onScalar);
      for (const pt of points) this.add(pt);
    } catch (e) {
      if (!(e instanceof ProtoError)) throw e;
      this.notes.skippedRecord(at, `not an Event protobuf (${e.message})`);
    }
  }

  /** A scalar of the record being decoded: its series is found (or made) now, the point kept for later. */
  private scalar(tag: string, step: number, wall: number, v: number): void {
    let s = this.byTag.get(tag);
    if (!s) {
      const { metric, subset } = splitTag(tag);
      const fields: Record<string, string> = { run: this.run, metric };
      const sub = subset ?? this.subset;
      if (sub !== null) fields.subset = sub;
      s = this.table.series(this.run, metric, fields);
      s.timeFromWall = true;
      this.byTag.set(tag, s);
    }
    this.points.push({ s, tag, step, v, wall });
  }

  /** A point of a record that decoded whole. */
  private add(p: Point): void {
    if ((p.v > F32_MAX || p.v < -F32_MAX) && beyondFloat32(p.v)) this.notes.beyondFloat32(p.tag, `record at byte ${this.at}`, p.v);
    const time = p.wall === p.wall ? p.wall - this.table.origin(this.run, p.wall) : NaN;
    p.s.push(p.step, p.v, time, p.wall, NaN);
  }
}

export function createTfeventsParser(fileName: string, opts: TfeventsOptions = {}): ByteParser {
  return new TfeventsParser(fileName, opts);
}

export function parseTfevents(fileName: string, bytes: Uint8Array, opts: TfeventsOptions = {}): MetricTable {
  const p = createTfeventsParser(fileName, opts);
  p.push(bytes);
  p.end();
  return p.table;
}
