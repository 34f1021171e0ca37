/**
 * ClickHouse's RowBinary format, both ways, column-wise: answers decode straight into typed
 * arrays (one per column, no JS object per row), insert rows encode from typed arrays.
 *
 * RowBinary is rows of values back to back, little-endian, no header: fixed-width numbers as
 * their bytes, String as a LEB128 length then the bytes, Nullable(T) as one byte (1: NULL, then
 * nothing) before T. 18.16 has RowBinary but not RowBinaryWithNamesAndTypes (system.formats), so
 * the reader must be told the column types; every query here names them next to its SQL.
 *
 * Int64 / UInt64 become float64 numbers: exact up to 2^53, which covers every count and ordinal
 * this server stores; a value beyond that is refused rather than silently rounded.
 */

export type ColumnType = 'UInt8' | 'Int32' | 'Int64' | 'UInt64' | 'Float32' | 'Float64' | 'String';
export type ColumnSpec = ColumnType | `Nullable(${Exclude<ColumnType, 'String'>})`;

/** What a column decodes to; a Nullable column's NULLs are NaN in the values and 1 in `nulls`. */
export type ColumnData = Uint8Array | Int32Array | Float32Array | Float64Array | string[];

export interface DecodedColumn {
  values: ColumnData;
  /** only for Nullable columns */
  nulls?: Uint8Array;
}

const WIDTH: Record<Exclude<ColumnType, 'String'>, number> = { UInt8: 1, Int32: 4, Int64: 8, UInt64: 8, Float32: 4, Float64: 8 };
const TWO32 = 2 ** 32;

function alloc(t: ColumnType, n: number): ColumnData {
  switch (t) {
    case 'UInt8': return new Uint8Array(n);
    case 'Int32': return new Int32Array(n);
    case 'Float32': return new Float32Array(n);
    case 'String': return new Array<string>(n);
    default: return new Float64Array(n);
  }
}

function parseSpec(spec: ColumnSpec): { t: ColumnType; nullable: boolean } {
  const m = /^Nullable\((\w+)\)$/.exec(spec);
  return m ? { t: m[1] as ColumnType, nullable: true } : { t: spec as ColumnType, nullable: false };
}

function bad(why: string): never {
  throw new Error(`malformed RowBinary answer: ${why}`);
}

/**
 * Decode a whole answer whose columns have the given types. A fixed-width layout (no String, no
 * Nullable) is sized from the byte count; otherwise rows are counted in a first pass.
 */
export function decodeRowBinary(buf: Buffer, specs: readonly ColumnSpec[]): DecodedColumn[] {
  const cols = specs.map(parseSpec);
  const fixed = cols.every((c) => !c.nullable && c.t !== 'String');
  let rows: number;
  if (fixed) {
    const width = cols.reduce((s, c) => s + WIDTH[c.t as Exclude<ColumnType, 'String'>], 0);
    if (buf.length % width !== 0) bad(`${buf.length} bytes is not a whole number of ${width}-byte rows`);
    rows = buf.length / width;
  } else {
    rows = 0;
    for (let at = 0; at < buf.length; rows++) for (const c of cols) at = skip(buf, at, c.t, c.nullable);
  }
  const out: DecodedColumn[] = cols.map((c) => ({ values: alloc(c.t, rows), ...(c.nullable ? { nulls: new Uint8Array(rows) } : {}) }));
  let at = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols.length; j++) {
      const { t, nullable } = cols[j];
      const col = out[j];
      if (nullable) {
        if (at >= buf.length) bad('cut short');
        if (buf[at++] === 1) {
          col.nulls![r] = 1;
          (col.values as Float64Array)[r] = NaN;
          continue;
        }
      }
      at = readValue(buf, at, t, col.values, r);
    }
  }
  if (at !== buf.length) bad(`${buf.length - at} bytes left over`);
  return out;
}

