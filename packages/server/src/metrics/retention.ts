/**
 * Retention (metrics.md "Retention"): for each reference period P, the cohort of users new in P
 * (`visit_uv_new`) and of users active in P (`visit_uv`); key 0 is the cohort's size and key n the
 * cohort members active n periods later. Keys whose period has not fully ended (today or later, in
 * the deployment's calendar) are left out.
 */
import type { Store } from '../store/store.js';
import { type Freshness, withFreshness } from './compacted-days.js';
import { cubeRowsSql, DAY_CUBE, readsCubes } from './cubes.js';
import { addDays, type Granularity, type Period, periodsIn, shiftPeriod, todayIn } from './dates.js';
import { firstDaysSql, firstSeenSql } from './first-days.js';
import { opensSql, rangeOpens } from './opens-sql.js';
import { Params } from './params.js';
import { checkRange, MetricQueryError, type RangeQuery } from './query.js';
import { QUERY_SETTINGS } from './settings.js';

export const RETENTION_KEYS: Record<Granularity, readonly number[]> = {
  day: [0, 1, 2, 3, 4, 5, 6, 7, 14, 30],
  week: [0, 1, 2, 3, 4],
  month: [0, 1],
};

export interface RetentionQuery extends RangeQuery {
  /** Reference periods: every whole period overlapping [from, to]. */
  granularity: Granularity;
  /** The instant "today" is taken from (epoch ms); defaults to now. */
  now?: number;
}

export interface RetentionValue {
  key: number;
  value: number;
}

export interface RetentionRow {
  period: Period;
  visit_uv_new: RetentionValue[];
  visit_uv: RetentionValue[];
}

/** Period start of a date column, and the start n periods later, as SQL. */
const PERIOD_OF: Record<Granularity, (col: string) => string> = {
  day: (c) => c,
  week: (c) => `toMonday(${c})`,
  month: (c) => `toStartOfMonth(${c})`,
};
const SHIFT: Record<Granularity, string> = { day: 'addDays', week: 'addWeeks', month: 'addMonths' };

interface Plan {
  refs: Period[];
  /** Keys per reference period whose period has ended. */
  keys: number[][];
  /** Last day that must be read: the end of the latest ended key's period. */
  lastDay: string;
}

function plan(q: RetentionQuery, today: string): Plan {
  const refs = periodsIn(q.from, q.to, q.granularity);
  const keys = refs.map((ref) =>
    RETENTION_KEYS[q.granularity].filter((k) => shiftPeriod(ref.start, k, q.granularity).end < today),
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

function retentionSql(q: RetentionQuery, p: Plan, params: Params): string {
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
      SELECT uid, groupUniqArray(${PERIOD_OF[g]('day')}) AS ps, any(${PERIOD_OF[g]('first_day')}) AS fp
      FROM opens LEFT JOIN firsts USING (uid)
      GROUP BY uid
    )
    ARRAY JOIN ps AS ref
    ARRAY JOIN ${params.add(RETENTION_KEYS[g] as number[], 'Array(UInt16)')} AS k
    WHERE ref BETWEEN ${params.date(first.start)} AND ${params.date(last.start)}
    GROUP BY ref, k
    ${QUERY_SETTINGS}`;
}

/**
 * The same from the day cube: per period the bitmap of its active users (a union of days) and of
 * the users first seen in it; each key is an intersection of two bitmaps.
 */
function cubeRetentionSql(q: RetentionQuery & { fresh: Freshness }, p: Plan, params: Params): string {
  const g = q.granularity;
  const first = p.refs[0]!;
  const last = p.refs.at(-1)!;
  const days = cubeRowsSql(DAY_CUBE, first.start, p.lastDay, params, q.fresh);
  const cohorts = firstSeenSql(first.start, last.end, params, q.fresh);
  return `WITH active AS (SELECT ${PERIOD_OF[g]('day')} AS p, groupBitmapOrState(c_users) AS bm FROM (${days}) GROUP BY p),
      cohort AS (SELECT ${PERIOD_OF[g]('first_day')} AS p, groupBitmapState(seq) AS bm FROM (${cohorts}) GROUP BY p),
      pairs AS (
        SELECT p AS ref, k, ${SHIFT[g]}(p, k) AS later, bm FROM active
        ARRAY JOIN ${params.add(RETENTION_KEYS[g] as number[], 'Array(UInt16)')} AS k
        WHERE p BETWEEN ${params.date(first.start)} AND ${params.date(last.start)}
      )
    SELECT toString(pairs.ref) AS period, pairs.k AS key, bitmapAndCardinality(pairs.bm, b.bm) AS active,
      bitmapAndCardinality(c.bm, b.bm) AS new
    FROM pairs
    INNER JOIN active AS b ON b.p = pairs.later
    LEFT JOIN cohort AS c ON c.p = pairs.ref
    ${QUERY_SETTINGS}`;
}

type Row = { period: string; key: number; active: string; new: string };

export async function runRetention(store: Store, q: RetentionQuery): Promise<RetentionRow[]> {
  checkRange(q);
  if (!Object.hasOwn(RETENTION_KEYS, q.granularity))
    throw new MetricQueryError('bad_query', `unknown granularity ${q.granularity}`);
  const today = todayIn(store.timeZone, q.now ?? Date.now());
  const p = plan(q, today);
  let rows: Row[] = [];
  if (p.keys.some((k) => k.length > 0)) {
    const params = new Params(q.app);
    const fq = await withFreshness(store, q);
    const sql = readsCubes(fq) ? cubeRetentionSql(fq, p, params) : retentionSql(fq, p, params);
    rows = await store.query<Row>(sql, params.values);
  }
  return p.refs.map((period, i) => {
    const find = (k: number) => rows.find((r) => r.period === period.start && Number(r.key) === k);
    const ks = p.keys[i]!;
    return {
      period,
      visit_uv_new: ks.map((key) => ({ key, value: Number(find(key)?.new ?? 0) })),
      visit_uv: ks.map((key) => ({ key, value: Number(find(key)?.active ?? 0) })),
    };
  });
}
