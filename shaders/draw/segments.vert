#define SHADER_NAME draw/segments.vert
// Sparse regime: the series' real segments, in device px from the worker.

attribute vec2 corner;      // (0|1 along, 0|1 across) per vertex of the quad
attribute vec4 seg;         // per instance: ax, ay, bx, by in device px
attribute float slot;       // per instance

varying vec4 vColor;

void main() {
  vec4 params = styleTexel(slot, 1.0);
  gl_Position = params.y > 0.5 ? toClip(segmentCorner(corner, seg.xy, seg.zw, params.x)) : NOWHERE;
  vColor = styleTexel(slot, 0.0);
}
