/**
 * The decimation worker: thin. It owns the columnar stores of every chart on the page and
 * answers the messages of docs/worker-protocol.md; the work itself lives in the pure modules it
 * calls (frame.ts and hover.ts answer `view` and `hover`). For source series (points on a
 * metricgl server) it holds only their listing, kept current by `sourceGrew`, and asks their
 * server for every view and hover (sourceview.ts, sourcehover.ts).
 */
import type { FromWorker, SourcePayload, ToWorker, XPayload, YPayload } from '../protocol/messages';
import { smoothedCurve, xRange } from '../smooth/cpu';
import { smoothingOn } from '../smooth/params';
import type { GpuLayout } from '../smooth/layout';
import { SharedBatch, appendRounds, appendToSeries, createSeries, ingestX, type IncomingX, type Series } from '../store/store';
import { onColumn } from '../store/xcolumn';
import { forgetImage, frameReply } from './frame';
import { hoverReply } from './hover';
import { groupsAt } from './grouphover';
import { forgetGroups, groupCurves } from '../aggregate/groups';
import { loadTQuantile, tQuantileLoaded } from '../aggregate/tquantile';
import { groupAggregated, groupHovers, localGroups, sourceGroups } from './sourcegroups';
import { sourceHover } from './sourcehover';
import { chartRange, forgetTotals, sourceFrame, sourceGrew } from './sourceview';

const charts = new Map<number, Map<string, Series>>();
/** per chart: where its points sit in the GPU smoothing texture */
const layouts = new Map<number, GpuLayout>();
/** per chart: its series answered by a server (their points are never here) */
const sources = new Map<number, SourcePayload[]>();

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

/** Bumped by every change to a chart's points: a view's plot image can be kept only within one. */
const epochs = new Map<number, number>();
const bump = (chart: number) => epochs.set(chart, (epochs.get(chart) ?? 0) + 1);

