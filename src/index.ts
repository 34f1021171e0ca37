export { createChart } from './chart';
export type { Chart, ChartEvents, FrameInfo, SeriesInput, ViewState } from './chart';
export type { HoverInfo, HoverPoint, RunInfo } from './interact/hover';
export { createLegend, type Legend } from './interact/legend';
export { linkCharts } from './interact/link';
export type { ChartOptions, Smoothing, SmoothingMode } from './options';
export type { ScaleType, Rect } from './coords';
export type { AxisFormat } from './axes/format';
export { defineMetricChart, MetricChartElement } from './element';
