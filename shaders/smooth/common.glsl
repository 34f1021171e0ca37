// Shared by the smoothing passes (prepended by src/gpu/shaders.ts).
//
// Both smoothing modes are one affine recurrence on a pair (P, Q), smoothed value s = P / Q:
//   P <- a*P + b*y,  Q <- a*Q + b
// A map is stored as (u, p, q) with u = 1 - a, so that a close to 1 (dense time-weighted data)
// keeps its precision in float32. Composing "f, then g":
//   u = u_f + u_g - u_f*u_g,  p = p_f*(1 - u_g) + p_g,  q = q_f*(1 - u_g) + q_g
// The identity is (0, 0, 0). A series' first point has u = 1: it forgets whatever came before,
// so all series of a chart scan together in one array.
precision highp float;

// y values at or above this mark skipped points (non-finite y, or padding); outputs use it too
#define SKIP 1.0e38
#define BIG 3.0e38

uniform float weight;     // w in [0, 1)
uniform float logWeight;  // ln(w); unused when w == 0
uniform float timeWeighted; // 1: time-weighted, 0: ema
uniform float dxScale;    // 1000 / R

vec3 compose(vec3 f, vec3 g) {
  // a reset (u = 1) stays exactly 1, so nothing before a series' start leaks into it
  float u = g.x >= 1.0 ? 1.0 : f.x + g.x - f.x * g.x;
  return vec3(u, f.y - f.y * g.x + g.y, f.z - f.z * g.x + g.z);
}

// texel centre of element e in a row-major texture of the given size (e < 2^24: exact)
vec2 uvAt(float e, vec2 size) {
  float r = floor(e / size.x);
  return (vec2(e - r * size.x, r) + 0.5) / size;
}

// 1 - exp(z) for z <= 0, without cancellation near 0
float oneMinusExp(float z) {
  return z > -1.0e-2 ? -z * (1.0 + z * (0.5 + z * (1.0 / 6.0 + z / 24.0))) : 1.0 - exp(z);
}

// the map of one point: d = (y or SKIP, dx to the previous point, or -1 at a series' start)
vec3 leaf(vec2 d) {
  bool skipped = d.x >= SKIP;
  float u;
  if (timeWeighted > 0.5) {
    float dist = max(d.y, 0.0) * dxScale;
    // w^0 = 1 even for w = 0 (repeated steps average), as Math.pow does
    u = weight == 0.0 ? (dist > 0.0 ? 1.0 : 0.0) : oneMinusExp(dist * logWeight);
  } else {
    u = skipped ? 0.0 : 1.0 - weight;
  }
  if (d.y < 0.0) u = 1.0;
  float b = timeWeighted > 0.5 ? 1.0 : 1.0 - weight;
  return skipped ? vec3(u, 0.0, 0.0) : vec3(u, b * d.x, b);
}

// value e of a texture packing four values per texel (the scan's output)
float packedAt(sampler2D tex, vec2 size, float e) {
  float o = floor(e / 4.0);
  vec4 t = texture2D(tex, uvAt(o, size));
  float ch = e - o * 4.0;
  return ch < 0.5 ? t.x : ch < 1.5 ? t.y : ch < 2.5 ? t.z : t.w;
}
