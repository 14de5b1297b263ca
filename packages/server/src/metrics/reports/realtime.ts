/**
 * Real time (metrics.md "Real time"): per step of event time (1, 5, 10, 30 or 60 minutes) on given
 * days, page views, distinct visitors and opens, for all pages or one page. Read from raw events so
 * that what arrived seconds ago shows; unlike the daily figures it does not wait for opens to end.
 */
import { isDate, REALTIME_STEPS, type RealtimePoint, type RealtimeStep } from '@miniscope/contract';
import { MiniscopeError } from '../../errors.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { type Report, statement } from './report.js';

export const MAX_REALTIME_DAYS = 7;

export interface RealtimeQuery {
  app: string;
  /** Days to show, 'YYYY-MM-DD' (today and comparison days). */
  days: string[];
  step: RealtimeStep;
  /** Only this page (page views and visitors of the path, opens that launched on it). */
  path?: string;
}

export interface RealtimeSeries {
  day: string;
  points: RealtimePoint[];
}

function realtimeSql(q: RealtimeQuery, params: Params): string {
  // NOTE: the minute of the day comes from the column's zone (the deployment's), and the step is a
  // whitelisted number, so it may be written into the SQL.
  const minute = `intDiv(toHour(ts) * 60 + toMinute(ts), ${q.step}) * ${q.step}`;
  const where = [`toDate(ts) IN ${params.add(q.days, 'Array(Date)')}`, "type IN ('pv', 'open')"];
  if (q.path !== undefined) where.push(`path = ${params.add(q.path, 'String')}`);
  return `SELECT toString(toDate(ts)) AS day, ${minute} AS minute,
      countIf(type = 'pv') AS pv, uniqExactIf(user_id, type = 'pv') AS uv, countIf(type = 'open') AS opens
    ${params.scan('events', where)}
    GROUP BY day, minute
    ORDER BY day, minute
    ${QUERY_SETTINGS}`;
}

/** Only steps with events are returned; the caller fills the gaps it wants to draw. */
export const realtimeReport: Report<RealtimeQuery, RealtimeSeries[]> = {
  readsCompaction: false,
  check(q) {
    if (!REALTIME_STEPS.includes(q.step))
      throw new MiniscopeError('bad_query', `step must be one of ${REALTIME_STEPS}`);
    if (!Array.isArray(q.days) || q.days.length === 0 || q.days.length > MAX_REALTIME_DAYS)
      throw new MiniscopeError('bad_query', `give 1 to ${MAX_REALTIME_DAYS} days`);
    if (!q.days.every(isDate)) throw new MiniscopeError('bad_date', 'days must be YYYY-MM-DD dates');
  },
  build(q) {
    const params = new Params(q.app);
    return [statement(realtimeSql(q, params), params)];
  },
  shape([rows = []], q) {
    return q.days.map((day) => ({
      day,
      points: rows
        .filter((r) => r.day === day)
        .map((r) => ({ minute: Number(r.minute), pv: Number(r.pv), uv: Number(r.uv), opens: Number(r.opens) })),
    }));
  },
};
