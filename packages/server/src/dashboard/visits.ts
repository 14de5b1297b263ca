/**
 * Dashboard reports of visits: 数据概况 (a day's figures against a day, a week and a month before),
 * 趋势 (figures per day, week or month, with a comparison range), 来源分析 (sources and a source's
 * scenes), 时长分析 (stay-time and depth buckets) and 留存分析 (cohorts with rates).
 */
import {
  addDays,
  addMonths,
  type Distribution,
  daysBetween,
  isDate,
  METRIC_IDS,
  type MetricId,
  metricMeta,
  monthEnd,
  type Overview,
  overviewQuery,
  type Retention,
  rangeQuery,
  retentionQuery,
  type Scenes,
  type Sources,
  scenesParams,
  type Trend,
  type TrendRow,
  trendQuery,
} from '@miniscope/contract';
import { MiniscopeError } from '../errors.js';
import { sourceName } from '../metrics/definitions/sources.js';
import { distributionReport, everyBucket, sourceItems } from '../metrics/reports/distribution.js';
import { retentionReport } from '../metrics/reports/retention.js';
import { scenesReport } from '../metrics/reports/scenes.js';
import { type TrendRow as EngineTrendRow, trendReport } from '../metrics/reports/trend.js';
import { parseQuery, type ReportContext, type ReportRoute, rangeOf } from './route.js';

/** The same day one calendar month earlier, or that month's last day (03-31 → 02-28). */
export function monthBefore(date: string): string {
  const start = addMonths(date, -1);
  const sameDay = `${start.slice(0, 8)}${date.slice(8)}`;
  return isDate(sameDay) && sameDay <= monthEnd(start) ? sameDay : monthEnd(start);
}

const figureNames = (ids: readonly MetricId[]) => ids.map((id) => metricMeta(id).name);
const rangeName = (what: string, ctx: ReportContext, a: { from: string; to: string }) =>
  `${what}-${ctx.app}-${a.from}-${a.to}`;
const yesterday = (ctx: ReportContext) => ctx.engine.yesterday();

export const overviewRoute: ReportRoute<typeof overviewQuery, Overview> = {
  path: 'overview',
  query: overviewQuery,
  async answer(ctx, q) {
    const date = q.date ?? yesterday(ctx);
    const earlier = { day: addDays(date, -1), week: addDays(date, -7), month: monthBefore(date) };
    const rows = await ctx.engine.run(trendReport, {
      app: ctx.app,
      from: earlier.month,
      to: date,
      granularity: 'day',
      metrics: METRIC_IDS,
    });
    const valuesOn = (d: string) => rows.find((r) => r.period.start === d)?.values ?? {};
    return {
      app: ctx.app,
      date,
      metrics: METRIC_IDS.map(metricMeta),
      values: valuesOn(date),
      compare: {
        day: { date: earlier.day, values: valuesOn(earlier.day) },
        week: { date: earlier.week, values: valuesOn(earlier.week) },
        month: { date: earlier.month, values: valuesOn(earlier.month) },
      },
    };
  },
  csv(a, ctx) {
    const days = [a.date, a.compare.day.date, a.compare.week.date, a.compare.month.date];
    const values = [a.values, a.compare.day.values, a.compare.week.values, a.compare.month.values];
    return {
      name: `overview-${ctx.app}-${a.date}`,
      table: {
        columns: ['指标', ...days],
        rows: METRIC_IDS.map((id) => [metricMeta(id).name, ...values.map((v) => v[id] ?? 0)]),
      },
    };
  },
};

const answerRows = (rows: EngineTrendRow[]): TrendRow[] =>
  rows.map((r) => ({ start: r.period.start, end: r.period.end, values: r.values }));

export const trendRoute: ReportRoute<typeof trendQuery, Trend> = {
  path: 'trend',
  query: trendQuery,
  async answer(ctx, q) {
    const range = rangeOf(q, yesterday(ctx));
    const ids = q.metrics ?? METRIC_IDS;
    if (q.compare_to && !q.compare_from)
      throw new MiniscopeError('bad_query', 'compare_to needs compare_from', { path: 'compare_from' });
    const compared = q.compare_from
      ? { from: q.compare_from, to: q.compare_to ?? addDays(q.compare_from, daysBetween(range.from, range.to)) }
      : undefined;
    const trend = (r: { from: string; to: string }) =>
      ctx.engine.run(trendReport, { app: ctx.app, ...range, ...r, granularity: q.granularity, metrics: ids });
    const [rows, compareRows] = await Promise.all([trend(range), compared ? trend(compared) : undefined]);
    return {
      app: ctx.app,
      from: range.from,
      to: range.to,
      granularity: q.granularity,
      metrics: ids.map(metricMeta),
      rows: answerRows(rows),
      compare: compared && compareRows ? { ...compared, rows: answerRows(compareRows) } : null,
    };
  },
  csv(a, ctx) {
    const ids = a.metrics.map((m) => m.id);
    return {
      name: rangeName('trend', ctx, a),
      table: {
        columns: ['开始日期', '结束日期', ...figureNames(ids)],
        rows: a.rows.map((r) => [r.start, r.end, ...ids.map((id) => r.values[id] ?? 0)]),
      },
    };
  },
};

