/**
 * Chart options: their types, defaults and checks. One name per option; a bad value or an
 * unknown key is a RangeError at the call, and the chart keeps the options it had.
 */
import type { ScaleType } from './coords';
import type { AxisFormat } from './axes/format';

import type { AggregateSpec, SmoothingMode, SmoothingSpec, ViewAxes } from './protocol/messages';
import { SMOOTHING_MODES, specProblem } from './smooth/params';

export type { AggregateSpec, SmoothingMode };

/**
 * The formula and its parameter: weight in [0, 1) (ema, time-weighted; 0 is off), window (points;
 * running-average, centred; 1 is off), sigma (x units; gaussian). The worker protocol's own spec.
 */
export type Smoothing = SmoothingSpec;

/** Smoothing as the caller gives it: without a mode it is 'ema', without a weight 0. */
export interface SmoothingInput {
  weight?: number;
  mode?: SmoothingMode;
  window?: number;
  sigma?: number;
}

/** What update(), createChart() and setState() take: any subset of the options. */
export type ChartOptionsInput = Partial<Omit<ChartOptions, 'smoothing'>> & { smoothing?: SmoothingInput };

/** The scales and domains are the view's (ViewAxes): xDomain / yDomain are [min, max] in data units, or null to fit the data. */
export interface ChartOptions extends ViewAxes {
  /** tick labels of the x axis: plain numbers (steps), durations (ms of training time) or dates (epoch ms) */
  xFormat: AxisFormat;
  smoothing: Smoothing;
  /** draw the raw curve faintly behind the smoothed one */
  showRaw: boolean;
  /**
   * Where smoothing runs: 'gpu' (parallel scan in shader passes), 'cpu' (the reference, in the
   * worker), or 'auto': the GPU unless float render targets are missing or the renderer is a
   * software rasteriser (SwiftShader), where the CPU is faster.
   */
  smoothingBackend: SmoothingBackend;
  /**
   * What paints a frame: 'auto' paints a frame of at most FLAT_MAX_SPANS opaque, solid column
   * spans (nothing smoothed on the GPU, no segments, no plot image) with Canvas2D straight into
   * the chart's canvas, the same pixels GL paints, and the rest with GL; 'webgl' uses GL for every
   * frame but a chart's first picture on a page without a GL context yet.
   */
  renderer: RendererMode;
  /**
   * The x column drawn: 'x' (each series' `x`) or the name of one of its `xs` columns (epoch,
   * relative time, wall time). Series without that column are not drawn on that axis.
   */
  xColumn: string;
  /**
   * Fit y to the 5th..95th percentile of what is drawn instead of its full extent (TensorBoard's
   * "ignore outliers in chart scaling"), so one spike does not flatten the curve; it never hides
   * the line entirely (it falls back to the full extent when the percentiles coincide).
   */
  ignoreOutliers: boolean;
  /**
   * Draw how many runs pass through each pixel as a colour ramp (light: one, dark: the most)
   * instead of every run as a line: 'on', 'off', or 'auto' (on past DENSITY_AUTO_RUNS visible
   * runs). Highlighted runs are drawn as lines on top; hover still names the nearest run.
   */
  density: DensityMode;
  /**
   * Draw each group of runs (SeriesInput.group) as its line (mean or median over its runs) and
   * band (minmax, std, ci95 or none), from every point (docs/semantics.md, Aggregation), the
   * runs faint behind or hidden; null: every run on its own. Runs without a group are drawn as
   * they are.
   */
  aggregate: AggregateSpec | null;
  /** mouse, wheel, touch and keyboard zoom, pan and hover */
  interactive: boolean;
  /** axis titles (the app's words: 'step', the metric's name); null draws none */
  xLabel: string | null;
  yLabel: string | null;
}

export type SmoothingBackend = 'auto' | 'gpu' | 'cpu';
export type RendererMode = 'auto' | 'webgl';
export type DensityMode = 'auto' | 'on' | 'off';

/**
 * `renderer: 'auto'` paints frames of at most this many column spans with Canvas2D: a few
 * runs' worth (a 1,000-px plot holds ~1,000 spans a run): their fillRects took 1.5 ms for 955
 * spans and 4.3 ms for 4,096 here, where the copy out of GL costs 6-9 ms under a software
 * rasteriser; past it, GL's draw wins anywhere.
 */
export const FLAT_MAX_SPANS = 4096;

/** `density: 'auto'` draws a density past this many visible runs (TensorBoard slows at ~250). */
export const DENSITY_AUTO_RUNS = 2000;

export const defaultOptions: ChartOptions = {
  xScale: 'linear',
  yScale: 'linear',
  xDomain: null,
  yDomain: null,
  xFormat: 'number',
  smoothing: { weight: 0, mode: 'ema' },
  showRaw: true,
  smoothingBackend: 'auto',
  renderer: 'auto',
  xColumn: 'x',
  ignoreOutliers: false,
  density: 'auto',
  aggregate: null,
  interactive: true,
  xLabel: null,
  yLabel: null,
};

const scales: readonly string[] = ['linear', 'log'];
const formats: readonly string[] = ['number', 'duration', 'date'];
const backends: readonly string[] = ['auto', 'gpu', 'cpu'];
const densities: readonly string[] = ['auto', 'on', 'off'];
const renderers: readonly string[] = ['auto', 'webgl'];

