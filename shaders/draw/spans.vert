#define SHADER_NAME draw/spans.vert
// Dense regime: one quad per pixel column per series, spanning the column's min..max plus the
// joins to its neighbours (see src/decimate/columns.ts). Positions arrive in device px relative
// to the plot's top-left corner, already reduced from float64 by the worker.

attribute vec2 corner;      // (0|1, 0|1) per vertex of the quad
attribute vec4 span;        // per instance: column, top, bottom (device px), slot

varying vec4 vColor;

void main() {
  vec4 params = styleTexel(span.w, 1.0);
  float w = max(1.0, floor(params.x + 0.5));
  gl_Position = params.y > 0.5 ? toClip(spanCorner(corner, span.x, span.y, span.z, w)) : NOWHERE;
  vColor = styleTexel(span.w, 0.0);
}
