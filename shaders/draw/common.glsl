// Shared by the line-drawing vertex shaders (prepended by src/gpu/shaders.ts): the per-slot
// style texture and the two quad shapes (a column span, a segment with square caps).
precision highp float;

uniform vec2 plotSize;      // device px
uniform sampler2D styles;   // two texels per slot: colour, then (width px, visible, -, -)
uniform vec2 stylesSize;

vec4 styleTexel(float slot, float k) {
  float i = slot * 2.0 + k;
  vec2 uv = vec2((mod(i, stylesSize.x) + 0.5) / stylesSize.x, (floor(i / stylesSize.x) + 0.5) / stylesSize.y);
  return texture2D(styles, uv);
}

vec4 toClip(vec2 p) {
  return vec4(p.x / plotSize.x * 2.0 - 1.0, 1.0 - p.y / plotSize.y * 2.0, 0.0, 1.0);
}

// A vertex's code is slot * 4 + corner (see src/decimate/vertices.ts): quads as plain vertices.
float slotOf(float code) {
  return floor(code / 4.0);
}

vec2 cornerOf(float code) {
  float k = code - floor(code / 4.0) * 4.0;
  return vec2(mod(k, 2.0), floor(k / 2.0));
}

// outside the clip volume: the primitive is dropped
const vec4 NOWHERE = vec4(-2.0, -2.0, 0.0, 1.0);

// A pixel column's span: whole device pixels horizontally, so a one-pixel line covers exactly
// its column; half the width above and below, so a flat stretch is as thick as the line.
vec2 spanCorner(vec2 corner, float column, float top, float bottom, float w) {
  float x0 = column - floor((w - 1.0) * 0.5);
  return vec2(x0 + corner.x * w, mix(top - 0.5 * w, bottom + 0.5 * w, corner.y));
}

// One end of a segment a-b drawn as a one-pixel GL line, moved half a pixel outwards: a GL line
// leaves out the pixel where it ends, and the cap gives that pixel back (the line's own square
// cap); a zero-length segment (a lone point) becomes a one-pixel dash through the point.
vec2 segmentEnd(float which, vec2 a, vec2 b) {
  vec2 d = b - a;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  return which > 0.5 ? b + 0.5 * dir : a - 0.5 * dir;
}

// A segment a-b of width w with square caps: consecutive segments join without notches and a
// zero-length segment (a lone point between breaks) is a square dot.
vec2 segmentCorner(vec2 corner, vec2 a, vec2 b, float w) {
  float hw = 0.5 * max(1.0, w);
  vec2 d = b - a;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  vec2 nrm = vec2(-dir.y, dir.x);
  return mix(a - dir * hw, b + dir * hw, corner.x) + nrm * hw * (corner.y * 2.0 - 1.0);
}
