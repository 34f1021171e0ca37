/**
 * How the tooltip writes its numbers: the header at the resolution of one pixel (the cursor
 * cannot point finer than that, so more digits would be noise), a point's own x and values in
 * full, other x columns by what their names say they hold.
 */
import { formatDate, formatDuration, formatNumber, formatValue, type AxisFormat } from '../axes/format';
import type { HoverFormat } from './layer';

/** The x under the cursor, given how much x one CSS pixel spans there. */
export function formatCursor(v: number, format: AxisFormat, pixelSpan: number): string {
  if (!Number.isFinite(v)) return String(v);
  const step = pixelSpan > 0 && Number.isFinite(pixelSpan) ? 10 ** Math.floor(Math.log10(pixelSpan)) : 0;
  switch (format) {
    case 'number':
      return step > 0 ? formatNumber(Math.round(v / step) * step, step) : formatNumber(v, 0);
    case 'duration':
      return formatDuration(v, step > 0 ? step : undefined);
    case 'date':
      return formatDate(v);
  }
}

/** How a tooltip shows another x column: by its name, since units are not declared. */
export function columnFormat(name: string, xColumn: string, xFormat: AxisFormat): AxisFormat {
  if (name === xColumn) return xFormat;
  if (/wall|date|timestamp|epoch_ms|unix/i.test(name)) return 'date';
  if (/time|ms|duration|elapsed/i.test(name)) return 'duration';
  return 'number';
}

export function hoverFormat(o: { xFormat: AxisFormat; xColumn: string; xLabel: string | null }, pixelSpan: number): HoverFormat {
  return {
    cursor: (v) => formatCursor(v, o.xFormat, pixelSpan),
    x: (v) => formatValue(v, o.xFormat),
    y: (v) => formatValue(v, 'number'),
    column: (name, v) => formatValue(v, columnFormat(name, o.xColumn, o.xFormat)),
    xName: o.xLabel ?? (o.xColumn === 'x' ? 'x' : o.xColumn),
  };
}
