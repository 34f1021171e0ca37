#define SHADER_NAME smooth/final.frag
// The smoothed values: each output texel packs four consecutive points. Start from the
// exclusive prefix of their block of 16 (level 1), compose the points before them in the block,
// then the four points, writing s = P / Q (or SKIP for a skipped point).

uniform sampler2D data;     // LUMINANCE_ALPHA: y (or SKIP), dx (or -1 at a series' start)
uniform vec2 dataSize;
uniform sampler2D prefix;   // level-1 exclusive prefixes
uniform vec2 prefixSize;
uniform vec2 dstSize;

vec2 point(float e) {
  return texture2D(data, uvAt(e, dataSize)).ra;
}

float value(vec2 d, vec3 acc) {
  return d.x >= SKIP ? BIG : acc.y / acc.z;
}

void main() {
  float o = floor(gl_FragCoord.y) * dstSize.x + floor(gl_FragCoord.x);
  float e0 = o * 4.0;
  float block = floor(o / 4.0);
  vec3 acc = texture2D(prefix, uvAt(block, prefixSize)).xyz;
  for (int k = 0; k < 12; k++) {
    float j = block * 16.0 + float(k);
    if (j >= e0) break;
    acc = compose(acc, leaf(point(j)));
  }
  vec4 s;
  vec2 d = point(e0);
  acc = compose(acc, leaf(d));
  s.x = value(d, acc);
  d = point(e0 + 1.0);
  acc = compose(acc, leaf(d));
  s.y = value(d, acc);
  d = point(e0 + 2.0);
  acc = compose(acc, leaf(d));
  s.z = value(d, acc);
  d = point(e0 + 3.0);
  acc = compose(acc, leaf(d));
  s.w = value(d, acc);
  gl_FragColor = s;
}
