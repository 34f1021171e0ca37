#define SHADER_NAME smooth/upsweep.frag
// Reduce: each texel of level L composes its 16 children of level L-1, in order (for level 1
// the children are the points themselves, read from the data texture).

uniform sampler2D src;
uniform vec2 srcSize;
uniform float srcCount;
uniform float fromData;   // 1: children are points (LUMINANCE_ALPHA: y, dx)
uniform vec2 dstSize;

void main() {
  float e = floor(gl_FragCoord.y) * dstSize.x + floor(gl_FragCoord.x);
  vec3 acc = vec3(0.0);
  for (int k = 0; k < 16; k++) {
    float c = e * 16.0 + float(k);
    if (c >= srcCount) break;
    vec4 t = texture2D(src, uvAt(c, srcSize));
    acc = compose(acc, fromData > 0.5 ? leaf(t.ra) : t.xyz);
  }
  gl_FragColor = vec4(acc, 0.0);
}
