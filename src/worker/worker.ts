/**
 * The decimation worker: thin. It owns the columnar stores of every chart on the page and
 * answers view requests; the work itself lives in the pure modules it calls.
 */
import { SharedBatch, appendRounds, appendToSeries, createSeries, ingestX, storeBytes, type IncomingX, type Series } from '../store/store';
import type { FromWorker, GpuFrame, HoverReply, ToWorker, XPayload, YPayload } from '../protocol/messages';
import { lowerBound } from '../store/store';
import { scaled } from '../decimate/columns';
import { onColumn } from '../store/xcolumn';
import { layoutSize, syncLayout, type GpuLayout } from '../smooth/layout';
import { MAX_POINTS } from '../smooth/constants';
import { F32Out } from '../decimate/outbuf';
import { cullSpans } from '../decimate/cull';
import { recordVertices, spanVertices } from '../decimate/vertices';
import { decimateView, type GpuViewOut } from '../decimate/view';
import { smoothedCurve, xRange } from '../smooth/cpu';

const charts = new Map<number, Map<string, Series>>();
/** the decimation's compact records, reused across views (only their vertices travel) */
const compact = { spans: new F32Out(), segments: new F32Out(), isegs: new F32Out() };
/** per chart: where its points sit in the GPU smoothing texture */
const layouts = new Map<number, GpuLayout>();

function ingestAll(xs: XPayload[]): Map<number, IncomingX> {
  const out = new Map<number, IncomingX>();
  for (const { key, x } of xs) out.set(key, ingestX(x));
  return out;
}

function extraOf(s: YPayload): Map<string, Float64Array> {
  return new Map(s.extra.map((e) => [e.name, e.x]));
}

/** The chart's series as seen on the x column in use (series without that column left out). */
function seriesOn(chart: number, column: string | undefined): Series[] {
  const out: Series[] = [];
  for (const s of charts.get(chart)?.values() ?? []) {
    const v = onColumn(s, column ?? 'x');
    if (v) out.push(v);
  }
  return out;
}

function hover(msg: Extract<ToWorker, { type: 'hover' }>): HoverReply {
  const hidden = new Set(msg.hidden);
  const all = seriesOn(msg.chart, msg.xColumn);
  const series = all.filter((s) => !hidden.has(s.slot) && s.n > 0);
  const params = msg.smoothing && msg.smoothing.weight > 0 ? { ...msg.smoothing, range: xRange(all) } : null;
  const names = [...new Set(series.flatMap((s) => [...s.extra.keys()]))].sort();
  const found: { s: Series; i: number }[] = [];
  for (const s of series) {
    const i = nearestDrawable(s, msg.x, msg.xScale);
    if (i >= 0) found.push({ s, i });
  }
  const k = found.length;
  const r: HoverReply = {
    type: 'hover', chart: msg.chart, seq: msg.seq,
    slots: new Int32Array(k), index: new Float64Array(k), x: new Float64Array(k), y: new Float64Array(k),
    smoothed: new Float64Array(k).fill(NaN),
    first: new Float64Array(k), last: new Float64Array(k),
    columns: names.map((name) => ({ name, values: new Float64Array(k).fill(NaN) })),
  };
  found.forEach(({ s, i }, j) => {
    r.slots[j] = s.slot;
    r.index[j] = i;
    r.x[j] = s.col.x[i];
    r.y[j] = s.y[i];
    r.first[j] = s.col.x[edgeDrawable(s, 0, 1)];
    r.last[j] = s.col.x[edgeDrawable(s, s.n - 1, -1)];
    if (params) r.smoothed[j] = smoothedCurve(s, params).y[i];
    for (const c of r.columns) {
      const col = s.extra.get(c.name);
      if (col) c.values[j] = col[i];
    }
  });
  return r;
}

/** The first index from `i` in direction `step` with a finite y (the series has one: hover found it). */
function edgeDrawable(s: Series, i: number, step: 1 | -1): number {
  while (i >= 0 && i < s.n && !Number.isFinite(s.y[i])) i += step;
  return Math.min(s.n - 1, Math.max(0, i));
}

