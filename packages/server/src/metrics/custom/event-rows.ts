/**
 * 事件分析's rows: one event's occurrences in a range as SQL rows, each with its time bucket, its
 * user (`uid`), its group values (`g<i>`, NO_VALUE when missing) and the value each metric reads
 * (`m<i>`), filtered by the query's conditions. Both ways of answering read them: the scan
 * (event-analysis.ts) and the per-day parts (event-parts.ts).
 */
import { type EventMetric, type eventAnalysisQuery, NO_VALUE } from '@miniscope/contract';
import type { z } from 'zod';
import type { Params } from '../sql/params.js';
import { filtersSql } from './conditions.js';
import {
  customEventsFrom,
  type FieldNeeds,
  fieldNumberSql,
  fieldTextSql,
  fieldType,
  type PropTypes,
} from './fields.js';

export type EventQuery = z.output<typeof eventAnalysisQuery>;

/**
 * A metric's value column over the events: a number, except for the distinct values of a string
 * property (its text).
 * NOTE (a reading the spec leaves open: it names distinct values for string properties only): the
 * distinct values of a number property are its values as read, numbers, so 12 and '12' are one
 * value and text that is no number ('abc') is no value, as for every other metric of the property.
 */
function valueSql(m: EventMetric, params: Params, types: PropTypes, needs: FieldNeeds): string | undefined {
  if (!('prop' in m)) return undefined;
  const f = { prop: m.prop };
  if (m.kind === 'distinct' && fieldType(f, types) !== 'number') return fieldTextSql(f, params, needs);
  return fieldNumberSql(f, params, types);
}

/**
 * SQL of the bucket start (as event-analysis.ts's bucketsOf writes them) of a time `at`: an event's
 * `ts`, or a day.
 */
export function bucketSql(
  granularity: EventQuery['granularity'],
  range: { from: string },
  params: Params,
  at = 'ts',
): string {
  const from = params.date(range.from);
  // The range's first day, checked to be a date by the query's schema.
  if (granularity === 'total') return `'${range.from}'`;
  if (granularity === 'hour') return `formatDateTime(toStartOfHour(${at}), '%Y-%m-%d %H:00')`;
  const start =
    granularity === 'day' ? `toDate(${at})` : granularity === 'week' ? `toMonday(${at})` : `toStartOfMonth(${at})`;
  return `toString(greatest(${start}, ${from}))`;
}

export interface RowsOf {
  range: { from: string; to: string };
  /** SQL of an event's bucket. */
  bucket: string;
  /** Only the events of these days (a bound Array(Date)), when given. */
  days?: string;
  /** The users' first counted open days (新老用户), a subquery over `usersIn` with columns uid, first_day. */
  firstDays?: (usersIn: string) => string;
}

/** The rows of the query's event over `of.range` (columns bucket, uid, g<i>, m<i>). */
export function eventRowsSql(q: EventQuery, of: RowsOf, types: PropTypes, params: Params): string {
  const needs: FieldNeeds = { scene: false, firstDays: false };
  const groups = q.group_by.map((f, i) => `ifNull(${fieldTextSql(f, params, needs)}, '${NO_VALUE}') AS g${i}`);
  const values = q.metrics.flatMap((m, i) => {
    const v = valueSql(m, params, types, needs);
    return v ? [`${v} AS m${i}`] : [];
  });
  const where = [filtersSql(q.filters, params, types, needs), ...(of.days ? [`has(${of.days}, toDate(ts))`] : [])];
  const events = customEventsFrom([q.event], of.range.from, of.range.to, params, needs, of.firstDays);
  return `SELECT ${[`${of.bucket} AS bucket`, 'user_hash AS uid', ...groups, ...values].join(', ')}
      FROM ${events}
      WHERE ${where.join(' AND ')}`;
}
