#define SHADER_NAME draw/slots.frag
// A slot image (src/decimate/plotimage.ts slotImage): each texel holds slot + 1 of the visible
// piece there (24 bits in RGB, 0: nothing), coloured from the style texture like a line of that
// slot, so a style change (a colour, a highlight's dimming) needs no new image.

uniform sampler2D image;

varying vec2 vUv;

void main() {
  vec4 t = texture2D(image, vUv);
  vec3 b = floor(t.rgb * 255.0 + 0.5);
  float id = b.r + 256.0 * b.g + 65536.0 * b.b;
  if (id < 0.5) discard;
  vec4 c = styleTexel(id - 1.0, 0.0);
  gl_FragColor = vec4(c.rgb * c.a, c.a);
}
