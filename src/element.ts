/**
 * `<metric-chart>`: the public API as a custom element, for pages and frameworks that speak HTML
 * rather than JavaScript objects. It holds the chart's inputs (series, options) itself, so they can
 * be set before the element is in the document and survive the chart being recreated; the chart
 * exists only while the element is connected, because a chart holds GPU memory and a worker route.
 *
 * Nothing is registered on import (package.json says "sideEffects": false, and bundlers drop this
 * module when it is unused): the app calls defineMetricChart().
 */
import { createChart } from './chart/chart';
import type { Chart, ChartEvents, FrameInfo, SeriesInput } from './chart/types';
import { defaultOptions, mergeOptions, type ChartOptions, type ChartOptionsInput } from './options';

// Evaluating `class extends HTMLElement` in node (SSR, unit tests) would throw at import, so the
// class extends a stand-in there; it is never registered there, so the stand-in is never built.
const Base: typeof HTMLElement = typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

/** attribute -> the options patch it stands for; null is the attribute removed (back to the default) */
const attributes: Record<string, (value: string | null, current: ChartOptions) => ChartOptionsInput> = {
  'y-scale': (v) => ({ yScale: (v ?? defaultOptions.yScale) as ChartOptions['yScale'] }),
  'x-scale': (v) => ({ xScale: (v ?? defaultOptions.xScale) as ChartOptions['xScale'] }),
  'x-format': (v) => ({ xFormat: (v ?? defaultOptions.xFormat) as ChartOptions['xFormat'] }),
  density: (v) => ({ density: (v ?? defaultOptions.density) as ChartOptions['density'] }),
  // only the weight: the mode (and a window or sigma) is a choice the app makes once (options
  // property), the weight is what a slider bound to the attribute moves
  smoothing: (v, current) => {
    const weight = v === null ? defaultOptions.smoothing.weight : v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(weight)) throw new RangeError(`smoothing must be a number in [0, 1), got ${JSON.stringify(v)}`);
    return { smoothing: { ...current.smoothing, weight } };
  },
  // axis titles: the attribute's text as is; removed, no title
  'x-label': (v) => ({ xLabel: v }),
  'y-label': (v) => ({ yLabel: v }),
  // "" is the bare attribute (<metric-chart show-raw>), true as for any HTML boolean attribute
  'show-raw': (v) => {
    if (v === null) return { showRaw: defaultOptions.showRaw };
    if (v === '' || v === 'true') return { showRaw: true };
    if (v === 'false') return { showRaw: false };
    throw new RangeError(`show-raw must be "true" or "false", got ${JSON.stringify(v)}`);
  },
};

const styles = `
:host { display: block; }
:host([hidden]) { display: none; }
/* only the chart's container: the chart's own divs (tooltip, crosshair) size themselves */
.container { width: 100%; height: 100%; }
`;

/** The chart events the element re-dispatches as DOM events of the same name. */
const CHART_EVENTS: readonly (keyof ChartEvents)[] = ['hover', 'view', 'visibility', 'series', 'source'];

export class MetricChartElement extends Base {
  static get observedAttributes(): string[] {
    return Object.keys(attributes);
  }

  #container: HTMLDivElement | null = null;
  #chart: Chart | null = null;
  #series: readonly SeriesInput[] = [];
  /** always valid: every change is checked before it is kept, so creating the chart cannot fail on it */
  #options: ChartOptions = defaultOptions;
  /** a removal waits one microtask, so that moving the element (remove + insert) keeps its chart */
  #removal = false;

  constructor() {
    super();
    // Properties set on the element before defineMetricChart() upgraded it are own properties that
    // hide the accessors below: take them back and apply them.
    const self = this as unknown as Record<string, unknown>;
    for (const key of ['series', 'options']) {
      if (Object.prototype.hasOwnProperty.call(this, key)) {
        const value = self[key];
        delete self[key];
        this.#guard(() => (self[key] = value));
      }
    }
  }

  /** The chart while connected, null before connection and after removal. */
  get chart(): Chart | null {
    return this.#chart;
  }

