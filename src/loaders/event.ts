/**
 * A `tensorflow.Event` record's scalars: wall_time (1, double seconds), step (2, int64),
 * summary (5) { repeated value (1) { tag (1), simple_value (2, float), tensor (8), metadata (9) } }.
 * A scalar is a simple_value, or a tensor of dtype float, double, half or bfloat16 holding exactly
 * one value. Tags whose metadata names a plugin other than `scalars` are skipped from then on.
 */
import { Reader } from './proto';

/** A scalar of an Event: its tag, step, wall time (epoch ms, NaN without one) and value. */
export type ScalarFn = (tag: string, step: number, wallMs: number, v: number) => void;

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

/**
 * The scalars of the Event in r, in order, to `onScalar` (called while decoding: a ProtoError
 * later in the record means none of them should be kept). Tags found not to be scalars are
 * added to `skipTags`.
 */
export function readEvent(r: Reader, skipTags: Set<string>, onScalar: ScalarFn): void {
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
        summaryValue(new Reader(r.b, r.dv, sr.pos, sr.pos + n), step, wallMs, skipTags, onScalar);
        sr.pos += n;
      } else sr.skip(t & 7);
    }
  }
}

/** A Summary.Value: a scalar, unless its tag is not one. */
function summaryValue(r: Reader, step: number, wall: number, skipTags: Set<string>, onScalar: ScalarFn): void {
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
    if (notScalar || (plugin !== null && plugin !== '' && plugin !== 'scalars')) skipTags.add(tag);
  }
  if (skipTags.has(tag)) return;
  if (v === undefined && tensor) v = tensorScalar(new Reader(r.b, r.dv, tensor[0], tensor[1]));
  if (v === undefined) return;
  onScalar(tag, step, wall, v);
}
