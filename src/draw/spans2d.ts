/**
 * A chart's first picture before the page has a WebGL context: opaque column spans painted with
 * Canvas2D straight into the chart's canvas.
 *
 * On a fresh page the context, regl and the first pipeline's compile cost the main thread tens
 * of ms (far more under a software rasteriser), and the first frame's copy out of the shared
 * context waits for all of it. A frame of column spans only, in opaque solid colours, covers
 * whole pixels with no blending and no antialiasing, and which pixels is known exactly: a
 * one-pixel line's snapped span (src/decimate/occlude.ts snapSpans) is rows [top, bottom) of its
 * column; a wider line's span is the rectangle shaders/draw/spans.vert makes, whose rows it
 * snaps so that GL's rule gives exactly the rows computed here. fillRect of those whole-pixel
 * rectangles in that colour paints the same pixels GL does. The spans are the worker's, so the
 * main thread still loops over no points. Segments (GL lines and rotated quads), plot images,
 * see-through or dashed styles and GPU smoothing are left to GL: their rasterisation or blending
 * is GL's own.
 */
import type { SlotStyle } from '../gpu/styles';

/** What a slot paints in a Canvas2D picture. */
export interface Fill {
  /** CSS colour; '' for a hidden slot (drawn nowhere, as in GL) */
  color: string;
  /** the line's width in whole device px, as the span shader rounds it */
  width: number;
}

/**
 * The fill of each slot for a Canvas2D picture, or null when a visible slot is see-through or
 * dashed (Canvas2D would not give GL's pixels). A colour channel goes to a byte as GL's unorm
 * conversion does: rounded to nearest. The width is rounded as spans.vert rounds the float32 it
 * reads from the style texture.
 */
export function fills2D(styles: readonly SlotStyle[]): Fill[] | null {
  const fills: Fill[] = [];
  for (const s of styles) {
    const width = Math.max(1, Math.floor(Math.fround(s.width) + 0.5));
    if (!s.visible) {
      fills.push({ color: '', width });
      continue;
    }
    if (s.rgba[3] < 1 || s.dash) return null;
    const b = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
    fills.push({ color: `rgb(${b(s.rgba[0])},${b(s.rgba[1])},${b(s.rgba[2])})`, width });
  }
  return fills;
}

/** The plot the spans are painted in: its corner in the canvas and its size, device px. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Paint `count` spans, given as the worker's span vertices (src/decimate/vertices.ts
 * spanVertices: 4 x (column, top or bottom, slot * 4 + corner) each), in their order, into `plot`
 * of `ctx` (identity transform), clipped to it as GL's viewport clips. `snapped`: one-pixel
 * lines' spans, rows [top, bottom) already whole (drawn as GL lines); otherwise each span is its
 * slot's rectangle (shaders/draw/spans.vert).
 */
export function paintSpans2D(ctx: CanvasRenderingContext2D, spans: Float32Array, count: number, fills: readonly Fill[], plot: PlotBox, snapped: boolean): void {
  const { left, top, width: W, height: H } = plot;
  let current = -1;
  for (let i = 0, k = 0; i < count; i++, k += 12) {
    const slot = Math.floor(spans[k + 2] / 4);
    const fill = fills[slot];
    if (!fill?.color) continue;
    const c = spans[k], a = spans[k + 1], b = spans[k + 7];
    let x0 = c, x1 = c + 1, r0 = a, r1 = b;
    if (!snapped) {
      // the quad's corners in spans.vert, in its float32 steps: columns [c - floor((w - 1) / 2), + w),
      // rows whose centre lies in [top - w/2, bottom + w/2)
      const w = fill.width, f = Math.fround;
      x0 = c - Math.floor((w - 1) * 0.5);
      x1 = x0 + w;
      r0 = Math.ceil(f(f(a - 0.5 * w) - 0.5));
      r1 = Math.ceil(f(f(b + 0.5 * w) - 0.5));
    }
    if (x0 < 0) x0 = 0;
    if (x1 > W) x1 = W;
    if (r0 < 0) r0 = 0;
    if (r1 > H) r1 = H;
    if (!(x0 < x1 && r0 < r1)) continue;
    if (slot !== current) {
      ctx.fillStyle = fill.color;
      current = slot;
    }
    ctx.fillRect(left + x0, top + r0, x1 - x0, r1 - r0);
  }
}
