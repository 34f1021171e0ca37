/**
 * The worker's answer to `view` (docs/worker-protocol.md): decimate the view, cull what later
 * runs paint over, and pack the records as vertices into the buffers the chart handed back, so
 * steady panning allocates nothing. With GPU smoothing it also brings the chart's texture layout
 * up to date and describes the view by point index.
 */
import type { PlotImage, FrameReply, FrameStats, GpuFrame, ToWorker } from '../protocol/messages';
import { MAX_POINTS } from '../smooth/constants';
import { gaussianReach } from '../smooth/window';
import { xRange } from '../smooth/cpu';
import { layoutSize, syncLayout, type GpuLayout } from '../smooth/layout';
import { smoothingOn } from '../smooth/params';
import { frameStats, type Series } from '../store/store';
import { appendSlots, occludeSpans, slotsLast, snapSpans } from '../decimate/occlude';
import { F32Out } from '../decimate/outbuf';
import { recordVertices, spanVertices } from '../decimate/vertices';
import { decimateView, type GpuViewOut, type GroupLayers, type GroupLines } from '../decimate/view';
import { DensityCounter, SLOT_IMAGE_SHARE, slotImage } from '../decimate/plotimage';
import { groupCurves } from '../aggregate/groups';

export type ViewMessage = Extract<ToWorker, { type: 'view' }>;

/** the decimation's compact records, reused across views (only their vertices travel) */
const compact = { spans: new F32Out(), pieces: new F32Out(), segments: new F32Out(), isegs: new F32Out() };

/**
 * The frame for one view of a chart's `series` (on the x column in use). `layout`: where the
 * chart's points sit in the GPU smoothing texture; the reply's `layout` is the one to keep
 * (null: leave it as it is).
 */
/** What a server answered for the chart's source series (sourceview.ts), drawn with the held ones. */
export interface Answered {
  /** the answer as curves (decimate/m4curves.ts) */
  curves: Series[];
  /** the x domain the answer was asked for: drawn as is */
  xDomain: [number, number];
  /** the source series' counts, and the bytes received */
  stats: FrameStats;
  /** R of the time-weighted mode over every series of the chart, held or not */
  range: number;
  /** some curves are smoothed answers (the server smoothed them) */
  serverSmoothed: boolean;
  /** ids of source series their server no longer holds */
  missing: string[];
  /** ids of source series their server could not answer now (a shard down) */
  unanswered: string[];
  /** the line and band edges of groups a server aggregated (sourcegroups.ts), drawn with the worker's own */
  groups?: GroupLines[];
}

/**
 * The last frame with a plot image, per chart: when the next view differs only in its highlighted
 * runs (same points, same view) and the chart still draws that image, the image stays and only
 * the highlighted runs are decimated (a highlight over 10,000 runs costs their curves, not a new
 * density; clearing it, when the cursor leaves, costs nothing but the image). Only when every
 * other curve is in the image (no segments of its own).
 */
interface LastImage {
  key: string;
  seq: number;
  kind: PlotImage['kind'];
  max: number;
  xDomain: [number, number];
  yDomain: [number, number];
}
const lastImages = new Map<number, LastImage>();

/** What must match for an image to be kept: the points (their epoch) and the view but its highlight. */
function imageKey(v: ViewMessage['view'], epoch: number): string {
  return `${epoch}|${JSON.stringify({ ...v, lit: undefined, heldImage: undefined })}`;
}

/**
 * `epoch`: the chart's data epoch (worker.ts), given for charts of held series only: their view
 * may keep its plot image across a highlight change.
 */
/** points a side a gaussian window may hold, on average, for the GPU pass (beyond, the CPU) */
const GPU_GAUSSIAN_POINTS = 4096;

/**
 * Whether some series' gaussian windows hold, on average, more than GPU_GAUSSIAN_POINTS points a
 * side: one fragment would then loop over tens of thousands of points, long enough for a
 * driver to reset the GPU (the worker takes the same time, without that risk). The pass itself
 * is exact at any width.
 */
function gaussianTooWide(series: readonly Series[], sigma: number): boolean {
  const reach = gaussianReach(sigma);
  for (const s of series) {
    if (s.n < 2) continue;
    const span = s.col.x[s.n - 1] - s.col.x[0];
    if (!(span > 0) || (reach * (s.n - 1)) / span > GPU_GAUSSIAN_POINTS) return true;
  }
  return false;
}

