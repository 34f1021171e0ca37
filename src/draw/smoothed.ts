/**
 * Draws GPU-smoothed curves: the dense series from the spans the GPU computed for this view
 * (one draw: four vertices per (column, series) cell, from a static buffer of cell codes), the
 * sparse series from index segments whose smoothed values the vertex shader reads from the
 * scan's output (another). Constant draw calls whatever the number of runs.
 */
import type { Buffer, DrawCommand, Elements, Regl, Texture2D } from 'regl';
import { quadElements } from '../gpu/quads';
import { DynamicBuffer } from '../gpu/buffers';
import { cached, type SharedGL } from '../gpu/context';
import { plotScope, type PlotProps, type PlotScope } from '../gpu/plot-scope';
import { shaders } from '../gpu/shaders';
import type { StyleTexture } from '../gpu/styles';

/** What each draw sets inside the plot scope (gpu/plot-scope.ts: viewport, blending, styles). */
interface Props {
  quads: number;
  elements: Elements | null;
  [k: string]: unknown;
}

function commands(regl: Regl) {
  const prop = (k: string) => (_: unknown, p: Props) => p[k];
  const common = {
    frag: shaders.lineFrag,
    elements: prop('elements'),
    count: (_: unknown, p: Props) => 6 * p.quads,
  };
  const spans = regl({
    ...common,
    vert: shaders.smoothSpansVert,
    attributes: { cell: { buffer: prop('cells') } },
    uniforms: { spans: prop('spans'), spansSize: prop('spansSize'), rowSlots: prop('rowSlots') },
  } as never) as DrawCommand;
  const segments = regl({
    ...common,
    vert: shaders.smoothSegmentsVert,
    attributes: {
      seg: (_: unknown, p: Props) => ({ buffer: p.isegs, stride: 20, offset: 0 }),
      code: (_: unknown, p: Props) => ({ buffer: p.isegs, stride: 20, offset: 16 }),
    },
    uniforms: { values: prop('values'), valuesSize: prop('valuesSize'), ymap: prop('ymap'), yLog: prop('yLog') },
  } as never) as DrawCommand;
  return { spans, segments };
}

export interface SmoothedFrame {
  spans: { tex: Texture2D; size: [number, number] } | null;
  rowSlots: Float32Array;
  values: { tex: Texture2D; size: [number, number] } | null;
  /** null: the segments uploaded last time (the same view) */
  isegs: Float32Array | null;
  isegCount: number;
  ymap: [number, number, number];
  yLog: boolean;
}

export class SmoothedRenderer {
  private cmd: ReturnType<typeof commands>;
  private cells: Buffer;
  private cellCount = 0;
  private rowSlots: Texture2D;
  private isegs: DynamicBuffer;
  private spanProps: Props = { quads: 0, elements: null };
  private segProps: Props = { quads: 0, elements: null };
  private scope: PlotScope;
  private plot: PlotProps;
  /** what the scope's body draws: spans, segments */
  private drawSpans = false;
  private drawSegments = false;
  private readonly drawFrame = () => this.drawInScope();

  constructor(private g: SharedGL, styles: StyleTexture) {
    this.cmd = cached(g, 'smoothed', () => commands(g.regl));
    this.scope = plotScope(g);
    this.plot = { width: 1, height: 1, styles };
    this.cells = g.regl.buffer({ type: 'float', usage: 'static', length: 0 });
    this.rowSlots = g.regl.texture({ width: 1, height: 1, format: 'luminance', type: 'float' });
    this.isegs = new DynamicBuffer(g.regl);
  }

  /** Draw on top of whatever is in the shared canvas' plot region (no clear). */
  draw(f: SmoothedFrame, width: number, height: number): number {
    // Buffers and textures are filled before the plot scope is entered, never inside it: with the
    // row-slot texture written inside (after regl bound the scope's style texture) no spans drew.
    let primitives = 0;
    this.drawSpans = f.spans !== null;
    if (f.spans) {
      const p = this.spanProps;
      const [cols, rows] = f.spans.size;
      this.ensureCells(cols * rows);
      this.rowSlots({ width: rows, height: 1, format: 'luminance', type: 'float', data: f.rowSlots.subarray(0, rows) });
      p.quads = cols * rows;
      p.elements = quadElements(this.g, p.quads);
      p.cells = this.cells;
      p.spans = f.spans.tex;
      p.spansSize = f.spans.size;
      p.rowSlots = this.rowSlots;
      primitives += cols * rows;
    }
    this.drawSegments = f.values !== null && f.isegCount > 0;
    if (f.values && f.isegCount > 0) {
      const p = this.segProps;
      if (f.isegs) this.isegs.upload(f.isegs, 20 * f.isegCount);
      p.quads = f.isegCount;
      p.elements = quadElements(this.g, p.quads);
      p.isegs = this.isegs.buffer;
      p.values = f.values.tex;
      p.valuesSize = f.values.size;
      p.ymap = f.ymap;
      p.yLog = f.yLog ? 1 : 0;
      primitives += f.isegCount;
    }
    this.plot.width = width;
    this.plot.height = height;
    this.scope(this.plot, this.drawFrame);
    return primitives;
  }

  private drawInScope(): void {
    if (this.drawSpans) this.cmd.spans(this.spanProps);
    if (this.drawSegments) this.cmd.segments(this.segProps);
  }

  /** A static buffer 0, 1, 2, ... (4 per cell): vertex numbers, which WebGL1 shaders cannot see. */
  private ensureCells(n: number): void {
    if (n <= this.cellCount) return;
    const count = Math.max(n, this.cellCount * 2, 1024);
    const data = new Float32Array(4 * count);
    for (let i = 0; i < data.length; i++) data[i] = i;
    this.cells({ type: 'float', usage: 'static', data });
    this.cellCount = count;
  }

  destroy(): void {
    this.cells.destroy();
    this.rowSlots.destroy();
    this.isegs.destroy();
  }
}
