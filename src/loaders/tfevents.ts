/**
 * TensorBoard event files (`events.out.tfevents.*`), read in the browser.
 *
 * The file is a sequence of TFRecords: uint64 length (little-endian), uint32 masked CRC32C of
 * those 8 bytes, the data, uint32 masked CRC32C of the data. Both checksums are verified. A bad
 * length checksum (or an implausible length) loses the framing: that is an error naming the
 * file and the record's byte offset, and the file stops there. A bad data checksum, or data
 * that is not an Event protobuf, only spoils that record (its length is known): it is skipped
 * with a warning naming its byte offset, and the records after it are read. An incomplete
 * record at the end waits for more bytes (a file still being written); at `end` it is dropped
 * with a warning. A double value beyond float32 range is stored as ±Infinity and counted.
 *
 * Each record is a `tensorflow.Event`: wall_time (1, double seconds), step (2, int64),
 * summary (5) { repeated value (1) { tag (1), simple_value (2, float), tensor (8), metadata (9) } }.
 * A point is a simple_value, or a tensor of dtype float, double, half or bfloat16 holding exactly
 * one value (float_val / double_val / half_val or tensor_content, shape with one element).
 * Tags whose metadata names a plugin other than `scalars` (histograms, images, text, ...) are
 * skipped, as are all other summaries.
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
import { crc32c, maskCrc } from './crc32c';
import { F32_MAX, FileNotes, beyondFloat32 } from './notes';
import { LoadError, MetricTable, type SeriesBuilder } from './rows';

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

// ---- protobuf reading ------------------------------------------------------------------------

class ProtoError extends Error {}

/** Reads protobuf wire format from bytes[pos, end). */
class Reader {
  constructor(
    readonly b: Uint8Array,
    readonly dv: DataView,
    public pos: number,
    readonly end: number,
  ) {}

