/**
 * The binary answer to a view: an M4Result (m4.ts) packed into one ArrayBuffer, never
 * per-point JSON. It crosses HTTP / a WebSocket as is and is posted to the decimation worker as a
 * transferable; `decode` returns typed-array views into the buffer, nothing is copied.
 *
 *   header   8 x u32: magic 'M4GL', version, series, buckets, points, W, 0, 0
 *   then every array of the result, in the order of FIELDS, each starting at a multiple of 8
 *
 * Size: 60 bytes per bucket (3 x i32 + 4 x f64 x + 4 x f32 y), at most one bucket per pixel
 * column per dense series, so a view costs at most 60 x W x runs + 41 bytes per series + 16 per
 * point of sparse series (which have <= W points) + 32: within 64 bytes x W x runs.
 */
import { emptyBuckets, emptyPoints, emptyStats, type M4Result } from './m4';

const MAGIC = 0x4c47344d; // 'M4GL' little-endian
const VERSION = 1;
const HEADER = 32;

type Ctor = Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
type Section = 'series' | 'buckets' | 'points';

const FIELDS: [Section, string, Ctor][] = [
  ['series', 'id', Int32Array], ['series', 'n', Int32Array], ['series', 'nonFinite', Int32Array], ['series', 'nonPositive', Int32Array],
  ['series', 'dense', Uint8Array], ['series', 'beforeX', Float64Array], ['series', 'beforeY', Float32Array],
  ['series', 'afterX', Float64Array], ['series', 'afterY', Float32Array],
  ['buckets', 'series', Int32Array], ['buckets', 'col', Int32Array], ['buckets', 'n', Int32Array],
  ['buckets', 'firstX', Float64Array], ['buckets', 'firstY', Float32Array], ['buckets', 'lastX', Float64Array], ['buckets', 'lastY', Float32Array],
  ['buckets', 'minX', Float64Array], ['buckets', 'minY', Float32Array], ['buckets', 'maxX', Float64Array], ['buckets', 'maxY', Float32Array],
  ['points', 'series', Int32Array], ['points', 'x', Float64Array], ['points', 'y', Float32Array],
];

type Arrays = Record<string, Float64Array | Float32Array | Int32Array | Uint8Array>;

function counts(r: M4Result): Record<Section, number> {
  return { series: r.series.id.length, buckets: r.buckets.series.length, points: r.points.series.length };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Bytes `encode` writes for a result of these sizes. */
export function encodedBytes(n: Record<Section, number>): number {
  let at = HEADER;
  for (const [sec, , C] of FIELDS) at = align8(at + n[sec] * C.BYTES_PER_ELEMENT);
  return at;
}

export function encode(r: M4Result, W: number): ArrayBuffer {
  const n = counts(r);
  const buf = new ArrayBuffer(encodedBytes(n));
  new Uint32Array(buf, 0, 8).set([MAGIC, VERSION, n.series, n.buckets, n.points, W, 0, 0]);
  let at = HEADER;
  for (const [sec, name, C] of FIELDS) {
    const src = (r[sec] as unknown as Arrays)[name];
    if (src.length !== n[sec]) throw new Error(`${sec}.${name} has ${src.length} values, not ${n[sec]}`);
    new C(buf, at, n[sec]).set(src);
    at = align8(at + n[sec] * C.BYTES_PER_ELEMENT);
  }
  return buf;
}

/** The result held in `buf` (views into it) and its column count. */
export function decode(buf: ArrayBuffer): { result: M4Result; W: number } {
  if (buf.byteLength < HEADER) throw new Error('not an M4 answer: too short');
  const [magic, version, series, buckets, points, W] = new Uint32Array(buf, 0, 8);
  if (magic !== MAGIC) throw new Error('not an M4 answer: bad magic');
  if (version !== VERSION) throw new Error(`M4 answer version ${version}, this client reads ${VERSION}`);
  const n: Record<Section, number> = { series, buckets, points };
  if (buf.byteLength !== encodedBytes(n)) throw new Error(`M4 answer of ${buf.byteLength} bytes, its header says ${encodedBytes(n)}`);
  const result: M4Result = { series: emptyStats(0), buckets: emptyBuckets(0), points: emptyPoints(0) };
  let at = HEADER;
  for (const [sec, name, C] of FIELDS) {
    (result[sec] as unknown as Arrays)[name] = new C(buf, at, n[sec]);
    at = align8(at + n[sec] * C.BYTES_PER_ELEMENT);
  }
  return { result, W };
}
