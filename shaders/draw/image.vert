#define SHADER_NAME draw/image.vert
// One quad over the whole plot for a plot image (src/draw/plotimage.ts): texel (c, r) lands on
// device pixel (c, r) of the plot, row 0 at the top, sampled at the pixel's centre.

attribute vec2 corner;      // (0, 0) top-left .. (1, 1) bottom-right

varying vec2 vUv;

void main() {
  vUv = corner;
  gl_Position = toClip(corner * plotSize);
}
