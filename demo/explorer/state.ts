/**
 * The explorer's whole view as one JSON value, kept in the URL (a bookmark restores it): what is
 * picked, grouped, filtered, smoothed, and each axis.
 */
import type { ViewState } from '../../src/index';
import { defaultOptions, mergeOptions, type AggregateSpec, type SmoothingMode } from '../../src/options';

export interface ExplorerState {
  metrics: string[];
  /** field that splits charts (Aim's "group by chart"); null: one chart per metric */
  chartBy: string | null;
  /** field that picks colours (Aim's "group by colour") */
  colorBy: string | null;
  /** field that picks stroke patterns */
  strokeBy: string | null;
  /**
   * Aim's aggregate: the runs of each colour (and stroke) group drawn as the group's line and
   * band (the chart's `aggregate` option); null: every run on its own
   */
  aggregate: AggregateSpec | null;
  filter: string;
  /**
   * the chart's smoothing: `weight` for ema / time-weighted, `window` (points) for the running
   * and centred averages, `sigma` (x units) for gaussian; each kept when another mode is picked
   */
  smoothing: { weight: number; mode: SmoothingMode; window?: number; sigma?: number };
  showRaw: boolean;
  /** x axis: 'step' or a time column */
  x: 'step' | 'time' | 'wall' | 'epoch';
  yScale: 'linear' | 'log';
  ignoreOutliers: boolean;
  /** series hidden from the legend */
  hidden: string[];
  /** the linked x zoom, null: fit */
  xDomain: [number, number] | null;
}

export const defaultState: ExplorerState = {
  metrics: ['loss'],
  chartBy: null,
  colorBy: 'subset',
  strokeBy: null,
  aggregate: null,
  filter: '',
  // time-weighted: eval logged every 125 steps beside train every step would lag far behind its
  // data under index-based ema (final eval 3.65 against a raw 3.30)
  smoothing: { weight: 0.6, mode: 'time-weighted' },
  showRaw: true,
  x: 'step',
  yScale: 'linear',
  ignoreOutliers: false,
  hidden: [],
  xDomain: null,
};

/** What the window modes start from when picked without one: 21 points, sigma 20 x units. */
export const DEFAULT_WINDOW = 21;
export const DEFAULT_SIGMA = 20;

/** The state in a URL hash (#state=...), or the defaults for anything missing or malformed. */
export function readState(hash: string): ExplorerState {
  const m = /state=([^&]*)/.exec(hash);
  if (!m) return structuredClone(defaultState);
  try {
    const s = JSON.parse(decodeURIComponent(m[1])) as Partial<ExplorerState>;
    const state = { ...structuredClone(defaultState), ...s };
    // a bookmark's smoothing the charts would reject (an even centred window, no sigma): the default
    try {
      mergeOptions(defaultOptions, { smoothing: state.smoothing });
    } catch {
      state.smoothing = structuredClone(defaultState.smoothing);
    }
    try {
      state.aggregate = mergeOptions(defaultOptions, { aggregate: state.aggregate }).aggregate;
    } catch {
      state.aggregate = null;
    }
    return state;
  } catch {
    return structuredClone(defaultState);
  }
}

export function writeState(s: ExplorerState): string {
  return `#state=${encodeURIComponent(JSON.stringify(s))}`;
}

/** What each chart gets of the state. */
export function chartView(s: ExplorerState): Partial<ViewState> {
  return {
    xDomain: s.xDomain,
    yDomain: null,
    yScale: s.yScale,
    xColumn: s.x === 'step' ? 'x' : s.x,
    xFormat: s.x === 'time' ? 'duration' : s.x === 'wall' ? 'date' : 'number',
    smoothing: s.smoothing,
    showRaw: s.showRaw,
    ignoreOutliers: s.ignoreOutliers,
    aggregate: s.aggregate,
  };
}

/**
 * The group a run belongs to for the aggregate: its colour and stroke values (the fields the
 * runs are grouped by), or none when neither groups them.
 */
export function groupOf(s: ExplorerState, fields: Record<string, string>): string | undefined {
  const parts = [s.colorBy, s.strokeBy].filter((f): f is string => f !== null).map((f) => `${f}: ${fields[f] ?? '–'}`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** What each x choice is called, in the menu and on the axis. */
export const xNames: Record<ExplorerState['x'], string> = { step: 'step', time: 'relative time', wall: 'absolute time', epoch: 'epoch' };

/**
 * Axis titles of a chart of `metric`. Charts reject unknown options, so they are passed only once
 * the engine has them (xLabel / yLabel are being added to it).
 */
export function axisLabels(s: ExplorerState, metric: string): Partial<ViewState> {
  if (!('xLabel' in defaultOptions)) return {};
  return { xLabel: xNames[s.x], yLabel: metric } as Partial<ViewState>;
}