  varint(): number {
    const b = this.b;
    let x = 0;
    let mul = 1;
    for (let k = 0; k < 10; k++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const c = b[this.pos++];
      x += (c & 0x7f) * mul;
      if (c < 0x80) return x >= 9223372036854775808 ? x - 18446744073709551616 : x; // int64 two's complement
      mul *= 128;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** Length of a length-delimited field; leaves pos at its start. */
  len(): number {
    const n = this.varint();
    if (n > this.end - this.pos) throw new ProtoError('length past the end of the message');
    return n;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtoError('truncated double');
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    if (this.pos + 4 > this.end) throw new ProtoError('truncated float');
    const v = this.dv.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2: {
        const n = this.len(); // (not `this.pos += this.len()`: that adds to pos as it was before the length)
        this.pos += n;
        return;
      }
      case 5:
        this.pos += 4;
        break;
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
    if (this.pos > this.end) throw new ProtoError('field past the end of the message');
  }

  string(n: number): string {
    const b = this.b;
    const from = this.pos;
    this.pos += n;
    let ascii = true;
    for (let i = from; i < from + n; i++) {
      if (b[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return utf8.decode(b.subarray(from, from + n));
    let s = '';
    for (let i = from; i < from + n; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, Math.min(from + n, i + 4096)) as unknown as number[]);
    return s;
  }
}

const utf8 = new TextDecoder('utf-8');

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_BFLOAT16 = 14;
const DT_HALF = 19;

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bfloat16ToFloat(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/** The one value of a scalar TensorProto in r[pos, end), or undefined when it is not one. */
function tensorScalar(r: Reader): number | undefined {
  let dtype = 0;
  let elements = 1; // from the shape; a shape with no dims is a scalar
  const vals: number[] = [];
  let content: [number, number] | null = null;
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 0) dtype = r.varint();
    else if (field === 2 && wire === 2) {
      const n = r.len();
      const sr = new Reader(r.b, r.dv, r.pos, r.pos + n);
      r.pos += n;
      while (sr.pos < sr.end) {
        const t = sr.varint();
        if (t >>> 3 === 2 && (t & 7) === 2) {
          const dn = sr.len();
          const dr = new Reader(sr.b, sr.dv, sr.pos, sr.pos + dn);
          sr.pos += dn;
          while (dr.pos < dr.end) {
            const dt = dr.varint();
            if (dt >>> 3 === 1 && (dt & 7) === 0) elements *= dr.varint();
            else dr.skip(dt & 7);
          }
        } else if (t >>> 3 === 3 && (t & 7) === 0) {
          if (sr.varint()) return undefined; // unknown rank
        } else sr.skip(t & 7);
      }
    } else if (field === 4 && wire === 2) {
      const n = r.len();
      content = [r.pos, n];
      r.pos += n;
    } else if (field === 5 && wire === 5) vals.push(r.float());
    else if (field === 5 && wire === 2) {
      const n = r.len();
      const end = r.pos + n;
      while (r.pos < end) vals.push(r.float());
    } else if (field === 6 && wire === 1) vals.push(r.double());
    else if (field === 6 && wire === 2) {
      const n = r.len();
      const end = r.pos + n;
      while (r.pos < end) vals.push(r.double());
    } else if (field === 13 && wire === 0) vals.push(r.varint());
    else if (field === 13 && wire === 2) {
      const n = r.len();
      const end = r.pos + n;
      while (r.pos < end) vals.push(r.varint());
    } else r.skip(wire);
    if (vals.length > 1) return undefined;
  }
  if (elements !== 1) return undefined;
  const half = dtype === DT_HALF || dtype === DT_BFLOAT16;
  if (dtype !== DT_FLOAT && dtype !== DT_DOUBLE && !half) return undefined;
  if (content && content[1] > 0) {
    const [at, n] = content;
    if (dtype === DT_FLOAT && n === 4) return r.dv.getFloat32(at, true);
    if (dtype === DT_DOUBLE && n === 8) return r.dv.getFloat64(at, true);
    if (half && n === 2) {
      const h = r.dv.getUint16(at, true);
      return dtype === DT_HALF ? halfToFloat(h) : bfloat16ToFloat(h);
    }
    return undefined;
  }
  if (vals.length !== 1) return undefined;
  if (half) return dtype === DT_HALF ? halfToFloat(vals[0]) : bfloat16ToFloat(vals[0]);
  return vals[0];
}

/** plugin_name of a SummaryMetadata, and whether its data_class says "not a scalar". */
function pluginOf(r: Reader): { plugin: string | null; notScalar: boolean } {
  let plugin: string | null = null;
  let notScalar = false;
  while (r.pos < r.end) {
    const t = r.varint();
    const field = Math.floor(t / 8);
    const wire = t & 7;
    if (field === 1 && wire === 2) {
      const n = r.len();
      const pr = new Reader(r.b, r.dv, r.pos, r.pos + n);
      r.pos += n;
      while (pr.pos < pr.end) {
        const pt = pr.varint();
        if (pt >>> 3 === 1 && (pt & 7) === 2) plugin = pr.string(pr.len());
        else pr.skip(pt & 7);
      }
    } else if (field === 4 && wire === 0) {
      const dc = r.varint();
      if (dc !== 0 && dc !== 1) notScalar = true; // DATA_CLASS_SCALAR = 1
    } else r.skip(wire);
  }
  return { plugin, notScalar };
}

// ---- the parser --------------------------------------------------------------------------------

const MAX_RECORD = 1 << 30;

/** A point read from a record, added once the whole record has decoded. */
interface Point {
  s: SeriesBuilder;
  tag: string;
  step: number;
  v: number;
  wall: number;
}

class TfeventsParser implements ByteParser {
  readonly table: MetricTable;
  readonly warnings: string[];
  private readonly notes: FileNotes;
  /** byte offset of the record being read (for warnings about its values) */
  private at = 0;
  private buf = new Uint8Array(1 << 16);
  private start = 0;
  private stop = 0;
  /** file offset of buf[start] */
  private offset = 0;
  private failed: LoadError | null = null;
  private readonly run: string;
  private readonly subset: string | null;
  private readonly skipTags = new Set<string>();
  private readonly byTag = new Map<string, SeriesBuilder>();

  constructor(
    private readonly file: string,
    opts: TfeventsOptions,
  ) {
    this.table = opts.table ?? new MetricTable();
    this.notes = new FileNotes(file);
    this.warnings = this.notes.list;
    const where = runOfPath(file);
    this.run = opts.run ?? where.run;
    this.subset = opts.subset ?? (opts.run === undefined ? where.subset : null);
  }

  private fail(at: number, detail: string): never {
    this.failed = new LoadError(this.file, `record at byte ${at}: ${detail}`);
    throw this.failed;
  }

  push(chunk: Uint8Array): void {
    if (this.failed) throw this.failed;
    const have = this.stop - this.start;
    if (have + chunk.length > this.buf.length - this.start) {
      if (have + chunk.length > this.buf.length) {
        let cap = this.buf.length;
        while (cap < have + chunk.length) cap *= 2;
        const nb = new Uint8Array(cap);
        nb.set(this.buf.subarray(this.start, this.stop));
        this.buf = nb;
      } else this.buf.copyWithin(0, this.start, this.stop);
      this.start = 0;
      this.stop = have;
    }
    this.buf.set(chunk, this.stop);
    this.stop += chunk.length;
    this.records();
  }

  end(): void {
    if (this.failed) throw this.failed;
    const left = this.stop - this.start;
    if (left > 0) {
      this.notes.add(`record at byte ${this.offset}: incomplete (${left} bytes at the end of the file; it may still be being written); ignored`);
    }
    this.start = this.stop = 0;
    this.notes.end();
  }

  private records(): void {
    const b = this.buf;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let p = this.start;
    while (this.stop - p >= 12) {
      const at = this.offset + (p - this.start);
      const lo = dv.getUint32(p, true);
      const hi = dv.getUint32(p + 4, true);
      if (dv.getUint32(p + 8, true) !== maskCrc(crc32c(b, p, p + 8))) this.fail(at, 'the length checksum does not match (not an event file, or corrupt)');
      const n = hi * 4294967296 + lo;
      if (n > MAX_RECORD) this.fail(at, `implausible record length ${n}`);
      if (this.stop - p < 16 + n) break; // the rest has not been written yet
      if (dv.getUint32(p + 12 + n, true) !== maskCrc(crc32c(b, p + 12, p + 12 + n))) {
        this.notes.skippedRecord(at, 'the data checksum does not match (the record is corrupt)');
      } else {
        this.at = at;
        // a record's points go in only when all of it decodes (a bad one adds nothing)
        const points: Point[] = [];
        try {
          this.event(new Reader(b, dv, p + 12, p + 12 + n), points);
          for (const pt of points) this.add(pt);
        } catch (e) {
          if (!(e instanceof ProtoError)) throw e;
          this.notes.skippedRecord(at, `not an Event protobuf (${e.message})`);
        }
      }
      p += 16 + n;
    }
    this.offset += p - this.start;
    this.start = p;
    if (this.start === this.stop) this.start = this.stop = 0;
  }

  private event(r: Reader, points: Point[]): void {
    let wall = NaN;
    let step = 0;
    let summaries: number[] | null = null;
    while (r.pos < r.end) {
      const t = r.varint();
      const field = Math.floor(t / 8);
      const wire = t & 7;
      if (field === 1 && wire === 1) wall = r.double();
      else if (field === 2 && wire === 0) step = r.varint();
      else if (field === 5 && wire === 2) {
        const n = r.len();
        (summaries ??= []).push(r.pos, r.pos + n);
        r.pos += n;
      } else r.skip(wire);
    }
    if (!summaries) return;
    const wallMs = wall * 1000;
    for (let i = 0; i < summaries.length; i += 2) {
      const sr = new Reader(r.b, r.dv, summaries[i], summaries[i + 1]);
      while (sr.pos < sr.end) {
        const t = sr.varint();
        if (t >>> 3 === 1 && (t & 7) === 2) {
          const n = sr.len();
          this.value(new Reader(r.b, r.dv, sr.pos, sr.pos + n), step, wallMs, points);
          sr.pos += n;
        } else sr.skip(t & 7);
      }
    }
  }

  /** A Summary.Value: a point if it is a scalar. */
  private value(r: Reader, step: number, wall: number, points: Point[]): void {
    let tag = '';
    let v: number | undefined;
    let tensor: [number, number] | null = null;
    let meta: [number, number] | null = null;
    while (r.pos < r.end) {
      const t = r.varint();
      const field = Math.floor(t / 8);
      const wire = t & 7;
      if (field === 1 && wire === 2) tag = r.string(r.len());
      else if (field === 2 && wire === 5) v = r.float();
      else if ((field === 8 || field === 9) && wire === 2) {
        const n = r.len();
        if (field === 8) tensor = [r.pos, r.pos + n];
        else meta = [r.pos, r.pos + n];
        r.pos += n;
      } else r.skip(wire);
    }
    if (meta) {
      const { plugin, notScalar } = pluginOf(new Reader(r.b, r.dv, meta[0], meta[1]));
      if (notScalar || (plugin !== null && plugin !== '' && plugin !== 'scalars')) this.skipTags.add(tag);
    }
    if (this.skipTags.has(tag)) return;
    if (v === undefined && tensor) v = tensorScalar(new Reader(r.b, r.dv, tensor[0], tensor[1]));
    if (v === undefined) return;
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
    points.push({ s, tag, step, v, wall });
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

/** True when bytes start with a TFRecord header whose length checksum holds. */
export function looksLikeTfrecord(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return dv.getUint32(8, true) === maskCrc(crc32c(bytes, 0, 8));
}

export function parseTfevents(fileName: string, bytes: Uint8Array, opts: TfeventsOptions = {}): MetricTable {
  const p = createTfeventsParser(fileName, opts);
  p.push(bytes);
  p.end();
  return p.table;
}
