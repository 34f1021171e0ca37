#define SHADER_NAME spans.vert
// Dense regime: one quad per pixel column per series, spanning the column's min..max plus the
// joins to its neighbours (see src/decimate/columns.ts). Positions arrive in device px relative
// to the plot's top-left corner, already reduced from float64 by the worker.
precision highp float;

attribute vec2 corner;      // (0|1, 0|1) per vertex of the quad
attribute vec4 span;        // per instance: column, top, bottom (device px), slot

uniform vec2 plotSize;      // device px
uniform sampler2D styles;   // two texels per slot: colour, then (width px, visible, -, -)
uniform vec2 stylesSize;

varying vec4 vColor;

vec4 styleTexel(float slot, float k) {
  float i = slot * 2.0 + k;
  vec2 uv = vec2((mod(i, stylesSize.x) + 0.5) / stylesSize.x, (floor(i / stylesSize.x) + 0.5) / stylesSize.y);
  return texture2D(styles, uv);
}

void main() {
  vec4 params = styleTexel(span.w, 1.0);
  float w = max(1.0, floor(params.x + 0.5));
  // whole device pixels horizontally, so a one-pixel line covers exactly its column
  float x0 = span.x - floor((w - 1.0) * 0.5);
  float x = x0 + corner.x * w;
  // half the width above and below, so a flat stretch is as thick as the line
  float y = mix(span.y - 0.5 * w, span.z + 0.5 * w, corner.y);
  // a hidden series collapses to one point outside the clip volume: nothing is rasterised
  gl_Position = params.y > 0.5 ? vec4(x / plotSize.x * 2.0 - 1.0, 1.0 - y / plotSize.y * 2.0, 0.0, 1.0) : vec4(-2.0, -2.0, 0.0, 1.0);
  vColor = styleTexel(span.w, 0.0);
}
