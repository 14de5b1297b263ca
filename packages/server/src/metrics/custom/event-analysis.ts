/**
 * 事件分析 (custom-analysis.md "Event analysis"): one event over a range of event days, with up to
 * five metrics, filters and group-bys, per hour, day, week, month or over the whole range. Every
 * series (combination of group values) is in the answer, the top first by the first metric over the
 * whole range (ties by key, ascending); ratios with a zero divisor are 0, a max or min without any
 * value is null. Settled days are read from per-day parts where those serve the query
 * (event-parts.ts); the rest, and every other query, scan the events (event-rows.ts).
 */
import {
  type EventAnalysis,
  type EventAnalysisPart,
  type EventAnalysisQuery,
  type EventMetric,
  type EventSeries,
  eventAnalysisQuery,
  periodsIn,
} from '@miniscope/contract';
import { MiniscopeError } from '../../errors.js';
import { ratio } from '../definitions/ratio.js';
import { type Report, statement } from '../reports/report.js';
import { firstDaysSql } from '../sql/first-days.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { eventPartsSql, type PartsPlan, planParts, rangeReadsParts } from './event-parts.js';
import { bucketSql, type EventQuery, eventRowsSql } from './event-rows.js';
import { fieldLabel, type PropTypes, readsFirstDays } from './fields.js';
import { propsOf, propTypes } from './prop-types.js';

export type { EventQuery };

/** Hourly buckets for ranges of at most this many days. */
export const MAX_HOURLY_DAYS = 31;
/** Series the chart draws. */
export const CHARTED = 10;

/** The aggregates a metric needs, as SQL over the event rows (`uid`, `m<i>` the metric's value). */
function partsSql(m: EventMetric, i: number): string[] {
  const v = `m${i}`;
  switch (m.kind) {
    case 'count':
    case 'users':
    case 'per_user':
      return [];
    case 'distinct':
      return [`uniqExactIf(${v}, ${v} IS NOT NULL) AS d${i}`];
    case 'max':
      return [`max(${v}) AS x${i}`];
    case 'min':
      return [`min(${v}) AS x${i}`];
    default:
      return [`sum(ifNull(${v}, 0)) AS s${i}`, `countIf(${v} IS NOT NULL) AS n${i}`];
  }
}

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

/** A metric's value from a row of aggregates. */
function metricValue(m: EventMetric, i: number, r: Row): number | null {
  const users = num(r.users);
  switch (m.kind) {
    case 'count':
      return num(r.events);
    case 'users':
      return users;
    case 'per_user':
      return ratio(num(r.events), users);
    case 'distinct':
      return num(r[`d${i}`]);
    case 'max':
    case 'min':
      return r[`x${i}`] === null || r[`x${i}`] === undefined ? null : Number(r[`x${i}`]);
    case 'sum':
      return num(r[`s${i}`]);
    case 'avg':
      return ratio(num(r[`s${i}`]), num(r[`n${i}`]));
    default:
      return ratio(num(r[`s${i}`]), users);
  }
}

/** The buckets of a range (starts, clipped to it) and which are partial. */
export function bucketsOf(q: { from: string; to: string; granularity: EventQuery['granularity'] }, today: string) {
  if (q.granularity === 'total') return { starts: [q.from], partial: [q.to >= today] };
  if (q.granularity === 'hour') {
    const starts = periodsIn(q.from, q.to, 'day').flatMap((d) =>
      Array.from({ length: 24 }, (_, h) => `${d.start} ${String(h).padStart(2, '0')}:00`),
    );
    return { starts, partial: starts.map((s) => s.slice(0, 10) === today) };
  }
  const periods = periodsIn(q.from, q.to, q.granularity);
  return {
    // Only the first period can start before the range (it is the period of its first day).
    starts: periods.map((p, i) => (i === 0 ? q.from : p.start)),
    partial: periods.map((p) => p.start < q.from || p.end > q.to || p.end >= today),
  };
}

/** The statement of one range (the query's, or its comparison's), scanning its events. */
export function eventAnalysisSql(
  q: EventQuery,
  range: { from: string; to: string },
  types: PropTypes,
  params: Params,
  firstDays: (usersIn: string) => string,
): string {
  const bucket = bucketSql(q.granularity, range, params);
  const keys = q.group_by.map((_, i) => `g${i}`);
  const aggregates = ['count() AS events', 'uniqExact(uid) AS users', ...q.metrics.flatMap(partsSql)];
  return `WITH rows AS (${eventRowsSql(q, { range, bucket, firstDays }, types, params)})
    SELECT ${['bucket', ...keys, 'grouping(bucket) AS whole', ...aggregates].join(', ')}
    FROM rows
    GROUP BY GROUPING SETS ((${['bucket', ...keys].join(', ')}), (${keys.join(', ')}))
    ${QUERY_SETTINGS}`;
}

const byKey = (a: string[], b: string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
};

