#define SHADER_NAME smooth/downsweep.frag
// Exclusive prefix of level L: the prefix of the parent block (level L+1), then the siblings
// before this texel in its block of 16.

uniform sampler2D agg;      // level L aggregates
uniform vec2 aggSize;
uniform sampler2D parent;   // level L+1 exclusive prefixes
uniform vec2 parentSize;
uniform float hasParent;    // 0 at the top level
uniform vec2 dstSize;

void main() {
  float e = floor(gl_FragCoord.y) * dstSize.x + floor(gl_FragCoord.x);
  float block = floor(e / 16.0);
  vec3 acc = hasParent > 0.5 ? texture2D(parent, uvAt(block, parentSize)).xyz : vec3(0.0);
  for (int k = 0; k < 15; k++) {
    float j = block * 16.0 + float(k);
    if (j >= e) break;
    acc = compose(acc, texture2D(agg, uvAt(j, aggSize)).xyz);
  }
  gl_FragColor = vec4(acc, 0.0);
}
