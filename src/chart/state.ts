/**
 * The view as JSON (getState / setState): what a bookmark or URL saves, and the check of what
 * comes back from one before anything changes.
 */
import type { ChartOptions, ChartOptionsInput } from '../options';
import type { ViewState, ViewStateInput } from './types';

export function viewState(o: Readonly<ChartOptions>, hidden: string[]): ViewState {
  return {
    xDomain: o.xDomain && [o.xDomain[0], o.xDomain[1]],
    yDomain: o.yDomain && [o.yDomain[0], o.yDomain[1]],
    xScale: o.xScale,
    yScale: o.yScale,
    xFormat: o.xFormat,
    xColumn: o.xColumn,
    smoothing: { ...o.smoothing },
    showRaw: o.showRaw,
    ignoreOutliers: o.ignoreOutliers,
    aggregate: o.aggregate && { ...o.aggregate },
    hidden,
  };
}

/** A setState argument as options (checked later, by mergeOptions) and hidden ids; a RangeError for anything else. */
export function readState(state: ViewStateInput): { options: ChartOptionsInput; hidden: string[] | undefined } {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new RangeError(`setState takes a view state object (from getState()), got ${JSON.stringify(state) ?? String(state)}`);
  }
  const { hidden, ...options } = state;
  if (hidden !== undefined && !(Array.isArray(hidden) && hidden.every((h) => typeof h === 'string'))) {
    throw new RangeError('state.hidden must be an array of series ids');
  }
  return { options, hidden };
}
