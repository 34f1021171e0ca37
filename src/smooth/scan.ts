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
 * the pyramid, with the worker's column edges: the smoothed curve is decimated exactly like the
 * raw one, on the GPU, without reading anything back.
 *
 * Indices are float32 in the shaders, exact below 2^24: GPU smoothing holds up to 16.7M points
 * per chart; beyond that the chart smooths on the CPU.
 */
import type { Framebuffer2D, Regl, Texture2D } from 'regl';
import { cached, type SharedGL } from '../gpu/context';
import { shaders } from '../gpu/shaders';
import { ROW, SKIP } from './constants';
import type { SmoothParams } from './reference';
import { paramsKey } from './params';

/** pyramid levels the spans pass can read (16^6 = 2^24 points) */
const MAX_LEVELS = 5;

interface Target {
  fbo: Framebuffer2D;
  tex: Texture2D;
  width: number;
  height: number;
  count: number;
}

interface PassProps {
  target: Target;
  /** rows to render, or the whole target */
  box?: { x: number; y: number; width: number; height: number };
  [uniform: string]: unknown;
}

/** Beyond this many separate row ranges a pass just runs over the whole level. */
const MAX_BOXES = 16;

function makeTarget(regl: Regl, count: number, perTexel = 1): Target {
  const texels = Math.max(1, Math.ceil(count / perTexel));
  const width = Math.min(ROW / perTexel, texels);
  const height = Math.max(1, Math.ceil(texels / width));
  const tex = regl.texture({ width, height, type: 'float', format: 'rgba', min: 'nearest', mag: 'nearest' });
  const fbo = regl.framebuffer({ color: tex, depthStencil: false });
  return { fbo, tex, width, height, count: texels };
}

function destroyTarget(t: Target | null): void {
  t?.fbo.destroy();
  t?.tex.destroy(); // a framebuffer does not own its colour texture
}

function commands(regl: Regl) {
  const pass = (frag: string, uniforms: Record<string, unknown>) =>
    regl<Record<string, unknown>, {}, PassProps>({
      vert: shaders.passVert,
      frag,
      attributes: { position: [-1, -1, 3, -1, -1, 3] },
      count: 3,
      framebuffer: (_: unknown, p: PassProps) => p.target.fbo,
      viewport: (_: unknown, p: PassProps) => ({ x: 0, y: 0, width: p.target.width, height: p.target.height }),
      depth: { enable: false },
      blend: { enable: false },
      scissor: {
        enable: (_: unknown, p: PassProps) => !!p.box,
        box: (_: unknown, p: PassProps) => p.box ?? { x: 0, y: 0, width: 1, height: 1 },
      },
      uniforms: {
        dstSize: (_: unknown, p: PassProps) => [p.target.width, p.target.height],
        ...uniforms,
      },
    } as never);
  const prop = (name: string) => (_: unknown, p: PassProps) => p[name];
  const scanUniforms = {
    weight: prop('weight'),
    logWeight: prop('logWeight'),
    timeWeighted: prop('timeWeighted'),
    dxScale: prop('dxScale'),
  };
  const spansUniforms: Record<string, unknown> = {
    values: prop('values'), valuesSize: prop('valuesSize'), levels: prop('levels'),
    edges: prop('edges'), edgesSize: prop('edgesSize'), ymap: prop('ymap'), yLog: prop('yLog'), height: prop('height'),
  };
  for (let l = 1; l <= MAX_LEVELS; l++) {
    spansUniforms[`sp${l}`] = prop(`sp${l}`);
    spansUniforms[`sp${l}Size`] = prop(`sp${l}Size`);
  }
  return {
    upsweep: pass(shaders.upsweepFrag, { ...scanUniforms, src: prop('src'), srcSize: prop('srcSize'), srcCount: prop('srcCount'), fromData: prop('fromData') }),
    downsweep: pass(shaders.downsweepFrag, { ...scanUniforms, agg: prop('agg'), aggSize: prop('aggSize'), parent: prop('parent'), parentSize: prop('parentSize'), hasParent: prop('hasParent') }),
    final: pass(shaders.finalFrag, { ...scanUniforms, data: prop('data'), dataSize: prop('dataSize'), prefix: prop('prefix'), prefixSize: prop('prefixSize') }),
    minmax: pass(shaders.minmaxFrag, { src: prop('src'), srcSize: prop('srcSize'), srcCount: prop('srcCount'), fromValues: prop('fromValues') }),
    spans: pass(shaders.smoothSpansFrag, spansUniforms),
    gather: pass(shaders.gatherFrag, { values: prop('values'), valuesSize: prop('valuesSize'), indices: prop('indices'), indicesSize: prop('indicesSize') }),
  };
}

