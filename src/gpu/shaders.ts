/**
 * The one shader loader: every pass's GLSL lives in shaders/ as a real file (one per pass, with
 * `#define SHADER_NAME`), inlined at build time by Vite's `?raw`.
 */
import spansVert from '../../shaders/draw/spans.vert?raw';
import segmentsVert from '../../shaders/draw/segments.vert?raw';
import lineFrag from '../../shaders/draw/line.frag?raw';

export const shaders = {
  spansVert,
  segmentsVert,
  lineFrag,
} as const;
