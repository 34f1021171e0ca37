/**
 * Label text for axis ticks and tooltips.
 *
 * Tick labels get a `step` (the spacing of neighbouring ticks) so they carry just enough digits
 * to tell neighbours apart; tooltips have no neighbours and get a fixed number of significant
 * digits instead. Negative numbers use '-' (hyphen-minus) so labels are plain ASCII to compare.
 */
import { scaleTime } from 'd3-scale';

/** How an axis reads its values: plain numbers, milliseconds of relative time, epoch ms. */
export type AxisFormat = 'number' | 'duration' | 'date';

/** Significant digits where there is no tick step to derive precision from. */
const SIGNIFICANT = 5;

// SI prefixes for 1e3^i. Nothing below 'k': small values use exponents, which read unambiguously.
const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/**
 * Decimal places needed to write multiples of `step` exactly: 0.1 -> 1, 0.25 -> 2, 5 -> 0.
 * Starts at the step's leading digit and adds up to three more for steps like 0.25 or 0.125.
 */
export function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  let d = Math.max(0, -Math.floor(Math.log10(step)));
  for (let i = 0; i < 3; i++, d++) {
    const x = step * 10 ** d;
    if (Math.abs(x - Math.round(x)) <= 1e-6 * x) break;
  }
  return Math.min(d, 20);
}

