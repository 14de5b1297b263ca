/**
 * Which daily figures each screen shows, and in which order: the dashboard's own choice (WeChat's
 * console's). What a figure is (its id and unit) comes from the contract; its name in the chosen
 * language from the i18n dictionaries (the contract's names are Chinese only).
 */
import { type MetricId, type MetricUnit, metricMeta } from '@miniscope/contract';
import { t } from '../i18n';

/** The 趋势概况 figures, in the console's order (shares before times, unlike the API's). */
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
export const metricUnit = (id: MetricId): MetricUnit => metricMeta(id).unit;
