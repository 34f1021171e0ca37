/**
 * One view of one chart: fit the domains that are not fixed, then decimate every visible series
 * into column spans (dense) or segments (sparse), as docs/semantics.md (Decimation) defines
 * them. Pure: the worker only moves data in and out.
 */
import { axisMap, columnEdges, project } from '../coords';
import type { ViewOutcome, ViewRequest } from '../protocol/messages';
import { smoothedCurve, xRange } from '../smooth/cpu';
import type { SmoothParams } from '../smooth/reference';
import { smoothingOn } from '../smooth/params';
import type { Curve, Series } from '../store/store';
import { boundsScratch, columnBounds, columnSpans, crossing, viewEnds, type ColumnView } from './columns';
import { fitX, fitY } from './fit';
import { fromAnswer, isDense, smoothedAnswer } from './m4curves';
import type { F32Out } from './outbuf';
import type { DensityCounter } from './plotimage';
import type { GroupCurves } from '../aggregate/groups';
import { bandSpans } from './band';
import { sparseSegments } from './segments';

/** A run of at least this many empty columns crossed by one segment is drawn as that segment. */
const BRIDGE_MIN = 4;
/** [first, end) column pairs of the stretches bridged for one series, reused across calls */
const gaps: number[] = [];

/**
 * A dense series can still have long stretches without points: a run resumed at a later step, a
 * pause on a wall-time axis. The one segment crossing such a stretch would be a column span per
 * column it crosses (hundreds of primitives for one straight line); emit it as one segment
 * instead and drop those spans (this series' spans are spans[from..], in column order). The
 * columns holding the segment's end points keep their spans.
 */
function bridgeGaps(s: Curve, bounds: Int32Array, view: ColumnView, slot: number, spans: F32Out, from: number, segments: F32Out): void {
  const W = view.edges.length - 1;
  gaps.length = 0;
  for (let c = 0; c < W; ) {
    if (bounds[c] !== bounds[c + 1]) {
      c++;
      continue;
    }
    let end = c + 1;
    while (end < W && bounds[end] === bounds[end + 1]) end++;
    // columns [c, end) hold no point; the polyline crosses them on the segment (i - 1, i), if
    // there is one (columnSpans drew nothing there otherwise)
    const i = bounds[c];
    if (end - c >= BRIDGE_MIN && !Number.isNaN(crossing(s, i, c, view))) {
      sparseSegments(s, i, i, view, slot, segments); // just that segment
      gaps.push(c, end);
    }
    c = end;
  }
  if (!gaps.length) return;
  // drop the bridged columns' spans: both lists are in column order, so walk them together
  const d = spans.data;
  let k = from, g = 0;
  for (let j = from; j < spans.length; j += 4) {
    const col = d[j];
    while (g < gaps.length && col >= gaps[g + 1]) g += 2;
    if (g < gaps.length && col >= gaps[g]) continue;
    if (k !== j) for (let t = 0; t < 4; t++) d[k + t] = d[j + t];
    k += 4;
  }
  spans.length = k;
}

/**
 * For GPU smoothing the worker cannot decimate smoothed values it never sees; it describes the
 * view instead, by point index (offsets into the GPU layout):
 *   edges: per dense series row and column edge c = 0..W: (index of the first point at/after
 *          the edge, device-x of the point before it, device-x of that point, 1 if a segment
 *          crosses the edge)
 *   isegs: per sparse segment: (device-x a, device-x b, index a, index b, slot)
 *   rowSlots: the smoothed slot of each dense row
 */
export interface GpuViewOut {
  offsets: ReadonlyMap<Series, number>;
  edges: F32Out;
  isegs: F32Out;
  rowSlots: number[];
}

/** The decimated view, as compact records; the worker turns them into the frame's vertices. */
export interface ViewResult extends ViewOutcome {
  /** [column, top, bottom, slot] per span */
  spans: F32Out;
  /** [ax, ay, bx, by, slot] per segment */
  segments: F32Out;
  /** series drawn as spans / as segments */
  dense: number;
  sparse: number;
}

