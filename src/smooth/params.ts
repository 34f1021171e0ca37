/**
 * What every side (chart, worker, server) asks of a smoothing spec: the modes, whether it smooths
 * at all, where it can run, what a result depends on, and what is wrong with its fields
 * (docs/semantics.md, Smoothing). Pure; imports only the protocol's types.
 */
import type { SmoothingMode, SmoothingSpec } from '../protocol/messages';

export type { SmoothingMode, SmoothingSpec };

/** Smoothing with what it needs beside the spec: R, the x-extent of the chart's series (time-weighted only). */
export interface SmoothParams extends SmoothingSpec {
  range: number;
}

export const SMOOTHING_MODES: readonly SmoothingMode[] = ['ema', 'time-weighted', 'running-average', 'centred', 'gaussian'];

/**
 * Whether `s` smooths at all (off, the input is drawn as it is): ema and time-weighted at weight
 * 0, running-average and centred at window 1 (or none given). Gaussian is on for every valid
 * sigma (> 0). The one predicate every stage asks.
 */
export function smoothingOn(s: SmoothingSpec): boolean {
  switch (s.mode) {
    case 'ema':
    case 'time-weighted':
      return s.weight > 0;
    case 'running-average':
    case 'centred':
      return (s.window ?? 1) > 1;
    case 'gaussian':
      return (s.sigma ?? 0) > 0;
  }
}

/**
 * The modes the GPU scan computes: the affine recurrence of ema and time-weighted.
 */
export function scanned(mode: SmoothingMode): boolean {
  return mode === 'ema' || mode === 'time-weighted';
}

/**
 * The modes that smooth on the GPU where `smoothingBackend` says so: the scan's two, and gaussian
 * as a direct weighted sum (it costs the points within reach a point on either side, so it is
 * the window mode a GPU pays for). running-average and centred slide one sum along the series,
 * O(1) a point on the CPU: they smooth in the worker whatever `smoothingBackend` asks.
 */
export function gpuSmooths(mode: SmoothingMode): boolean {
  return scanned(mode) || mode === 'gaussian';
}

/**
 * What a smoothed result depends on: ema only on the weight, time-weighted also on R (the
 * chart's x-extent), so a live run's growing x-extent changes no ema result; the window modes
 * only on their window or sigma.
 */
export function paramsKey(p: SmoothParams): string {
  switch (p.mode) {
    case 'ema':
      return `ema:${p.weight}`;
    case 'time-weighted':
      return `tw:${p.weight}:${p.range}`;
    case 'running-average':
      return `ra:${p.window}`;
    case 'centred':
      return `c:${p.window}`;
    case 'gaussian':
      return `g:${p.sigma}`;
  }
}

/** A field of a smoothing spec that is wrong: its name, what it must be, and the value it had. */
export interface SpecProblem {
  field: 'window' | 'sigma';
  must: string;
  got: unknown;
}

/**
 * What is wrong with the `window` and `sigma` of a spec for `mode`, null when nothing is. A
 * window is an integer >= 1 (centred: odd, so that it is centred on the point); sigma a finite
 * number > 0 in x units. Running-average and centred need a window, gaussian a sigma; a field the
 * mode does not use may be absent, and is checked when given.
 */
export function specProblem(mode: SmoothingMode, window: unknown, sigma: unknown): SpecProblem | null {
  const windowed = mode === 'running-average' || mode === 'centred';
  if (window !== undefined || windowed) {
    if (typeof window !== 'number' || !Number.isInteger(window) || window < 1) {
      return { field: 'window', must: windowed ? `an integer >= 1 for mode '${mode}'` : 'an integer >= 1', got: window };
    }
    if (mode === 'centred' && window % 2 === 0) return { field: 'window', must: "odd for mode 'centred' (a window centred on its point)", got: window };
  }
  if (sigma !== undefined || mode === 'gaussian') {
    if (typeof sigma !== 'number' || !Number.isFinite(sigma) || !(sigma > 0)) {
      return { field: 'sigma', must: mode === 'gaussian' ? "a finite number > 0 (x units) for mode 'gaussian'" : 'a finite number > 0 (x units)', got: sigma };
    }
  }
  return null;
}