/** Index of the point nearest to x (in axis units) with a finite y; -1 when none nearby. */
function nearestDrawable(s: Series, x: number, scale: 'linear' | 'log'): number {
  const xs = s.col.x;
  const i = lowerBound(xs, 0, s.n, x);
  const dist = (j: number) => Math.abs(scaled(xs[j], scale) - scaled(x, scale));
  // walk outwards from the insertion point to the first finite value on each side
  let lo = i - 1, hi = i;
  while (lo >= 0 && !Number.isFinite(s.y[lo])) lo--;
  while (hi < s.n && !Number.isFinite(s.y[hi])) hi++;
  if (lo < 0) return hi < s.n ? hi : -1;
  if (hi >= s.n) return lo;
  return dist(lo) <= dist(hi) ? lo : hi;
}

function handle(msg: ToWorker): FromWorker | null {
  switch (msg.type) {
    case 'set': {
      const xs = ingestAll(msg.xs);
      const store = new Map<string, Series>();
      for (const s of msg.series) store.set(s.id, createSeries(s.id, s.slot, xs.get(s.xKey)!, s.y, extraOf(s)));
      charts.set(msg.chart, store);
      layouts.delete(msg.chart);
      return null;
    }
    case 'append': {
      const xs = ingestAll(msg.xs);
      const store = charts.get(msg.chart)!;
      // A series appended to twice in one task takes its appends in order, one round each;
      // within a round, per x batch, the series appending it (so shared columns stay shared).
      for (const round of appendRounds(msg.series)) {
        const byKey = new Map<number, Series[]>();
        for (const s of round) {
          const list = byKey.get(s.xKey);
          if (list) list.push(store.get(s.id)!);
          else byKey.set(s.xKey, [store.get(s.id)!]);
        }
        const batches = new Map([...byKey].map(([key, list]) => [key, new SharedBatch(list)]));
        for (const s of round) appendToSeries(store.get(s.id)!, xs.get(s.xKey)!, s.y, batches.get(s.xKey)!, extraOf(s));
      }
      return null;
    }
    case 'view': {
      const t0 = performance.now();
      const series = seriesOn(msg.chart, msg.view.xColumn);
      // compact records from the decimation, then quads as vertices in the recycled buffers
      const spans = compact.spans, segments = compact.segments;
      const spanVerts = new F32Out(msg.recycle[0]);
      const segVerts = new F32Out(msg.recycle[1]);
      const v = msg.view;
      const smoothing = v.smoothing && v.smoothing.weight > 0;
      // GPU smoothing holds at most MAX_POINTS points per chart; beyond, smooth here
      const onGpu = (smoothing || v.gpuData) && v.smoothBackend === 'gpu' && layoutSize(series) <= MAX_POINTS;
      let gpu: GpuFrame | null = null;
      let out: GpuViewOut | undefined;
      if (onGpu) {
        const { layout, upload } = syncLayout(series, layouts.get(msg.chart) ?? null);
        layouts.set(msg.chart, layout);
        const offsets = new Map([...layout.places].map(([s, p]) => [s, p.offset]));
        out = { offsets, edges: new F32Out(msg.recycle[2]), isegs: compact.isegs, rowSlots: [] };
        const offsetsBySlot = new Float64Array(series.length).fill(-1);
        const lengths = new Float64Array(series.length);
        for (const [s, p] of layout.places) {
          offsetsBySlot[s.slot] = p.offset;
          lengths[s.slot] = s.n;
        }
        gpu = {
          upload, range: xRange(series), edges: out.edges.data, edgeRows: 0, isegs: out.isegs.data, isegCount: 0,
          rowSlots: new Float32Array(0), offsets: offsetsBySlot, lengths,
        };
      }
      const r = decimateView(series, { ...v, smoothBackend: onGpu ? 'gpu' : 'cpu' }, spans, segments, out);
      // opaque one-pixel lines: leave out the spans later runs paint over (cull.ts)
      const spanCount = v.cull ? cullSpans(r.spans, Math.max(1, Math.floor(v.width)), Math.max(1, Math.floor(v.height))) : r.spans.length / 4;
      if (gpu && out) {
        gpu.edges = out.edges.data;
        gpu.edgeRows = out.rowSlots.length;
        const isegVerts = new F32Out(msg.recycle[3]);
        gpu.isegCount = recordVertices(out.isegs.data, out.isegs.length / 5, isegVerts);
        gpu.isegs = isegVerts.data;
        gpu.rowSlots = Float32Array.from(out.rowSlots);
      }
      let points = 0, nonFinite = 0, nonPositive = 0;
      for (const s of series) {
        points += s.n;
        nonFinite += s.nonFinite;
        if (msg.view.yScale === 'log') nonPositive += s.nonPositive;
        if (msg.view.xScale === 'log') nonPositive += s.col.nonPositive();
      }
      return {
        type: 'frame',
        chart: msg.chart,
        seq: msg.seq,
        xDomain: r.xDomain,
        yDomain: r.yDomain,
        spanCount: spanVertices(r.spans.data, spanCount, spanVerts),
        spans: spanVerts.data,
        segmentCount: recordVertices(r.segments.data, r.segments.length / 5, segVerts),
        segments: segVerts.data,
        stats: { points, nonFinite, nonPositive, bytes: storeBytes(series) },
        workerMs: performance.now() - t0,
        smoothedOn: !smoothing ? 'none' : onGpu ? 'gpu' : 'cpu',
        smoothedPoints: r.smoothedPoints,
        gpu,
      };
    }
    case 'smoothed': {
      const all = seriesOn(msg.chart, msg.xColumn);
      const s = all.find((c) => c.id === msg.id);
      if (!s) return { type: 'smoothed', chart: msg.chart, seq: msg.seq, values: null };
      const params = { ...msg.smoothing, range: xRange(all) };
      // weight 0 is the identity; skipped (non-finite) points read NaN either way
      const values = params.weight > 0 ? smoothedCurve(s, params).y.slice(0, s.n) : s.y.slice(0, s.n).map((v) => (Number.isFinite(v) ? v : NaN));
      return { type: 'smoothed', chart: msg.chart, seq: msg.seq, values };
    }
    case 'hover':
      return hover(msg);
    case 'gpuReset':
      layouts.delete(msg.chart);
      return null;
    case 'hello':
      return null;
    case 'drop':
      charts.delete(msg.chart);
      layouts.delete(msg.chart);
      return null;
  }
}

