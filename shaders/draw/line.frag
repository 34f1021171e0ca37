#define SHADER_NAME line.frag
// Flat colour, premultiplied for the canvas' premultiplied alpha. A dash pattern is laid along
// device x (the plot starts at x = 0 of the shared canvas), so a dashed run reads the same in
// the dense regime (column spans) and the sparse one (segments).
#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;  // device x up to thousands of px: fp16 would lose whole pixels
#else
precision mediump float;
#endif

varying vec4 vColor;
varying vec2 vDash;         // on, off in device px; off = 0 is solid

void main() {
  if (vDash.y > 0.0 && mod(gl_FragCoord.x, vDash.x + vDash.y) >= vDash.x) discard;
  gl_FragColor = vec4(vColor.rgb * vColor.a, vColor.a);
}
