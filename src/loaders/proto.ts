/**
 * Protobuf wire format, read in place from the bytes of a record: only what Event messages need
 * (varints, doubles, floats, length-delimited fields, skipping the rest).
 */

/** The bytes are not the protobuf message they should be (the record is skipped). */
export class ProtoError extends Error {}

const utf8 = new TextDecoder('utf-8');

/** Reads protobuf wire format from bytes[pos, end). */
export class Reader {
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
