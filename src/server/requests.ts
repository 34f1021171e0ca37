/**
 * Reading and checking what a request sends, before anything reaches the store: the body (with a
 * size cap), its JSON, and the query's shape. Every failure is a RequestError with the status to
 * answer and a message that names the query's purpose; http.ts turns it into `{ error }`.
 */
import type { IncomingMessage } from 'node:http';
import { checkFilterNode } from '../query/filter';
import { scanned, SMOOTHING_MODES, specProblem, type SmoothingMode } from '../smooth/params';
import type { AggregateHoverQuery, AggregateQuery, AggregateViewQuery, HoverQuery, SeriesQuery, ViewQuery } from '../source/api';
import { checkView, type XColumnName } from '../source/m4';
import { X_COLUMNS } from './schema';

export class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Bodies of the JSON queries: a view lists at most MAX_SERIES ids, far below this. */
export const JSON_BODY_LIMIT = 1 << 20;
/** Text posted to /api/ingest. */
export const INGEST_BODY_LIMIT = 256 << 20;
const MAX_SERIES = 10_000;

/**
 * The body, at most `limit` bytes. Past it, the rest is read and dropped (so the client gets to
 * read the 413 instead of a reset connection) and the answer is a RequestError.
 */
export function readBody(req: IncomingMessage, limit: number, purpose: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const tooBig = () => new RequestError(413, `${purpose}: request body over ${limit} bytes`);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooBig());
      return;
    }
    const parts: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (b: Buffer) => {
      n += b.length;
      if (n > limit) over = true;
      if (!over) parts.push(b);
    });
    req.on('end', () => (over ? reject(tooBig()) : resolve(Buffer.concat(parts))));
    req.on('error', (e) => reject(new RequestError(400, `${purpose}: reading the body failed: ${e.message}`)));
  });
}

