/**
 * Tick values and their labels for one axis. Placement comes from d3-scale (linear, log, time)
 * except for durations, which step through human units (15s, 30m, 6h) that d3 does not know.
 * Every branch returns increasing values and never loops on a bad domain.
 */
import { scaleLinear, scaleLog, scaleTime } from 'd3-scale';
import type { ScaleType } from '../coords';
import {
  type AxisFormat,
  formatDate,
  formatDateTick,
  formatDuration,
  formatNumber,
} from './format';

export interface AxisTicks {
  values: number[];
  labels: string[];
}

// Callers derive count from pixels; a bound keeps a bogus count from allocating millions of ticks.
const MAX_COUNT = 1000;

// A log axis cannot start at or below 0. Rather than fail, it starts this far below the end,
// six decades: enough to show the curve's shape without squashing it into the top.
const LOG_FLOOR = 1e-6;

// Log ticks may overshoot `count` this much before being thinned, the slack d3's linear ticks
// themselves take (ticks(0, 1, 7) gives 11).
const SLACK = 1.5;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Nice duration steps; below 1 ms and above a week the steps are d3's 1-2-5 in ms or days. */
const DURATION_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY,
];

// JavaScript dates only exist within +-1e8 days of the epoch.
const DATE_LIMIT = 8.64e15;

const EMPTY = (): AxisTicks => ({ values: [], labels: [] });

/**
 * Ticks for an axis showing `domain` (data units; reversed domains give the same increasing
 * ticks). `count` is about how many ticks are wanted. A zero-width domain gives one tick at the
 * value; a non-finite domain, or a log domain with nothing above 0, gives none.
 */
export function axisTicks(
  scale: ScaleType,
  format: AxisFormat,
  domain: readonly [number, number],
  count: number,
): AxisTicks {
  let lo = Math.min(domain[0], domain[1]);
  const hi = Math.max(domain[0], domain[1]);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return EMPTY();
  const n = Number.isFinite(count) ? Math.max(1, Math.min(MAX_COUNT, Math.round(count))) : 5;

  if (scale === 'log') {
    if (!(hi > 0)) return EMPTY();
    if (lo <= 0) lo = hi * LOG_FLOOR;
    if (!(lo > 0)) return EMPTY(); // hi so small that the floor underflows
  }
  if (format === 'date') {
    lo = Math.max(lo, -DATE_LIMIT);
    if (hi > DATE_LIMIT || lo > hi) return EMPTY();
  }
  if (lo === hi) {
    const label = format === 'number' ? formatNumber(lo, 0) : format === 'duration' ? formatDuration(lo) : formatDate(lo);
    return { values: [lo], labels: [label] };
  }

  const values =
    scale === 'log'
      ? withPowers(logTicks(lo, hi, n), lo, hi, n)
      : format === 'duration'
        ? durationTicks(lo, hi, n)
        : format === 'date'
          ? dateTicks(lo, hi, n)
          : scaleLinear().domain([lo, hi]).ticks(n);
  // A span too wide for float64 (-1e308 to 1e308) makes d3 return NaN ticks.
  return labelTicks(values.filter(Number.isFinite), format, scale);
}

/** Mantissa of v > 0 when it is a whole digit 1..9 (v = k * 10^e), else NaN. */
function leadingDigit(v: number): number {
  const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const k = Math.round(m);
  return Math.abs(m - k) < 1e-9 * k ? k : NaN;
}

/**
 * d3's log ticks, thinned. Over a few decades d3 returns every k * 10^e (k = 1..9), far too many
 * labels; we keep 1, 2, 5 * 10^e, or only the powers of ten when even those are too many. Within
 * about a decade d3 returns linear ticks, and over many decades powers at a stride: both kept.
 */
function logTicks(lo: number, hi: number, n: number): number[] {
  const all = scaleLog().domain([lo, hi]).ticks(n);
  const limit = Math.ceil(n * SLACK);
  if (all.length <= limit) return all;
  const oneTwoFive = all.filter((v) => {
    const k = leadingDigit(v);
    return k === 1 || k === 2 || k === 5;
  });
  if (oneTwoFive.length > limit) {
    const powers = oneTwoFive.filter((v) => leadingDigit(v) === 1);
    if (powers.length >= 2) return powers;
  }
  if (oneTwoFive.length >= 2) return oneTwoFive;
  // Less than a decade but more digits than wanted (say [6, 9.5] with 2 ticks): linear ticks.
  return scaleLinear().domain([lo, hi]).ticks(n);
}

