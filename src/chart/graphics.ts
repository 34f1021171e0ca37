/**
 * A chart's hold on the GPU: the page's shared WebGL context and this chart's renderers in it,
 * made on first use; what a context loss and restore do to them; and where smoothing can run.
 */
import { LineRenderer } from '../draw/lines';
import { SmoothedRenderer } from '../draw/smoothed';
import { capabilities } from '../gpu/capabilities';
import { acquireGL, releaseGL, sharedGLMade, type ContextUser, type SharedGL } from '../gpu/context';
import type { SmoothingBackend, Smoothing } from '../options';
import type { GpuFrame } from '../protocol/messages';
import { GpuSmoother } from '../smooth/scan';

export interface GraphicsHost {
  /** the chart's own canvas, into which the shared context's picture is copied */
  readonly ctx: CanvasRenderingContext2D;
  /** the chart has no data yet (it was created before its data arrives) */
  idle(): boolean;
  /** the context is lost: nothing can be drawn until it is back */
  lost(): void;
  /** the context is back, its GPU objects empty: everything is to be sent and drawn again */
  restored(): void;
}

/** Where each series' points lie in the smoothing texture of the last frame that carried them. */
export type GpuLayout = Pick<GpuFrame, 'offsets' | 'lengths' | 'range'>;

export class Graphics {
  /**
   * The shared context and this chart's line renderer. The first chart of a page makes them once
   * the decimation worker has started (see the chart), so that creating the context (tens of ms
   * on a cold page) overlaps the worker's ingest of the data.
   */
  private made: { gl: SharedGL; lines: LineRenderer } | null = null;
  /** created on first use of GPU smoothing */
  private scan: GpuSmoother | null = null;
  private smoothedLines: SmoothedRenderer | null = null;
  /** GPU layout of the last frame that carried one */
  layout: GpuLayout | null = null;

  /** what the shared context tells this chart when the browser loses and restores it */
  private user: ContextUser = {
    // the picture in our canvas stays; nothing is drawn until the context is back
    lost: () => this.host.lost(),
    restored: () => {
      // regl has recreated our GPU objects, empty: refill them. Line buffers and styles are
      // uploaded with the next frame; the smoothing data comes again from the worker (the points
      // themselves are safe there).
      this.scan?.destroy();
      this.scan = null;
      this.smoothedLines?.destroy();
      this.smoothedLines = null;
      this.layout = null;
      this.host.restored();
    },
  };

  constructor(private host: GraphicsHost) {}

  get gl(): SharedGL {
    return this.make().gl;
  }

  get lines(): LineRenderer {
    return this.make().lines;
  }

  /** Nothing can be drawn now (checked without making the context). */
  get lost(): boolean {
    return this.made?.gl.lost ?? false;
  }

  /** Another chart of the page has made the shared context: making this chart's renderers is cheap. */
  get pageHasContext(): boolean {
    return sharedGLMade();
  }

  /** The context and this chart's renderers exist (made, not lost or lost: see `lost`). */
  get ready(): boolean {
    return this.made !== null;
  }

  /**
   * The context and renderers, made now if they are not. `warm`: compile the pipelines and set up
   * the copy into this chart's canvas now, not in the next frame; by default when the chart is
   * still waiting for data (a panel mounted before its data loads). With data on its way the
   * first frame compiles only what it draws, and sooner.
   */
  make(warm = this.host.idle()): { gl: SharedGL; lines: LineRenderer } {
    if (this.made) return this.made;
    const gl = acquireGL(this.user);
    const idle = warm;
    const lines = new LineRenderer(gl, idle);
    if (idle) {
      this.host.ctx.drawImage(gl.canvas, 0, 0, 1, 1, 0, 0, 1, 1);
      this.host.ctx.clearRect(0, 0, 1, 1);
    }
    return (this.made = { gl, lines });
  }

  smoother(): GpuSmoother {
    return (this.scan ??= new GpuSmoother(this.gl));
  }

  smoothedRenderer(): SmoothedRenderer {
    return (this.smoothedLines ??= new SmoothedRenderer(this.gl, this.lines.styles));
  }

  /** Where smoothing runs now: the option, the context's abilities (the renderer among them). */
  backend(want: SmoothingBackend): 'cpu' | 'gpu' {
    if (want === 'cpu') return 'cpu';
    const caps = capabilities(this.gl);
    if (!caps.floatTargets) return 'cpu';
    return want === 'gpu' || !caps.software ? 'gpu' : 'cpu';
  }

  /** One slot's smoothed values, scanned for `smoothing` and read back; null when its points are not on the GPU. */
  readBack(slot: number, smoothing: Smoothing): Float32Array | null {
    const gpu = this.layout;
    if (!gpu || !this.scan || !(gpu.offsets[slot] >= 0)) return null;
    this.scan.run({ ...smoothing, range: gpu.range });
    return this.scan.read(gpu.offsets[slot], gpu.lengths[slot]);
  }

  /**
   * The smoothed values at these points (slot, index in its sorted order), read from the GPU's
   * last scan; `others` for slots whose points are not on the GPU (source series: offset -1).
   */
  gather(slots: ArrayLike<number>, index: ArrayLike<number>, others: ArrayLike<number>): Float64Array | null {
    const gpu = this.layout;
    if (!gpu || !this.scan) return null;
    const on: number[] = [];
    for (let j = 0; j < slots.length; j++) if (gpu.offsets[slots[j]] >= 0) on.push(j);
    const read = this.scan.gather(on.map((j) => gpu.offsets[slots[j]] + index[j]));
    const out = Float64Array.from(others);
    on.forEach((j, k) => (out[j] = read[k]));
    return out;
  }

  destroy(): void {
    this.made?.lines.destroy();
    this.scan?.destroy();
    this.smoothedLines?.destroy();
    releaseGL(this.user);
  }
}