/** The answer to a message: at once, or (asking a server) later. */
function handle(msg: ToWorker): FromWorker | null | Promise<FromWorker> {
  if (msg.type === 'set' || msg.type === 'append' || msg.type === 'drop') bump(msg.chart);
  switch (msg.type) {
    case 'set': {
      const xs = ingestAll(msg.xs);
      const store = new Map<string, Series>();
      for (const s of msg.series) store.set(s.id, createSeries(s.id, s.slot, xs.get(s.xKey)!, s.y, extraOf(s)));
      charts.set(msg.chart, store);
      layouts.delete(msg.chart);
      forgetGroups(msg.chart);
      forgetTotals(msg.chart);
      if (msg.sources?.length) sources.set(msg.chart, msg.sources);
      else sources.delete(msg.chart);
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
    case 'sourceGrew': {
      // the next view fits and asks with these (the chart asks for one right after)
      const from = sources.get(msg.chart);
      if (from) sourceGrew(msg.chart, from, msg.url, msg.series);
      return null;
    }
    case 'view': {
      const from = sources.get(msg.chart);
      if (from) {
        // the series held now (a later `set` may replace them while the servers answer)
        const held = seriesOn(msg.chart, msg.view.xColumn);
        return sourceFrame(msg, held, from, layouts.get(msg.chart) ?? null).then(({ reply, layout }) => {
          if (layout) layouts.set(msg.chart, layout);
          return reply;
        });
      }
      const { reply, layout } = frameReply(msg, seriesOn(msg.chart, msg.view.xColumn), layouts.get(msg.chart) ?? null, undefined, epochs.get(msg.chart) ?? 0);
      if (layout) layouts.set(msg.chart, layout);
      return reply;
    }
    case 'smoothed': {
      const all = seriesOn(msg.chart, msg.xColumn);
      const s = all.find((c) => c.id === msg.id);
      if (!s) return { type: 'smoothed', chart: msg.chart, seq: msg.seq, values: null };
      const params = { ...msg.smoothing, range: xRange(all) };
      // smoothing off is the identity; skipped (non-finite) points read NaN either way
      const values = smoothingOn(params) ? smoothedCurve(s, params).y.slice(0, s.n) : s.y.slice(0, s.n).map((v) => (Number.isFinite(v) ? v : NaN));
      return { type: 'smoothed', chart: msg.chart, seq: msg.seq, values };
    }
    case 'hover': {
      const held = seriesOn(msg.chart, msg.xColumn);
      const from = sources.get(msg.chart);
      if (!from) return { ...hoverReply(msg, held), groups: groupsAt(msg, held, xRange(held)) };
      // R of time-weighted spans the source series too, for both kinds, as in the view
      const range = chartRange(held, from, msg.xColumn);
      // groups of source runs from their servers, the others here
      const groups = sourceGroups(msg.aggregate, from, msg.xColumn);
      const local = msg.aggregate ? groupsAt({ ...msg, aggregate: localGroups(msg.aggregate, groups) }, held, range) : [];
      return Promise.all([sourceHover(msg, hoverReply(msg, held, range), from, range), groupHovers(msg, groups, range)])
        .then(([reply, remote]) => ({ ...reply, groups: [...local, ...remote] }));
    }
    case 'aggregated': {
      const from = sources.get(msg.chart);
      const remote = from ? sourceGroups(msg.aggregate, from, msg.xColumn)[0] : undefined;
      if (remote) {
        return groupAggregated(msg.aggregate, remote, msg.xColumn, msg.yScale).then(
          (result) => ({ type: 'aggregated', chart: msg.chart, seq: msg.seq, result }),
          (err: unknown) => ({ type: 'aggregated', chart: msg.chart, seq: msg.seq, result: null, error: err instanceof Error ? err.message : String(err) }),
        );
      }
      const g = groupCurves(msg.chart, msg.xColumn, msg.aggregate, msg.yScale === 'log', msg.aggregate.groups, seriesOn(msg.chart, msg.xColumn))[0];
      if (!g) return { type: 'aggregated', chart: msg.chart, seq: msg.seq, result: null };
      const r = g.result, n = r.length;
      const result = {
        x: r.x.slice(0, n), line: Float32Array.from(r.line.subarray(0, n)), low: Float32Array.from(r.low.subarray(0, n)),
        high: Float32Array.from(r.high.subarray(0, n)), n: r.n.slice(0, n),
      };
      return { type: 'aggregated', chart: msg.chart, seq: msg.seq, result };
    }
    case 'gpuReset':
      layouts.delete(msg.chart);
      return null;
    case 'hello':
      return null;
    case 'drop':
      forgetImage(msg.chart);
      forgetGroups(msg.chart);
      charts.delete(msg.chart);
      layouts.delete(msg.chart);
      sources.delete(msg.chart);
      forgetTotals(msg.chart);
      return null;
  }
}

/**
 * Run the ingest path over a small made-up run a few times while the worker is idle, then ask it
 * for the frames a chart's first view asks for (the domains, then the view, with thin and with
 * wide lines), so that V8 has compiled and optimised that code before the first real data
 * arrives: on a page that mounts its charts before their data loads (or calls prewarm()), the
 * first ingest of 1e7 points takes about half as long, and the first view does not run cold.
 * One step a task, so that data arriving meanwhile waits for one step at most; skipped from the
 * moment data arrives (then the data itself is the warm-up; waiting would only delay it).
 */
let warm = false;
function warmUp(): void {
  const n = 1 << 15;
  let series: Series[] = [];
  const ingest = (r: number) => () => {
    const x = new Float64Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      // positive, negative and mixed blocks, with a NaN and an infinity: every path of the pass
      y[i] = r - 1.5 + Math.sin(i * 0.37) * (i % 97 === 0 ? 3 : 0.5) + (i === 5000 ? NaN : i === 9000 ? Infinity : 0);
    }
    series = [createSeries('warm-up', 0, ingestX(x), y)];
  };
  const view = { xScale: 'linear', yScale: 'linear', xDomain: null, yDomain: null, width: 960, height: 440, hidden: [], smoothing: null, showRaw: true, slots: 1, smoothBackend: 'cpu', xColumn: 'x', ignoreOutliers: false } as const;
  // a chart that is not there (no image is kept for it: no epoch given)
  const ask = (v: object) => () => void frameReply({ type: 'view', chart: -1, seq: 0, view: { ...view, ...v }, recycle: [] }, series, null);
  const steps = [ingest(0), ingest(1), ingest(2), ingest(3), ask({ fitOnly: true }), ask({ thin: true, cull: true }), ask({})];
  const next = (i: number) => {
    if (warm) return;
    steps[i]();
    if (i + 1 < steps.length) setTimeout(() => next(i + 1));
    else warm = true;
  };
  next(0);
}
setTimeout(warmUp, 20);

