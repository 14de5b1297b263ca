/**
 * Trend: daily figures (definitions/figures.ts) per day, week, month or over the whole range, every
 * period of the range present (empty ones as 0). How each figure is read is its entry's `kind`:
 * aggregates per period over the day cube (unfiltered) or the opens (filtered), and new and
 * cumulative users from first days. The overview and the datacube's visit trends are trends too.
 */
import { isMetricId, type MetricId, type MetricValues, type Period } from '@miniscope/contract';
import { MiniscopeError } from '../../errors.js';
import { DAY_CUBE } from '../definitions/cubes.js';
import { FIGURES } from '../definitions/figures.js';
import type { OpenFact } from '../definitions/open-facts.js';
import { periodStartSql, rangePeriods } from '../plan/periods.js';
import { checkGrouping, checkRange, type Grouping, type RangeQuery } from '../plan/query.js';
import { cubeRowsSql, readsCubes } from '../sql/cube-rows.js';
import { firstDaysSql, newUsersByDaySql } from '../sql/first-days.js';
import { opensSql, rangeOpens } from '../sql/opens.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { type Planned, type Report, type Row, type Statement, statement } from './report.js';

export interface TrendQuery extends RangeQuery {
  metrics: readonly MetricId[];
  granularity: Grouping;
}

export interface TrendRow {
  /** The period, clipped to the range. */
  period: Period;
  values: MetricValues;
}

type Q = TrendQuery & Planned;

/** How this query reads each figure: per period in SQL, or from users' first days. */
function readings(q: Q) {
  const ids = [...new Set(q.metrics)];
  const cubes = readsCubes(q);
  const fromFirstDays = (id: MetricId) =>
    FIGURES[id].kind === 'cumulative_users' || (cubes && FIGURES[id].kind === 'new_users');
  return { ids, cubes, perPeriod: ids.filter((id) => !fromFirstDays(id)), firstDays: ids.filter(fromFirstDays) };
}

/** The per-period figures over the opens (column `period`). */
function opensFiguresSql(q: Q, ids: MetricId[], params: Params): string {
  const facts = new Set<OpenFact>(ids.flatMap((id) => (FIGURES[id].kind === 'opens' ? (FIGURES[id].facts ?? []) : [])));
  const firsts = ids.some((id) => FIGURES[id].kind === 'new_users');
  const expr = (id: MetricId) => {
    const f = FIGURES[id];
    return f.kind === 'cumulative_users' ? '0' : f.opens;
  };
  const from = params.date(q.from);
  const ctes = [`opens AS (${opensSql({ ...rangeOpens(q), facts: [...facts] }, params)})`];
  if (firsts) ctes.push(`firsts AS (${firstDaysSql(q.to, 'SELECT uid FROM opens', params, q.opensFrom, q.fresh)})`);
  return `WITH ${ctes.join(', ')}
    SELECT toString(p_start) AS period, ${ids.map((id) => `${expr(id)} AS ${id}`).join(', ')}
    FROM (SELECT *, greatest(${periodStartSql(q.granularity, 'day', from)}, ${from}) AS p_start FROM opens) AS o
    ${firsts ? 'LEFT JOIN firsts USING (uid)' : ''}
    GROUP BY p_start
    ORDER BY p_start
    ${QUERY_SETTINGS}`;
}

/** The same figures over the day cube: a few rows per day. */
function cubeFiguresSql(q: Q, ids: MetricId[], params: Params): string {
  const from = params.date(q.from);
  const expr = (id: MetricId) => {
    const f = FIGURES[id];
    return f.kind === 'opens' ? f.cube : '0';
  };
  return `SELECT toString(greatest(${periodStartSql(q.granularity, 'day', from)}, ${from})) AS period,
      ${ids.map((id) => `${expr(id)} AS ${id}`).join(', ')}
    FROM (${cubeRowsSql(DAY_CUBE, q.from, q.to, params, q.fresh!)})
    GROUP BY period
    ${QUERY_SETTINGS}`;
}

/**
 * Users by first counted open day up to `to` (columns day, users); from stored first days with the
 * cube, else over the opens, with the days before the range counted in one row at from − 1.
 */
function firstDayCountsSql(q: Q, params: Params): string {
  if (readsCubes(q)) {
    return `SELECT day, new_users AS users FROM (${newUsersByDaySql(q.to, params, q.fresh)}) ${QUERY_SETTINGS}`;
  }
  const from = params.date(q.from);
  return `SELECT toString(greatest(first_day, ${from} - 1)) AS day, count() AS users
    FROM (SELECT uid, min(day) AS first_day FROM (${opensSql({ ...rangeOpens(q), from: undefined }, params)}) GROUP BY uid)
    GROUP BY day
    ${QUERY_SETTINGS}`;
}

export const trendReport: Report<TrendQuery, TrendRow[]> = {
  readsCompaction: true,
  check(q) {
    checkRange(q);
    checkGrouping(q.granularity, ['day', 'week', 'month', 'all']);
    if (q.metrics.length === 0) throw new MiniscopeError('bad_metric', 'ask for at least one metric');
    const unknown = q.metrics.find((id) => !isMetricId(id));
    if (unknown) throw new MiniscopeError('bad_metric', `unknown metric ${unknown}`);
  },
  build(q) {
    const { cubes, perPeriod, firstDays } = readings(q);
    const statements: Statement[] = [];
    if (perPeriod.length > 0) {
      const params = new Params(q.app);
      statements.push(
        statement(cubes ? cubeFiguresSql(q, perPeriod, params) : opensFiguresSql(q, perPeriod, params), params),
      );
    }
    if (firstDays.length > 0) {
      const params = new Params(q.app);
      statements.push(statement(firstDayCountsSql(q, params), params));
    }
    return statements;
  },
  shape(results, q) {
    const { ids, perPeriod, firstDays } = readings(q);
    const [figureRows, firstDayRows] = perPeriod.length > 0 ? results : [[], results[0]];
    const byPeriod = new Map((figureRows ?? []).map((r) => [String(r.period), r]));
    const firstCounts = (firstDayRows ?? []).map((r: Row) => ({ day: String(r.day), users: Number(r.users) }));
    const usersFirstSeen = (start: string, end: string) =>
      firstCounts.reduce((sum, r) => (r.day >= start && r.day <= end ? sum + r.users : sum), 0);
    return rangePeriods(q.from, q.to, q.granularity).map((period) => {
      const row = byPeriod.get(period.start);
      const values: MetricValues = {};
      for (const id of ids) {
        if (!firstDays.includes(id)) values[id] = Number(row?.[id] ?? 0);
        else if (FIGURES[id].kind === 'cumulative_users') values[id] = usersFirstSeen('', period.end);
        else values[id] = usersFirstSeen(period.start, period.end);
      }
      return { period, values };
    });
  },
};