/**
 * A chart's aggregated groups (option `aggregate`): their curves, drawn after every run (bands,
 * then lines), and the runs not drawn (`runs: 'hidden'`: they are aggregated, not drawn).
 */
/** A group's line and band edges: aggregated here (aggregate/groups.ts), or a server's answer (drawn as it came). */
export type GroupLines = Pick<GroupCurves, 'line' | 'low' | 'high'>;

export interface GroupLayers {
  curves: readonly GroupLines[];
  skip: ReadonlySet<number>;
}

/** One curve drawn: a line, or (with `high`) a band from `curve` (its low edge) to `high`. */
interface Layer {
  curve: Curve;
  slot: number;
  high?: Curve;
}

/**
 * `range`: R of the time-weighted mode when the chart has series this worker does not hold
 * (source series: the x-extent over all of them, as the server is asked with); default: the
 * extent of `all`. `density` (with `req.density`): every curve counted (the smoothed ones when
 * smoothing, else the raw ones) is added to it as its column spans instead of being drawn; only
 * the `lit` slots are drawn, as lines on top (and counted all the same).
 */
export function decimateView(
  all: readonly Series[],
  req: ViewRequest,
  spans: F32Out,
  segments: F32Out,
  gpu?: GpuViewOut,
  range?: number,
  density?: DensityCounter,
  groups?: GroupLayers,
): ViewResult {
  const hidden = new Set(req.hidden);
  const series = all.filter((s) => !hidden.has(s.slot) && s.n > 0);
  const drawn = groups?.skip.size ? series.filter((s) => !groups.skip.has(s.slot)) : series;
  // what is drawn: raw curves (slot), then smoothed curves (slot + slots), each in slot order.
  // Curves from a server's answer (m4curves.ts) are drawn as they came: raw, or smoothed by the
  // server (only asked for when wanted); this worker smooths only the series it holds.
  const sm = req.smoothing && smoothingOn(req.smoothing) ? req.smoothing : null;
  const work = { points: 0 };
  const raw: Layer[] = [];
  const smooth: Layer[] = [];
  for (const s of drawn) {
    if (smoothedAnswer(s)) smooth.push({ curve: s, slot: s.slot });
    else if (fromAnswer(s) || !sm || req.showRaw !== false) raw.push({ curve: s, slot: s.slot });
  }
  const onGpu = sm && req.smoothBackend === 'gpu' && gpu;
  // R spans every series of the chart, hidden ones too: hiding a run changes no other curve
  const params = sm ? { ...sm, range: range ?? xRange(all.filter((s) => !fromAnswer(s))) } : null;
  if (params && !onGpu) {
    const offset = req.slots ?? all.length;
    for (const s of drawn) if (!fromAnswer(s)) smooth.push({ curve: smoothedCurve(s, params, work), slot: s.slot + offset });
  }
  const bySlot = (a: { slot: number }, b: { slot: number }) => a.slot - b.slot;
  const layers = [...raw.sort(bySlot), ...smooth.sort(bySlot), ...groupLayers(groups, params, work)];
  const W = Math.max(1, Math.floor(req.width));
  const H = Math.max(1, Math.floor(req.height));
  const xDomain = req.xDomain ? [req.xDomain[0], req.xDomain[1]] as [number, number] : fitX(series, req.xScale);
  const xmap = axisMap(req.xScale, xDomain, [0, W]);
  const edges = columnEdges(req.xScale, xDomain, W);

  // with GPU smoothing the smoothed values stay on the GPU; they lie within the raw range
  const fitted = onGpu ? series : layers.flatMap((l) => (l.high ? [l.curve, l.high] : [l.curve]));
  const view: ColumnView = {
    edges, xmap, ymap: xmap /* replaced below */, xScale: req.xScale, yScale: req.yScale, height: H,
  };
  const yDomain = req.yDomain
    ? [req.yDomain[0], req.yDomain[1]] as [number, number]
    : fitY(fitted, view, req.ignoreOutliers === true);
  view.ymap = axisMap(req.yScale, yDomain, [H, 0]);

  spans.length = 0;
  segments.length = 0;
  // the domains are all a fit asks for (the smoothed curves they needed are cached for the view)
  if (req.fitOnly) {
    if (onGpu) gpu.edges.length = gpu.isegs.length = gpu.rowSlots.length = 0;
    return { xDomain, yDomain, spans, segments, dense: 0, sparse: 0, smoothedPoints: work.points };
  }
  if (onGpu) {
    gpu.edges.length = 0;
    gpu.isegs.length = 0;
    gpu.rowSlots.length = 0;
    const offset = req.slots ?? all.length;
    for (const s of series) {
      const [b0, b1] = viewEnds(s, edges);
      const at = gpu.offsets.get(s);
      if (at === undefined) continue;
      if (b1 - b0 <= W) indexSegments(s, b0, b1, view, at, s.slot + offset, gpu.isegs);
      else {
        const bounds = boundsScratch(W);
        columnBounds(s.col.x, s.n, edges, bounds);
        indexEdges(s, bounds, view, at, gpu.edges);
        gpu.rowSlots.push(s.slot + offset);
      }
    }
  }
  let dense = 0, sparse = 0;
  const shared = new SharedBounds(edges, fitted);
  // density: the curves users read are counted, the others (raw ones under smoothed) left out
  const counted = density && req.density ? new Set(sm ? smooth : raw) : null;
  const lit = new Set(req.lit ?? []);
  layers.forEach((layer) => {
    const { curve, slot } = layer;
    if (layer.high) {
      bandSpans(curve, layer.high, (c) => shared.of(c), view, slot, spans);
      dense++;
      return;
    }
    if (counted) {
      // a highlighted run is counted too (the counts do not change with the highlight), and drawn
      if (counted.has(layer)) {
        columnSpans(curve, shared.of(curve), view, slot, spans, density); // no bridging: every column counts
        density!.curveDone();
      }
      if (!lit.has(slot)) return;
    }
    const [b0, b1] = viewEnds(curve, edges);
    if (!drawnAsSpans(curve, b0, b1, W, req.thin === true)) {
      sparseSegments(curve, b0, b1, view, slot, segments);
      sparse++;
    } else {
      const bounds = shared.of(curve);
      const from = spans.length;
      columnSpans(curve, bounds, view, slot, spans);
      bridgeGaps(curve, bounds, view, slot, spans, from, segments);
      dense++;
    }
  });
  return { xDomain, yDomain, spans, segments, dense, sparse, smoothedPoints: work.points };
}

