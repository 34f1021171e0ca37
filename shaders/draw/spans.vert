#define SHADER_NAME draw/spans.vert
// Dense regime: one quad per pixel column per series, spanning the column's min..max plus the
// joins to its neighbours (see src/decimate/columns.ts). Positions arrive in device px relative
// to the plot's top-left corner, already reduced from float64 by the worker.

attribute vec3 vertex;      // column, top or bottom (device px), code = slot * 4 + corner

uniform float lineMode;     // 1: one GL line per span, rows snapped by the worker (every width is one device px)

varying vec4 vColor;
varying vec2 vDash;

void main() {
  float slot = slotOf(vertex.z);
  vec2 corner = cornerOf(vertex.z);
  vec4 params = styleTexel(slot, 1.0);
  float w = max(1.0, floor(params.x + 0.5));
  // line mode: the span's rows are [top, bottom) (src/decimate/occlude.ts snapSpans); both ends
  // a quarter pixel down, inside their pixels, so every GL rasterisation rule paints exactly
  // those rows. Quads: the vertex carries its own end of the span, widened by half the width.
  vec2 p = lineMode > 0.5
    ? vec2(vertex.x + 0.5, vertex.y + 0.25)
    : spanCorner(corner, vertex.x, vertex.y, vertex.y, w);
  if (lineMode < 0.5) {
    // the quad's rows are those whose centre lies in [top - w/2, bottom + w/2) (GL's rule for a
    // rectangle); its edge is put a quarter pixel below the first row in or out, so that no
    // subpixel snapping of a vertex lands on a centre: the rows are then exactly those that
    // src/draw/spans2d.ts computes for a Canvas2D first picture (the same float32 steps)
    float e = corner.y < 0.5 ? vertex.y - 0.5 * w : vertex.y + 0.5 * w;
    p.y = ceil(e - 0.5) + 0.25;
  }
  gl_Position = params.y > 0.5 ? toClip(p) : NOWHERE;
  vColor = styleTexel(slot, 0.0);
  vDash = params.zw;
}
