/**
 * The binary answer to POST /api/aggregated: one group's whole aggregate (AggregatedGroup, what
 * chart.aggregated() returns) in one ArrayBuffer, never per-point JSON.
 *
 *   header  4 x u32: magic 'AGGL', version, n (union x), 0
 *   then x (f64), line, low, high (f32), n (u16), each n values from a multiple of 8
 *
 * 22 bytes a union x: asked for by a call that wants every value, not by views.
 */
import type { AggregatedGroup } from '../protocol/messages';

const MAGIC = 0x4c474741; // 'AGGL' little-endian
const VERSION = 1;
const HEADER = 16;

const align8 = (n: number) => (n + 7) & ~7;

function offsets(n: number): number[] {
  const at = [HEADER];
  for (const size of [8, 4, 4, 4, 2]) at.push(align8(at[at.length - 1] + n * size));
  return at;
}

export function encodeAggregated(g: AggregatedGroup): ArrayBuffer {
  const n = g.x.length;
  const at = offsets(n);
  const buf = new ArrayBuffer(at[5]);
  new Uint32Array(buf, 0, 4).set([MAGIC, VERSION, n, 0]);
  new Float64Array(buf, at[0], n).set(g.x);
  new Float32Array(buf, at[1], n).set(g.line);
  new Float32Array(buf, at[2], n).set(g.low);
  new Float32Array(buf, at[3], n).set(g.high);
  new Uint16Array(buf, at[4], n).set(g.n);
  return buf;
}

/** The group held in `buf` (views into it). */
export function decodeAggregated(buf: ArrayBuffer): AggregatedGroup {
  if (buf.byteLength < HEADER) throw new Error('not an aggregate answer: too short');
  const [magic, version, n] = new Uint32Array(buf, 0, 4);
  if (magic !== MAGIC) throw new Error('not an aggregate answer: bad magic');
  if (version !== VERSION) throw new Error(`aggregate answer version ${version}, this client reads ${VERSION}`);
  const at = offsets(n);
  if (buf.byteLength !== at[5]) throw new Error(`aggregate answer of ${buf.byteLength} bytes, its header says ${at[5]}`);
  return {
    x: new Float64Array(buf, at[0], n), line: new Float32Array(buf, at[1], n), low: new Float32Array(buf, at[2], n),
    high: new Float32Array(buf, at[3], n), n: new Uint16Array(buf, at[4], n),
  };
}
