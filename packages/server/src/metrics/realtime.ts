/**
 * Real time (metrics.md "Real time"): per step of event time (1, 5, 10, 30 or 60 minutes) on given
 * days, page views, distinct visitors and opens, for all pages or one page. Read from raw events so
 * that what arrived seconds ago shows; unlike the daily figures it does not wait for opens to end.
 */
import type { Store } from '../store/store.js';
import { isDate } from './dates.js';
import { APP_SCOPE, Params } from './params.js';
import { MetricQueryError } from './query.js';
import { QUERY_SETTINGS } from './settings.js';

export const REALTIME_STEPS = [1, 5, 10, 30, 60] as const;
export type RealtimeStep = (typeof REALTIME_STEPS)[number];
export const MAX_REALTIME_DAYS = 7;

export interface RealtimeQuery {
  app: string;
  /** Days to show, 'YYYY-MM-DD' (today and comparison days). */
  days: string[];
  step: RealtimeStep;
  /** Only this page (page views and visitors of the path, opens that launched on it). */
  path?: string;
}

export interface RealtimePoint {
  /** Minutes after the day's midnight at which the step starts. */
  minute: number;
  pv: number;
  uv: number;
  opens: number;
}

export interface RealtimeSeries {
  day: string;
  points: RealtimePoint[];
}

function checkRealtime(q: RealtimeQuery): void {
  if (!REALTIME_STEPS.includes(q.step))
    throw new MetricQueryError('bad_query', `step must be one of ${REALTIME_STEPS}`);
  if (!Array.isArray(q.days) || q.days.length === 0 || q.days.length > MAX_REALTIME_DAYS)
    throw new MetricQueryError('bad_query', `give 1 to ${MAX_REALTIME_DAYS} days`);
  for (const d of q.days) if (!isDate(d)) throw new MetricQueryError('bad_date', 'days must be YYYY-MM-DD dates');
}

function realtimeSql(q: RealtimeQuery, params: Params): string {
  // NOTE: the minute of the day comes from the column's zone (the deployment's), and the step is a
  // whitelisted number, so it may be written into the SQL.
  const minute = `intDiv(toHour(ts) * 60 + toMinute(ts), ${q.step}) * ${q.step}`;
  const page = q.path === undefined ? '' : `AND path = ${params.add(q.path, 'String')}`;
  return `SELECT toString(toDate(ts)) AS day, ${minute} AS minute,
      countIf(type = 'pv') AS pv, uniqExactIf(user_id, type = 'pv') AS uv, countIf(type = 'open') AS opens
    FROM events
    WHERE ${APP_SCOPE} AND toDate(ts) IN ${params.add(q.days, 'Array(Date)')} AND type IN ('pv', 'open') ${page}
    GROUP BY day, minute
    ORDER BY day, minute
    ${QUERY_SETTINGS}`;
}

type Row = { day: string; minute: number; pv: string; uv: string; opens: string };

/** Only steps with events are returned; the caller fills the gaps it wants to draw. */
export async function runRealtime(store: Store, q: RealtimeQuery): Promise<RealtimeSeries[]> {
  checkRealtime(q);
  const params = new Params(q.app);
  const rows = await store.query<Row>(realtimeSql(q, params), params.values);
  return q.days.map((day) => ({
    day,
    points: rows
      .filter((r) => r.day === day)
      .map((r) => ({ minute: Number(r.minute), pv: Number(r.pv), uv: Number(r.uv), opens: Number(r.opens) })),
  }));
}
