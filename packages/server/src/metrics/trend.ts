/**
 * Trend reports: a set of registry metrics per day, week, month or over the whole range.
 * plan (which open columns, whether first days are needed) → SQL → run → shape (every period of
 * the range present, empty ones as 0, cumulative figures accumulated). Unfiltered trends read the
 * day cube and new users per day (first-days.ts); filtered ones group the opens.
 */
import type { Store } from '../store/store.js';
import { type Freshness, withFreshness } from './compacted-days.js';
import { cubeRowsSql, DAY_CUBE, readsCubes } from './cubes.js';
import { type Period, periodsIn } from './dates.js';
import { firstDaysSql, newUsersByDaySql } from './first-days.js';
import { type OpenColumn, opensSql, rangeOpens } from './opens-sql.js';
import { Params } from './params.js';
import { checkRange, type Grouping, MetricQueryError, type RangeQuery } from './query.js';
import { isMetricId, METRICS, type MetricId, type OpensMetric } from './registry.js';
import { QUERY_SETTINGS } from './settings.js';

export interface TrendQuery extends RangeQuery {
  metrics: readonly MetricId[];
  granularity: Grouping;
}

export interface TrendRow {
  /** The period, clipped to the range. */
  period: Period;
  values: Partial<Record<MetricId, number>>;
}

/** The range's periods, clipped to it; 'all' is the range itself. */
export function rangePeriods(from: string, to: string, grouping: Grouping): Period[] {
  if (grouping === 'all') return [{ start: from, end: to }];
  return periodsIn(from, to, grouping).map((p) => ({
    start: p.start < from ? from : p.start,
    end: p.end > to ? to : p.end,
  }));
}

/** SQL expression of a row's period start (before clipping) from its open day. */
export function periodSql(grouping: Grouping, fromParam: string): string {
  if (grouping === 'day') return 'day';
  if (grouping === 'week') return 'toMonday(day)';
  if (grouping === 'month') return 'toStartOfMonth(day)';
  return fromParam;
}

function checkTrend(q: TrendQuery): void {
  checkRange(q);
  if (!['day', 'week', 'month', 'all'].includes(q.granularity))
    throw new MetricQueryError('bad_query', `unknown granularity ${q.granularity}`);
  if (q.metrics.length === 0) throw new MetricQueryError('bad_metric', 'ask for at least one metric');
  for (const id of q.metrics) if (!isMetricId(id)) throw new MetricQueryError('bad_metric', `unknown metric ${id}`);
}

/** The SELECT computing the `opens` metrics per period start (column `period`). */
function opensMetricsSql(q: TrendQuery, metrics: OpensMetric[], params: Params): string {
  const columns = new Set<OpenColumn>(metrics.flatMap((m) => m.columns));
  const firsts = metrics.some((m) => m.firsts);
  const from = params.date(q.from);
  const ctes = [`opens AS (${opensSql({ ...rangeOpens(q), columns: [...columns] }, params)})`];
  if (firsts) ctes.push(`firsts AS (${firstDaysSql(q.to, 'SELECT uid FROM opens', params, q.opensFrom, q.fresh)})`);
  return `WITH ${ctes.join(', ')}
    SELECT toString(p_start) AS period, ${metrics.map((m) => `${m.expr} AS ${m.id}`).join(', ')}
    FROM (SELECT *, greatest(${periodSql(q.granularity, from)}, ${from}) AS p_start FROM opens) AS o
    ${firsts ? 'LEFT JOIN firsts USING (uid)' : ''}
    GROUP BY p_start
    ORDER BY p_start
    ${QUERY_SETTINGS}`;
}

/** The same metrics (none of them new users) from the day cube: a few rows per day. */
function cubeMetricsSql(q: TrendQuery & { fresh: Freshness }, metrics: OpensMetric[], params: Params): string {
  const from = params.date(q.from);
  return `SELECT toString(greatest(${periodSql(q.granularity, from)}, ${from})) AS period,
      ${metrics.map((m) => `${m.cube} AS ${m.id}`).join(', ')}
    FROM (${cubeRowsSql(DAY_CUBE, q.from, q.to, params, q.fresh)})
    GROUP BY period
    ${QUERY_SETTINGS}`;
}

