/**
 * The one shader loader: every pass's GLSL lives in shaders/ as a real file (one per pass, with
 * `#define SHADER_NAME`), inlined at build time by Vite's `?raw`. Shared chunks (common.glsl)
 * are prepended here, after the pass's SHADER_NAME line, so error messages still name the pass.
 */
import drawCommon from '../../shaders/draw/common.glsl?raw';
import spansVert from '../../shaders/draw/spans.vert?raw';
import segmentsVert from '../../shaders/draw/segments.vert?raw';
import smoothSpansVert from '../../shaders/draw/smooth-spans.vert?raw';
import smoothSegmentsVert from '../../shaders/draw/smooth-segments.vert?raw';
import lineFrag from '../../shaders/draw/line.frag?raw';
import imageVert from '../../shaders/draw/image.vert?raw';
import slotsFrag from '../../shaders/draw/slots.frag?raw';
import densityFrag from '../../shaders/draw/density.frag?raw';
import smoothCommon from '../../shaders/smooth/common.glsl?raw';
import passVert from '../../shaders/smooth/pass.vert?raw';
import upsweepFrag from '../../shaders/smooth/upsweep.frag?raw';
import downsweepFrag from '../../shaders/smooth/downsweep.frag?raw';
import finalFrag from '../../shaders/smooth/final.frag?raw';
import gaussianFrag from '../../shaders/smooth/gaussian.frag?raw';
import minmaxFrag from '../../shaders/smooth/minmax.frag?raw';
import smoothSpansFrag from '../../shaders/smooth/spans.frag?raw';
import gatherFrag from '../../shaders/smooth/gather.frag?raw';

function withChunk(chunk: string, src: string): string {
  const nl = src.indexOf('\n');
  return `${src.slice(0, nl + 1)}${chunk}\n${src.slice(nl + 1)}`;
}

export const shaders = {
  spansVert: withChunk(drawCommon, spansVert),
  segmentsVert: withChunk(drawCommon, segmentsVert),
  smoothSpansVert: withChunk(drawCommon, smoothSpansVert),
  smoothSegmentsVert: withChunk(drawCommon, smoothSegmentsVert),
  lineFrag,
  imageVert: withChunk(drawCommon, imageVert),
  // the slot colours come from the style texture: the chunk's styleTexel
  slotsFrag: withChunk(drawCommon, slotsFrag),
  densityFrag: withChunk('precision highp float;', densityFrag),
  passVert,
  upsweepFrag: withChunk(smoothCommon, upsweepFrag),
  downsweepFrag: withChunk(smoothCommon, downsweepFrag),
  finalFrag: withChunk(smoothCommon, finalFrag),
  gaussianFrag: withChunk(smoothCommon, gaussianFrag),
  minmaxFrag: withChunk(smoothCommon, minmaxFrag),
  smoothSpansFrag: withChunk(smoothCommon, smoothSpansFrag),
  gatherFrag: withChunk(smoothCommon, gatherFrag),
} as const;
