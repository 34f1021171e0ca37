/**
 * The per-view pass of GPU smoothing: every (pixel column, dense series) span of the smoothed
 * curves, from the scan's min/max pyramid and the worker's column edges. The smoothed curve is
 * decimated exactly like the raw one, on the GPU, without reading anything back.
 */
import type { Regl, Texture2D } from 'regl';
import { MAX_LEVELS, type PassProps, type ScanPasses } from './gpu-passes';
import { destroyTarget, sizedTarget, type Target } from './gpu-targets';

/** A texture and its size in texels, as the draw shaders take it. */
export interface SizedTexture {
  tex: Texture2D;
  size: [number, number];
}

export class SpansPass {
  private edgesTex: Texture2D;
  private edgesSize: [number, number] = [1, 1];
  private target: Target | null = null;

  constructor(
    private readonly regl: Regl,
    private readonly passes: ScanPasses,
  ) {
    this.edgesTex = regl.texture({ width: 1, height: 1, type: 'float', format: 'rgba' });
  }

  /**
   * Spans over `out` (the smoothed values) and its pyramid `pyr`. Edges hold, per series row and
   * column edge c = 0..W, (index of the first point at/after the edge, px of the point before,
   * px of that point, 1 if a segment crosses the edge); null: the edges of the last run (the
   * same view: a slider move). Output: a W x rows texture of (top, bottom, valid).
   */
  run(out: Target, pyr: readonly Target[], edges: Float32Array | null, W: number, rows: number, ymap: [number, number, number], yLog: boolean, height: number): SizedTexture {
    if (edges) {
      this.edgesSize = [W + 1, rows];
      this.edgesTex({ width: W + 1, height: rows, type: 'float', format: 'rgba', data: edges.subarray(0, (W + 1) * rows * 4) });
    }
    const t = this.target;
    if (!t || t.width !== W || t.height !== rows) {
      this.free();
      this.target = sizedTarget(this.regl, W, rows);
    }
    const props: PassProps = {
      target: this.target!,
      values: out.tex,
      valuesSize: [out.width, out.height],
      levels: pyr.length,
      edges: this.edgesTex,
      edgesSize: this.edgesSize,
      ymap,
      yLog: yLog ? 1 : 0,
      height,
    };
    for (let l = 1; l <= MAX_LEVELS; l++) {
      const p = pyr[Math.min(l, pyr.length) - 1];
      props[`sp${l}`] = p.tex;
      props[`sp${l}Size`] = [p.width, p.height];
    }
    this.passes.spans(props);
    return { tex: this.target!.tex, size: [W, rows] };
  }

  /** Drop the output target (the scan's layout changed); the edges are kept. */
  free(): void {
    destroyTarget(this.target);
    this.target = null;
  }

  destroy(): void {
    this.free();
    this.edgesTex.destroy();
  }
}
