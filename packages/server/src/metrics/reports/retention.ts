/**
 * Retention (metrics.md "Retention"): for each reference period P, the cohort of users new in P
 * (`visit_uv_new`) and of users active in P (`visit_uv`); key 0 is the cohort's size and key n the
 * cohort members active n periods later, with its rate of the cohort. Keys whose period has not
 * fully ended (today or later, in the deployment's calendar) are left out.
 */
import { addDays, type Granularity, type Period, periodsIn, RETENTION_KEYS, shiftPeriod } from '@miniscope/contract';
import { DAY_CUBE } from '../definitions/cubes.js';
import { ratio } from '../definitions/ratio.js';
import { periodStartSql } from '../plan/periods.js';
import { checkGrouping, checkRange, type RangeQuery } from '../plan/query.js';
import { cubeRowsSql, readsCubes } from '../sql/cube-rows.js';
import { firstDaysSql, firstSeenSql } from '../sql/first-days.js';
import { opensSql, rangeOpens } from '../sql/opens.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { type Planned, type Report, statement } from './report.js';

export interface RetentionQuery extends RangeQuery {
  /** Reference periods: every whole period overlapping [from, to]. */
  granularity: Granularity;
}

export interface RetentionValue {
  key: number;
  value: number;
  /** Of the cohort (key 0). */
  rate: number;
}

export interface RetentionRow {
  period: Period;
  visit_uv_new: RetentionValue[];
  visit_uv: RetentionValue[];
}

type Q = RetentionQuery & Planned;

const SHIFT: Record<Granularity, string> = { day: 'addDays', week: 'addWeeks', month: 'addMonths' };

interface Plan {
  refs: Period[];
  /** Keys per reference period whose period has ended. */
  keys: number[][];
  /** Last day that must be read: the end of the latest ended key's period. */
  lastDay: string;
}

function plan(q: Q): Plan {
  const refs = periodsIn(q.from, q.to, q.granularity);
  const keys = refs.map((ref) =>
    RETENTION_KEYS[q.granularity].filter((k) => shiftPeriod(ref.start, k, q.granularity).end < q.today),
  );
  let lastDay = addDays(refs[0]!.start, -1);
  refs.forEach((ref, i) => {
    const last = keys[i]!.at(-1);
    if (last === undefined) return;
    const end = shiftPeriod(ref.start, last, q.granularity).end;
    if (end > lastDay) lastDay = end;
  });
  return { refs, keys, lastDay };
}

const keysParam = (q: Q, params: Params) => params.add([...RETENTION_KEYS[q.granularity]], 'Array(UInt16)');

function opensRetentionSql(q: Q, p: Plan, params: Params): string {
  const g = q.granularity;
  const first = p.refs[0]!;
  const last = p.refs.at(-1)!;
  const opens = opensSql({ ...rangeOpens(q), from: first.start, to: p.lastDay }, params);
  const refsEnd = params.date(last.end);
  const firsts = firstDaysSql(last.end, `SELECT uid FROM opens WHERE day <= ${refsEnd}`, params, q.opensFrom, q.fresh);
  const later = `${SHIFT[g]}(ref, k)`;
  return `WITH opens AS (${opens}), firsts AS (${firsts})
    SELECT toString(ref) AS period, k AS key,
      countIf(has(ps, ${later})) AS active,
      countIf(fp = ref AND has(ps, ${later})) AS new
    FROM (
      SELECT uid, groupUniqArray(${periodStartSql(g, 'day', '')}) AS ps, any(${periodStartSql(g, 'first_day', '')}) AS fp
      FROM opens LEFT JOIN firsts USING (uid)
      GROUP BY uid
    )
    ARRAY JOIN ps AS ref
    ARRAY JOIN ${keysParam(q, params)} AS k
    WHERE ref BETWEEN ${params.date(first.start)} AND ${params.date(last.start)}
    GROUP BY ref, k
    ${QUERY_SETTINGS}`;
}

/**
 * The same from the day cube: per period the bitmap of its active users (a union of days) and of
 * the users first seen in it; each key is an intersection of two bitmaps.
 */
function cubeRetentionSql(q: Q, p: Plan, params: Params): string {
  const g = q.granularity;
  const first = p.refs[0]!;
  const last = p.refs.at(-1)!;
  const days = cubeRowsSql(DAY_CUBE, first.start, p.lastDay, params, q.fresh!);
  const cohorts = firstSeenSql(first.start, last.end, params, q.fresh!);
  return `WITH active AS (SELECT ${periodStartSql(g, 'day', '')} AS p, groupBitmapOrState(cube_users) AS bm
        FROM (${days}) GROUP BY p),
      cohort AS (SELECT ${periodStartSql(g, 'first_day', '')} AS p, groupBitmapState(seq) AS bm FROM (${cohorts}) GROUP BY p),
      pairs AS (
        SELECT p AS ref, k, ${SHIFT[g]}(p, k) AS later, bm FROM active
        ARRAY JOIN ${keysParam(q, params)} AS k
        WHERE p BETWEEN ${params.date(first.start)} AND ${params.date(last.start)}
      )
    SELECT toString(pairs.ref) AS period, pairs.k AS key, bitmapAndCardinality(pairs.bm, b.bm) AS active,
      bitmapAndCardinality(c.bm, b.bm) AS new
    FROM pairs
    INNER JOIN active AS b ON b.p = pairs.later
    LEFT JOIN cohort AS c ON c.p = pairs.ref
    ${QUERY_SETTINGS}`;
}

/** Values of the keys, with their rates of the cohort. */
function withRates(values: Array<{ key: number; value: number }>): RetentionValue[] {
  const cohort = values.find((v) => v.key === 0)?.value ?? 0;
  return values.map((v) => ({ ...v, rate: ratio(v.value, cohort) }));
}

export const retentionReport: Report<RetentionQuery, RetentionRow[]> = {
  readsCompaction: true,
  check(q) {
    checkRange(q);
    checkGrouping(q.granularity, ['day', 'week', 'month']);
  },
  build(q) {
    const p = plan(q);
    if (!p.keys.some((k) => k.length > 0)) return [];
    const params = new Params(q.app);
    return [statement(readsCubes(q) ? cubeRetentionSql(q, p, params) : opensRetentionSql(q, p, params), params)];
  },
  shape([rows = []], q) {
    const p = plan(q);
    return p.refs.map((period, i) => {
      const find = (k: number) => rows.find((r) => r.period === period.start && Number(r.key) === k);
      const ks = p.keys[i]!;
      return {
        period,
        visit_uv_new: withRates(ks.map((key) => ({ key, value: Number(find(key)?.new ?? 0) }))),
        visit_uv: withRates(ks.map((key) => ({ key, value: Number(find(key)?.active ?? 0) }))),
      };
    });
  },
};
