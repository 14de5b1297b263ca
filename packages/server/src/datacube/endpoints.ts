/**
 * The ten datacube endpoints (wechat-analytics.md §2–§6): for each, its date rule, the report it
 * runs (the dashboard's, through the engine's one pipeline) and how the answer is shaped into
 * WeChat's response. Field names come from the figures' metadata.
 */
import { compact, datacubeField, type MetricId } from '@miniscope/contract';
import type { MetricsEngine } from '../metrics/engine.js';
import { type DistributionItem, distributionReport } from '../metrics/reports/distribution.js';
import { pagesReport } from '../metrics/reports/pages.js';
import { portraitReport, withDeviceNames } from '../metrics/reports/portrait.js';
import { retentionReport } from '../metrics/reports/retention.js';
import { trendReport } from '../metrics/reports/trend.js';
import type { DayRange, RangeRule } from './dates.js';
import { wxPortrait } from './portrait-shape.js';

export interface EndpointContext {
  engine: MetricsEngine;
  app: string;
  range: DayRange;
}

export interface Endpoint {
  rule: RangeRule;
  run(ctx: EndpointContext): Promise<object>;
}

/** WeChat's top-200 rule for the visit-page endpoint. */
export const VISIT_PAGE_LIMIT = 200;

const TREND_METRICS: MetricId[] = [
  'session_cnt',
  'visit_pv',
  'visit_uv',
  'visit_uv_new',
  'stay_time_uv',
  'stay_time_session',
  'visit_depth',
];
const SUMMARY_METRICS: MetricId[] = ['visit_total', 'share_pv', 'share_uv'];

/** ref_date as WeChat writes it for each rule. */
export function refDate(rule: RangeRule, { from, to }: DayRange): string {
  if (rule === 'month') return compact(from).slice(0, 6);
  if (rule === 'day' || from === to) return compact(from);
  return `${compact(from)}-${compact(to)}`;
}

/** One list item of registry figures, keyed by their datacube field names. */
async function figures(ctx: EndpointContext, rule: RangeRule, ids: MetricId[]): Promise<object> {
  const granularity = rule === 'week' ? 'week' : rule === 'month' ? 'month' : 'day';
  const [row] = await ctx.engine.run(trendReport, {
    app: ctx.app,
    from: ctx.range.from,
    to: ctx.range.to,
    granularity,
    metrics: ids,
  });
  const item: Record<string, string | number> = { ref_date: refDate(rule, ctx.range) };
  for (const id of ids) item[datacubeField(id) ?? id] = row?.values[id] ?? 0;
  return { list: [item] };
}

function trend(rule: 'day' | 'week' | 'month'): Endpoint {
  return { rule, run: (ctx) => figures(ctx, rule, TREND_METRICS) };
}

function retain(rule: 'day' | 'week' | 'month'): Endpoint {
  return {
    rule,
    async run(ctx) {
      const [row] = await ctx.engine.run(retentionReport, { app: ctx.app, ...ctx.range, granularity: rule });
      const keyValues = (values: Array<{ key: number; value: number }>) =>
        values.map(({ key, value }) => ({ key, value }));
      return {
        ref_date: refDate(rule, ctx.range),
        visit_uv_new: keyValues(row?.visit_uv_new ?? []),
        visit_uv: keyValues(row?.visit_uv ?? []),
      };
    },
  };
}

const distribution: Endpoint = {
  rule: 'day',
  async run(ctx) {
    const [row] = await ctx.engine.run(distributionReport, { app: ctx.app, ...ctx.range, granularity: 'day' });
    const kv = (items: DistributionItem[], pick: 'sessions' | 'users') =>
      items.map((i) => ({ key: i.key, value: i[pick] }));
    return {
      ref_date: refDate('day', ctx.range),
      list: [
        { index: 'access_source_session_cnt', item_list: kv(row?.source ?? [], 'sessions') },
        { index: 'access_source_visit_uv', item_list: kv(row?.source ?? [], 'users') },
        { index: 'access_staytime_info', item_list: kv(row?.staytime ?? [], 'sessions') },
        { index: 'access_depth_info', item_list: kv(row?.depth ?? [], 'sessions') },
      ],
    };
  },
};

const visitPage: Endpoint = {
  rule: 'day',
  async run(ctx) {
    const { pages } = await ctx.engine.run(pagesReport, { app: ctx.app, ...ctx.range, limit: VISIT_PAGE_LIMIT });
    // WeChat's fields only (the dashboard's rates are not part of its answer).
    const list = pages.map(({ exit_rate: _rate, visit_share: _share, ...page }) => page);
    return { ref_date: refDate('day', ctx.range), list };
  },
};

const userPortrait: Endpoint = {
  rule: 'portrait',
  async run(ctx) {
    const portrait = withDeviceNames(await ctx.engine.run(portraitReport, { app: ctx.app, ...ctx.range }));
    return { ref_date: refDate('portrait', ctx.range), ...wxPortrait(portrait) };
  },
};

/** Path after /datacube/ → endpoint. */
export const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  getweanalysisappiddailysummarytrend: { rule: 'day', run: (ctx) => figures(ctx, 'day', SUMMARY_METRICS) },
  getweanalysisappiddailyvisittrend: trend('day'),
  getweanalysisappidweeklyvisittrend: trend('week'),
  getweanalysisappidmonthlyvisittrend: trend('month'),
  getweanalysisappiddailyretaininfo: retain('day'),
  getweanalysisappidweeklyretaininfo: retain('week'),
  getweanalysisappidmonthlyretaininfo: retain('month'),
  getweanalysisappidvisitdistribution: distribution,
  getweanalysisappidvisitpage: visitPage,
  getweanalysisappiduserportrait: userPortrait,
};
