/**
 * A chart's first picture before the page has a WebGL context: one-pixel opaque column spans
 * painted with Canvas2D straight into the chart's canvas.
 *
 * On a fresh page the context, regl and the first pipeline's compile cost the main thread tens
 * of ms (far more under a software rasteriser), and the first frame's copy out of the shared
 * context waits for all of it. A frame that is only snapped one-pixel spans (rows [top, bottom)
 * of column c, src/decimate/occlude.ts snapSpans) in opaque solid colours has the same pixels
 * as fillRect(c, top, 1, bottom - top) in that colour: whole pixels, no blending, no
 * antialiasing. The spans are the worker's, so the main thread still loops over no points.
 * Segments (GL lines), plot images, see-through or dashed styles and GPU smoothing are left to
 * GL: their rasterisation or blending is GL's own.
 */
import type { SlotStyle } from '../gpu/styles';

/**
 * The fill of each slot for a Canvas2D picture ('' for a hidden slot, drawn nowhere as in GL),
 * or null when a visible slot is see-through or dashed (Canvas2D would not give GL's pixels).
 * A colour channel goes to a byte as GL's unorm conversion does: rounded to nearest.
 */
export function fills2D(styles: readonly SlotStyle[]): string[] | null {
  const fills: string[] = [];
  for (const s of styles) {
    if (!s.visible) {
      fills.push('');
      continue;
    }
    if (s.rgba[3] < 1 || s.dash) return null;
    const b = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
    fills.push(`rgb(${b(s.rgba[0])},${b(s.rgba[1])},${b(s.rgba[2])})`);
  }
  return fills;
}

/**
 * Paint `count` snapped spans, given as the worker's span vertices (src/decimate/vertices.ts
 * spanVertices: 4 x (column, top or bottom row, slot * 4 + corner) each), in their order, at
 * (left, top) of `ctx` in device px (identity transform).
 */
export function paintSpans2D(ctx: CanvasRenderingContext2D, spans: Float32Array, count: number, fills: readonly string[], left: number, top: number): void {
  let current = -1;
  for (let i = 0, k = 0; i < count; i++, k += 12) {
    const slot = Math.floor(spans[k + 2] / 4);
    const fill = fills[slot];
    if (!fill) continue;
    if (slot !== current) {
      ctx.fillStyle = fill;
      current = slot;
    }
    const a = spans[k + 1], b = spans[k + 7];
    ctx.fillRect(left + spans[k], top + a, 1, b - a);
  }
}
