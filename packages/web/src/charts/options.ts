/**
 * Chart options in the dashboard's look (WeChat green first, light grid, readable axis labels),
 * built from plain rows. Pure functions: the views pass data, EChart.vue draws. Dashed lines mean
 * one thing everywhere: a comparison period.
 */
import type { BarSeriesOption, LineSeriesOption, SankeySeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | SankeySeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

export const PALETTE = ['#07c160', '#10aeff', '#fa9d3b', '#8183ff', '#fa5151', '#00a5a8'];

export interface Series {
  name: string;
  /** null: no value there (a gap in a line). */
  data: Array<number | null>;
  /** A comparison period (drawn dashed); every other line is solid. */
  compare?: boolean;
}

/** Which category labels (and ticks) an axis shows: all, or those a function picks. */
export type LabelPick = (index: number, value: string) => boolean;

const axisLabel = { color: '#6b7280', fontSize: 11 };

/** What every chart shares: palette, grid, a legend when there is more than one series, an axis tooltip. */
function frame(series: Series[], format: (v: number) => string, pointer?: 'shadow'): ChartOption {
  return {
    color: PALETTE,
    animation: false,
    grid: { left: 8, right: 12, top: series.length > 1 ? 32 : 16, bottom: 4, containLabel: true },
    legend: series.length > 1 ? { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: axisLabel } : undefined,
    tooltip: {
      trigger: 'axis',
      confine: true,
      ...(pointer ? { axisPointer: { type: pointer } } : {}),
      valueFormatter: (v) => (typeof v === 'number' ? format(v) : String(v ?? '')),
    },
  };
}

/**
 * Lines over categories (dates or minutes); the first series is filled lightly, comparison periods
 * are dashed. `pick`: the categories labelled and ticked (e.g. whole hours), else ECharts' choice.
 */
export function lineOption(
  categories: string[],
  series: Series[],
  format: (v: number) => string,
  pick?: LabelPick,
): ChartOption {
  return {
    ...frame(series, format),
    xAxis: {
      type: 'category',
      data: categories,
      boundaryGap: false,
      axisLabel: pick ? { ...axisLabel, interval: pick } : axisLabel,
      axisLine: { lineStyle: { color: '#d1d5db' } },
      axisTick: pick ? { show: true, interval: pick, lineStyle: { color: '#d1d5db' } } : { show: false },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { ...axisLabel, formatter: (v: number) => format(v) },
      splitLine: { lineStyle: { color: '#eef0f2' } },
    },
    series: series.map((s, i) => ({
      type: 'line',
      name: s.name,
      data: s.data,
      smooth: false,
      showSymbol: s.data.length <= 31,
      symbolSize: 5,
      lineStyle: { width: i === 0 ? 2.5 : 1.5, type: s.compare ? 'dashed' : 'solid' },
      areaStyle: i === 0 ? { opacity: 0.08 } : undefined,
    })),
  };
}

/** Vertical bars, one per category (distribution buckets). */
export function barOption(categories: string[], series: Series[], format: (v: number) => string): ChartOption {
  return {
    ...frame(series, format, 'shadow'),
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: { ...axisLabel, interval: 0, rotate: categories.length > 5 ? 35 : 0 },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#d1d5db' } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel,
      splitLine: { lineStyle: { color: '#eef0f2' } },
    },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      barMaxWidth: 22,
      itemStyle: { borderRadius: [3, 3, 0, 0] },
      label: { show: series.length === 1 && categories.length <= 8, position: 'top', fontSize: 11, color: '#374151' },
    })),
  };
}

/** Whole hours, one every `hours` ('HH:00' of a day's minutes): the real-time chart's axis. */
export function wholeHours(hours: number): LabelPick {
  return (_index, value) => value.endsWith(':00') && Number(value.slice(0, 2)) % hours === 0;
}