/** The options after applying `patch` to `current`, or a RangeError naming the option. */
export function mergeOptions(current: ChartOptions, patch: ChartOptionsInput): ChartOptions {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new RangeError(`options must be an object of option names and values, got ${show(patch)}`);
  }
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    switch (key) {
      case 'xScale':
      case 'yScale':
        if (!scales.includes(value as string)) throw new RangeError(`${key} must be 'linear' or 'log', got ${show(value)}`);
        next[key] = value as ScaleType;
        break;
      case 'xDomain':
      case 'yDomain':
        next[key] = checkDomain(key, value);
        break;
      case 'xFormat':
        if (!formats.includes(value as string)) throw new RangeError(`xFormat must be 'number', 'duration' or 'date', got ${show(value)}`);
        next.xFormat = value as AxisFormat;
        break;
      case 'smoothing':
        next.smoothing = checkSmoothing(value);
        break;
      case 'showRaw':
      case 'ignoreOutliers':
      case 'interactive':
        if (typeof value !== 'boolean') throw new RangeError(`${key} must be a boolean, got ${show(value)}`);
        next[key] = value;
        break;
      case 'smoothingBackend':
        if (!backends.includes(value as string)) throw new RangeError(`smoothingBackend must be 'auto', 'gpu' or 'cpu', got ${show(value)}`);
        next.smoothingBackend = value as SmoothingBackend;
        break;
      case 'renderer':
        if (!renderers.includes(value as string)) throw new RangeError(`renderer must be 'auto' or 'webgl', got ${show(value)}`);
        next.renderer = value as RendererMode;
        break;
      case 'density':
        if (!densities.includes(value as string)) throw new RangeError(`density must be 'auto', 'on' or 'off', got ${show(value)}`);
        next.density = value as DensityMode;
        break;
      case 'aggregate':
        next.aggregate = checkAggregate(value);
        break;
      case 'xColumn':
        if (typeof value !== 'string' || value === '') throw new RangeError(`xColumn must be a column name, got ${show(value)}`);
        next.xColumn = value;
        break;
      case 'xLabel':
      case 'yLabel':
        if (value !== null && typeof value !== 'string') throw new RangeError(`${key} must be a string or null, got ${show(value)}`);
        next[key] = value;
        break;
      default:
        throw new RangeError(`unknown option ${show(key)}`);
    }
  }
  for (const axis of ['x', 'y'] as const) {
    const d = next[`${axis}Domain`];
    if (d && next[`${axis}Scale`] === 'log' && !(d[0] > 0)) {
      throw new RangeError(`${axis}Domain must be positive on a log ${axis} axis, got [${d[0]}, ${d[1]}]`);
    }
  }
  return next;
}

function checkDomain(key: string, v: unknown): readonly [number, number] | null {
  if (v === null) return null;
  const ok = Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number' && Number.isFinite(d)) && v[0] < v[1];
  if (!ok) throw new RangeError(`${key} must be null or [min, max] with finite min < max, got ${show(v)}`);
  return [v[0], v[1]];
}

/**
 * A smoothing spec, checked and filled in (mode 'ema', weight 0): a RangeError names the field.
 * A window or sigma the mode does not use is checked too, and kept (an app may keep one spec
 * and switch its mode).
 */
function checkSmoothing(v: unknown): Smoothing {
  const s = v as Partial<Smoothing> | null;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new RangeError(`smoothing must be { mode, weight?, window?, sigma? }, got ${show(v)}`);
  const weight = s.weight ?? 0;
  const mode = s.mode ?? 'ema';
  if (typeof weight !== 'number' || !(weight >= 0 && weight < 1)) {
    throw new RangeError(`smoothing.weight must be in [0, 1), got ${show(s.weight)}`);
  }
  if (!SMOOTHING_MODES.includes(mode)) throw new RangeError(`smoothing.mode must be ${SMOOTHING_MODES.map((m) => `'${m}'`).join(', ')}, got ${show(mode)}`);
  const bad = specProblem(mode, s.window, s.sigma);
  if (bad) throw new RangeError(`smoothing.${bad.field} must be ${bad.must}, got ${show(bad.got)}`);
  const out: Smoothing = { weight, mode };
  if (s.window !== undefined) out.window = s.window;
  if (s.sigma !== undefined) out.sigma = s.sigma;
  return out;
}

const aggLines: readonly string[] = ['mean', 'median'];
const aggBands: readonly string[] = ['none', 'minmax', 'std', 'ci95'];
const aggRuns: readonly string[] = ['hidden', 'faint'];

/** null, or { line, band, runs } with each field one of its words (defaults: mean, minmax, faint). */
function checkAggregate(v: unknown): AggregateSpec | null {
  if (v === null) return null;
  const a = v as Partial<Record<keyof AggregateSpec, unknown>>;
  if (typeof a !== 'object' || Array.isArray(a)) throw new RangeError(`aggregate must be null or { line, band, runs }, got ${show(v)}`);
  for (const key of Object.keys(a)) {
    if (key !== 'line' && key !== 'band' && key !== 'runs') throw new RangeError(`aggregate has no field ${show(key)} (it takes line, band, runs)`);
  }
  const line = a.line ?? 'mean', band = a.band ?? 'minmax', runs = a.runs ?? 'faint';
  if (!aggLines.includes(line as string)) throw new RangeError(`aggregate.line must be 'mean' or 'median', got ${show(a.line)}`);
  if (!aggBands.includes(band as string)) throw new RangeError(`aggregate.band must be 'none', 'minmax', 'std' or 'ci95', got ${show(a.band)}`);
  if (!aggRuns.includes(runs as string)) throw new RangeError(`aggregate.runs must be 'hidden' or 'faint', got ${show(a.runs)}`);
  return { line, band, runs } as AggregateSpec;
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
