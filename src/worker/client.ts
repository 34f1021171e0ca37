/**
 * Main-thread side of the decimation worker (docs/worker-protocol.md). One worker serves every chart of the page (a worker
 * per chart would cost a thread and an isolate each when Aim-style grouping makes dozens); it is
 * started with the first chart (or by `prewarm()`) and ended with the last.
 */
import type { FromWorker, ToWorker } from '../protocol/messages';

type Frame = Extract<FromWorker, { type: 'frame' }>;
type Smoothed = Extract<FromWorker, { type: 'smoothed' }>;
type Hover = Extract<FromWorker, { type: 'hover' }>;
type Aggregated = Extract<FromWorker, { type: 'aggregated' }>;

export interface WorkerClient {
  post(msg: ToWorker, transfer?: Transferable[]): void;
  release(): void;
  /** Call `fn` once the worker runs (now, when it already does). */
  started(fn: () => void): void;
  /** the worker has said it runs */
  readonly running: boolean;
}

export interface ClientHandlers {
  frame(msg: Frame): void;
  smoothed(msg: Smoothed): void;
  hover(msg: Hover): void;
  aggregated(msg: Aggregated): void;
  error(message: string): void;
}

let worker: Worker | null = null;
/** the worker has said it runs; until then, what waits for that */
let running = false;
let onStart: (() => void)[] = [];
let users = 0;
let nextChart = 1;
const routes = new Map<number, ClientHandlers>();

function start(): Worker {
  // new URL(..., import.meta.url) lets Vite emit the worker as its own file and lets the built
  // bundle find it next to itself, whether dist/ is served as is or bundled again by an app.
  const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'metricgl-decimate' });
  w.onmessage = (e: MessageEvent<FromWorker>) => {
    if (e.data.type === 'started') {
      running = true;
      for (const fn of onStart.splice(0)) fn();
      return;
    }
    const route = routes.get(e.data.chart);
    if (!route) return; // the chart was destroyed while the worker was busy
    if (e.data.type === 'frame') route.frame(e.data);
    else if (e.data.type === 'smoothed') route.smoothed(e.data);
    else if (e.data.type === 'hover') route.hover(e.data);
    else if (e.data.type === 'aggregated') route.aggregated(e.data);
    else route.error(e.data.message);
  };
  // its first message makes it say 'started', even before any chart has sent one
  w.postMessage({ type: 'hello', chart: 0 } satisfies ToWorker);
  w.onerror = (e) => {
    for (const r of routes.values()) r.error(`decimation worker failed: ${e.message}`);
  };
  return w;
}

/**
 * Start the page's decimation worker before the first chart, so that its start (a V8 isolate,
 * its module fetched and evaluated: tens of ms on a cold page) overlaps what the app does first,
 * such as fetching the data. The first chart then finds it running; it ends with the last chart
 * as usual. Calling it again, or with charts on the page, does nothing.
 */
export function prewarm(): void {
  if (worker) return;
  worker = start();
}

/** Register a chart with the shared worker; returns its id and a poster. */
export function connect(handlers: ClientHandlers): { chart: number; client: WorkerClient } {
  const chart = nextChart++;
  if (!worker) worker = start();
  users++;
  routes.set(chart, handlers);
  const w = worker;
  let released = false;
  return {
    chart,
    client: {
      post(msg, transfer = []) {
        if (!released) w.postMessage(msg, transfer);
      },
      release() {
        if (released) return;
        released = true;
        w.postMessage({ type: 'drop', chart } satisfies ToWorker);
        routes.delete(chart);
        if (--users === 0) {
          w.terminate();
          worker = null;
          running = false;
          onStart = [];
        }
      },
      started(fn) {
        if (running) fn();
        else onStart.push(fn);
      },
      get running() {
        return running;
      },
    },
  };
}