/** A chunk of (y or SKIP, dx or -1) pairs to write at a point offset of the data texture. */
export interface DataChunk {
  offset: number;
  data: Float32Array;
}

export class GpuSmoother {
  private regl: Regl;
  private cmd: ReturnType<typeof commands>;
  private data: Texture2D | null = null;
  private rows = 0;
  /** upsweep aggregates and downsweep prefixes per level 1..T */
  private agg: Target[] = [];
  private pre: Target[] = [];
  private out: Target | null = null;
  private pyr: Target[] = [];
  private spansTarget: Target | null = null;
  private edgesTex: Texture2D;
  private edgesSize: [number, number] = [1, 1];
  /** the parameters the output was computed with, '' when stale */
  private computed = '';
  /** point ranges written since the last run (appends); null: everything */
  private dirty: [number, number][] | null = null;

  constructor(g: SharedGL) {
    this.regl = g.regl;
    this.cmd = cached(g, 'smooth', () => commands(g.regl));
    this.edgesTex = this.regl.texture({ width: 1, height: 1, type: 'float', format: 'rgba' });
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
    const ranges = key === this.computed ? this.dirty : null;
    const boxes = (t: Target, perTexel: number) => rowBoxes(t, ranges, perTexel);
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
    for (let l = 0; l < this.pyr.length; l++) {
      const src = l === 0 ? this.out! : this.pyr[l - 1];
      for (const box of l === 0 ? boxes(this.pyr[0], 16) : [undefined]) {
        this.cmd.minmax({ target: this.pyr[l], box, src: src.tex, srcSize: [src.width, src.height], srcCount: src.count, fromValues: l === 0 ? 1 : 0 });
      }
    }
    this.computed = key;
    this.dirty = [];
    // points under the output rows rendered
    return boxes(this.out!, 4).reduce((n, b) => n + (b ? b.height * b.width * 4 : n0), 0);
  }

  /**
   * Spans of the dense smoothed series for one view: edges holds, per series row and column
   * edge c = 0..W, (index of the first point at/after the edge, px of the point before, px of
   * that point, 1 if a segment crosses the edge). Output: a W x rows texture of (top, bottom, valid).
   */
  spans(edges: Float32Array | null, W: number, rows: number, ymap: [number, number, number], yLog: boolean, height: number): { tex: Texture2D; size: [number, number] } | null {
    if (!this.out || rows === 0) return null;
    // null: the same view as last time (a slider move), its edges are already here
    if (edges) {
      this.edgesSize = [W + 1, rows];
      this.edgesTex({ width: W + 1, height: rows, type: 'float', format: 'rgba', data: edges.subarray(0, (W + 1) * rows * 4) });
    }
    const t = this.spansTarget;
    if (!t || t.width !== W || t.height !== rows) {
      destroyTarget(t);
      this.spansTarget = null;
      const tex = this.regl.texture({ width: W, height: rows, type: 'float', format: 'rgba', min: 'nearest', mag: 'nearest' });
      this.spansTarget = { tex, fbo: this.regl.framebuffer({ color: tex, depthStencil: false }), width: W, height: rows, count: W * rows };
    }
    const props: PassProps = {
      target: this.spansTarget!,
      values: this.out.tex,
      valuesSize: [this.out.width, this.out.height],
      levels: this.pyr.length,
      edges: this.edgesTex,
      edgesSize: this.edgesSize,
      ymap,
      yLog: yLog ? 1 : 0,
      height,
    };
    for (let l = 1; l <= MAX_LEVELS; l++) {
      const p = this.pyr[Math.min(l, this.pyr.length) - 1];
      props[`sp${l}`] = p.tex;
      props[`sp${l}Size`] = [p.width, p.height];
    }
    this.cmd.spans(props);
    return { tex: this.spansTarget!.tex, size: [W, rows] };
  }

