/**
 * GPU smoothing: both modes as a parallel scan of affine maps (shaders/smooth/common.glsl), over
 * the full-resolution points of every series of a chart at once, in WebGL1 fragment passes.
 *
 *   data     LUMINANCE_ALPHA float, 4096 points per row: (y or SKIP, dx or -1 at a series' start)
 *   upsweep  level L = 1..T: each texel composes 16 texels of level L-1 (level 0 = the points)
 *   downsweep level L = T..1: exclusive prefix = parent's prefix, then the siblings before
 *   final    four points per output texel: block prefix, the points before them, then theirs
 *   minmax   a min/max pyramid over the output (16 points per texel, then x16 per level)
 *
 * Work per run is O(N): the upsweep reads every point once, the final pass about 2.5 times, and
 * the levels above are 16x smaller each. Moving the slider re-runs these passes only; the data
 * texture is uploaded once and extended by appends.
 *
 * Per view, `spans` computes every (pixel column, dense series) span of the smoothed curves from
 * the pyramid (gpu-spans.ts). The passes: gpu-passes.ts; their targets: gpu-targets.ts; reading
 * values back: gpu-readback.ts.
 *
 * Indices are float32 in the shaders, exact below 2^24: GPU smoothing holds up to 16.7M points
 * per chart; beyond that the chart smooths on the CPU.
 */
import type { Regl, Texture2D } from 'regl';
import type { SharedGL } from '../gpu/context';
import { ROW, SKIP } from './constants';
import { scanPasses, type ScanPasses } from './gpu-passes';
import { gatherValues, readValues } from './gpu-readback';
import { SpansPass, type SizedTexture } from './gpu-spans';
import { destroyTarget, makeTarget, rowBoxes, type Box, type Target } from './gpu-targets';
import { paramsKey } from './params';
import type { SmoothParams } from './reference';
import { gaussianReach } from './window';

/** A chunk of (y or SKIP, dx or -1) pairs to write at a point offset of the data texture. */
export interface DataChunk {
  offset: number;
  data: Float32Array;
}

export class GpuSmoother {
  private regl: Regl;
  private cmd: ScanPasses;
  private data: Texture2D | null = null;
  private rows = 0;
  /** upsweep aggregates and downsweep prefixes per level 1..T */
  private agg: Target[] = [];
  private pre: Target[] = [];
  private out: Target | null = null;
  private pyr: Target[] = [];
  private spansPass: SpansPass;
  /** the parameters the output was computed with, '' when stale */
  private computed = '';
  /** point ranges written since the last run (appends); null: everything */
  private dirty: [number, number][] | null = null;

  constructor(g: SharedGL) {
    this.regl = g.regl;
    this.cmd = scanPasses(g);
    this.spansPass = new SpansPass(this.regl, this.cmd);
  }

  /** Lay out (rows x 4096 points) anew from a full upload, or write appended chunks. */
  upload(rows: number, full: boolean, chunks: readonly DataChunk[]): void {
    if (full || !this.data || rows !== this.rows) {
      this.allocate(rows);
      this.dirty = null;
    } else if (this.dirty) {
      for (const c of chunks) this.dirty.push([c.offset, c.offset + c.data.length / 2]);
    }
    for (const c of chunks) this.write(c);
  }

  get points(): number {
    return this.rows * ROW;
  }

  /**
   * Run the scan and the pyramid for these parameters (nothing if already current). Returns the
   * number of points whose smoothed value was recomputed.
   */
  run(p: SmoothParams): number {
    const key = paramsKey(p); // ema ignores R: a live run's growing x-extent changes nothing
    if (!this.data || (key === this.computed && this.dirty?.length === 0)) return 0;
    // Same parameters and only appended points: level 1 and the output are recomputed just over
    // the rows that hold new points (the levels above are 16x smaller each and run whole). That
    // is exact: every other point's prefix either does not include the new points or passes a
    // series' start, which forgets everything before it.
    // (gaussian: an appended point changes the outputs within reach before it, in other rows:
    // every output is recomputed)
    const ranges = key === this.computed && p.mode !== 'gaussian' ? this.dirty : null;
    const boxes = (t: Target, perTexel: number) => rowBoxes(t, ranges, perTexel);
    if (p.mode === 'gaussian') this.gaussian(p.sigma!);
    else this.scan(p, boxes);
    for (let l = 0; l < this.pyr.length; l++) {
      const src = l === 0 ? this.out! : this.pyr[l - 1];
      for (const box of l === 0 ? boxes(this.pyr[0], 16) : [undefined]) {
        this.cmd.minmax({ target: this.pyr[l], box, src: src.tex, srcSize: [src.width, src.height], srcCount: src.count, fromValues: l === 0 ? 1 : 0 });
      }
    }
    this.computed = key;
    this.dirty = [];
    // points under the output rows rendered
    return boxes(this.out!, 4).reduce((n, b) => n + (b ? b.height * b.width * 4 : this.rows * ROW), 0);
  }

  /** Gaussian smoothing: one direct weighted sum per point (shaders/smooth/gaussian.frag). */
  private gaussian(sigma: number): void {
    this.cmd.gaussian({
      target: this.out!,
      data: this.data,
      dataSize: [ROW, this.rows],
      count: this.rows * ROW,
      reach: gaussianReach(sigma),
      halfInvSigma2: 1 / (2 * sigma * sigma),
    });
  }