function readVarUInt(buf: Buffer, at: number): [number, number] {
  let v = 0, mul = 1;
  for (;;) {
    if (at >= buf.length) bad('cut short in a length');
    const b = buf[at++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, at];
    mul *= 128;
    if (mul > 2 ** 49) bad('string length too large');
  }
}

function skip(buf: Buffer, at: number, t: ColumnType, nullable: boolean): number {
  if (nullable) {
    if (at >= buf.length) bad('cut short');
    if (buf[at++] === 1) return at;
  }
  if (t === 'String') {
    const [len, p] = readVarUInt(buf, at);
    if (p + len > buf.length) bad('cut short in a string');
    return p + len;
  }
  if (at + WIDTH[t] > buf.length) bad('cut short');
  return at + WIDTH[t];
}

function readValue(buf: Buffer, at: number, t: ColumnType, values: ColumnData, r: number): number {
  switch (t) {
    case 'UInt8': (values as Uint8Array)[r] = buf[at]; return at + 1;
    case 'Int32': (values as Int32Array)[r] = buf.readInt32LE(at); return at + 4;
    case 'Float32': (values as Float32Array)[r] = buf.readFloatLE(at); return at + 4;
    case 'Float64': (values as Float64Array)[r] = buf.readDoubleLE(at); return at + 8;
    case 'UInt64':
    case 'Int64': {
      const lo = buf.readUInt32LE(at), hi = t === 'Int64' ? buf.readInt32LE(at + 4) : buf.readUInt32LE(at + 4);
      const v = hi * TWO32 + lo;
      if (!Number.isSafeInteger(v)) bad(`${t} ${v} beyond 2^53`);
      (values as Float64Array)[r] = v;
      return at + 8;
    }
    case 'String': {
      const [len, p] = readVarUInt(buf, at);
      (values as string[])[r] = buf.toString('utf8', p, p + len);
      return p + len;
    }
  }
}

/** One insert column: its type and its values (numbers for every numeric type). */
export interface EncodeColumn {
  type: ColumnType;
  values: ArrayLike<number> | readonly string[];
}

/** Encode rows for `INSERT ... FORMAT RowBinary`; every column must have the same length. */
export function encodeRowBinary(columns: readonly EncodeColumn[]): Buffer {
  const n = columns.length ? columns[0].values.length : 0;
  let size = 0;
  const strings: (Buffer[] | null)[] = columns.map((c) => {
    if (c.values.length !== n) throw new Error(`RowBinary columns of different lengths (${c.values.length} and ${n})`);
    if (c.type !== 'String') {
      size += WIDTH[c.type] * n;
      return null;
    }
    const bufs = Array.from(c.values as readonly string[], (s) => Buffer.from(String(s), 'utf8'));
    for (const b of bufs) size += varUIntSize(b.length) + b.length;
    return bufs;
  });
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j];
      const v = (c.values as ArrayLike<number>)[r];
      switch (c.type) {
        case 'UInt8': out[at] = v; at += 1; break;
        case 'Int32': out.writeInt32LE(v, at); at += 4; break;
        case 'Float32': out.writeFloatLE(v, at); at += 4; break;
        case 'Float64': out.writeDoubleLE(v, at); at += 8; break;
        case 'Int64':
        case 'UInt64': {
          if (!Number.isSafeInteger(v) || (c.type === 'UInt64' && v < 0)) throw new RangeError(`${c.type} value ${v} is not a safe integer`);
          const lo = v % TWO32 >>> 0; // two's complement low word, also for negatives
          out.writeUInt32LE(lo, at);
          out.writeInt32LE(Math.floor(v / TWO32) | 0, at + 4);
          at += 8;
          break;
        }
        case 'String': {
          const b = strings[j]![r];
          at = writeVarUInt(out, at, b.length);
          b.copy(out, at);
          at += b.length;
          break;
        }
      }
    }
  }
  return out;
}

function varUIntSize(v: number): number {
  let s = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    s++;
  }
  return s;
}

function writeVarUInt(out: Buffer, at: number, v: number): number {
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}