  /** The packed smoothed values (four per texel), for the sparse-segment draw. */
  get values(): { tex: Texture2D; size: [number, number] } | null {
    return this.out ? { tex: this.out.tex, size: [this.out.width, this.out.height] } : null;
  }

  /** The smoothed values at these point indices (NaN where skipped): a hover's few values. */
  gather(indices: readonly number[]): Float32Array {
    const k = indices.length;
    if (!this.out || k === 0) return new Float32Array(k);
    const width = Math.min(k, ROW), height = Math.ceil(k / width);
    const idx = new Float32Array(width * height);
    idx.set(indices);
    const indicesTex = this.regl.texture({ width, height, format: 'luminance', type: 'float', data: idx });
    const target = makeTarget(this.regl, width * height);
    this.cmd.gather({ target, values: this.out.tex, valuesSize: [this.out.width, this.out.height], indices: indicesTex, indicesSize: [width, height] });
    const px = this.regl.read({ framebuffer: target.fbo, x: 0, y: 0, width: target.width, height: target.height, data: new Float32Array(target.width * target.height * 4) }) as Float32Array;
    indicesTex.destroy();
    destroyTarget(target);
    const out = new Float32Array(k);
    for (let i = 0; i < k; i++) out[i] = px[4 * i] >= 1e38 ? NaN : px[4 * i];
    return out;
  }

  /** Read back points [offset, offset + n) of the output, skipped points as NaN. */
  read(offset: number, n: number): Float32Array {
    const out = this.out!;
    const t0 = Math.floor(offset / 4), t1 = Math.ceil((offset + n) / 4);
    const r0 = Math.floor(t0 / out.width), r1 = Math.floor((t1 - 1) / out.width);
    const block = this.regl.read({
      framebuffer: out.fbo,
      x: 0,
      y: r0,
      width: out.width,
      height: r1 - r0 + 1,
      data: new Float32Array(out.width * (r1 - r0 + 1) * 4),
    }) as Float32Array;
    const start = offset - r0 * out.width * 4;
    const values = block.slice(start, start + n);
    for (let i = 0; i < n; i++) if (values[i] >= 1e38) values[i] = NaN;
    return values;
  }

  destroy(): void {
    this.free();
    this.edgesTex.destroy();
  }

  private allocate(rows: number): void {
    this.free();
    const regl = this.regl;
    this.rows = rows;
    // padding points are identity maps: skipped, no x distance
    const init = new Float32Array(ROW * rows * 2);
    for (let i = 0; i < init.length; i += 2) init[i] = SKIP;
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
    destroyTarget(this.spansTarget);
    this.agg = [];
    this.pre = [];
    this.pyr = [];
    this.out = null;
    this.spansTarget = null;
    this.computed = '';
    this.dirty = null;
  }
}

/**
 * Scissor boxes (whole rows of a target) covering point ranges, `perTexel` points per texel;
 * [undefined] (the whole target) when there are no ranges or too many.
 */
function rowBoxes(t: Target, ranges: [number, number][] | null, perTexel: number): (PassProps['box'] | undefined)[] {
  if (!ranges || ranges.length === 0) return [undefined];
  const rows = ranges
    .map(([a, b]) => [Math.floor(Math.floor(a / perTexel) / t.width), Math.floor((Math.ceil(b / perTexel) - 1) / t.width)])
    .sort((p, q) => p[0] - q[0]);
  const merged: number[][] = [];
  for (const r of rows) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  if (merged.length > MAX_BOXES) return [undefined];
  return merged.map(([r0, r1]) => ({ x: 0, y: r0, width: t.width, height: r1 - r0 + 1 }));
}