export function frameReply(msg: ViewMessage, series: Series[], layout: GpuLayout | null, answered?: Answered, epoch?: number): { reply: FrameReply; layout: GpuLayout | null } {
  const t0 = performance.now();
  // compact records from the decimation, then quads as vertices in the recycled buffers
  const spans = compact.spans, segments = compact.segments;
  const spanVerts = new F32Out(msg.recycle[0]);
  const segVerts = new F32Out(msg.recycle[1]);
  const v = msg.view;
  const smoothing = v.smoothing && smoothingOn(v.smoothing);
  // GPU smoothing holds at most MAX_POINTS points per chart; beyond, smooth here. Density counts
  // the smoothed curves, so they are smoothed here.
  // A gaussian whose windows hold thousands of points a side smooths here too (gaussianTooWide).
  const onGpu =
    (smoothing || v.gpuData) && v.smoothBackend === 'gpu' && !v.density && !v.aggregate && layoutSize(series) <= MAX_POINTS &&
    !(smoothing && v.smoothing!.mode === 'gaussian' && gaussianTooWide(series, v.smoothing!.sigma!));
  const key = epoch !== undefined && !onGpu ? imageKey(v, epoch) : null;
  const last = key !== null ? lastImages.get(msg.chart) : undefined;
  const lit = v.lit;
  // a highlight set, changed or cleared: the image stands, only the highlighted runs (if any) are drawn
  if (key !== null && last && last.key === key && v.heldImage === last.seq) {
    return { reply: litOnly(msg, series, last, new Set(lit), t0), layout: null };
  }
  let gpu: GpuFrame | null = null;
  let out: GpuViewOut | undefined;
  let kept: GpuLayout | null = null;
  if (onGpu) {
    const synced = syncLayout(series, layout);
    kept = synced.layout;
    const offsets = new Map([...kept.places].map(([s, p]) => [s, p.offset]));
    out = { offsets, edges: new F32Out(msg.recycle[2]), isegs: compact.isegs, rowSlots: [] };
    // indexed by slot: source series take slots too
    const slots = Math.max(series.length, v.slots ?? 0);
    const offsetsBySlot = new Float64Array(slots).fill(-1);
    const lengths = new Float64Array(slots);
    for (const [s, p] of kept.places) {
      offsetsBySlot[s.slot] = p.offset;
      lengths[s.slot] = s.n;
    }
    gpu = {
      upload: synced.upload, range: answered?.range ?? xRange(series), edges: out.edges.data, edgeRows: 0, isegs: out.isegs.data, isegCount: 0,
      rowSlots: new Float32Array(0), offsets: offsetsBySlot, lengths,
    };
  }
  const all = answered ? [...series, ...answered.curves] : series;
  const req = answered ? { ...v, xDomain: answered.xDomain } : v;
  const W = Math.max(1, Math.floor(v.width)), H = Math.max(1, Math.floor(v.height));
  const density = v.density && !v.fitOnly ? new DensityCounter(W, H) : undefined;
  const r = decimateView(all, { ...req, smoothBackend: onGpu ? 'gpu' : 'cpu' }, spans, segments, out, answered?.range, density, groupsOf(msg.chart, v, series, answered?.groups));
  let image: PlotImage | undefined;
  if (density) image = { kind: 'density', ...density.image(), width: W, height: H };
  // one-pixel lines: spans in whole rows; opaque ones: only what no later span paints (occlude.ts)
  if (v.thin) snapSpans(r.spans, H);
  const drawn = v.thin && v.cull && !density ? compact.pieces : r.spans;
  let spanCount = r.spans.length / 4;
  if (drawn !== r.spans) {
    spanCount = occludeSpans(r.spans, W, H, drawn);
    // many pieces against the plot's pixels: one picture of them costs less than the primitives
    if (spanCount > SLOT_IMAGE_SHARE * W * H) {
      image = { kind: 'slots', data: slotImage(drawn, W, H), width: W, height: H, max: 0 };
      drawn.length = 0;
      spanCount = 0;
    }
    // a highlighted run: its whole curve after the others' pieces and segments, drawn on top
    if (v.lit?.length) {
      const lit = new Set(v.lit);
      spanCount = appendSlots(r.spans, lit, drawn);
      slotsLast(r.segments, 5, lit);
    }
  }
  if (gpu && out) {
    gpu.edges = out.edges.data;
    gpu.edgeRows = out.rowSlots.length;
    const isegVerts = new F32Out(msg.recycle[3]);
    gpu.isegCount = recordVertices(out.isegs.data, out.isegs.length / 5, isegVerts);
    gpu.isegs = isegVerts.data;
    gpu.rowSlots = Float32Array.from(out.rowSlots);
  }
  const reply: FrameReply = {
    type: 'frame',
    chart: msg.chart,
    seq: msg.seq,
    xDomain: r.xDomain,
    yDomain: r.yDomain,
    spanCount: spanVertices(drawn.data, spanCount, spanVerts),
    spans: spanVerts.data,
    segmentCount: recordVertices(r.segments.data, r.segments.length / 5, segVerts),
    segments: segVerts.data,
    stats: answered ? addStats(frameStats(series, v.xScale, v.yScale), answered.stats) : frameStats(series, v.xScale, v.yScale),
    workerMs: performance.now() - t0,
    // the held series' smoothing says where it ran; a chart of source series only: the server
    smoothedOn: !smoothing ? 'none' : answered?.serverSmoothed && series.length === 0 ? 'server' : onGpu ? 'gpu' : 'cpu',
    smoothedPoints: r.smoothedPoints,
    gpu,
  };
  if (image) reply.image = image;
  if (key !== null && image && !r.segments.length) {
    lastImages.set(msg.chart, { key, seq: msg.seq, kind: image.kind, max: image.max, xDomain: r.xDomain, yDomain: r.yDomain });
  } else lastImages.delete(msg.chart);
  if (answered?.missing.length) reply.missing = answered.missing;
  if (answered?.unanswered.length) reply.unanswered = answered.unanswered;
  return { reply, layout: kept };
}