/**
 * Said once, when the first message arrives (messages posted before the worker ran reach it only
 * after the page's main thread has forwarded them): from then on the page can spend its main
 * thread on other work (making the GL context) while this worker ingests.
 */
let started = false;

/**
 * Whether a message aggregates a ci95 band (its t quantile is loaded on first need:
 * aggregate/tquantile.ts).
 */
function needsTQuantile(msg: ToWorker): boolean {
  const a = msg.type === 'view' ? msg.view.aggregate : msg.type === 'hover' || msg.type === 'aggregated' ? msg.aggregate : undefined;
  return a?.band === 'ci95' && !tQuantileLoaded();
}

/** while the t quantile loads: the messages after the one that needs it wait, in order */
let waiting: Promise<void> | null = null;

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (!started) {
    started = true;
    (self as unknown as Worker).postMessage({ type: 'started', chart: 0 } satisfies FromWorker);
  }
  const msg = e.data;
  if (!waiting && needsTQuantile(msg)) {
    const loaded = loadTQuantile();
    waiting = loaded.then(
      () => undefined,
      // the answer to what needed it is then the error (aggregate/tquantile.ts names it)
      () => undefined,
    );
  }
  if (waiting) {
    const mine = (waiting = waiting.then(() => {
      if (waiting === mine) waiting = null;
      receive(msg);
    }));
    return;
  }
  receive(msg);
};

function receive(msg: ToWorker): void {
  if (msg.type === 'set' || msg.type === 'append') warm = true;
  const failed = (err: unknown): FromWorker => ({ type: 'error', chart: msg.chart, message: err instanceof Error ? (msg.type === 'view' || msg.type === 'hover') && err.message.includes(' query: ') ? err.message : err.stack ?? err.message : String(err) });
  let reply: FromWorker | null | Promise<FromWorker>;
  try {
    reply = handle(msg);
  } catch (err) {
    reply = failed(err);
  }
  if (reply instanceof Promise) reply.then(send, (err) => send(failed(err)));
  else if (reply) send(reply);
}

function send(reply: FromWorker): void {
  const transfer: ArrayBufferLike[] = [];
  if (reply.type === 'frame') {
    transfer.push(reply.spans.buffer, reply.segments.buffer);
    if (reply.image) transfer.push(reply.image.data.buffer);
    if (reply.gpu) {
      transfer.push(reply.gpu.edges.buffer, reply.gpu.isegs.buffer);
      for (const c of reply.gpu.upload?.chunks ?? []) transfer.push(c.data.buffer);
    }
  } else if (reply.type === 'smoothed' && reply.values) transfer.push(reply.values.buffer);
  else if (reply.type === 'aggregated' && reply.result) {
    const r = reply.result;
    // a server's answer: five views of one buffer, transferred once
    transfer.push(...new Set([r.x.buffer, r.line.buffer, r.low.buffer, r.high.buffer, r.n.buffer]));
  }
  else if (reply.type === 'hover') transfer.push(reply.index.buffer, reply.x.buffer, reply.y.buffer, reply.smoothed.buffer, reply.first.buffer, reply.last.buffer);
  (self as unknown as Worker).postMessage(reply, transfer as Transferable[]);
}
