/**
 * Grid and axes on a Canvas2D overlay, in CSS pixels (the caller has set the devicePixelRatio
 * transform). The geometry (margins, tick positions, which labels fit) lives in pure functions
 * that take a text-measuring callback, so it runs without a DOM; the draw calls only paint it.
 */
import { axisMap, project, type Rect, type ScaleType } from '../coords';
import type { AxisFormat } from './format';
import { axisTicks, type AxisTicks } from './ticks';

export interface AxisSpec {
  scale: ScaleType;
  format: AxisFormat;
  domain: readonly [number, number];
  /** the axis title (x: under the tick labels; y: rotated, left of them); none when null or absent */
  title?: string | null;
}

export interface AxesLayout {
  /** Plot area in CSS px relative to the container; whole pixels so lines snap the same way. */
  plot: Rect;
  xTicks: AxisTicks;
  yTicks: AxisTicks;
}

export interface AxisTheme {
  /** CSS font shorthand; its `Npx` size sets the label line height. */
  font: string;
  text: string;
  grid: string;
  axis: string;
}

export const defaultTheme: AxisTheme = {
  font: '11px system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  text: '#555',
  grid: 'rgba(0,0,0,0.08)',
  axis: '#999',
};

/** Tick mark length and the gaps around labels, CSS px. */
const TICK = 4;
const PAD = 4;
/** Minimum clear space between neighbouring x labels. */
const LABEL_GAP = 8;
/** About one tick per this many px: x labels are wide, y labels only one line tall. */
const X_SPACING = 80;
const Y_SPACING = 40;

/** Pixel size in a CSS font shorthand ('11px system-ui' -> 11); 11 if it has none. */
export function fontPx(font: string): number {
  const m = /(\d+(?:\.\d+)?)px/.exec(font);
  return m ? Number(m[1]) : 11;
}

function tickCount(length: number, spacing: number): number {
  return Math.max(2, Math.round(length / spacing));
}

function widest(labels: readonly string[], measure: (text: string) => number): number {
  let w = 0;
  for (const l of labels) w = Math.max(w, measure(l));
  return w;
}

/**
 * The plot rectangle and ticks for a container of width x height CSS px. Pure: `measure` gives a
 * label's width in px, `lineHeight` the font size.
 *
 * Order matters: the y ticks depend only on the plot height (fixed by the x label line), the left
 * margin on the y labels, the x tick count on the plot width. The right margin holds half the
 * widest x label, which depends on the x ticks, so the x ticks are computed once more if the
 * narrower plot asks for a different count; one pass settles it since the count barely moves.
 */
export function computeLayout(
  width: number,
  height: number,
  x: AxisSpec,
  y: AxisSpec,
  measure: (text: string) => number,
  lineHeight: number,
): AxesLayout {
  const top = Math.ceil(lineHeight / 2) + PAD; // the top y label is centred on the plot's top edge
  // a title takes one more line below the x labels / left of the y labels
  const xTitle = x.title ? Math.ceil(lineHeight) + PAD : 0;
  const yTitle = y.title ? Math.ceil(lineHeight) + PAD : 0;
  const bottom = TICK + PAD + Math.ceil(lineHeight) + PAD + xTitle;
  const plotHeight = Math.max(0, Math.floor(height - top - bottom));
  const yTicks = axisTicks(y.scale, y.format, y.domain, tickCount(plotHeight, Y_SPACING));
  const left = Math.ceil(yTitle + PAD + widest(yTicks.labels, measure) + PAD + TICK);

  const guess = Math.max(0, width - left - PAD);
  let xTicks = axisTicks(x.scale, x.format, x.domain, tickCount(guess, X_SPACING));
  const right = Math.ceil(widest(xTicks.labels, measure) / 2) + PAD;
  const plotWidth = Math.max(0, Math.floor(width - left - right));
  if (tickCount(plotWidth, X_SPACING) !== tickCount(guess, X_SPACING)) {
    xTicks = axisTicks(x.scale, x.format, x.domain, tickCount(plotWidth, X_SPACING));
  }
  return { plot: { left, top, width: plotWidth, height: plotHeight }, xTicks, yTicks };
}

