/**
 * One view of one chart: fit the domains that are not fixed, then decimate every visible series
 * into column spans (dense) or segments (sparse). Pure: the worker only moves data in and out.
 */
import { axisMap, type ScaleType } from '../coords';
import type { Series } from '../store/store';
import { lowerBound, lowerBoundAbove } from '../store/store';
import { columnBounds, columnSpans, crossing, scaled, type ColumnView, type Curve } from './columns';
import { F32Out } from './outbuf';
import { emptyExtent } from '../store/pyramid';
import { sparseSegments } from './segments';
import type { ViewRequest } from '../protocol/messages';
import { smoothedCurve, xRange } from '../smooth/cpu';


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

export interface ViewResult {
  xDomain: [number, number];
  yDomain: [number, number];
  /** [column, top, bottom, slot] per span */
  spans: F32Out;
  /** [ax, ay, bx, by, slot] per segment */
  segments: F32Out;
  /** series drawn as spans / as segments */
  dense: number;
  sparse: number;
  /** points the cpu backend smoothed for this view (0 when cached) */
  smoothedPoints: number;
}

/** Fraction of the fitted y span added above and below, so extremes do not touch the frame. */
const Y_PAD = 0.05;

export function decimateView(
  all: readonly Series[],
  req: ViewRequest,
  spans: F32Out,
  segments: F32Out,
  gpu?: GpuViewOut,
): ViewResult {
  const hidden = new Set(req.hidden);
  const series = all.filter((s) => !hidden.has(s.slot) && s.n > 0);
  // what is drawn: raw curves (slot), then smoothed curves (slot + slots), in that order
  const layers: { curve: Curve; slot: number }[] = [];
  const sm = req.smoothing && req.smoothing.weight > 0 ? req.smoothing : null;
  const work = { points: 0 };
  if (!sm || req.showRaw !== false) for (const s of series) layers.push({ curve: s, slot: s.slot });
  const onGpu = sm && req.smoothBackend === 'gpu' && gpu;
  if (sm && !onGpu) {
    // R spans every series of the chart, hidden ones too: hiding a run changes no other curve
    const params = { ...sm, range: xRange(all) };
    const offset = req.slots ?? all.length;
    for (const s of series) layers.push({ curve: smoothedCurve(s, params, work), slot: s.slot + offset });
  }
  const W = Math.max(1, Math.floor(req.width));
  const H = Math.max(1, Math.floor(req.height));
  const xDomain = req.xDomain ? [req.xDomain[0], req.xDomain[1]] as [number, number] : fitX(series, req.xScale);
  const xmap = axisMap(req.xScale, xDomain, [0, W]);
  const edges = new Float64Array(W + 1);
  for (let c = 0; c <= W; c++) edges[c] = edgeAt(xmap, c);
  // exact ends, so a fitted view holds the first and last point whatever the rounding
  edges[0] = xDomain[0];
  edges[W] = xDomain[1];

  // first and one-past-last point in view per series: all the y fit needs
  // with GPU smoothing the smoothed values stay on the GPU; they lie within the raw range
  const fitted = onGpu ? series : layers.map((l) => l.curve);
  const ends = fitted.map((c) => viewEnds(c, edges));
  const view: ColumnView = {
    edges, xmap, ymap: xmap /* replaced below */, xScale: req.xScale, yScale: req.yScale, height: H,
  };
  const yDomain = req.yDomain
    ? [req.yDomain[0], req.yDomain[1]] as [number, number]
    : (req.ignoreOutliers && percentileY(fitted, view)) || fitY(fitted, ends, view);
  view.ymap = axisMap(req.yScale, yDomain, [H, 0]);

  spans.length = 0;
  segments.length = 0;
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
        columnBounds(s.col.x, s.n, edges, bounds.length < W + 1 ? (bounds = new Int32Array(W + 1)) : bounds);
        indexEdges(s, bounds, view, at, gpu.edges);
        gpu.rowSlots.push(s.slot + offset);
      }
    }
  }
  let dense = 0, sparse = 0;
  if (bounds.length < W + 1) bounds = new Int32Array(W + 1);
  layers.forEach(({ curve, slot }) => {
    const [b0, b1] = viewEnds(curve, edges);
    if (b1 - b0 <= W) {
      sparseSegments(curve, b0, b1, view, slot, segments);
      sparse++;
    } else {
      columnBounds(curve.col.x, curve.n, edges, bounds);
      const from = spans.length;
      columnSpans(curve, bounds, view, slot, spans);
      bridgeGaps(curve, bounds, view, slot, spans, from, segments);
      dense++;
    }
  });
  return { xDomain, yDomain, spans, segments, dense, sparse, smoothedPoints: work.points };
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
    data[k + 1] = inside ? pxOf(view, x[i - 1]) : 0;
    data[k + 2] = inside ? pxOf(view, x[i]) : 0;
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
    data[k] = pxOf(view, x[i]);
    data[k + 1] = pxOf(view, x[j]);
    data[k + 2] = at + i;
    data[k + 3] = at + j;
    data[k + 4] = slot;
    k += 5;
  }
  out.length = k;
}

function pxOf(view: ColumnView, v: number): number {
  return (scaled(v, view.xScale) - view.xmap.t0) * view.xmap.k + view.xmap.r0;
}

/** Reused between views: bounds of one series at a time. */
let bounds = new Int32Array(0);

