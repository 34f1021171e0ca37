/**
 * Reading smoothed values back from the GPU scan's output (four points per texel): a few points
 * by index (a hover), or a contiguous range (`Chart.smoothed`). Skipped points (outputs at or
 * above 1e38) come back as NaN.
 */
import type { Regl } from 'regl';
import { ROW } from './constants';
import type { ScanPasses } from './gpu-passes';
import { destroyTarget, makeTarget, type Target } from './gpu-targets';

/** The values at these point indices, gathered into a small target and read. */
export function gatherValues(regl: Regl, passes: ScanPasses, out: Target, indices: readonly number[]): Float32Array {
  const k = indices.length;
  const width = Math.min(k, ROW), height = Math.ceil(k / width);
  const idx = new Float32Array(width * height);
  idx.set(indices);
  const indicesTex = regl.texture({ width, height, format: 'luminance', type: 'float', data: idx });
  const target = makeTarget(regl, width * height);
  passes.gather({ target, values: out.tex, valuesSize: [out.width, out.height], indices: indicesTex, indicesSize: [width, height] });
  const px = regl.read({ framebuffer: target.fbo, x: 0, y: 0, width: target.width, height: target.height, data: new Float32Array(target.width * target.height * 4) }) as Float32Array;
  indicesTex.destroy();
  destroyTarget(target);
  const values = new Float32Array(k);
  for (let i = 0; i < k; i++) values[i] = px[4 * i] >= 1e38 ? NaN : px[4 * i];
  return values;
}

/** Points [offset, offset + n): the output rows holding them, read whole, then cut. */
export function readValues(regl: Regl, out: Target, offset: number, n: number): Float32Array {
  const t0 = Math.floor(offset / 4), t1 = Math.ceil((offset + n) / 4);
  const r0 = Math.floor(t0 / out.width), r1 = Math.floor((t1 - 1) / out.width);
  const block = regl.read({
    framebuffer: out.fbo,
    x: 0,
    y: r0,
    width: out.width,
    height: r1 - r0 + 1,
    data: new Float32Array(out.width * (r1 - r0 + 1) * 4),
  }) as Float32Array;
  const start = offset - r0 * out.width * 4;
  const values = block.slice(start, start + n);
  for (let i = 0; i < n; i++) if (values[i] >= 1e38) values[i] = NaN;
  return values;
}
