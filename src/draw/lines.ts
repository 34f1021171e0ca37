/**
 * Draws one chart's decimated lines: every dense series in one draw of column-span quads, every
 * sparse series in one draw of segment quads (plain vertices with a shared index pattern, see
 * src/decimate/vertices.ts). Two draw calls whatever the number of runs; per-series colour and
 * width come from the style texture.
 */
import type { DrawCommand, Regl } from 'regl';
import { DynamicBuffer } from '../gpu/buffers';
import { cached, type SharedGL } from '../gpu/context';
import { quadElements, segmentLineElements, spanLineElements } from '../gpu/quads';
import { shaders } from '../gpu/shaders';
import { StyleTexture } from '../gpu/styles';
import type { Elements } from 'regl';

interface DrawProps {
  buffer: DynamicBuffer;
  elements: Elements | null;
  quads: number;
  /** column spans as lines (1 primitive each) instead of quads */
  lineMode: boolean;
  styles: StyleTexture;
  width: number;
  height: number;
  canvasHeight: number;
}

const premultipliedOver = {
  enable: true,
  func: { srcRGB: 'one', srcAlpha: 'one', dstRGB: 'one minus src alpha', dstAlpha: 'one minus src alpha' },
} as const;

function commands(regl: Regl) {
  const common = {
    frag: shaders.lineFrag,
    elements: (_: unknown, p: DrawProps) => p.elements,
    count: (_: unknown, p: DrawProps) => (p.lineMode ? 2 : 6) * p.quads,
    uniforms: {
      lineMode: (_: unknown, p: DrawProps) => (p.lineMode ? 1 : 0),
      plotSize: (_: unknown, p: DrawProps) => [p.width, p.height],
      styles: (_: unknown, p: DrawProps) => p.styles.texture,
      stylesSize: (_: unknown, p: DrawProps) => p.styles.size,
    },
    // the plot sits in the top-left corner of the shared canvas (drawImage reads from there)
    viewport: (_: unknown, p: DrawProps) => ({ x: 0, y: p.canvasHeight - p.height, width: p.width, height: p.height }),
    depth: { enable: false },
    blend: premultipliedOver,
  };
  const spans = regl<{}, {}, DrawProps>({
    ...common,
    vert: shaders.spansVert,
    attributes: {
      vertex: (_: unknown, p: DrawProps) => ({ buffer: p.buffer.buffer, stride: 12, offset: 0 }),
    },
  } as never) as DrawCommand;
  const segments = regl<{}, {}, DrawProps>({
    ...common,
    vert: shaders.segmentsVert,
    attributes: {
      seg: (_: unknown, p: DrawProps) => ({ buffer: p.buffer.buffer, stride: 20, offset: 0 }),
      code: (_: unknown, p: DrawProps) => ({ buffer: p.buffer.buffer, stride: 20, offset: 16 }),
    },
  } as never) as DrawCommand;
  return { spans, segments };
}

/** Quads as vertices: 4 x (column, y, code) per span, 4 x (ax, ay, bx, by, code) per segment. */
export interface LinesFrame {
  spans: Float32Array;
  spanCount: number;
  segments: Float32Array;
  segmentCount: number;
}

export class LineRenderer {
  readonly styles: StyleTexture;
  private spanBuf: DynamicBuffer;
  private segBuf: DynamicBuffer;
  private spanCount = 0;
  private segCount = 0;
  private cmd: ReturnType<typeof commands>;
  private props: DrawProps;

  /** `warm`: draw once with each pipeline now (see warmUp) */
  constructor(
    private g: SharedGL,
    warm = false,
  ) {
    this.cmd = cached(g, 'lines', () => commands(g.regl));
    this.styles = new StyleTexture(g.regl);
    this.spanBuf = new DynamicBuffer(g.regl);
    this.segBuf = new DynamicBuffer(g.regl);
    this.props = { buffer: this.spanBuf, elements: null, quads: 0, lineMode: false, styles: this.styles, width: 1, height: 1, canvasHeight: 1 };
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
  }

  /**
   * Draw into the shared canvas' top-left width x height device pixels. `thin`: every series is
   * one device pixel wide, so column spans and segments are drawn as GL lines (one primitive
   * each, not two triangles).
   */
  draw(width: number, height: number, thin = false): void {
    const { regl, canvas } = this.g;
    const p = this.props;
    p.width = width;
    p.height = height;
    p.canvasHeight = canvas.height;
    regl.clear({ color: [0, 0, 0, 0] });
    if (this.spanCount > 0) {
      p.buffer = this.spanBuf;
      p.quads = this.spanCount;
      p.lineMode = thin;
      p.elements = thin ? spanLineElements(this.g, this.spanCount) : quadElements(this.g, this.spanCount);
      this.cmd.spans(p);
    }
    if (this.segCount > 0) {
      p.buffer = this.segBuf;
      p.quads = this.segCount;
      p.lineMode = thin;
      p.elements = thin ? segmentLineElements(this.g, this.segCount) : quadElements(this.g, this.segCount);
      this.cmd.segments(p);
    }
  }

  get primitives(): number {
    return this.spanCount + this.segCount;
  }

  destroy(): void {
    this.styles.destroy();
    this.spanBuf.destroy();
    this.segBuf.destroy();
  }
}