/** [first point in view, one past the last], matching columnBounds' b[0] and b[W]. */
function viewEnds(s: Curve, edges: Float64Array): [number, number] {
  const x = s.col.x;
  const b0 = lowerBound(x, 0, s.n, edges[0]);
  const b1 = lowerBoundAbove(x, s.n, edges[edges.length - 1]);
  return [b0, Math.max(b0, b1)];
}

function edgeAt(map: ReturnType<typeof axisMap>, px: number): number {
  const t = map.k === 0 ? map.t0 : (px - map.r0) / map.k + map.t0;
  return map.scale === 'log' ? Math.pow(10, t) : t;
}

/** The x extent of the data (on a log axis, of its positive part). */
export function fitX(series: readonly Series[], scale: ScaleType): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const s of series) {
    const x = s.col.x;
    const first = scale === 'log' ? lowerBoundAbove(x, s.n, 0) : 0;
    if (first >= s.n) continue;
    if (x[first] < lo) lo = x[first];
    if (x[s.n - 1] > hi) hi = x[s.n - 1];
  }
  return padDomain(lo, hi, scale, 0);
}

/** The y extent of what is drawn in the x view: points in it and where lines cross its edges. */
function fitY(series: readonly Curve[], ends: [number, number][], view: ColumnView): [number, number] {
  const W = view.edges.length - 1;
  const log = view.yScale === 'log';
  let lo = Infinity, hi = -Infinity;
  const ext = emptyExtent();
  series.forEach((s, k) => {
    const [b0, b1] = ends[k];
    ext.min = Infinity; ext.max = -Infinity; ext.minPos = Infinity;
    s.pyramid.query(s.y, b0, b1, ext);
    const mn = log ? ext.minPos : ext.min;
    if (mn <= ext.max) {
      lo = Math.min(lo, scaled(mn, view.yScale));
      hi = Math.max(hi, scaled(ext.max, view.yScale));
    }
    for (const t of [crossing(s, b0, 0, view), crossing(s, b1, W, view)]) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  });
  // lo/hi are scaled here; pad in scaled units and return data values
  if (!(lo <= hi)) return view.yScale === 'log' ? [1, 10] : [0, 1];
  const span = hi - lo;
  const pad = span > 0 ? span * Y_PAD : log ? 0.5 : Math.max(Math.abs(lo) * 0.1, 1);
  return log ? [Math.pow(10, lo - pad), Math.pow(10, hi + pad)] : [lo - pad, hi + pad];
}

/** Quantiles of what is drawn for an outlier-ignoring fit (TensorBoard's 5th..95th). */
const LOW_Q = 0.05, HIGH_Q = 0.95;

/**
 * The y fit that ignores outliers: the 5th and 95th percentile of the per-column extents of the
 * curves in view (each column's min and max, or the points of a sparse curve), padded. Null when
 * there is nothing to fit or the percentiles coincide (then the full extent is used, so the line
 * is never hidden entirely).
 */
function percentileY(curves: readonly Curve[], view: ColumnView): [number, number] | null {
  const W = view.edges.length - 1;
  const identity: ColumnView = { ...view, ymap: { scale: view.yScale, t0: 0, k: 1, r0: 0 }, noClamp: true };
  const spans = new F32Out();
  const values: number[] = [];
  for (const c of curves) {
    const [b0, b1] = viewEnds(c, view.edges);
    if (b1 - b0 <= W) {
      for (let i = b0; i < b1; i++) {
        const v = c.y[i];
        if (Number.isFinite(v) && (view.yScale === 'linear' || v > 0)) values.push(scaled(v, view.yScale));
      }
      continue;
    }
    if (bounds.length < W + 1) bounds = new Int32Array(W + 1);
    columnBounds(c.col.x, c.n, view.edges, bounds);
    spans.length = 0;
    const n = columnSpans(c, bounds, identity, 0, spans);
    for (let k = 0; k < n; k++) values.push(spans.data[4 * k + 1], spans.data[4 * k + 2]);
  }
  if (values.length < 2) return null;
  const sorted = Float64Array.from(values).sort();
  const lo = sorted[Math.floor(LOW_Q * (sorted.length - 1))];
  const hi = sorted[Math.ceil(HIGH_Q * (sorted.length - 1))];
  if (!(hi > lo)) return null;
  const pad = (hi - lo) * Y_PAD;
  return view.yScale === 'log' ? [Math.pow(10, lo - pad), Math.pow(10, hi + pad)] : [lo - pad, hi + pad];
}

function padDomain(lo: number, hi: number, scale: ScaleType, frac: number): [number, number] {
  if (!(lo <= hi)) return scale === 'log' ? [1, 10] : [0, 1];
  if (lo === hi) {
    if (scale === 'log') return [lo / Math.SQRT2, hi * Math.SQRT2];
    const d = Math.max(Math.abs(lo) * 1e-3, 0.5);
    return [lo - d, hi + d];
  }
  // halves: hi - lo of finite ends (-1e308..1e308) overflows to Infinity, and Infinity * 0 is
  // NaN; the padded ends stay finite
  const pad = frac > 0 ? (hi / 2 - lo / 2) * 2 * frac : 0;
  return [Math.max(lo - pad, -Number.MAX_VALUE), Math.min(hi + pad, Number.MAX_VALUE)];
}