/**
 * The groups' layers: every band (low edge to high edge), then every line, each smoothed when
 * the chart smooths (the aggregate's line and band edges, not the runs' smoothed values); a
 * server's answer came smoothed when the chart smooths.
 */
function groupLayers(groups: GroupLayers | undefined, sm: SmoothParams | null, work: { points: number }): Layer[] {
  if (!groups) return [];
  const of = (s: Series): Curve => (sm && !fromAnswer(s) ? smoothedCurve(s, sm, work) : s);
  return [
    ...groups.curves.map((g) => ({ curve: of(g.low), high: of(g.high), slot: g.low.slot })),
    ...groups.curves.map((g) => ({ curve: of(g.line), slot: g.line.slot })),
  ];
}

/**
 * Spans or real segments for a curve with points [b0, b1) in a W-column view. Wide lines: the
 * regime (isDense). One-pixel lines: spans already from W / 4 points in view, since a span's
 * pixels are known exactly (occlude.ts) and hidden ones are left out, while segments are drawn
 * whole; a quarter keeps a curve that needs few segments (a short run, a zoom deep into sparse
 * data) on them. The choice does not depend on culling, so culling changes no pixel.
 */
function drawnAsSpans(c: Curve, b0: number, b1: number, W: number, thin: boolean): boolean {
  return isDense(c, b0, b1, W) || (thin && b1 - b0 > W / 4);
}