/** toFixed without trailing zeros ('1.50' -> '1.5', '2.0' -> '2') and without '-0'. */
function fixed(v: number, decimals: number): string {
  let s = v.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Decimals giving SIGNIFICANT significant digits for a value whose magnitude is |v|. */
function significantDecimals(v: number): number {
  const a = Math.abs(v);
  return a > 0 ? Math.max(0, Math.min(20, SIGNIFICANT - 1 - Math.floor(Math.log10(a)))) : 0;
}

/** Base-10 exponent of |v| (> 0), corrected for log10 rounding at exact powers of ten. */
function exponent10(a: number): number {
  let e = Math.floor(Math.log10(a));
  if (a / 10 ** e >= 10) e++;
  else if (a / 10 ** e < 1) e--;
  return e;
}

/**
 * A number as an ML engineer reads it on an axis: `12k`, `1.5M`, `2G` from 1e4 up, `0.25` or
 * `3.5` in between, `2.5e-4` below 1e-3. `step` is the tick spacing (digits follow it); a step
 * of 0 or less means "no neighbours": 5 significant digits, trailing zeros dropped.
 */
export function formatNumber(v: number, step: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = step > 0 && Number.isFinite(step) ? step : 0;
  const a = Math.abs(v);
  // A tick that should be 0 but carries float noise (0.1 + 0.2 - 0.3) reads as 0.
  if (a === 0 || (s > 0 && a < s * 1e-9)) return '0';

  if (a >= 1e4 && a < 1e21) {
    let i = Math.min(SI.length - 1, Math.floor(exponent10(a) / 3));
    for (;;) {
      const unit = 10 ** (3 * i);
      const m = v / unit;
      const text = fixed(m, s > 0 ? decimalsFor(s / unit) : significantDecimals(m));
      // Rounding may carry into the next prefix (999.99k -> 1000k): write 1M instead.
      if (Math.abs(Number(text)) >= 1000 && i < SI.length - 1) i++;
      else return text + SI[i];
    }
  }

  if (a < 1e-3 || a >= 1e21) {
    let e = exponent10(a);
    for (;;) {
      const unit = 10 ** e;
      const m = v / unit;
      const text = fixed(m, s > 0 ? Math.min(20, decimalsFor(s / unit)) : SIGNIFICANT - 1);
      if (Math.abs(Number(text)) >= 10) e++;
      else return `${text}e${e}`;
    }
  }

  return fixed(v, s > 0 ? decimalsFor(s) : significantDecimals(v));
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Duration units, largest first; milliseconds show as decimals of the second or as 'ms'. */
const UNITS: ReadonlyArray<readonly [number, string]> = [
  [DAY, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'm'],
  [SECOND, 's'],
];

/** 'Xd Yh Zm Ws' from whole units of at least `smallest` ms, zero units left out. */
function unitsDuration(a: number, smallest: number, secondsDecimals: number): string {
  const parts: string[] = [];
  let rest = a;
  for (const [size, name] of UNITS) {
    if (size < smallest) break;
    if (size === SECOND) {
      // Seconds absorb the remainder so sub-second steps still show ('1m 0.5s').
      const text = fixed(rest / SECOND, secondsDecimals);
      if (text !== '0') parts.push(`${text}s`);
      break;
    }
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${name}`);
  }
  return parts.join(' ');
}

/** Index in UNITS of the largest unit not above `a` (a >= 1 s). */
function largestUnit(a: number): number {
  return UNITS.findIndex(([size]) => a >= size);
}

/**
 * Relative time in milliseconds: `250ms`, `1.5s`, `45s`, `1m 30s`, `1h 20m`, `2d 3h`.
 *
 * Without `stepMs` (a single value): the largest unit and the one just below it, the value rounded
 * to that lower unit, so `1h 0m` prints as `1h`. With `stepMs` (tick labels): every non-zero unit
 * down to the step's unit, since two units alone would make `1h 1m` and `1h 1m 15s` collide.
 */
export function formatDuration(ms: number, stepMs?: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const a = Math.abs(ms);
  const step = stepMs !== undefined && stepMs > 0 && Number.isFinite(stepMs) ? stepMs : 0;
  let text = '';

  if (step > 0) {
    if (a < step * 1e-9) return '0';
    if (step < SECOND) {
      // formatNumber, not toFixed: sub-microsecond steps then read '2.5e-4ms', not 20 zeros.
      if (round(a, decimalsFor(step)) < SECOND) text = `${formatNumber(a, step)}ms`;
    }
    if (!text) {
      // Round to the step's granularity first so carries happen in the total (59.6s -> 1m).
      const smallest = step >= DAY ? DAY : step >= HOUR ? HOUR : step >= MINUTE ? MINUTE : SECOND;
      const dS = decimalsFor(step / SECOND);
      const g = smallest === SECOND ? SECOND / 10 ** dS : smallest;
      text = unitsDuration(Math.round(a / g) * g, smallest, dS);
    }
  } else {
    let r = a;
    if (r < SECOND) {
      r = round(r, significantDecimals(r));
      if (r < SECOND) text = `${formatNumber(r, 0)}ms`;
    }
    if (!text) {
      r = Math.round(r);
      if (r < MINUTE) {
        // Under a minute: one unit, milliseconds as decimals of the second ('1.5s', '1.234s').
        text = `${fixed(r / SECOND, 3)}s`;
      } else {
        // The largest unit and the one below it, rounded to that lower unit; rounding can carry
        // (1h 59m 40s -> 2h), so the units are picked again from the rounded value.
        const lower = UNITS[largestUnit(r) + 1][0];
        r = Math.round(r / lower) * lower;
        text = unitsDuration(r, UNITS[largestUnit(r) + 1][0], 0);
      }
    }
  }
  if (text === '' || text === '0ms' || text === '0s') return '0';
  return (ms < 0 ? '-' : '') + text;
}

/** Round to `decimals` places, as toFixed would print it. */
function round(v: number, decimals: number): number {
  return Number(v.toFixed(decimals));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Epoch milliseconds as `YYYY-MM-DD HH:MM:SS.mmm` in the local time zone. */
export function formatDate(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ` +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(d.getMilliseconds(), 3)}`
  );
}

// d3's multi-scale time format ('2024', 'March', 'Mar 05', '03 PM', ':30', '.250'): each tick
// names only what changed at its granularity. It depends on the date alone, not on a domain.
const multiScaleDate = scaleTime().tickFormat();

/** Short date tick label, d3's multi-scale local-time format. */
export function formatDateTick(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return multiScaleDate(new Date(ms));
}

/** A single value at full-ish precision, for tooltips: `3.2871`, `1h 20m 5s`, `2024-03-05 14:02:11.250`. */
export function formatValue(v: number, format: AxisFormat): string {
  switch (format) {
    case 'number':
      return formatNumber(v, 0);
    case 'duration':
      // Under a minute keep the milliseconds ('1.234s'); above, seconds are enough.
      return formatDuration(v, Math.abs(v) < MINUTE ? 1 : SECOND);
    case 'date':
      return formatDate(v);
  }
}