export async function readJson(req: IncomingMessage, purpose: string): Promise<Record<string, unknown>> {
  const body = await readBody(req, JSON_BODY_LIMIT, purpose);
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new RequestError(400, `${purpose}: the body is not JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RequestError(400, `${purpose}: the body must be a JSON object`);
  return v as Record<string, unknown>;
}

const bad = (purpose: string, what: string) => new RequestError(400, `${purpose}: ${what}`);

function xColumnOf(v: unknown, purpose: string): XColumnName {
  if (typeof v !== 'string' || !Object.prototype.hasOwnProperty.call(X_COLUMNS, v)) {
    throw bad(purpose, `unknown x column ${JSON.stringify(v)} (one of ${Object.keys(X_COLUMNS).join(', ')})`);
  }
  return v as XColumnName;
}

function idsOf(v: unknown, purpose: string): number[] {
  if (!Array.isArray(v)) throw bad(purpose, '"series" must be an array of series ids');
  if (v.length > MAX_SERIES) throw bad(purpose, `more than ${MAX_SERIES} series`);
  for (const id of v) if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw bad(purpose, `bad series id ${JSON.stringify(id)}`);
  return v as number[];
}

export function checkSeriesQuery(o: Record<string, unknown>): SeriesQuery & { where: SeriesQuery['where'] } {
  const purpose = 'series list';
  if (o.metric !== undefined && o.metric !== null && typeof o.metric !== 'string') throw bad(purpose, '"metric" must be a string');
  let where = null;
  if (o.where !== undefined && o.where !== null) {
    try {
      where = checkFilterNode(o.where);
    } catch (e) {
      throw bad(purpose, (e as Error).message);
    }
  }
  return { metric: typeof o.metric === 'string' ? o.metric : undefined, where };
}

function scaleOf(v: unknown, key: string, purpose: string): 'linear' | 'log' {
  if (v !== 'linear' && v !== 'log') throw bad(purpose, `"${key}" must be "linear" or "log", not ${JSON.stringify(v)}`);
  return v;
}

export function checkViewQuery(o: Record<string, unknown>): ViewQuery {
  const purpose = 'view';
  const series = idsOf(o.series, purpose);
  const xColumn = xColumnOf(o.xColumn, purpose);
  const yScale = scaleOf(o.yScale, 'yScale', purpose);
  for (const k of ['x0', 'x1', 'W'] as const) if (typeof o[k] !== 'number') throw bad(purpose, `"${k}" must be a number`);
  const view: ViewQuery = { series, xColumn, x0: o.x0 as number, x1: o.x1 as number, W: o.W as number, yScale };
  if (o.xScale !== undefined) view.xScale = scaleOf(o.xScale, 'xScale', purpose);
  const smoothing = smoothingOf(o.smoothing, purpose);
  if (smoothing) view.smoothing = smoothing;
  try {
    checkView(view);
  } catch (e) {
    throw bad(purpose, (e as Error).message);
  }
  return view;
}

/**
 * `smoothing` of a view or a hover: absent or null is none. Weight in [0, 1) as docs/semantics.md states
 * it, required for ema and time-weighted (the window modes do not use it: absent is 0); `range`
 * (R of time-weighted) a finite number >= 0, required for time-weighted (the others do not use
 * it: absent is 0); `window` and `sigma` as the chart's options take them (smooth/params.ts
 * specProblem).
 */
function smoothingOf(v: unknown, purpose: string): NonNullable<ViewQuery['smoothing']> | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(purpose, '"smoothing" must be an object { mode, weight, range, window, sigma } or null');
  const o = v as Record<string, unknown>;
  const mode = o.mode as SmoothingMode;
  if (!SMOOTHING_MODES.includes(mode)) throw bad(purpose, `"smoothing.mode" must be ${SMOOTHING_MODES.map((m) => `"${m}"`).join(', ')}, not ${JSON.stringify(o.mode)}`);
  const w = o.weight ?? (scanned(mode) ? undefined : 0);
  if (typeof w !== 'number' || !(w >= 0 && w < 1)) throw bad(purpose, `"smoothing.weight" must be a number in [0, 1), not ${JSON.stringify(o.weight)}`);
  const r = o.range ?? (mode === 'time-weighted' ? undefined : 0);
  if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) throw bad(purpose, `"smoothing.range" must be a finite number >= 0 (the x-extent of the chart's series), not ${JSON.stringify(o.range)}`);
  const problem = specProblem(mode, o.window, o.sigma);
  if (problem) throw bad(purpose, `"smoothing.${problem.field}" must be ${problem.must}, not ${JSON.stringify(problem.got)}`);
  const out: NonNullable<ViewQuery['smoothing']> = { weight: w, mode, range: r };
  if (o.window !== undefined) out.window = o.window as number;
  if (o.sigma !== undefined) out.sigma = o.sigma as number;
  return out;
}

export function checkHoverQuery(o: Record<string, unknown>): HoverQuery {
  const purpose = 'hover';
  const series = idsOf(o.series, purpose);
  const xColumn = xColumnOf(o.xColumn, purpose);
  if (typeof o.x !== 'number' || !Number.isFinite(o.x)) throw bad(purpose, `"x" must be a finite number, not ${JSON.stringify(o.x)}`);
  const q: HoverQuery = { series, xColumn, x: o.x };
  if (o.xScale !== undefined) q.xScale = scaleOf(o.xScale, 'xScale', purpose);
  const smoothing = smoothingOf(o.smoothing, purpose);
  if (smoothing) q.smoothing = smoothing;
  return q;
}

const LINES = ['mean', 'median'] as const;
const BANDS = ['none', 'minmax', 'std', 'ci95'] as const;

/** The groups and statistics of an aggregate query (`one`: exactly one group, as aggregated asks). */
export function checkAggregateQuery(o: Record<string, unknown>, purpose: string, one = false): AggregateQuery {
  if (!Array.isArray(o.groups) || o.groups.length === 0) throw bad(purpose, '"groups" must be a non-empty array of arrays of series ids');
  if (one && o.groups.length !== 1) throw bad(purpose, `"groups" must hold one group, not ${o.groups.length}`);
  let total = 0;
  const groups = o.groups.map((g, i) => {
    if (!Array.isArray(g) || g.length === 0) throw bad(purpose, `group ${i} must be a non-empty array of series ids`);
    total += g.length;
    if (total > MAX_SERIES) throw bad(purpose, `more than ${MAX_SERIES} series in all groups`);
    return idsOf(g, purpose);
  });
  if (!LINES.includes(o.line as never)) throw bad(purpose, `"line" must be ${LINES.map((l) => `"${l}"`).join(' or ')}, not ${JSON.stringify(o.line)}`);
  if (!BANDS.includes(o.band as never)) throw bad(purpose, `"band" must be ${BANDS.map((b) => `"${b}"`).join(', ')}, not ${JSON.stringify(o.band)}`);
  return { groups, xColumn: xColumnOf(o.xColumn, purpose), yScale: scaleOf(o.yScale, 'yScale', purpose), line: o.line as AggregateQuery['line'], band: o.band as AggregateQuery['band'] };
}

export function checkAggregateViewQuery(o: Record<string, unknown>): AggregateViewQuery {
  const purpose = 'aggregate view';
  const a = checkAggregateQuery(o, purpose);
  for (const k of ['x0', 'x1', 'W'] as const) if (typeof o[k] !== 'number') throw bad(purpose, `"${k}" must be a number`);
  const q: AggregateViewQuery = { ...a, x0: o.x0 as number, x1: o.x1 as number, W: o.W as number };
  if (o.xScale !== undefined) q.xScale = scaleOf(o.xScale, 'xScale', purpose);
  const smoothing = smoothingOf(o.smoothing, purpose);
  if (smoothing) q.smoothing = smoothing;
  try {
    checkView({ ...q, series: [] });
  } catch (e) {
    throw bad(purpose, (e as Error).message);
  }
  return q;
}

export function checkAggregateHoverQuery(o: Record<string, unknown>): AggregateHoverQuery {
  const purpose = 'aggregate hover';
  const a = checkAggregateQuery(o, purpose);
  if (typeof o.x !== 'number' || !Number.isFinite(o.x)) throw bad(purpose, `"x" must be a finite number, not ${JSON.stringify(o.x)}`);
  const q: AggregateHoverQuery = { ...a, x: o.x };
  if (o.xScale !== undefined) q.xScale = scaleOf(o.xScale, 'xScale', purpose);
  const smoothing = smoothingOf(o.smoothing, purpose);
  if (smoothing) q.smoothing = smoothing;
  return q;
}