/** Users by first counted open day; days before the range are counted in one row at from − 1. */
function firstDayCountsSql(q: TrendQuery, params: Params): string {
  const from = params.date(q.from);
  return `SELECT toString(greatest(first_day, ${from} - 1)) AS day, count() AS users
    FROM (SELECT uid, min(day) AS first_day FROM (${opensSql({ ...rangeOpens(q), from: undefined }, params)}) GROUP BY uid)
    GROUP BY day
    ${QUERY_SETTINGS}`;
}

type Row = Record<string, string | number>;

async function cumulativeUsers(store: Store, q: TrendQuery, periods: Period[]): Promise<number[]> {
  const params = new Params(q.app);
  const rows = await store.query<{ day: string; users: string }>(firstDayCountsSql(q, params), params.values);
  return periods.map((p) => rows.reduce((sum, r) => (r.day <= p.end ? sum + Number(r.users) : sum), 0));
}

/** New users of each day up to q.to, from stored first days (cube reads). */
async function newUsersByDay(
  store: Store,
  q: TrendQuery & { fresh: Freshness },
): Promise<Array<{ day: string; n: number }>> {
  const params = new Params(q.app);
  const sql = `${newUsersByDaySql(q.to, params, q.fresh)} ${QUERY_SETTINGS}`;
  const rows = await store.query<{ day: string; new_users: string }>(sql, params.values);
  return rows.map((r) => ({ day: r.day, n: Number(r.new_users) }));
}

/** Per period: the metrics computed in SQL, by period start. */
async function aggregatedByPeriod(store: Store, q: TrendQuery, metrics: OpensMetric[]): Promise<Map<string, Row>> {
  if (metrics.length === 0) return new Map();
  const params = new Params(q.app);
  const sql = readsCubes(q) ? cubeMetricsSql(q, metrics, params) : opensMetricsSql(q, metrics, params);
  const rows = await store.query<Row>(sql, params.values);
  return new Map(rows.map((r) => [String(r.period), r]));
}

export async function runTrend(store: Store, query: TrendQuery): Promise<TrendRow[]> {
  checkTrend(query);
  const q = await withFreshness(store, query);
  const periods = rangePeriods(q.from, q.to, q.granularity);
  const ids = [...new Set(q.metrics)];
  const opensMetrics = ids.map((id) => METRICS[id]).filter((m): m is OpensMetric => m.kind === 'opens');
  const cubes = readsCubes(q);
  // With the cubes, new users and cumulative users both come from new users per day.
  const fromFirstDays = (id: MetricId) => id === 'visit_total' || (cubes && id === 'visit_uv_new');
  const [byPeriod, totals, newByDay] = await Promise.all([
    aggregatedByPeriod(
      store,
      q,
      opensMetrics.filter((m) => !fromFirstDays(m.id as MetricId)),
    ),
    !cubes && ids.includes('visit_total') ? cumulativeUsers(store, q, periods) : undefined,
    readsCubes(q) && ids.some(fromFirstDays) ? newUsersByDay(store, q) : undefined,
  ]);
  const newUsers = (start: string, end: string) =>
    (newByDay ?? []).reduce((sum, r) => (r.day >= start && r.day <= end ? sum + r.n : sum), 0);
  return periods.map((period, i) => {
    const row = byPeriod.get(period.start);
    const values: Partial<Record<MetricId, number>> = {};
    for (const id of ids) {
      if (id === 'visit_total') values[id] = totals ? totals[i]! : newUsers('', period.end);
      else if (id === 'visit_uv_new' && cubes) values[id] = newUsers(period.start, period.end);
      else values[id] = Number(row?.[id] ?? 0);
    }
    return { period, values };
  });
}
