/**
 * Dashboard overview (昨日概况: a day's key figures against 1 day, 1 week and 1 month earlier) and
 * user trends (趋势: chosen figures per day, week or month, with CSV export).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { addDays, addMonths, daysBetween, isDate, monthEnd } from '../metrics/dates.js';
import { isMetricId, METRIC_IDS, type MetricId } from '../metrics/registry.js';
import type { TrendRow } from '../metrics/trend.js';
import { sendCsv } from './csv.js';
import { metricMeta } from './labels.js';
import { parseQuery, rangeOf, rangeSchema } from './query-params.js';
import { type AppRequest, appOf, type ReportParts } from './report-parts.js';

/** The same day one calendar month earlier, or that month's last day (03-31 → 02-28). */
export function monthBefore(date: string): string {
  const start = addMonths(date, -1);
  const sameDay = `${start.slice(0, 8)}${date.slice(8)}`;
  return isDate(sameDay) && sameDay <= monthEnd(start) ? sameDay : monthEnd(start);
}

const trendSchema = rangeSchema.extend({
  granularity: z.enum(['day', 'week', 'month', 'all']).default('day'),
  metrics: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .refine((ids) => ids.length > 0 && ids.every(isMetricId), 'unknown metric')
    .optional(),
  /** A comparison range: its first day; its last defaults to as many days as the range. */
  compare_from: z.string().refine(isDate, 'must be a YYYY-MM-DD date').optional(),
  compare_to: z.string().refine(isDate, 'must be a YYYY-MM-DD date').optional(),
});

const overviewSchema = z.object({
  date: z.string().refine(isDate, 'must be a YYYY-MM-DD date').optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

function overviewRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/overview', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(overviewSchema, request.query);
    const date = q.date ?? parts.engine.yesterday();
    const earlier = { day: addDays(date, -1), week: addDays(date, -7), month: monthBefore(date) };
    const rows = await parts.engine.trend({
      app: appid,
      from: earlier.month,
      to: date,
      granularity: 'day',
      metrics: METRIC_IDS,
    });
    const valuesOn = (d: string) => rows.find((r) => r.period.start === d)?.values ?? {};
    if (q.format === 'csv') {
      const days = [date, earlier.day, earlier.week, earlier.month];
      return sendCsv(reply, `overview-${appid}-${date}`, {
        columns: ['指标', ...days],
        rows: METRIC_IDS.map((id) => [metricMeta(id).name, ...days.map((d) => valuesOn(d)[id] ?? 0)]),
      });
    }
    return {
      app: appid,
      date,
      metrics: METRIC_IDS.map(metricMeta),
      values: valuesOn(date),
      compare: Object.fromEntries(Object.entries(earlier).map(([k, d]) => [k, { date: d, values: valuesOn(d) }])),
    };
  });
}

function trendTable(ids: MetricId[], rows: TrendRow[]) {
  return {
    columns: ['开始日期', '结束日期', ...ids.map((id) => metricMeta(id).name)],
    rows: rows.map((r) => [r.period.start, r.period.end, ...ids.map((id) => r.values[id] ?? 0)]),
  };
}

function trendRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/trend', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(trendSchema, request.query);
    const range = rangeOf(q, parts.engine.yesterday());
    const ids = (q.metrics as MetricId[] | undefined) ?? METRIC_IDS;
    if (q.compare_to && !q.compare_from)
      throw new HttpError(400, 'bad_query', 'compare_to needs compare_from', 'compare_from');
    const compared = q.compare_from
      ? { from: q.compare_from, to: q.compare_to ?? addDays(q.compare_from, daysBetween(range.from, range.to)) }
      : undefined;
    const trend = (r: { from: string; to: string }) =>
      parts.engine.trend({ app: appid, ...range, ...r, granularity: q.granularity, metrics: ids });
    const [rows, compareRows] = await Promise.all([trend(range), compared ? trend(compared) : undefined]);
    if (q.format === 'csv') return sendCsv(reply, `trend-${appid}-${range.from}-${range.to}`, trendTable(ids, rows));
    const shaped = (rs: TrendRow[]) => rs.map((r) => ({ start: r.period.start, end: r.period.end, values: r.values }));
    return {
      app: appid,
      from: range.from,
      to: range.to,
      granularity: q.granularity,
      metrics: ids.map(metricMeta),
      rows: shaped(rows),
      compare: compared && compareRows ? { ...compared, rows: shaped(compareRows) } : null,
    };
  });
}

export async function trendRoutes(app: FastifyInstance, parts: ReportParts): Promise<void> {
  overviewRoute(app, parts);
  trendRoute(app, parts);
}
