/**
 * 留存分析 by events (custom-analysis.md "Event retention"): metrics.md's retention with a chosen
 * initial event and return event (each with its filters) instead of opens. The cohort of a period P
 * (day, Monday–Sunday week or calendar month) is the users who did the initial event in P; key 0 is
 * its size, key n the members who did the return event in the period n periods after P. Every
 * period overlapping the range is a cohort, whole even where the range cuts it; return events after
 * the range count; keys whose period has not ended by yesterday are left out (a cohort of today,
 * or of this week or month, has none). Rates are of the cohort (zero divisor: 0).
 */
import {
  addDays,
  type EventRetention,
  eventRetentionQuery,
  type Granularity,
  type Period,
  periodsIn,
  RETENTION_KEYS,
  shiftPeriod,
} from '@miniscope/contract';
import type { z } from 'zod';
import { MiniscopeError } from '../../errors.js';
import { ratio } from '../definitions/ratio.js';
import { periodStartSql } from '../plan/periods.js';
import { type Report, type Row, statement } from '../reports/report.js';
import { firstDaysSql } from '../sql/first-days.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { filtersSql } from './conditions.js';
import { customEventsFrom, type FieldNeeds, type PropTypes, readsFirstDays } from './fields.js';
import { propsOf, propTypes } from './prop-types.js';

export type EventRetentionQ = z.output<typeof eventRetentionQuery>;

export interface EventRetentionReportQuery {
  app: string;
  query: EventRetentionQ;
  /** Types declared in event management (the rest are inferred). */
  declared?: PropTypes;
  /** All the query's property types (prepared). */
  types?: PropTypes;
}

export type EventRetentionAnswer = Omit<EventRetention, 'app'>;

const SHIFT: Record<Granularity, string> = { day: 'addDays', week: 'addWeeks', month: 'addMonths' };

export interface RetentionPlan {
  /** The cohorts' periods: every period overlapping the range, whole. */
  refs: Period[];
  /** Per cohort, its keys whose period has ended (before today). */
  keys: number[][];
  /** The last day read: the end of the latest ended key's period (yesterday at the latest). */
  lastDay: string;
}

export function retentionPlan(q: EventRetentionQ, today: string): RetentionPlan {
  const g = q.granularity;
  const refs = periodsIn(q.from, q.to, g);
  const keys = refs.map((ref) => RETENTION_KEYS[g].filter((k) => shiftPeriod(ref.start, k, g).end < today));
  let lastDay = addDays(refs[0]!.start, -1);
  refs.forEach((ref, i) => {
    const last = keys[i]!.at(-1);
    const end = last === undefined ? lastDay : shiftPeriod(ref.start, last, g).end;
    if (end > lastDay) lastDay = end;
  });
  return { refs, keys, lastDay };
}

/**
 * Per cohort and key, the users: each user's periods of initial events and of return events, then
 * key 0 = every user with an initial event in P, key n = those with a return event in P + n.
 */
export function eventRetentionSql(
  q: EventRetentionQ,
  plan: RetentionPlan,
  types: PropTypes,
  params: Params,
  firstDays: (usersIn: string) => string,
): string {
  const needs: FieldNeeds = { scene: false, firstDays: false };
  const g = q.granularity;
  const is = (step: EventRetentionQ['initial']) =>
    `name = ${params.add(step.event, 'String')} AND (${filtersSql({ match: 'all', conditions: step.filters }, params, types, needs)})`;
  const initial = is(q.initial);
  const back = is(q.return);
  const first = plan.refs[0]!.start;
  const events = customEventsFrom(
    [...new Set([q.initial.event, q.return.event])],
    first,
    plan.lastDay,
    params,
    needs,
    firstDays,
  );
  const period = periodStartSql(g, 'toDate(ts)', '');
  const keys = params.add([...RETENTION_KEYS[g]], 'Array(UInt16)');
  return `SELECT toString(ref) AS period, k AS key, countIf(k = 0 OR has(backs, ${SHIFT[g]}(ref, k))) AS users
    FROM (
      SELECT user_hash, groupUniqArrayIf(p, initial) AS refs, groupUniqArrayIf(p, back) AS backs
      FROM (SELECT user_hash, ${period} AS p, ${initial} AS initial, ${back} AS back FROM ${events})
      WHERE initial OR back
      GROUP BY user_hash
      HAVING length(refs) > 0
    )
    ARRAY JOIN refs AS ref
    ARRAY JOIN ${keys} AS k
    WHERE ref BETWEEN ${params.date(first)} AND ${params.date(plan.refs.at(-1)!.start)}
    GROUP BY ref, k
    ${QUERY_SETTINGS}`;
}

/** The answer from the statement's rows (none when no key has ended). */
export function eventRetentionAnswer(q: EventRetentionQ, plan: RetentionPlan, rows: Row[]): EventRetentionAnswer {
  const found = new Map(rows.map((r) => [`${r.period}/${r.key}`, Number(r.users)]));
  return {
    from: q.from,
    to: q.to,
    granularity: q.granularity,
    rows: plan.refs.map((ref, i) => {
      const cohort = found.get(`${ref.start}/0`) ?? 0;
      const values = plan.keys[i]!.map((key) => {
        const value = found.get(`${ref.start}/${key}`) ?? 0;
        return { key, value, rate: ratio(value, cohort) };
      });
      return { start: ref.start, end: ref.end, values };
    }),
  };
}

/** The query of a request, parsed. */
export function parseEventRetentionQuery(input: unknown): EventRetentionQ {
  const parsed = eventRetentionQuery.safeParse(input);
  if (!parsed.success) throw new MiniscopeError('bad_query', parsed.error.issues[0]!.message);
  return parsed.data;
}

const fieldsOf = (q: EventRetentionQ) => [...q.initial.filters, ...q.return.filters].map((c) => c.on);

export const eventRetentionReport: Report<EventRetentionReportQuery, EventRetentionAnswer> = {
  // The user's first counted open day (user_type) is read through compaction's first days.
  readsCompaction: (q) => readsFirstDays(fieldsOf(q.query)),
  check: (q) => {
    parseEventRetentionQuery(q.query);
  },
  async prepare(store, q) {
    return { types: await propTypes(store, q.app, propsOf(fieldsOf(q.query)), q.today, q.declared) };
  },
  build(q) {
    const plan = retentionPlan(q.query, q.today);
    if (!plan.keys.some((k) => k.length > 0)) return [];
    const params = new Params(q.app);
    const firstDays = (users: string) => firstDaysSql(plan.lastDay, users, params, undefined, q.fresh);
    return [statement(eventRetentionSql(q.query, plan, q.types ?? {}, params, firstDays), params)];
  },
  shape: ([rows = []], q) => eventRetentionAnswer(q.query, retentionPlan(q.query, q.today), rows),
};
