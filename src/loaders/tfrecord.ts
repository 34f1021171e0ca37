/**
 * TFRecord framing: uint64 length (little-endian), uint32 masked CRC32C of those 8 bytes, the
 * data, uint32 masked CRC32C of the data. Both checksums are verified. A bad length checksum (or
 * an implausible length) loses the framing: a LoadError naming the file and the record's byte
 * offset, and the file stops there (every later push throws it again). A bad data checksum only
 * spoils that record (its length is known): the records after it are read. An incomplete record
 * at the end waits for more bytes (a file still being written).
 */
import { crc32c, maskCrc } from './crc32c';
import { LoadError } from './rows';

const MAX_RECORD = 1 << 30;

/** What the framing finds, record by record. */
export interface RecordHandler {
  /** a record whose checksums hold: its data is b[from, to), at byte `at` of the file */
  record(b: Uint8Array, dv: DataView, from: number, to: number, at: number): void;
  /** a record at byte `at` whose data checksum does not match */
  corrupt(at: number): void;
}

/** True when bytes start with a TFRecord header whose length checksum holds. */
export function looksLikeTfrecord(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return dv.getUint32(8, true) === maskCrc(crc32c(bytes, 0, 8));
}

/** Cuts the bytes of a file, pushed in any pieces, into records. */
export class TfRecordReader {
  private buf = new Uint8Array(1 << 16);
  private start = 0;
  private stop = 0;
  /** file offset of buf[start] */
  private offset = 0;
  private failed: LoadError | null = null;

  constructor(
    private readonly file: string,
    private readonly handler: RecordHandler,
  ) {}

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

  /** The file is complete: the incomplete record left at its end (bytes and offset; 0 bytes: none), dropped. */
  end(): { left: number; offset: number } {
    if (this.failed) throw this.failed;
    const left = { left: this.stop - this.start, offset: this.offset };
    this.start = this.stop = 0;
    return left;
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
      if (dv.getUint32(p + 12 + n, true) !== maskCrc(crc32c(b, p + 12, p + 12 + n))) this.handler.corrupt(at);
      else this.handler.record(b, dv, p + 12, p + 12 + n, at);
      p += 16 + n;
    }
    this.offset += p - this.start;
    this.start = p;
    if (this.start === this.stop) this.start = this.stop = 0;
  }
}
