/**
 * The fragment passes of GPU smoothing (shaders/smooth/*), compiled once per context: each draws
 * one triangle over its target (or the scissored rows of it) with its own uniforms.
 */
import type { Regl } from 'regl';
import { cached, type SharedGL } from '../gpu/context';
import { shaders } from '../gpu/shaders';
import type { Box, Target } from './gpu-targets';

/** pyramid levels the spans pass can read (16^6 = 2^24 points) */
export const MAX_LEVELS = 5;

export interface PassProps {
  target: Target;
  /** rows to render, or the whole target */
  box?: Box;
  [uniform: string]: unknown;
}

function commands(regl: Regl) {
  const pass = (frag: string, uniforms: Record<string, unknown>) =>
    regl<Record<string, unknown>, {}, PassProps>({
      vert: shaders.passVert,
      frag,
      attributes: { position: [-1, -1, 3, -1, -1, 3] },
      count: 3,
      framebuffer: (_: unknown, p: PassProps) => p.target.fbo,
      viewport: (_: unknown, p: PassProps) => ({ x: 0, y: 0, width: p.target.width, height: p.target.height }),
      depth: { enable: false },
      blend: { enable: false },
      scissor: {
        enable: (_: unknown, p: PassProps) => !!p.box,
        box: (_: unknown, p: PassProps) => p.box ?? { x: 0, y: 0, width: 1, height: 1 },
      },
      uniforms: {
        dstSize: (_: unknown, p: PassProps) => [p.target.width, p.target.height],
        ...uniforms,
      },
    } as never);
  const prop = (name: string) => (_: unknown, p: PassProps) => p[name];
  const scanUniforms = {
    weight: prop('weight'),
    logWeight: prop('logWeight'),
    timeWeighted: prop('timeWeighted'),
    dxScale: prop('dxScale'),
  };
  const spansUniforms: Record<string, unknown> = {
    values: prop('values'), valuesSize: prop('valuesSize'), levels: prop('levels'),
    edges: prop('edges'), edgesSize: prop('edgesSize'), ymap: prop('ymap'), yLog: prop('yLog'), height: prop('height'),
  };
  for (let l = 1; l <= MAX_LEVELS; l++) {
    spansUniforms[`sp${l}`] = prop(`sp${l}`);
    spansUniforms[`sp${l}Size`] = prop(`sp${l}Size`);
  }
  return {
    upsweep: pass(shaders.upsweepFrag, { ...scanUniforms, src: prop('src'), srcSize: prop('srcSize'), srcCount: prop('srcCount'), fromData: prop('fromData') }),
    downsweep: pass(shaders.downsweepFrag, { ...scanUniforms, agg: prop('agg'), aggSize: prop('aggSize'), parent: prop('parent'), parentSize: prop('parentSize'), hasParent: prop('hasParent') }),
    final: pass(shaders.finalFrag, { ...scanUniforms, data: prop('data'), dataSize: prop('dataSize'), prefix: prop('prefix'), prefixSize: prop('prefixSize') }),
    gaussian: pass(shaders.gaussianFrag, { data: prop('data'), dataSize: prop('dataSize'), count: prop('count'), reach: prop('reach'), halfInvSigma2: prop('halfInvSigma2') }),
    minmax: pass(shaders.minmaxFrag, { src: prop('src'), srcSize: prop('srcSize'), srcCount: prop('srcCount'), fromValues: prop('fromValues') }),
    spans: pass(shaders.smoothSpansFrag, spansUniforms),
    gather: pass(shaders.gatherFrag, { values: prop('values'), valuesSize: prop('valuesSize'), indices: prop('indices'), indicesSize: prop('indicesSize') }),
  };
}

export type ScanPasses = ReturnType<typeof commands>;

export function scanPasses(g: SharedGL): ScanPasses {
  return cached(g, 'smooth', () => commands(g.regl));
}
