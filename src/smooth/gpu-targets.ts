/**
 * Render targets of the GPU scan (float RGBA textures with their framebuffers, at most a row of
 * the data texture wide), and the scissor boxes that limit a pass to the rows an append touched.
 */
import type { Framebuffer2D, Regl, Texture2D } from 'regl';
import { ROW } from './constants';

export interface Target {
  fbo: Framebuffer2D;
  tex: Texture2D;
  width: number;
  height: number;
  /** texels in use (the last row may be partly padding) */
  count: number;
}

/** Rows of a target to render: a scissor box. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Beyond this many separate row ranges a pass just runs over the whole level. */
const MAX_BOXES = 16;

/** A target for `count` points, `perTexel` of them per texel. */
export function makeTarget(regl: Regl, count: number, perTexel = 1): Target {
  const texels = Math.max(1, Math.ceil(count / perTexel));
  const width = Math.min(ROW / perTexel, texels);
  const height = Math.max(1, Math.ceil(texels / width));
  return sizedTarget(regl, width, height, texels);
}

/** A target of exactly width x height texels. */
export function sizedTarget(regl: Regl, width: number, height: number, count = width * height): Target {
  const tex = regl.texture({ width, height, type: 'float', format: 'rgba', min: 'nearest', mag: 'nearest' });
  const fbo = regl.framebuffer({ color: tex, depthStencil: false });
  return { fbo, tex, width, height, count };
}

export function destroyTarget(t: Target | null): void {
  t?.fbo.destroy();
  t?.tex.destroy(); // a framebuffer does not own its colour texture
}

/**
 * Scissor boxes (whole rows of a target) covering point ranges, `perTexel` points per texel;
 * [undefined] (the whole target) when there are no ranges or too many.
 */
export function rowBoxes(t: Target, ranges: [number, number][] | null, perTexel: number): (Box | undefined)[] {
  if (!ranges || ranges.length === 0) return [undefined];
  const rows = ranges
    .map(([a, b]) => [Math.floor(Math.floor(a / perTexel) / t.width), Math.floor((Math.ceil(b / perTexel) - 1) / t.width)])
    .sort((p, q) => p[0] - q[0]);
  const merged: number[][] = [];
  for (const r of rows) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  if (merged.length > MAX_BOXES) return [undefined];
  return merged.map(([r0, r1]) => ({ x: 0, y: r0, width: t.width, height: r1 - r0 + 1 }));
}
