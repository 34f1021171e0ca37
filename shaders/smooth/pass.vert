#define SHADER_NAME smooth/pass.vert
// One triangle covering the viewport: every smoothing pass is a per-texel fragment program.
precision highp float;
attribute vec2 position;
void main() {
  gl_Position = vec4(position, 0.0, 1.0);
}
