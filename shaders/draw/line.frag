#define SHADER_NAME line.frag
// Flat colour, premultiplied for the canvas' premultiplied alpha.
precision mediump float;

varying vec4 vColor;

void main() {
  gl_FragColor = vec4(vColor.rgb * vColor.a, vColor.a);
}
