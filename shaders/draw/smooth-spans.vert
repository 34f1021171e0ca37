#define SHADER_NAME draw/smooth-spans.vert
// Dense regime of a GPU-smoothed curve: the spans were computed on the GPU (smooth/spans.frag)
// into a texture, one texel per (column, series row); this reads them back as quads.

attribute float cell;       // a static buffer 0, 1, 2, ...: (column + row * columns) * 4 + corner

uniform sampler2D spans;    // columns x rows: (top, bottom, valid, -)
uniform vec2 spansSize;
uniform sampler2D rowSlots; // rows x 1: the smoothed slot of each row

varying vec4 vColor;
varying vec2 vDash;

void main() {
  float index = slotOf(cell);
  vec2 corner = cornerOf(cell);
  float row = floor(index / spansSize.x);
  float column = index - row * spansSize.x;
  vec4 s = texture2D(spans, (vec2(column, row) + 0.5) / spansSize);
  float slot = texture2D(rowSlots, vec2((row + 0.5) / spansSize.y, 0.5)).x;
  vec4 params = styleTexel(slot, 1.0);
  float w = max(1.0, floor(params.x + 0.5));
  gl_Position = params.y > 0.5 && s.z > 0.5 ? toClip(spanCorner(corner, column, s.x, s.y, w)) : NOWHERE;
  vColor = styleTexel(slot, 0.0);
  vDash = params.zw;
}
