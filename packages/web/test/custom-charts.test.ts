/**
 * The 自定义分析 charts (charts/custom-options.ts, charts/sankey.ts): the funnel's bars and
 * labels, users and rate on two axes, the paths answer made into sankey nodes and links (离开
 * columns added, the same page at two steps two nodes), and the sankey drawn by ECharts itself
 * (server-side SVG) once charts/sankey.ts has registered it. Expectations worked out by hand from
 * the paths of custom-fixture.ts: 4 opens of index; then detail 1, list 1, and 2 left.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Paths } from '@miniscope/contract';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { funnelOption, pathColor, pathSankey, sankeyOption, usersAndRateOption } from '../src/charts/custom-options.js';
import { PALETTE } from '../src/charts/options.js';

/** What the tests read of an option (ECharts' own types are unions too wide to read from). */
type Fn<A, R = string> = (a: A) => R;
interface Read {
  xAxis: { max: number };
  yAxis: { data: string[]; inverse: boolean } & Array<{ axisLabel: { formatter: Fn<number> } }>;
  tooltip: { formatter: Fn<unknown> };
  series: Array<{
    type: string;
    data: Array<number | { name: string; value: number; depth: number }>;
    yAxisIndex?: number;
    label: { formatter: Fn<{ dataIndex: number; name: string; value: number }> };
    tooltip: { valueFormatter: Fn<unknown> };
  }>;
}
const read = (o: unknown) => o as Read;
const PATHS: Pick<Paths, 'nodes' | 'links'> = {
  nodes: [
    { step: 1, name: 'pages/index/index', opens: 4 },
    { step: 2, name: 'pages/list/list', opens: 1 },
    { step: 2, name: 'pages/detail/detail', opens: 1 },
  ],
  links: [
    { step: 1, source: 'pages/index/index', target: '离开', opens: 2 },
    { step: 1, source: 'pages/index/index', target: 'pages/detail/detail', opens: 1 },
    { step: 1, source: 'pages/index/index', target: 'pages/list/list', opens: 1 },
    { step: 2, source: 'pages/detail/detail', target: '离开', opens: 1 },
    { step: 2, source: 'pages/list/list', target: '离开', opens: 1 },
  ],
};
const short = (name: string) => name.replace(/^pages\//, '');

test('a funnel: steps top to bottom, bars up to the first step, each labelled as given', () => {
  const o = read(funnelOption(['1. view_item', '2. add_cart', '3. pay'], [3, 2, 1], ['3', '2 · 66.7%', '1 · 50%']));
  assert.deepEqual(o.yAxis.data, ['1. view_item', '2. add_cart', '3. pay']);
  assert.equal(o.yAxis.inverse, true);
  assert.equal(o.xAxis.max, 3);
  const bar = o.series[0];
  assert.deepEqual(bar?.data, [3, 2, 1]);
  const label = (dataIndex: number) => bar?.label.formatter({ dataIndex, name: '', value: 0 });
  assert.equal(label(1), '2 · 66.7%');
  assert.equal(label(5), '');
  // No user at all: the axis still has a length.
  assert.equal(read(funnelOption(['a', 'b'], [0, 0], ['0', '0'])).xAxis.max, 1);
});

test('users as bars on the left axis, a rate as a line on the right, in the rate’s format', () => {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const o = read(
    usersAndRateOption(
      ['11-26', '11-27'],
      { name: '第一步人数', data: [1, 2] },
      { name: '总体转化率', data: [1, 0] },
      pct,
    ),
  );
  const [bars, line] = o.series;
  assert.equal(bars?.type, 'bar');
  assert.deepEqual(bars?.data, [1, 2]);
  assert.equal(line?.type, 'line');
  assert.equal(line?.yAxisIndex, 1);
  assert.deepEqual(line?.data, [1, 0]);
  assert.equal(line?.tooltip.valueFormatter(0.5), '50%');
  assert.equal(o.yAxis[1]?.axisLabel.formatter(0.25), '25%');
});

test('the paths answer as sankey nodes: by step, 离开 added where opens left, links between steps', () => {
  const { nodes, links } = pathSankey(PATHS, short);
  assert.deepEqual(
    nodes.map((n) => [n.id, n.label, n.step, n.opens]),
    [
      ['1|pages/index/index', 'index/index', 1, 4],
      ['2|pages/list/list', 'list/list', 2, 1],
      ['2|pages/detail/detail', 'detail/detail', 2, 1],
      ['2|离开', '离开', 2, 2],
      ['3|离开', '离开', 3, 2],
    ],
  );
  assert.deepEqual(
    links.map((l) => [l.source, l.target, l.opens]),
    [
      ['1|pages/index/index', '2|离开', 2],
      ['1|pages/index/index', '2|pages/detail/detail', 1],
      ['1|pages/index/index', '2|pages/list/list', 1],
      ['2|pages/detail/detail', '3|离开', 1],
      ['2|pages/list/list', '3|离开', 1],
    ],
  );
  // Every link joins two nodes; what enters a step's node leaves it (or ends there).
  const ids = new Set(nodes.map((n) => n.id));
  assert.ok(links.every((l) => ids.has(l.source) && ids.has(l.target)));
  // 其他 before 离开 and after pages, whatever their opens.
  const other = pathSankey(
    {
      nodes: [
        { step: 1, name: '其他', opens: 9 },
        { step: 1, name: 'pages/a', opens: 1 },
      ],
      links: [],
    },
    short,
  );
  assert.deepEqual(
    other.nodes.map((n) => n.id),
    ['1|pages/a', '1|其他'],
  );
});

test('path colours: 其他 grey, 离开 red, events purple, a page the same colour at every step', () => {
  assert.equal(pathColor('其他'), '#c9cdd4');
  assert.equal(pathColor('离开'), '#fa5151');
  assert.equal(pathColor('event:pay'), '#8183ff');
  const page = pathColor('pages/index/index');
  assert.equal(pathColor('pages/index/index'), page);
  assert.ok(PALETTE.includes(page) && page !== '#fa5151' && page !== '#8183ff', page);
});

test('the sankey option: a column per step, node and link tooltips by label', () => {
  const { nodes, links } = pathSankey(PATHS, short);
  const o = read(sankeyOption(nodes, links, (v) => `${v}次`));
  const series = o.series[0];
  assert.deepEqual(
    series?.data.map((n) => (typeof n === 'number' ? n : [n.name, n.value, n.depth])),
    [
      ['1|pages/index/index', 4, 0],
      ['2|pages/list/list', 1, 1],
      ['2|pages/detail/detail', 1, 1],
      ['2|离开', 2, 1],
      ['3|离开', 2, 2],
    ],
  );
  const tip = o.tooltip.formatter;
  assert.equal(
    tip({ dataType: 'edge', data: { source: '1|pages/index/index', target: '2|离开' }, value: 2 }),
    'index/index → 离开<br/>2次',
  );
  assert.equal(tip({ dataType: 'node', data: { name: '2|pages/list/list' }, value: 1 }), 'list/list<br/>1次');
  assert.equal(series?.label.formatter({ name: '1|pages/index/index', value: 4, dataIndex: 0 }), 'index/index  4次');
});

test('ECharts draws the sankey once charts/sankey.ts has registered it', async () => {
  use([SVGRenderer]);
  const { nodes, links } = pathSankey(PATHS, short);
  const option = sankeyOption(nodes, links, String);
  const draw = () => {
    const chart = init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
    chart.setOption(option);
    const svg = chart.renderToSVGString();
    chart.dispose();
    return svg;
  };
  const labels = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  // ECharts' core alone has no sankey: nothing is drawn.
  assert.deepEqual(labels(draw()), []);
  await import('../src/charts/sankey.js');
  const svg = draw();
  assert.deepEqual(labels(svg).sort(), ['detail/detail  1', 'index/index  4', 'list/list  1', '离开  2', '离开  2']);
  // Five node bars and five links, each link a filled band.
  const paths = (svg.match(/<path [^>]*ecmeta_series_index="0"/g) ?? []).length;
  assert.equal(paths, 10, svg);
});