/**
 * Tick positions in plot px along one axis (y grows downward, so its range is [length, 0]),
 * through the same axisMap as the curves. NaN where the scale cannot show the value.
 */
export function tickPositions(spec: AxisSpec, values: readonly number[], length: number, vertical: boolean): number[] {
  const map = axisMap(spec.scale, spec.domain, vertical ? [length, 0] : [0, length]);
  return values.map((v) => project(map, v));
}

/**
 * Where to draw labels along one axis, in tick order: each centre is clamped so the label does
 * not start before `min` nor end after `max` (the chart's edge: a label there is moved in, never
 * cut), then labels are kept greedily while each clears the last kept one by
 * `gap` px. Returns the centre per label, NaN for the ones dropped (or not projectable).
 */
export function placeLabels(
  centres: readonly number[],
  sizes: readonly number[],
  min: number,
  gap: number,
  priority?: readonly boolean[],
  max = Infinity,
): number[] {
  const clamp = (i: number) => Math.min(Math.max(centres[i], min + sizes[i] / 2), max - sizes[i] / 2);
  if (priority && priority.some(Boolean)) return placeByPriority(centres, sizes, clamp, gap, priority);
  const out: number[] = [];
  let last = NaN;
  let lastSize = 0;
  for (let i = 0; i < centres.length; i++) {
    const c = clamp(i);
    const clear = Number.isNaN(last) || Math.abs(c - last) >= (sizes[i] + lastSize) / 2 + gap;
    if (Number.isFinite(c) && clear) {
      out.push(c);
      last = c;
      lastSize = sizes[i];
    } else {
      out.push(NaN);
    }
  }
  return out;
}

/**
 * placeLabels with some labels first (the powers of ten of a log axis): those are kept greedily
 * among themselves, then each other label is kept where it clears every label kept so far, so
 * thinning drops the in-between labels (2, 5, 20) and never 1 or 10 for them.
 */
function placeByPriority(centres: readonly number[], sizes: readonly number[], clamp: (i: number) => number, gap: number, priority: readonly boolean[]): number[] {
  const out = centres.map(() => NaN);
  const kept: number[] = [];
  const fits = (i: number, c: number) =>
    kept.every((j) => Math.abs(c - out[j]) >= (sizes[i] + sizes[j]) / 2 + gap);
  for (const first of [true, false]) {
    for (let i = 0; i < centres.length; i++) {
      if (Boolean(priority[i]) !== first) continue;
      const c = clamp(i);
      if (Number.isFinite(c) && fits(i, c)) {
        out[i] = c;
        kept.push(i);
      }
    }
  }
  return out;
}