/** The range's distribution over the whole range. */
async function wholeRangeDistribution(ctx: ReportContext, q: { from?: string; to?: string; filter?: string[] }) {
  const range = rangeOf(q, yesterday(ctx));
  const [row] = await ctx.engine.run(distributionReport, { app: ctx.app, ...range, granularity: 'all' });
  return { range, row };
}

export const sourcesRoute: ReportRoute<typeof rangeQuery, Sources> = {
  path: 'sources',
  query: rangeQuery,
  async answer(ctx, q) {
    const { range, row } = await wholeRangeDistribution(ctx, q);
    return { app: ctx.app, from: range.from, to: range.to, items: sourceItems(row?.source ?? []) };
  },
  csv: (a, ctx) => ({
    name: rangeName('sources', ctx, a),
    table: {
      columns: ['来源', '来源名称', '打开次数', '访问人数', '打开次数占比'],
      rows: a.items.map((i) => [i.key, i.name, i.sessions, i.users, i.share]),
    },
  }),
};

export const scenesRoute: ReportRoute<typeof rangeQuery, Scenes> = {
  path: 'sources/:key/scenes',
  query: rangeQuery,
  async answer(ctx, q) {
    const { key } = parseQuery(scenesParams, ctx.params);
    const range = rangeOf(q, yesterday(ctx));
    const rows = await ctx.engine.run(scenesReport, { app: ctx.app, ...range, source: key });
    const items = rows.map(({ scene, name, sessions, users }) => ({ scene, name, sessions, users }));
    return { app: ctx.app, from: range.from, to: range.to, source: { key, name: sourceName(key) }, items };
  },
  csv: (a, ctx) => ({
    name: `scenes-${ctx.app}-${a.source.key}-${a.from}-${a.to}`,
    table: {
      columns: ['场景值', '场景名称', '打开次数', '访问人数'],
      rows: a.items.map((i) => [i.scene, i.name, i.sessions, i.users]),
    },
  }),
};

export const distributionRoute: ReportRoute<typeof rangeQuery, Distribution> = {
  path: 'distribution',
  query: rangeQuery,
  async answer(ctx, q) {
    const { range, row } = await wholeRangeDistribution(ctx, q);
    return {
      app: ctx.app,
      from: range.from,
      to: range.to,
      staytime: everyBucket('staytime', row?.staytime ?? []),
      depth: everyBucket('depth', row?.depth ?? []),
    };
  },
  csv: (a, ctx) => ({
    name: rangeName('distribution', ctx, a),
    table: {
      columns: ['分布', '区间', '打开次数', '访问人数'],
      rows: [
        ...a.staytime.map((i) => ['访问时长', i.label, i.sessions, i.users]),
        ...a.depth.map((i) => ['访问深度', i.label, i.sessions, i.users]),
      ],
    },
  }),
};

export const retentionRoute: ReportRoute<typeof retentionQuery, Retention> = {
  path: 'retention',
  query: retentionQuery,
  async answer(ctx, q) {
    const range = rangeOf(q, yesterday(ctx));
    const rows = await ctx.engine.run(retentionReport, { app: ctx.app, ...range, granularity: q.granularity });
    return {
      app: ctx.app,
      from: range.from,
      to: range.to,
      granularity: q.granularity,
      rows: rows.map((r) => ({ start: r.period.start, end: r.period.end, new: r.visit_uv_new, active: r.visit_uv })),
    };
  },
  csv: (a, ctx) => ({
    name: rangeName('retention', ctx, a),
    table: {
      columns: ['开始日期', '结束日期', '用户', '间隔', '人数', '留存率'],
      rows: a.rows.flatMap((r) => [
        ...r.new.map((v) => [r.start, r.end, '新增', v.key, v.value, v.rate]),
        ...r.active.map((v) => [r.start, r.end, '活跃', v.key, v.value, v.rate]),
      ]),
    },
  }),
};