/** At most this many x columns' bounds are kept in one view (W + 1 int32 each). */
const SHARED_MAX = 256;

/**
 * Column bounds found once per x column and view: the runs of a sweep share one step array
 * (the store keeps one XColumn for every series handed the same x), so 10,000 runs cost one
 * set of W binary searches, not 10,000. Keyed by the x array and its length; only arrays that
 * more than one curve of the view reads are kept (pooled across views, grown, never shrunk).
 */
class SharedBounds {
  private readers = new Map<Float64Array, number>();
  private kept = new Map<Float64Array, { n: number; bounds: Int32Array }>();
  constructor(private edges: Float64Array, curves: readonly Curve[]) {
    for (const c of curves) this.readers.set(c.col.x, (this.readers.get(c.col.x) ?? 0) + 1);
  }

  of(c: Curve): Int32Array {
    const x = c.col.x;
    const hit = this.kept.get(x);
    if (hit && hit.n === c.n) return hit.bounds;
    const keep = !hit && (this.readers.get(x) ?? 0) > 1 && this.kept.size < SHARED_MAX;
    const bounds = keep ? pooled(this.kept.size, this.edges.length) : boundsScratch(this.edges.length - 1);
    columnBounds(x, c.n, this.edges, bounds);
    if (keep) this.kept.set(x, { n: c.n, bounds });
    return bounds;
  }
}

const pool: Int32Array[] = [];
function pooled(i: number, size: number): Int32Array {
  if (!pool[i] || pool[i].length < size) pool[i] = new Int32Array(size);
  return pool[i];
}

/** Dense rows for GPU smoothing: the column edges by point index, see GpuViewOut. */
function indexEdges(s: Series, b: Int32Array, view: ColumnView, at: number, out: F32Out): void {
  const W = view.edges.length - 1;
  const x = s.col.x, y = s.y;
  const data = out.reserve(4 * (W + 1));
  let k = out.length;
  for (let c = 0; c <= W; c++) {
    const i = b[c];
    const inside = i > 0 && i < s.n;
    const cross = inside && Number.isFinite(y[i - 1]) && Number.isFinite(y[i]) && (view.xScale === 'linear' || x[i - 1] > 0);
    data[k] = at + i;
    data[k + 1] = inside ? project(view.xmap, x[i - 1]) : 0;
    data[k + 2] = inside ? project(view.xmap, x[i]) : 0;
    data[k + 3] = cross ? 1 : 0;
    k += 4;
  }
  out.length = k;
}

/** Sparse series for GPU smoothing: segments by point index, see GpuViewOut. */
function indexSegments(s: Series, b0: number, b1: number, view: ColumnView, at: number, slot: number, out: F32Out): void {
  const x = s.col.x, y = s.y;
  const first = Math.max(b0 - 1, 0), last = Math.min(b1, s.n - 1);
  const ok = (i: number) => i >= 0 && i < s.n && Number.isFinite(y[i]) && (view.xScale === 'linear' || x[i] > 0);
  const data = out.reserve(5 * (last - first + 2));
  let k = out.length;
  for (let i = first; i <= last; i++) {
    if (!ok(i)) continue;
    const next = i + 1 <= last && ok(i + 1);
    if (!next && ok(i - 1)) continue; // the end of a run: drawn by the segment before it
    const j = next ? i + 1 : i; // a lone point is a zero-length segment
    data[k] = project(view.xmap, x[i]);
    data[k + 1] = project(view.xmap, x[j]);
    data[k + 2] = at + i;
    data[k + 3] = at + j;
    data[k + 4] = slot;
    k += 5;
  }
  out.length = k;
}
