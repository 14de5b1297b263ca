/**
 * The figures the dashboard shows, in WeChat's order, with their units; names come from the i18n
 * dictionaries (the server's names are Chinese only).
 */
import type { MetricId, MetricUnit } from '@/api/types';
import { t } from '@/i18n';

export const METRIC_UNITS: Record<MetricId, MetricUnit> = {
  visit_total: 'count',
  session_cnt: 'count',
  visit_pv: 'count',
  visit_uv: 'count',
  visit_uv_new: 'count',
  stay_time_uv: 'seconds',
  stay_time_session: 'seconds',
  visit_depth: 'pages',
  share_pv: 'count',
  share_uv: 'count',
  bounce_rate: 'ratio',
};

/** The 趋势概况 figures, in the console's order. */
export const TREND_METRICS: MetricId[] = [
  'visit_total',
  'session_cnt',
  'visit_pv',
  'visit_uv',
  'visit_uv_new',
  'share_pv',
  'share_uv',
  'stay_time_uv',
  'stay_time_session',
  'visit_depth',
  'bounce_rate',
];

/** The 昨日概况 cards. */
export const OVERVIEW_METRICS: MetricId[] = [
  'session_cnt',
  'visit_pv',
  'visit_uv',
  'visit_uv_new',
  'stay_time_uv',
  'stay_time_session',
  'visit_depth',
  'share_pv',
  'share_uv',
  'visit_total',
];

export const metricName = (id: MetricId) => t(`metric.${id}`);
