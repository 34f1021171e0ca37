#define SHADER_NAME draw/density.frag
// A density image (src/decimate/plotimage.ts DensityCounter): R holds the ramp level 1..255 of
// the number of curves through the pixel (0: none), looked up in the 256 x 1 ramp texture
// (src/draw/ramp.ts).

uniform sampler2D image;
uniform sampler2D ramp;

varying vec2 vUv;

void main() {
  float level = floor(texture2D(image, vUv).r * 255.0 + 0.5);
  if (level < 0.5) discard;
  vec4 c = texture2D(ramp, vec2((level + 0.5) / 256.0, 0.5));
  gl_FragColor = vec4(c.rgb * c.a, c.a);
}
