#define SHADER_NAME smooth/minmax.frag
// Min/max pyramid over the smoothed values, 16 points per texel at level 1 and 16 children per
// texel above: (min, max, smallest positive), skipped points left out. What lets the smoothed
// curve be decimated per pixel column as exactly as the raw one.

uniform sampler2D src;
uniform vec2 srcSize;
uniform float srcCount;     // texels of src
uniform float fromValues;   // 1: src is the packed smoothed output (4 values per texel)
uniform vec2 dstSize;

vec3 take(vec3 acc, float v) {
  if (v >= SKIP) return acc;
  return vec3(min(acc.x, v), max(acc.y, v), v > 0.0 ? min(acc.z, v) : acc.z);
}

void main() {
  float e = floor(gl_FragCoord.y) * dstSize.x + floor(gl_FragCoord.x);
  vec3 acc = vec3(BIG, -BIG, BIG);
  if (fromValues > 0.5) {
    for (int k = 0; k < 4; k++) {
      float c = e * 4.0 + float(k);
      if (c >= srcCount) break;
      vec4 t = texture2D(src, uvAt(c, srcSize));
      acc = take(take(take(take(acc, t.x), t.y), t.z), t.w);
    }
  } else {
    for (int k = 0; k < 16; k++) {
      float c = e * 16.0 + float(k);
      if (c >= srcCount) break;
      vec3 t = texture2D(src, uvAt(c, srcSize)).xyz;
      acc = vec3(min(acc.x, t.x), max(acc.y, t.y), min(acc.z, t.z));
    }
  }
  gl_FragColor = vec4(acc, 0.0);
}
