/**
 * Chart options in the dashboard's look (WeChat green first, light grid, readable axis labels),
 * built from plain rows. Pure functions: the views pass data, EChart.vue draws.
 */
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export type ChartOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export const PALETTE = ['#07c160', '#10aeff', '#fa9d3b', '#8183ff', '#fa5151', '#00a5a8'];

export interface Series {
  name: string;
  data: number[];
}

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

/** Lines over categories (dates or minutes); the first series is filled lightly. */
export function lineOption(categories: string[], series: Series[], format: (v: number) => string): ChartOption {
  return {
    ...frame(series, format),
    xAxis: {
      type: 'category',
      data: categories,
      boundaryGap: false,
      axisLabel,
      axisLine: { lineStyle: { color: '#d1d5db' } },
      axisTick: { show: false },
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
      lineStyle: { width: i === 0 ? 2.5 : 1.5, type: i === 0 ? 'solid' : 'dashed' },
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