  /** ema and time-weighted: the scan's passes up to the output (the rows `boxes` names). */
  private scan(p: SmoothParams, boxes: (t: Target, perTexel: number) => (Box | undefined)[]): void {
    const scan = {
      weight: p.weight,
      logWeight: p.weight > 0 ? Math.log(p.weight) : 0,
      timeWeighted: p.mode === 'time-weighted' ? 1 : 0,
      dxScale: p.range > 0 ? 1000 / p.range : 0,
    };
    const n0 = this.rows * ROW;
    // upsweep
    for (let l = 0; l < this.agg.length; l++) {
      const src = l === 0 ? null : this.agg[l - 1];
      for (const box of l === 0 ? boxes(this.agg[0], 16) : [undefined]) {
        this.cmd.upsweep({
          ...scan,
          target: this.agg[l],
          box,
          src: src ? src.tex : this.data,
          srcSize: src ? [src.width, src.height] : [ROW, this.rows],
          srcCount: src ? src.count : n0,
          fromData: src ? 0 : 1,
        });
      }
    }
    // downsweep, top to bottom
    for (let l = this.pre.length - 1; l >= 0; l--) {
      // the top level has no parent; bind any texture that is not the target (no feedback loop)
      const parent = this.pre[l + 1] ?? this.agg[l];
      for (const box of l === 0 ? boxes(this.pre[0], 16) : [undefined]) {
        this.cmd.downsweep({
          ...scan,
          target: this.pre[l],
          box,
          agg: this.agg[l].tex,
          aggSize: [this.agg[l].width, this.agg[l].height],
          parent: parent.tex,
          parentSize: [parent.width, parent.height],
          hasParent: l + 1 < this.pre.length ? 1 : 0,
        });
      }
    }
    for (const box of boxes(this.out!, 4)) {
      this.cmd.final({
        ...scan,
        target: this.out!,
        box,
        data: this.data,
        dataSize: [ROW, this.rows],
        prefix: this.pre[0].tex,
        prefixSize: [this.pre[0].width, this.pre[0].height],
      });
    }
  }

  /**
   * Spans of the dense smoothed series for one view (see SpansPass.run); edges null: the same
   * view as last time. Null before the first upload or without dense series.
   */
  spans(edges: Float32Array | null, W: number, rows: number, ymap: [number, number, number], yLog: boolean, height: number): SizedTexture | null {
    if (!this.out || rows === 0) return null;
    return this.spansPass.run(this.out, this.pyr, edges, W, rows, ymap, yLog, height);
  }

  /** The packed smoothed values (four per texel), for the sparse-segment draw. */
  get values(): SizedTexture | null {
    return this.out ? { tex: this.out.tex, size: [this.out.width, this.out.height] } : null;
  }

  /** The smoothed values at these point indices (NaN where skipped): a hover's few values. */
  gather(indices: readonly number[]): Float32Array {
    if (!this.out || indices.length === 0) return new Float32Array(indices.length);
    return gatherValues(this.regl, this.cmd, this.out, indices);
  }

  /** Read back points [offset, offset + n) of the output, skipped points as NaN. */
  read(offset: number, n: number): Float32Array {
    return readValues(this.regl, this.out!, offset, n);
  }

  destroy(): void {
    this.free();
    this.spansPass.destroy();
  }

  private allocate(rows: number): void {
    this.free();
    const regl = this.regl;
    this.rows = rows;
    // padding points: skipped, marked as starts (see layout.ts)
    const init = new Float32Array(ROW * rows * 2);
    for (let i = 0; i < init.length; i += 2) {
      init[i] = SKIP;
      init[i + 1] = -1;
    }
    this.data = regl.texture({ width: ROW, height: rows, format: 'luminance alpha', type: 'float', data: init, min: 'nearest', mag: 'nearest' });
    let count = ROW * rows;
    do {
      count = Math.ceil(count / 16);
      this.agg.push(makeTarget(regl, count));
      this.pre.push(makeTarget(regl, count));
      this.pyr.push(makeTarget(regl, count));
    } while (count > 16);
    this.out = makeTarget(regl, ROW * rows, 4);
  }

  private write(c: DataChunk): void {
    // split into a partial first row, whole rows, and a partial last row
    let e = c.offset, k = 0;
    const n = c.data.length / 2;
    while (k < n) {
      const col = e % ROW, row = Math.floor(e / ROW);
      const len = col === 0 && n - k >= ROW ? Math.floor((n - k) / ROW) * ROW : Math.min(ROW - col, n - k);
      const width = len >= ROW ? ROW : len;
      const height = len >= ROW ? len / ROW : 1;
      this.data!.subimage({ width, height, data: c.data.subarray(2 * k, 2 * (k + len)), format: 'luminance alpha', type: 'float' }, col, row);
      e += len;
      k += len;
    }
  }

  private free(): void {
    this.data?.destroy();
    this.data = null;
    for (const t of [...this.agg, ...this.pre, ...this.pyr]) destroyTarget(t);
    destroyTarget(this.out);
    this.spansPass.free();
    this.agg = [];
    this.pre = [];
    this.pyr = [];
    this.out = null;
    this.computed = '';
    this.dirty = null;
  }
}
