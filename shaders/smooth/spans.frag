#define SHADER_NAME smooth/spans.frag
// Per view: the drawn span of every (pixel column, dense series) of the smoothed curves, with the
// same rule as the raw curves (src/decimate/columns.ts): min..max of the smoothed values in the
// column, from the min/max pyramid, widened by where the curve crosses the column's edges.
// The worker supplies, per series row and column edge, the first point at or after the edge and
// the device-x of the two points around it.

uniform sampler2D values;   // packed smoothed values, four per texel
uniform vec2 valuesSize;
uniform sampler2D sp1;      // min/max pyramid levels 1..5 (16, 256, ... points per texel)
uniform sampler2D sp2;
uniform sampler2D sp3;
uniform sampler2D sp4;
uniform sampler2D sp5;
uniform vec2 sp1Size;
uniform vec2 sp2Size;
uniform vec2 sp3Size;
uniform vec2 sp4Size;
uniform vec2 sp5Size;
uniform float levels;       // pyramid levels built
uniform sampler2D edges;    // (W + 1) x rows: (index of first point at/after edge, px before, px after, crossing?)
uniform vec2 edgesSize;
uniform vec3 ymap;          // scaled y -> device px: (t0, k, r0)
uniform float yLog;
uniform float height;       // plot height, device px

float valueAt(float e) {
  return packedAt(values, valuesSize, e);
}

vec3 takeValue(vec3 acc, float v) {
  if (v >= SKIP) return acc;
  return vec3(min(acc.x, v), max(acc.y, v), v > 0.0 ? min(acc.z, v) : acc.z);
}

vec3 takeBlock(vec3 acc, vec3 t) {
  return vec3(min(acc.x, t.x), max(acc.y, t.y), min(acc.z, t.z));
}

vec3 blockAt(int level, float e) {
  if (level == 1) return texture2D(sp1, uvAt(e, sp1Size)).xyz;
  if (level == 2) return texture2D(sp2, uvAt(e, sp2Size)).xyz;
  if (level == 3) return texture2D(sp3, uvAt(e, sp3Size)).xyz;
  if (level == 4) return texture2D(sp4, uvAt(e, sp4Size)).xyz;
  return texture2D(sp5, uvAt(e, sp5Size)).xyz;
}

// (min, max, smallest positive) of the smoothed values with index in [lo, hi)
vec3 extent(float lo, float hi) {
  vec3 acc = vec3(BIG, -BIG, BIG);
  for (int k = 0; k < 16; k++) {
    if (lo >= hi || mod(lo, 16.0) == 0.0) break;
    acc = takeValue(acc, valueAt(lo));
    lo += 1.0;
  }
  for (int k = 0; k < 16; k++) {
    if (lo >= hi || mod(hi, 16.0) == 0.0) break;
    hi -= 1.0;
    acc = takeValue(acc, valueAt(hi));
  }
  lo /= 16.0;
  hi /= 16.0;
  for (int level = 1; level <= 5; level++) {
    if (lo >= hi) break;
    bool top = float(level) >= levels;
    for (int k = 0; k < 16; k++) {
      if (lo >= hi || (!top && mod(lo, 16.0) == 0.0)) break;
      acc = takeBlock(acc, blockAt(level, lo));
      lo += 1.0;
    }
    for (int k = 0; k < 16; k++) {
      if (lo >= hi || mod(hi, 16.0) == 0.0) break;
      hi -= 1.0;
      acc = takeBlock(acc, blockAt(level, hi));
    }
    lo /= 16.0;
    hi /= 16.0;
  }
  return acc;
}

bool drawable(float v) {
  return v < SKIP && (yLog < 0.5 || v > 0.0);
}

float scaled(float v) {
  return yLog > 0.5 ? log2(v) * 0.30102999566 : v;
}

// scaled y where the curve crosses device-x px, on the segment around an edge; BIG when none
float crossing(vec4 edge, float px) {
  if (edge.w < 0.5) return BIG;
  float va = valueAt(edge.x - 1.0), vb = valueAt(edge.x);
  if (!drawable(va) || !drawable(vb)) return BIG;
  float ta = scaled(va), tb = scaled(vb);
  if (!(edge.z > edge.y)) return tb;
  return ta + (tb - ta) * (px - edge.y) / (edge.z - edge.y);
}

void main() {
  float c = floor(gl_FragCoord.x);
  float row = floor(gl_FragCoord.y);
  vec4 left = texture2D(edges, (vec2(c, row) + 0.5) / edgesSize);
  vec4 right = texture2D(edges, (vec2(c + 1.0, row) + 0.5) / edgesSize);
  float lo = BIG, hi = -BIG;
  if (right.x > left.x) {
    vec3 e = extent(left.x, right.x);
    float mn = yLog > 0.5 ? e.z : e.x;
    if (mn <= e.y) {
      lo = scaled(mn);
      hi = scaled(e.y);
    }
  }
  float tl = crossing(left, c), tr = crossing(right, c + 1.0);
  if (tl < BIG) { lo = min(lo, tl); hi = max(hi, tl); }
  if (tr < BIG) { lo = min(lo, tr); hi = max(hi, tr); }
  float top = (hi - ymap.x) * ymap.y + ymap.z;
  float bottom = (lo - ymap.x) * ymap.y + ymap.z;
  if (top > bottom) { float t = top; top = bottom; bottom = t; }
  bool ok = lo <= hi && bottom >= -1.0 && top <= height + 1.0;
  gl_FragColor = ok ? vec4(max(top, -1.0), min(bottom, height + 1.0), 1.0, 0.0) : vec4(0.0);
}
