#define SHADER_NAME draw/smooth-segments.vert
// Sparse regime of a GPU-smoothed curve: the worker sends each segment's x (device px) and the
// indices of its two points; their smoothed values are read here from the scan's output.

attribute vec4 seg;         // ax, bx (device px), index a, index b (the same on the quad's vertices)
attribute float code;       // slot * 4 + corner

uniform sampler2D values;   // packed smoothed values, four per texel
uniform vec2 valuesSize;
uniform vec3 ymap;          // scaled y -> device px: (t0, k, r0)
uniform float yLog;

varying vec4 vColor;
varying vec2 vDash;

float valueAt(float e) {
  float o = floor(e / 4.0);
  float r = floor(o / valuesSize.x);
  vec4 t = texture2D(values, (vec2(o - r * valuesSize.x, r) + 0.5) / valuesSize);
  float ch = e - o * 4.0;
  return ch < 0.5 ? t.x : ch < 1.5 ? t.y : ch < 2.5 ? t.z : t.w;
}

bool drawable(float v) {
  return v < 1.0e38 && (yLog < 0.5 || v > 0.0);
}

float py(float v) {
  float t = yLog > 0.5 ? log2(v) * 0.30102999566 : v;
  return (t - ymap.x) * ymap.y + ymap.z;
}

void main() {
  float slot = slotOf(code);
  vec2 corner = cornerOf(code);
  float va = valueAt(seg.z), vb = valueAt(seg.w);
  vec4 params = styleTexel(slot, 1.0);
  bool ok = params.y > 0.5 && drawable(va) && drawable(vb);
  gl_Position = ok ? toClip(segmentCorner(corner, vec2(seg.x, py(va)), vec2(seg.y, py(vb)), params.x)) : NOWHERE;
  vColor = styleTexel(slot, 0.0);
  vDash = params.zw;
}
