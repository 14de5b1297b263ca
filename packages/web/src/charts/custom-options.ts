/**
 * Chart options of the 自定义分析 screens, in the dashboard's look (options.ts): a funnel as
 * horizontal bars (each step's users, its conversion written beside it), a funnel's users and
 * conversion per day on two axes, and the path sankey (one column per step, its nodes and links
 * made from the paths answer). Pure functions.
 */
import { EXIT_NODE, OTHER_NODE, type Paths } from '@miniscope/contract';
import type { ChartOption } from './options';
import { PALETTE } from './options';

const axisLabel = { color: '#6b7280', fontSize: 11 };

/** Steps top to bottom, a bar of users each, labelled "users · conversion". */
export function funnelOption(steps: string[], users: number[], labels: string[]): ChartOption {
  return {
    color: PALETTE,
    animation: false,
    grid: { left: 8, right: 96, top: 4, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', show: false, max: Math.max(1, ...users) },
    yAxis: {
      type: 'category',
      inverse: true,
      data: steps,
      axisLabel: { ...axisLabel, width: 110, overflow: 'truncate' },
      axisTick: { show: false },
      axisLine: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: users,
        barMaxWidth: 26,
        showBackground: true,
        backgroundStyle: { color: '#f2f3f5', borderRadius: 4 },
        itemStyle: { borderRadius: 4 },
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          color: '#374151',
          formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '',
        },
      },
    ],
  } as ChartOption;
}

/** Users (bars, left axis) and a rate (line, right axis, as %) per day. */
export function usersAndRateOption(
  days: string[],
  users: { name: string; data: number[] },
  rate: { name: string; data: number[] },
  formatRate: (v: number) => string,
): ChartOption {
  return {
    color: PALETTE,
    animation: false,
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: axisLabel },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: { type: 'category', data: days, axisLabel, axisTick: { show: false } },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel, splitLine: { lineStyle: { color: '#eef0f2' } } },
      { type: 'value', min: 0, axisLabel: { ...axisLabel, formatter: formatRate }, splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: users.name, data: users.data, barMaxWidth: 18, itemStyle: { borderRadius: [3, 3, 0, 0] } },
      {
        type: 'line',
        name: rate.name,
        data: rate.data,
        yAxisIndex: 1,
        showSymbol: days.length <= 31,
        symbolSize: 5,
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? formatRate(v) : String(v ?? '')) },
      },
    ],
  };
}

export interface SankeyNode {
  /** Unique over the chart (the step and the name). */
  id: string;
  /** What the label shows. */
  label: string;
  step: number;
  opens: number;
  color: string;
}

/** A path node's colour: 其他 grey, 离开 red, events purple, each page its own colour at every step. */
export function pathColor(name: string): string {
  if (name === OTHER_NODE) return '#c9cdd4';
  if (name === EXIT_NODE) return '#fa5151';
  if (name.startsWith('event:')) return '#8183ff';
  const pages = PALETTE.filter((c) => c !== '#fa5151' && c !== '#8183ff');
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return pages[h % pages.length] ?? PALETTE[0]!;
}

/**
 * The paths answer as sankey nodes and links. A node is named by its step and name (the same page
 * at two steps is two nodes); a 离开 node is added at each step some open left before (the answer
 * gives only its links). In a column: pages and events by opens, then 其他, then 离开.
 */
export function pathSankey(
  paths: Pick<Paths, 'nodes' | 'links'>,
  label: (name: string) => string,
): { nodes: SankeyNode[]; links: Array<{ source: string; target: string; opens: number }> } {
  const id = (step: number, name: string) => `${step}|${name}`;
  const exits = new Map<number, number>();
  for (const l of paths.links)
    if (l.target === EXIT_NODE) exits.set(l.step + 1, (exits.get(l.step + 1) ?? 0) + l.opens);
  const left = [...exits].map(([step, opens]) => ({ step, name: EXIT_NODE, opens }));
  const rank = (name: string) => (name === EXIT_NODE ? 2 : name === OTHER_NODE ? 1 : 0);
  const nodes = [...paths.nodes, ...left]
    .sort((x, y) => x.step - y.step || rank(x.name) - rank(y.name) || y.opens - x.opens)
    .map((n) => ({
      id: id(n.step, n.name),
      label: label(n.name),
      step: n.step,
      opens: n.opens,
      color: pathColor(n.name),
    }));
  const links = paths.links.map((l) => ({
    source: id(l.step, l.source),
    target: id(l.step + 1, l.target),
    opens: l.opens,
  }));
  return { nodes, links };
}

/** The paths sankey: nodes in columns by step (kept in the order given), links weighted by opens. */
export function sankeyOption(
  nodes: SankeyNode[],
  links: Array<{ source: string; target: string; opens: number }>,
  format: (v: number) => string,
): ChartOption {
  const label = new Map(nodes.map((n) => [n.id, n.label]));
  const name = (id: unknown) => label.get(String(id)) ?? String(id);
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: unknown) => {
        const { dataType, data, value } = p as {
          dataType?: string;
          data: { source?: string; name?: string };
          value: number;
        };
        const v = format(Number(value));
        if (dataType === 'edge') return `${name(data.source)} → ${name((data as { target?: string }).target)}<br/>${v}`;
        return `${name(data.name)}<br/>${v}`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 4,
        right: 110,
        top: 8,
        bottom: 8,
        nodeWidth: 10,
        nodeGap: 12,
        nodeAlign: 'left',
        layoutIterations: 0,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.3 },
        label: {
          fontSize: 11,
          color: '#374151',
          width: 104,
          overflow: 'truncate',
          formatter: (p: { name: string; value: unknown }) => `${name(p.name)}  ${format(Number(p.value))}`,
        },
        data: nodes.map((n) => ({ name: n.id, value: n.opens, depth: n.step - 1, itemStyle: { color: n.color } })),
        links: links.map((l) => ({ source: l.source, target: l.target, value: l.opens })),
      },
    ],
  } as ChartOption;
}