/** The answer for one range from its rows. */
export function eventAnalysisPart(
  q: EventQuery,
  range: { from: string; to: string },
  rows: Row[],
  today: string,
): EventAnalysisPart {
  const { starts, partial } = bucketsOf({ ...range, granularity: q.granularity }, today);
  const index = new Map(starts.map((s, i) => [s, i]));
  const series = new Map<string, EventSeries>();
  const empty = () => q.metrics.map((m) => (m.kind === 'max' || m.kind === 'min' ? null : 0));
  for (const r of rows) {
    // Without a group-by, the range's row is there even when no event matched: no series then.
    if (num(r.events) === 0) continue;
    const group = q.group_by.map((_, i) => String(r[`g${i}`]));
    const key = JSON.stringify(group);
    const s = series.get(key) ?? { group, values: starts.map(empty), total: empty() };
    series.set(key, s);
    const values = q.metrics.map((m, i) => metricValue(m, i, r));
    // `whole` marks the rows over the whole range (the grouping set without the bucket).
    if (Number(r.whole) === 1) s.total = values;
    else if (index.has(String(r.bucket))) s.values[index.get(String(r.bucket))!] = values;
  }
  const first = (s: EventSeries) => s.total[0] ?? Number.NEGATIVE_INFINITY;
  const ordered = [...series.values()].sort((a, b) => first(b) - first(a) || byKey(a.group, b.group));
  return { from: range.from, to: range.to, buckets: starts, partial, series: ordered };
}

/** Checks beyond the schema's. */
export function checkEventQuery(q: EventQuery): void {
  if (q.granularity === 'hour' && periodsIn(q.from, q.to, 'day').length > MAX_HOURLY_DAYS)
    throw new MiniscopeError('bad_range', `hourly buckets cover at most ${MAX_HOURLY_DAYS} days`);
  if (q.compare) {
    const days = (r: { from: string; to: string }) => periodsIn(r.from, r.to, 'day').length;
    if (days(q.compare) !== days(q)) throw new MiniscopeError('bad_range', 'a comparison range has the same length');
  }
}

/** The query of a request, parsed and checked. */
export function parseEventQuery(input: EventAnalysisQuery): EventQuery {
  const parsed = eventAnalysisQuery.safeParse(input);
  if (!parsed.success) throw new MiniscopeError('bad_query', parsed.error.issues[0]!.message);
  checkEventQuery(parsed.data);
  return parsed.data;
}

/** A metric's column label. */
export function metricLabel(m: EventMetric): string {
  const own: Record<string, string> = { count: '总次数', users: '去重人数', per_user: '人均次数' };
  const ofProp: Record<string, string> = {
    sum: '总和',
    avg: '均值',
    max: '最大值',
    min: '最小值',
    per_user_sum: '人均值',
    distinct: '去重数',
  };
  return 'prop' in m ? `${m.prop}·${ofProp[m.kind]}` : own[m.kind]!;
}

export interface EventReportQuery {
  app: string;
  query: EventQuery;
  /** Types declared in event management (the rest are inferred). */
  declared?: PropTypes;
  /** All the query's property types (prepared). */
  types?: PropTypes;
  /** The per-day parts it reads (prepared; event-parts.ts). */
  parts?: PartsPlan;
  /** How long a day's events must have stopped arriving before parts are made of it (default SETTLE_MS). */
  settleMs?: number;
}

export type EventAnswer = Omit<EventAnalysis, 'app'>;

/** The fields a query reads (their property types are prepared before the SQL is built). */
const fieldsOf = (q: EventQuery) => [
  ...q.group_by,
  ...(q.filters?.conditions ?? []).map((c) => c.on),
  ...q.metrics.flatMap((m) => ('prop' in m ? [{ prop: m.prop }] : [])),
];

export const eventAnalysisReport: Report<EventReportQuery, EventAnswer> = {
  readsCompaction: (q) => readsFirstDays(fieldsOf(q.query)),
  check: (q) => checkEventQuery(q.query),
  async prepare(store, q) {
    const types = await propTypes(store, q.app, propsOf(fieldsOf(q.query)), q.today, q.declared);
    return { types, parts: await planParts(store, q.app, q.query, types, q.today, q.settleMs) };
  },
  build(q) {
    const ranges = [q.query, ...(q.query.compare ? [q.query.compare] : [])];
    const types = q.types ?? {};
    return ranges.map((range) => {
      const params = new Params(q.app);
      if (q.parts && rangeReadsParts(q.parts, range))
        return statement(eventPartsSql(q.query, range, q.parts, types, params), params);
      const firstDays = (users: string) => firstDaysSql(range.to, users, params, undefined, q.fresh);
      return statement(eventAnalysisSql(q.query, range, types, params, firstDays), params);
    });
  },
  shape(rows, q) {
    const main = eventAnalysisPart(q.query, q.query, rows[0] ?? [], q.today);
    const compare = q.query.compare ? eventAnalysisPart(q.query, q.query.compare, rows[1] ?? [], q.today) : null;
    return {
      ...main,
      event: q.query.event,
      metrics: q.query.metrics.map((m) => ({ label: metricLabel(m) })),
      group_by: q.query.group_by.map((f) => ({ label: fieldLabel(f) })),
      granularity: q.query.granularity,
      charted: Math.min(CHARTED, main.series.length),
      compare,
    };
  },
};
