/**
 * The ten datacube endpoints (wechat-analytics.md §2–§6): for each, its date rule and how the
 * engine's answer is shaped into WeChat's response. Field names come from the metric registry.
 */
import { compact } from '../metrics/dates.js';
import type { DistributionItem } from '../metrics/distribution.js';
import type { MetricsEngine } from '../metrics/engine.js';
import { METRICS, type MetricId } from '../metrics/registry.js';
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
  const [row] = await ctx.engine.trend({
    app: ctx.app,
    from: ctx.range.from,
    to: ctx.range.to,
    granularity,
    metrics: ids,
  });
  const item: Record<string, string | number> = { ref_date: refDate(rule, ctx.range) };
  for (const id of ids) item[METRICS[id].datacube ?? id] = row?.values[id] ?? 0;
  return { list: [item] };
}

function trend(rule: 'day' | 'week' | 'month'): Endpoint {
  return { rule, run: (ctx) => figures(ctx, rule, TREND_METRICS) };
}

function retain(rule: 'day' | 'week' | 'month'): Endpoint {
  return {
    rule,
    async run(ctx) {
      const [row] = await ctx.engine.retention({ app: ctx.app, ...ctx.range, granularity: rule });
      return {
        ref_date: refDate(rule, ctx.range),
        visit_uv_new: row?.visit_uv_new ?? [],
        visit_uv: row?.visit_uv ?? [],
      };
    },
  };
}

const distribution: Endpoint = {
  rule: 'day',
  async run(ctx) {
    const [row] = await ctx.engine.distribution({ app: ctx.app, ...ctx.range, granularity: 'day' });
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
    const list = await ctx.engine.pages({ app: ctx.app, ...ctx.range, limit: VISIT_PAGE_LIMIT });
    return { ref_date: refDate('day', ctx.range), list };
  },
};

const userPortrait: Endpoint = {
  rule: 'portrait',
  async run(ctx) {
    const portrait = await ctx.engine.portrait({ app: ctx.app, ...ctx.range });
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
