#define SHADER_NAME segments.vert
// Sparse regime: the series' real segments as quads of the series' width, with square caps so
// that consecutive segments join without notches and a zero-length segment (a lone point
// between breaks) is a visible square dot.
precision highp float;

attribute vec2 corner;      // (0|1 along, 0|1 across) per vertex of the quad
attribute vec4 seg;         // per instance: ax, ay, bx, by in device px
attribute float slot;       // per instance

uniform vec2 plotSize;
uniform sampler2D styles;
uniform vec2 stylesSize;

varying vec4 vColor;

vec4 styleTexel(float s, float k) {
  float i = s * 2.0 + k;
  vec2 uv = vec2((mod(i, stylesSize.x) + 0.5) / stylesSize.x, (floor(i / stylesSize.x) + 0.5) / stylesSize.y);
  return texture2D(styles, uv);
}

void main() {
  vec4 params = styleTexel(slot, 1.0);
  float hw = 0.5 * max(1.0, params.x);
  vec2 a = seg.xy;
  vec2 b = seg.zw;
  vec2 d = b - a;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  vec2 nrm = vec2(-dir.y, dir.x);
  vec2 p = mix(a - dir * hw, b + dir * hw, corner.x) + nrm * hw * (corner.y * 2.0 - 1.0);
  // a hidden series collapses to one point outside the clip volume: nothing is rasterised
  gl_Position = params.y > 0.5 ? vec4(p.x / plotSize.x * 2.0 - 1.0, 1.0 - p.y / plotSize.y * 2.0, 0.0, 1.0) : vec4(-2.0, -2.0, 0.0, 1.0);
  vColor = styleTexel(slot, 0.0);
}