  /** The series last set (the caller's array; the chart holds its own copy). */
  get series(): readonly SeriesInput[] {
    return this.#series;
  }

  /** Replaces the series. Bad input throws (TypeError) while connected, and nothing changes. */
  set series(series: readonly SeriesInput[]) {
    // checked by the chart when there is one; before connection the check waits for it
    this.#chart?.setSeries(series);
    this.#series = series;
  }

  /** The current options, all of them. */
  get options(): Readonly<ChartOptions> {
    return this.#options;
  }

  /** Changes the given options only, like chart.update; a bad value throws (RangeError) and nothing changes. */
  set options(patch: ChartOptionsInput) {
    const next = mergeOptions(this.#options, patch);
    this.#chart?.update(patch);
    this.#options = next;
  }

  connectedCallback(): void {
    this.#removal = false;
    if (this.#chart) return; // moved within the document: the chart came along
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = styles;
      this.#container = document.createElement('div');
      this.#container.className = 'container';
      root.append(style, this.#container);
    }
    // lifecycle callbacks have no caller to throw to: a failure (no WebGL, series set before
    // connection that only the chart can check) becomes an `error` event
    this.#guard(() => {
      const chart = (this.#chart = createChart(this.#container!, this.#options));
      // the chart's events as DOM events on the element (CustomEvent, detail = the chart's
      // payload), so listeners added before connection, or before a re-creation, hear them
      for (const type of CHART_EVENTS) {
        chart.on(type, (detail) => this.dispatchEvent(new CustomEvent(type, { detail })));
      }
      chart.setSeries(this.#series);
    });
  }

  disconnectedCallback(): void {
    this.#removal = true;
    queueMicrotask(() => {
      if (!this.#removal) return;
      this.#removal = false;
      this.#chart?.destroy();
      this.#chart = null;
    });
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    // Attributes come from markup or setAttribute, where a throw would reach no one who can act
    // on it: report through an `error` event and keep the options as they were.
    this.#guard(() => (this.options = attributes[name](value, this.#options)));
  }

  /**
   * Extends a series (chart.append). Not named `append`: that is the DOM's ParentNode.append(...nodes),
   * which DOM code calls on any element and which must keep working here. Throws when not
   * connected: there is no chart to extend, and the points would be lost on the next connection.
   */
  appendPoints(id: string, x: ArrayLike<number>, y: ArrayLike<number>, xs?: Record<string, ArrayLike<number>>): void {
    this.#connected('appendPoints').append(id, x, y, xs);
  }

  /** chart.rendered(); rejects when not connected. */
  rendered(): Promise<FrameInfo> {
    try {
      return this.#connected('rendered').rendered();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** chart.smoothed(id); rejects when not connected. */
  smoothed(id: string): Promise<Float32Array> {
    try {
      return this.#connected('smoothed').smoothed(id);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #connected(call: string): Chart {
    if (!this.#chart) throw new Error(`<${this.localName}> is not connected (${call})`);
    return this.#chart;
  }

  /** Run `f`; an error becomes an `error` event whose detail is the error. */
  #guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.dispatchEvent(new CustomEvent('error', { detail: e }));
    }
  }
}

/**
 * Registers `<metric-chart>` (or `tagName`). Calling it again is harmless; in node (no
 * `customElements`) it does nothing. A name taken by another element is an Error.
 */
export function defineMetricChart(tagName = 'metric-chart'): void {
  if (typeof customElements === 'undefined') return;
  const existing = customElements.get(tagName);
  if (existing) {
    if (existing === (MetricChartElement as unknown) || existing.prototype instanceof MetricChartElement) return;
    throw new Error(`defineMetricChart: <${tagName}> is already defined by another element`);
  }
  // one constructor may be registered under one name only: other names get a subclass
  customElements.define(tagName, baseDefined ? class extends MetricChartElement {} : MetricChartElement);
  baseDefined = true;
}

let baseDefined = false;

declare global {
  interface HTMLElementTagNameMap {
    'metric-chart': MetricChartElement;
  }
}