/** Ticks of a log axis that are powers of ten. */
export function powersOfTen(spec: AxisSpec, values: readonly number[]): boolean[] | undefined {
  if (spec.scale !== 'log') return undefined;
  return values.map((v) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
}

/** A 1px line at the half pixel inside [lo, hi]: centred on a pixel row/column, so it is crisp. */
function crisp(p: number, lo: number, hi: number): number {
  return Math.min(Math.max(Math.floor(p) + 0.5, lo + 0.5), hi - 0.5);
}

/** Measures with the theme font and computes the layout; see computeLayout. */
export function layoutAxes(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  x: AxisSpec,
  y: AxisSpec,
  theme: AxisTheme,
): AxesLayout {
  ctx.font = theme.font;
  return computeLayout(width, height, x, y, (t) => ctx.measureText(t).width, fontPx(theme.font));
}

/** Grid lines at the ticks, inside the plot rect only. */
export function drawGrid(ctx: CanvasRenderingContext2D, layout: AxesLayout, x: AxisSpec, y: AxisSpec, theme: AxisTheme): void {
  const { left, top, width, height } = layout.plot;
  if (width < 1 || height < 1) return;
  const xs = tickPositions(x, layout.xTicks.values, width, false);
  const ys = tickPositions(y, layout.yTicks.values, height, true);
  ctx.save();
  ctx.beginPath();
  // Grid lines on the left and bottom edges would double the axis lines drawn there.
  for (const p of xs) {
    if (!(p >= 1 && p <= width + 0.5)) continue;
    const sx = crisp(left + p, left, left + width);
    ctx.moveTo(sx, top);
    ctx.lineTo(sx, top + height);
  }
  for (const p of ys) {
    if (!(p >= -0.5 && p <= height - 1)) continue;
    const sy = crisp(top + p, top, top + height);
    ctx.moveTo(left, sy);
    ctx.lineTo(left + width, sy);
  }
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.restore();
}

/** Axis lines on the left and bottom edges, outward tick marks, and the labels that fit. */
export function drawAxes(ctx: CanvasRenderingContext2D, layout: AxesLayout, x: AxisSpec, y: AxisSpec, theme: AxisTheme): void {
  const { left, top, width, height } = layout.plot;
  const xs = tickPositions(x, layout.xTicks.values, width, false);
  const ys = tickPositions(y, layout.yTicks.values, height, true);
  // Axis lines sit on the pixel just outside the plot, so they never cover a curve's first pixel.
  const ax = left - 0.5;
  const ay = top + height + 0.5;
  const inside = (p: number, length: number) => p >= -0.5 && p <= length + 0.5;

  ctx.save();
  ctx.beginPath();
  ctx.moveTo(ax, top);
  ctx.lineTo(ax, ay);
  ctx.lineTo(left + width, ay);
  for (const p of xs) {
    if (!inside(p, width)) continue;
    const sx = crisp(left + p, left, left + width);
    ctx.moveTo(sx, ay);
    ctx.lineTo(sx, ay + TICK);
  }
  for (const p of ys) {
    if (!inside(p, height)) continue;
    const sy = crisp(top + p, top, top + height);
    ctx.moveTo(ax - TICK, sy);
    ctx.lineTo(ax, sy);
  }
  ctx.strokeStyle = theme.axis;
  ctx.lineWidth = 1;
  ctx.stroke();

  ctx.font = theme.font;
  ctx.fillStyle = theme.text;
  const line = fontPx(theme.font);

  const xLabels = layout.xTicks.labels;
  const xCentres = placeLabels(
    xs.map((p) => (inside(p, width) ? left + p : NaN)),
    xLabels.map((l) => ctx.measureText(l).width),
    0,
    LABEL_GAP,
    powersOfTen(x, layout.xTicks.values),
    ctx.canvas.width / ctx.getTransform().a, // the chart's CSS width
  );
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  xCentres.forEach((c, i) => {
    if (Number.isFinite(c)) ctx.fillText(xLabels[i], c, ay + TICK + PAD);
  });

  // y labels are one line tall; a short plot may not fit them all at 40 px per tick.
  const yLabels = layout.yTicks.labels;
  const yCentres = placeLabels(
    ys.map((p) => (inside(p, height) ? top + p : NaN)),
    yLabels.map(() => line),
    -Infinity,
    2,
    powersOfTen(y, layout.yTicks.values),
  );
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  yCentres.forEach((c, i) => {
    if (Number.isFinite(c)) ctx.fillText(yLabels[i], ax - TICK - PAD, c);
  });

  // titles: x centred under its tick labels, y rotated and centred left of its labels
  if (x.title) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(x.title, left + width / 2, ay + TICK + PAD + Math.ceil(line) + PAD, Math.max(width, 1));
  }
  if (y.title) {
    ctx.save();
    ctx.translate(PAD + Math.ceil(line) / 2, top + height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(y.title, 0, 0, Math.max(height, 1));
    ctx.restore();
  }
  ctx.restore();
}
