export { createChart } from './chart';
export type { Chart, FrameInfo, SeriesInput } from './chart';
export type { ChartOptions, Smoothing, SmoothingMode } from './options';
export type { ScaleType, Rect } from './coords';
export type { AxisFormat } from './axes/format';
