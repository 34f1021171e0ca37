/**
 * Draws one chart's decimated lines: every dense series in one draw of column-span quads, every
 * sparse series in one draw of segment quads (plain vertices with a shared index pattern, see
 * src/decimate/vertices.ts). Two draw calls whatever the number of runs; per-series colour and
 * width come from the style texture.
 */
import type { DrawCommand, Elements, Regl } from 'regl';
import { DynamicBuffer } from '../gpu/buffers';
import { cached, type SharedGL } from '../gpu/context';
import { plotScope, type PlotProps, type PlotScope } from '../gpu/plot-scope';
import { quadElements, segmentLineElements, spanLineElements } from '../gpu/quads';
import { shaders } from '../gpu/shaders';
import { StyleTexture } from '../gpu/styles';
import type { FrameReply, PlotImage } from '../protocol/messages';
import { PlotImageRenderer } from './plotimage';

/** What each draw sets inside the plot scope (gpu/plot-scope.ts: viewport, blending, styles). */
interface DrawProps {
  buffer: DynamicBuffer;
  elements: Elements | null;
  quads: number;
  /** column spans as lines (1 primitive each) instead of quads */
  lineMode: boolean;
}

/**
 * The two pipelines, each compiled on first use (regl links a program when a command is made: on
 * a cold page every program made before the first frame is on its path, and a sweep of few
 * points a column draws no spans, a dense chart no segments).
 */
function command(regl: Regl, kind: 'spans' | 'segments'): DrawCommand {
  const common = {
    frag: shaders.lineFrag,
    elements: (_: unknown, p: DrawProps) => p.elements,
    count: (_: unknown, p: DrawProps) => (p.lineMode ? 2 : 6) * p.quads,
    uniforms: {
      lineMode: (_: unknown, p: DrawProps) => (p.lineMode ? 1 : 0),
    },
  };
  if (kind === 'spans') {
    return regl<{}, {}, DrawProps>({
      ...common,
      vert: shaders.spansVert,
      attributes: {
        vertex: (_: unknown, p: DrawProps) => ({ buffer: p.buffer.buffer, stride: 12, offset: 0 }),
      },
    } as never) as DrawCommand;
  }
  return regl<{}, {}, DrawProps>({
    ...common,
    vert: shaders.segmentsVert,
    attributes: {
      seg: (_: unknown, p: DrawProps) => ({ buffer: p.buffer.buffer, stride: 20, offset: 0 }),
      code: (_: unknown, p: DrawProps) => ({ buffer: p.buffer.buffer, stride: 20, offset: 16 }),
    },
  } as never) as DrawCommand;
}

/** Quads as vertices: 4 x (column, y, code) per span, 4 x (ax, ay, bx, by, code) per segment. */
export interface LinesFrame {
  spans: Float32Array;
  spanCount: number;
  segments: Float32Array;
  segmentCount: number;
  /** a picture of the plot under the lines (the occluded pieces as one image, or a density) */
  image?: PlotImage;
  /** the image drawn until now stays (only the highlighted runs' curves are new) */
  keptImage?: FrameReply['keptImage'];
}

export class LineRenderer {
  readonly styles: StyleTexture;
  private spanBuf: DynamicBuffer;
  private segBuf: DynamicBuffer;
  /** made with the first frame that has a plot image (most small charts never have one) */
  private image: PlotImageRenderer | null = null;
  private imagePrimitives = 0;
  /** the context's pipelines (compiled once per context, on first use: `command`) */
  private spansCmd: DrawCommand | null = null;
  private segmentsCmd: DrawCommand | null = null;
  private spanCount = 0;
  private segCount = 0;
  private scope: PlotScope;
  private spanProps: DrawProps;
  private segProps: DrawProps;
  private plot: PlotProps;
  private readonly drawFrame = () => this.drawInScope();

  /** `warm`: draw once with each pipeline now (see warmUp) */
  constructor(
    private g: SharedGL,
    warm = false,
  ) {
    this.scope = plotScope(g);
    this.styles = new StyleTexture(g.regl);
    this.spanBuf = new DynamicBuffer(g.regl);
    this.segBuf = new DynamicBuffer(g.regl);
    if (warm) this.image = new PlotImageRenderer(g);
    this.spanProps = { buffer: this.spanBuf, elements: null, quads: 0, lineMode: false };
    this.segProps = { buffer: this.segBuf, elements: null, quads: 0, lineMode: false };
    this.plot = { width: 1, height: 1, styles: this.styles };
    if (warm) cached(g, 'lines-warm', () => this.warmUp());
  }

  /**
   * Draw one invisible quad with each pipeline a frame may use. Drivers (SwiftShader always;
   * real GPUs often) compile a pipeline at its first draw: done while the chart waits for its
   * data, that is not in the first frame.
   */
  private warmUp(): true {
    const styles = [{ rgba: [0, 0, 0, 0] as const, width: 1, visible: false, dash: null }];
    this.styles.update(styles);
    this.upload({ spans: new Float32Array(12), spanCount: 1, segments: new Float32Array(20), segmentCount: 1 });
    this.draw(1, 1, true); // spans and segments as GL lines
    this.draw(1, 1, false); // spans and segments as quads
    this.g.gl.flush(); // the GPU side compiles now, while this thread goes on (no wait)
    this.spanCount = this.segCount = 0;
    return true;
  }

  /** Take a decimated frame from the worker (the arrays may be recycled afterwards). */
  upload(f: LinesFrame): void {
    this.spanCount = f.spanCount;
    this.segCount = f.segmentCount;
    this.spanBuf.upload(f.spans, 12 * f.spanCount);
    this.segBuf.upload(f.segments, 20 * f.segmentCount);
    if (!f.keptImage && (f.image || this.image)) (this.image ??= new PlotImageRenderer(this.g)).upload(f.image);
  }

  /**
   * Draw into the shared canvas' top-left width x height device pixels. `thin`: every series is
   * one device pixel wide, so column spans and segments are drawn as GL lines (one primitive
   * each, not two triangles).
   */
  draw(width: number, height: number, thin = false): void {
    // index buffers grow here, before the plot scope is entered (see SmoothedRenderer.draw)
    const spans = this.spanProps;
    spans.quads = this.spanCount;
    spans.lineMode = thin;
    if (this.spanCount > 0) spans.elements = thin ? spanLineElements(this.g, this.spanCount) : quadElements(this.g, this.spanCount);
    const segs = this.segProps;
    segs.quads = this.segCount;
    segs.lineMode = thin;
    if (this.segCount > 0) segs.elements = thin ? segmentLineElements(this.g, this.segCount) : quadElements(this.g, this.segCount);
    this.plot.width = width;
    this.plot.height = height;
    this.g.regl.clear({ color: [0, 0, 0, 0] });
    this.scope(this.plot, this.drawFrame);
  }

  private drawInScope(): void {
    this.imagePrimitives = this.image?.draw() ?? 0;
    if (this.spanCount > 0) (this.spansCmd ??= cached(this.g, 'lines-spans', () => command(this.g.regl, 'spans')))(this.spanProps);
    if (this.segCount > 0) (this.segmentsCmd ??= cached(this.g, 'lines-segments', () => command(this.g.regl, 'segments')))(this.segProps);
  }

  get primitives(): number {
    return this.imagePrimitives + this.spanCount + this.segCount;
  }

  destroy(): void {
    this.styles.destroy();
    this.spanBuf.destroy();
    this.segBuf.destroy();
    this.image?.destroy();
  }
}
