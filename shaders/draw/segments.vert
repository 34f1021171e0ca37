#define SHADER_NAME draw/segments.vert
// Sparse regime: the series' real segments, in device px from the worker.

attribute vec4 seg;         // ax, ay, bx, by in device px (the same on the quad's four vertices)
attribute float code;       // slot * 4 + corner

uniform float lineMode;     // 1: drawn as one GL line (every width is one device px)

varying vec4 vColor;
varying vec2 vDash;

void main() {
  float slot = slotOf(code);
  vec4 params = styleTexel(slot, 1.0);
  vec2 corner = cornerOf(code);
  gl_Position = params.y > 0.5
    ? toClip(lineMode > 0.5 ? segmentEnd(corner.x, seg.xy, seg.zw) : segmentCorner(corner, seg.xy, seg.zw, params.x))
    : NOWHERE;
  vColor = styleTexel(slot, 0.0);
  vDash = params.zw;
}
