#define SHADER_NAME smooth/gaussian.frag
// Gaussian smoothing (W&B's), four points per output texel as the scan's `final` writes them:
// s_i = sum w_j y_j / sum w_j over the finite y_j of the point's series with |x_j - x_i| <= reach,
// w_j = exp(-(x_j - x_i)^2 / (2 sigma^2)). A direct weighted sum: from each point the walk goes
// outward on both sides, adding up the x steps (dx) as it passes them, and stops at the reach
// or at the series' end (dx < 0: the next series' start, or padding). A skipped point stays
// skipped (BIG). The loops' bounds (4096 x 4096) cover every point a texture holds (2^24), so
// no window is cut short; the cost is the points within reach, as on the CPU.

uniform sampler2D data;     // LUMINANCE_ALPHA: y (or SKIP), dx (or -1 at a series' start and in padding)
uniform vec2 dataSize;
uniform vec2 dstSize;
uniform float count;        // points in the texture
uniform float reach;        // sigma * sqrt(2 ln 1e6): where the weight falls below 1e-6
uniform float halfInvSigma2; // 1 / (2 sigma^2)

vec2 point(float e) {
  return texture2D(data, uvAt(e, dataSize)).ra;
}

float gaussianAt(float e) {
  vec2 p = point(e);
  if (p.x >= SKIP) return BIG;
  float sw = 1.0;
  float swy = p.x;
  // to the left: the step to the point before is this point's dx
  float d = 0.0;
  float j = e;
  float gap = p.y;
  bool done = false;
  for (int a = 0; a < 4096; a++) {
    for (int b = 0; b < 4096; b++) {
      if (gap < 0.0) { done = true; break; }
      d += gap;
      if (d > reach) { done = true; break; }
      j -= 1.0;
      vec2 q = point(j);
      if (q.x < SKIP) {
        float w = exp(-d * d * halfInvSigma2);
        sw += w;
        swy += w * q.x;
      }
      gap = q.y;
    }
    if (done) break;
  }
  // to the right: the step to the point after is that point's dx
  d = 0.0;
  j = e;
  done = false;
  for (int a = 0; a < 4096; a++) {
    for (int b = 0; b < 4096; b++) {
      j += 1.0;
      if (j >= count) { done = true; break; }
      vec2 q = point(j);
      if (q.y < 0.0) { done = true; break; }
      d += q.y;
      if (d > reach) { done = true; break; }
      if (q.x < SKIP) {
        float w = exp(-d * d * halfInvSigma2);
        sw += w;
        swy += w * q.x;
      }
    }
    if (done) break;
  }
  return swy / sw;
}

void main() {
  float o = floor(gl_FragCoord.y) * dstSize.x + floor(gl_FragCoord.x);
  float e0 = o * 4.0;
  gl_FragColor = vec4(gaussianAt(e0), gaussianAt(e0 + 1.0), gaussianAt(e0 + 2.0), gaussianAt(e0 + 3.0));
}
