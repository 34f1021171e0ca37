/**
 * Quads as plain vertices, four per span or segment, drawn with one shared index pattern
 * (0 1 2, 2 1 3). Instanced quads would send a quarter of the bytes, but SwiftShader (and some
 * drivers) run instancing through a slow path: 75k instanced quads took 560 ms here against
 * 30 ms as indexed triangles. Each vertex carries its corner in its code: code = slot * 4 + k,
 * k = (right ? 1 : 0) + (bottom/across ? 2 : 0); the vertex shader widens the quad by the
 * series' width from the style texture.
 */
import type { F32Out } from './outbuf';

/** [column, top, bottom, slot] spans -> 4 x (column, y, code) vertices. */
export function spanVertices(spans: Float32Array, count: number, out: F32Out): number {
  const d = out.reserve(12 * count);
  let k = out.length;
  for (let i = 0; i < count; i++) {
    const c = spans[4 * i], top = spans[4 * i + 1], bottom = spans[4 * i + 2], code = spans[4 * i + 3] * 4;
    d[k] = c; d[k + 1] = top; d[k + 2] = code;
    d[k + 3] = c; d[k + 4] = top; d[k + 5] = code + 1;
    d[k + 6] = c; d[k + 7] = bottom; d[k + 8] = code + 2;
    d[k + 9] = c; d[k + 10] = bottom; d[k + 11] = code + 3;
    k += 12;
  }
  out.length = k;
  return count;
}

/** [a, b, c, d, slot] records (segments) -> 4 x (a, b, c, d, code) vertices. */
export function recordVertices(records: Float32Array, count: number, out: F32Out): number {
  const d = out.reserve(20 * count);
  let k = out.length;
  for (let i = 0; i < count; i++) {
    const r = 5 * i, code = records[r + 4] * 4;
    for (let corner = 0; corner < 4; corner++) {
      d[k] = records[r]; d[k + 1] = records[r + 1]; d[k + 2] = records[r + 2]; d[k + 3] = records[r + 3];
      d[k + 4] = code + corner;
      k += 5;
    }
  }
  out.length = k;
  return count;
}
