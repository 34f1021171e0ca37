/**
 * Numeric columns are known by name (after lower-casing and turning spaces and dashes into `_`):
 * - `step`, `_step`, `global_step`: the step (required)
 * - `value`: the value (required in CSV and long-format JSON Lines)
 * - `time_ms`, `time`, `relative_time`: training time since the start, in ms
 * - `time_s`, `relative_time_s`, `_runtime`: the same in seconds
 * - `wall_time`, `walltime`, `timestamp`, `_timestamp`: wall-clock time, epoch seconds or ms
 *   (a number below 1e11 is seconds), or an ISO date
 * - `epoch`
 * Every other column is a string field and part of the series key.
 */

/** Which known numeric column a (normalised) column name is, or null for a string field. */
export type NumericRole = 'step' | 'value' | 'time_ms' | 'time_s' | 'wall' | 'epoch';

const ROLES: Record<string, NumericRole> = {
  step: 'step',
  _step: 'step',
  global_step: 'step',
  value: 'value',
  time_ms: 'time_ms',
  time: 'time_ms',
  relative_time: 'time_ms',
  relative_time_ms: 'time_ms',
  time_s: 'time_s',
  relative_time_s: 'time_s',
  _runtime: 'time_s',
  wall_time: 'wall',
  walltime: 'wall',
  wall_time_ms: 'wall',
  timestamp: 'wall',
  _timestamp: 'wall',
  epoch: 'epoch',
};

/** `Wall time` → `wall_time`, `Step` → `step`. */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export function roleOf(name: string): NumericRole | null {
  const n = normaliseName(name);
  // own keys only: a column named `constructor` or `__proto__` is a string field, not Object's
  return Object.prototype.hasOwnProperty.call(ROLES, n) ? ROLES[n] : null;
}

/** Epoch seconds or ms → ms (seconds below 1e11, i.e. before 1973 as ms / after 5138 as s). */
export function wallToMs(v: number): number {
  return Math.abs(v) < 1e11 ? v * 1000 : v;
}
