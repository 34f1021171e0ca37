// Helpers shared by the adapters (browser side). Nothing here is timed on its own: it is either
// part of what an app built on a library would do (EMA, growing columns) or bench plumbing.

/** Load a classic (UMD/IIFE) script, as a page using the library from a <script> tag would. */
export function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(s);
  });
}

export function loadCss(href) {
  const l = document.createElement('link');
  l.rel = 'stylesheet';
  l.href = href;
  document.head.appendChild(l);
}

export const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));

/**
 * A one-shot "drawn" signal: arm() before the call that draws, fire() from the library's drawn
 * hook. Arming first matters because some libraries draw synchronously inside the call.
 */
export class DrawnSignal {
  #resolve = null;
  arm() {
    return new Promise((r) => (this.#resolve = r));
  }
  fire() {
    const r = this.#resolve;
    this.#resolve = null;
    r?.();
  }
}

/**
 * TensorBoard's debiased EMA over every point (DESIGN.md, `ema`): what an explorer built on a
 * peer computes in JS on each slider change. Non-finite values are skipped (output NaN there).
 */
export function ema(y, n, weight, out = new Float32Array(n)) {
  if (weight === 0) {
    out.set(y.subarray ? y.subarray(0, n) : y.slice(0, n));
    return out;
  }
  let last = 0, k = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    last = weight * last + (1 - weight) * v;
    k++;
    out[i] = last / (1 - Math.pow(weight, k));
  }
  return out;
}

/**
 * A typed column with spare capacity, so a live append costs O(1) amortised and the library is
 * handed a subarray view (no copy), as a careful app would do.
 */
export class Growable {
  constructor(data) {
    this.buf = data;
    this.n = data.length;
  }
  push(v) {
    if (this.n === this.buf.length) {
      const next = new this.buf.constructor(Math.max(16, Math.ceil(this.buf.length * 1.25)));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  view() {
    return this.buf.subarray(0, this.n);
  }
}

/** Tableau 10, the palette metricgl uses by default, so every library draws the same colours. */
export const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export const color = (i) => palette[i % palette.length];

/** Line width in CSS px for every library (1 is the peers' default and their fastest). */
export const LINE_WIDTH = 1;