/**
 * Run the ingest path over a small made-up run a few times while the worker is idle, so that V8
 * has optimised code for its loops before the first real data arrives: on a page that mounts
 * its charts before their data loads, the first ingest of 1e7 points takes about half as long.
 * Skipped when data arrives first (then the data itself is the warm-up; waiting would only
 * delay it).
 */
let warm = false;
function warmUp(): void {
  if (warm) return;
  warm = true;
  const n = 1 << 15;
  for (let r = 0; r < 4; r++) {
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      // positive, negative and mixed blocks, with a NaN and an infinity: every path of the pass
      y[i] = r - 1.5 + Math.sin(i * 0.37) * (i % 97 === 0 ? 3 : 0.5) + (i === 5000 ? NaN : i === 9000 ? Infinity : 0);
    }
    createSeries('warm-up', 0, ingestX(x), y);
  }
}
setTimeout(warmUp, 20);

/**
 * Said once, when the first message arrives (messages posted before the worker ran reach it only
 * after the page's main thread has forwarded them): from then on the page can spend its main
 * thread on other work (making the GL context) while this worker ingests.
 */
let started = false;

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (!started) {
    started = true;
    (self as unknown as Worker).postMessage({ type: 'started', chart: 0 } satisfies FromWorker);
  }
  if (e.data.type === 'set' || e.data.type === 'append') warm = true;
  let reply: FromWorker | null;
  try {
    reply = handle(e.data);
  } catch (err) {
    reply = { type: 'error', chart: e.data.chart, message: err instanceof Error ? err.stack ?? err.message : String(err) };
  }
  if (!reply) return;
  const transfer: ArrayBufferLike[] = [];
  if (reply.type === 'frame') {
    transfer.push(reply.spans.buffer, reply.segments.buffer);
    if (reply.gpu) {
      transfer.push(reply.gpu.edges.buffer, reply.gpu.isegs.buffer);
      for (const c of reply.gpu.upload?.chunks ?? []) transfer.push(c.data.buffer);
    }
  } else if (reply.type === 'smoothed' && reply.values) transfer.push(reply.values.buffer);
  else if (reply.type === 'hover') transfer.push(reply.index.buffer, reply.x.buffer, reply.y.buffer, reply.smoothed.buffer, reply.first.buffer, reply.last.buffer);
  (self as unknown as Worker).postMessage(reply, transfer as Transferable[]);
};