/**
 * The log ticks with every power of ten in [lo, hi] among them: they are what a reader finds
 * their way by on a log axis (d3 may skip one within a decade or stride over many). Only while
 * the powers are not far more than wanted: over dozens of decades d3's stride stays.
 */
function withPowers(values: number[], lo: number, hi: number, n: number): number[] {
  const e0 = Math.ceil(Math.log10(lo) - 1e-9), e1 = Math.floor(Math.log10(hi) + 1e-9);
  if (e1 < e0 || e1 - e0 + 1 > 2 * n) return values;
  const out = values.slice();
  for (let e = e0; e <= e1; e++) {
    const p = Number(`1e${e}`); // exact decimal, unlike 10 ** -3
    if (p < lo || p > hi) continue;
    if (!out.some((v) => Math.abs(v - p) <= p * 1e-9)) out.push(p);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The nice duration step closest (in ratio) to span / n, and no longer than the span: an interval
 * at least one step long always holds a multiple of the step, so there is always a tick.
 */
function durationStep(span: number, n: number): number {
  const target = span / n;
  let best = DURATION_STEPS[0];
  for (const s of DURATION_STEPS) {
    if (s > span) break;
    if (Math.abs(Math.log(s / target)) < Math.abs(Math.log(best / target))) best = s;
  }
  return best;
}

/**
 * d3's calendar ticks (whole seconds, hours, days, months in local time). d3 rounds to whole
 * milliseconds, which can land outside a sub-millisecond domain: those are dropped.
 */
function dateTicks(lo: number, hi: number, n: number): number[] {
  return scaleTime()
    .domain([lo, hi])
    .ticks(n)
    .map(Number)
    .filter((v) => v >= lo && v <= hi);
}

/** Multiples of a nice duration step inside [lo, hi]. */
function durationTicks(lo: number, hi: number, n: number): number[] {
  const target = (hi - lo) / n;
  // Sub-millisecond and multi-week spans have no human units left: d3's 1-2-5 steps in ms or days.
  if (target < 1) return scaleLinear().domain([lo, hi]).ticks(n);
  if (target > 10 * DAY) return scaleLinear().domain([lo / DAY, hi / DAY]).ticks(n).map((d) => d * DAY);
  const step = durationStep(hi - lo, n);
  // The tolerance keeps a domain edge that is a multiple of the step, give or take float noise.
  const k0 = Math.ceil(lo / step - 1e-9);
  const k1 = Math.floor(hi / step + 1e-9);
  const values: number[] = [];
  // Bounded: the step is within a factor ~2.5 of span / n, so there are at most ~2.5 n + 1 ticks.
  for (let k = k0; k <= k1 && values.length <= 3 * MAX_COUNT; k++) values.push(k * step);
  return values;
}

/**
 * Distance to the nearest neighbouring tick: the precision this tick's label needs. On a log
 * axis neighbours can be decades apart (1e-3 next to 1e-2), and the label must still show the
 * tick's own leading digit, so the step is at most the value.
 */
function localStep(values: readonly number[], i: number, log: boolean): number {
  const before = i > 0 ? values[i] - values[i - 1] : Infinity;
  const after = i + 1 < values.length ? values[i + 1] - values[i] : Infinity;
  const step = Math.min(before, after, log ? values[i] : Infinity);
  return Number.isFinite(step) ? step : 0;
}

function distinct(labels: readonly string[]): boolean {
  return new Set(labels).size === labels.length;
}

/**
 * Labels for tick values. Dates use d3's multi-scale format as is: it repeats on purpose ('12 PM'
 * every day, between day labels). Numbers and durations must be distinct; should rounding ever
 * merge two, precision is raised, and as a last resort the later duplicates are dropped.
 */
function labelTicks(values: number[], format: AxisFormat, scale: ScaleType): AxisTicks {
  if (format === 'date') return { values, labels: values.map(formatDateTick) };
  const log = scale === 'log';
  // Duration labels round to the step's unit (a 90 s step prints whole minutes), which on a log
  // axis would turn 100 s into '2m'; there each tick gets the compact single-value form instead.
  const label = format === 'duration' ? (v: number, step: number) => formatDuration(v, log ? 0 : step) : formatNumber;
  let labels: string[] = [];
  for (let refine = 1; refine >= 1e-6; refine /= 10) {
    labels = values.map((v, i) => label(v, localStep(values, i, log) * refine));
    if (distinct(labels)) return { values, labels };
  }
  const seen = new Set<string>();
  const kept: AxisTicks = { values: [], labels: [] };
  labels.forEach((l, i) => {
    if (seen.has(l)) return;
    seen.add(l);
    kept.values.push(values[i]);
    kept.labels.push(l);
  });
  return kept;
}