/**
 * A frame of the highlighted runs only, over the kept image of `last`: their curves decimated in
 * its domains, drawn as the full frame draws them (snapped one-pixel spans, segments).
 */
function litOnly(msg: ViewMessage, series: Series[], last: LastImage, lit: ReadonlySet<number>, t0: number): FrameReply {
  const v = msg.view;
  const slots = v.slots ?? series.length;
  const mine = series.filter((s) => lit.has(s.slot) || lit.has(s.slot + slots));
  const req = { ...v, xDomain: last.xDomain, yDomain: last.yDomain, density: undefined, cull: false, lit: undefined, smoothBackend: 'cpu' as const };
  // R of the time-weighted mode spans every series of the chart, as in the full frame
  const r = decimateView(mine, req, compact.spans, compact.segments, undefined, xRange(series));
  const H = Math.max(1, Math.floor(v.height));
  if (v.thin) snapSpans(r.spans, H);
  const spanVerts = new F32Out(msg.recycle[0]);
  const segVerts = new F32Out(msg.recycle[1]);
  const smoothing = v.smoothing && smoothingOn(v.smoothing);
  return {
    type: 'frame',
    chart: msg.chart,
    seq: msg.seq,
    xDomain: last.xDomain,
    yDomain: last.yDomain,
    spanCount: spanVertices(r.spans.data, r.spans.length / 4, spanVerts),
    spans: spanVerts.data,
    segmentCount: recordVertices(r.segments.data, r.segments.length / 5, segVerts),
    segments: segVerts.data,
    stats: frameStats(series, v.xScale, v.yScale),
    workerMs: performance.now() - t0,
    smoothedOn: smoothing ? 'cpu' : 'none',
    smoothedPoints: r.smoothedPoints,
    gpu: null,
    keptImage: { kind: last.kind, max: last.max },
  };
}

/**
 * The chart's aggregated groups for this view, if asked: those aggregated here (their members
 * among the held series) and those a server answered (`answered`).
 */
function groupsOf(chart: number, v: ViewMessage['view'], series: Series[], answered: GroupLines[] = []): GroupLayers | undefined {
  const a = v.aggregate;
  if (!a) return undefined;
  const curves = [...groupCurves(chart, v.xColumn ?? 'x', a, v.yScale === 'log', a.groups, series), ...answered];
  return { curves, skip: new Set(a.runs === 'hidden' ? a.groups.flatMap((g) => g.members) : []) };
}

/** A chart dropped: its kept image goes. */
export function forgetImage(chart: number): void {
  lastImages.delete(chart);
}

function addStats(a: FrameStats, b: FrameStats): FrameStats {
  return { points: a.points + b.points, nonFinite: a.nonFinite + b.nonFinite, nonPositive: a.nonPositive + b.nonPositive, bytes: a.bytes + b.bytes };
}
