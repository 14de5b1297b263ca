/**
 * 漏斗分析 (custom-analysis.md "Funnels"): 2 to 10 ordered steps, each an event name with its own
 * filters (all AND), funnel-wide filters on every step, a conversion window (default the whole
 * range). A user reaches step n iff they have events e1..en in the range, ek matching step k, with
 * t1 < … < tn and tn − t1 ≤ the window; time to convert is, per user who reaches the last step, the
 * smallest tn − t1, and the report gives its median. The group and the over-time day of a user come
 * from their earliest step-1 event in the range.
 *
 * One statement: the step events of the range (read by name, the table's sort order), each with
 * the bitmask of the steps it matches, become one sorted array per user, whose steps and time to
 * convert are computed exactly with whole-array passes (funnelArraysSql), then counted per step
 * overall, per group and per day.
 */
import { type Condition, type Funnel, type FunnelSteps, funnelQuery, NO_VALUE, periodsIn } from '@miniscope/contract';
import type { z } from 'zod';
import { MiniscopeError } from '../../errors.js';
import { ratio } from '../definitions/ratio.js';
import { type Report, type Row, statement } from '../reports/report.js';
import { firstDaysSql } from '../sql/first-days.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { filtersSql } from './conditions.js';
import {
  customEventsFrom,
  type FieldNeeds,
  fieldLabel,
  fieldTextSql,
  type PropTypes,
  readsFirstDays,
} from './fields.js';
import { propsOf, propTypes } from './prop-types.js';

export type FunnelQ = z.output<typeof funnelQuery>;

export interface FunnelReportQuery {
  app: string;
  query: FunnelQ;
  /** Types declared in event management (the rest are inferred). */
  declared?: PropTypes;
  /** All the query's property types (prepared). */
  types?: PropTypes;
}

export type FunnelAnswer = Omit<Funnel, 'app'>;

const DAY_MS = 86_400_000;
/** Bits of an event's packed value that hold its step mask (at most 10 steps). */
const MASK_BITS = 10;
/** The time to convert of a user who never reaches the last step. */
const NEVER = 'toInt64(9223372036854775807)';

/** The conversion window in ms: the query's, else the whole range (which no sequence can exceed). */
export const windowOf = (q: FunnelQ) => q.window_ms ?? periodsIn(q.from, q.to, 'day').length * DAY_MS;

/**
 * Per user, from `evs`: their step events as packed values `t_ms << 10 | mask`, sorted (so by time,
 * equal times adjacent). For step k (from 0) and event i, v_k[i] is the latest start t1 of a valid
 * chain e1..e(k+1) ending at event i (0: none), and p_k[i] the largest v_k over events strictly
 * earlier than t_i:
 * - v_0[i] = t_i if the event matches step 1; v_(k+1)[i] = p_k[i] if the event matches step k + 2
 *   and t_i − p_k[i] ≤ window. The latest start is enough: a chain with an earlier start fits the
 *   window only if this one does, and gives a longer tn − t1.
 * - p_k grows with i (a maximum over a growing set), so the nonzero v_(k+1) do too: the running
 *   maximum of v_k is its last nonzero value (arrayFill), and p_k is that running maximum as of the
 *   event before i's time, held over the events at i's time ("strictly earlier": events at equal
 *   times never chain, and an event matching several steps is never two steps of one chain).
 * A user reaches step k + 1 iff some v_k > 0; their time to convert is the smallest t_i − v_(n−1)[i].
 * Every step is a few whole-array passes (no fold over positions, no captured arrays: linear).
 * NOTE: 0 as "none" needs no test of its own: t − 0 (epoch ms) is beyond any window (≤ 366 days).
 */
export function funnelArraysSql(steps: number, window: string): string[] {
  const items = [
    `arrayMap(e -> bitShiftRight(e, ${MASK_BITS}), evs) AS times`,
    'arrayMap((t, before) -> t != before, times, arrayPushFront(arrayPopBack(times), toInt64(-1))) AS starts',
    'arrayMap((e, t) -> if(bitTest(e, 0), t, toInt64(0)), evs, times) AS v0',
  ];
  for (let k = 1; k < steps; k++) {
    const running = `arrayFill(x -> x > 0, v${k - 1})`;
    items.push(`arrayFill((x, s) -> s, arrayPushFront(arrayPopBack(${running}), toInt64(0)), starts) AS p${k - 1}`);
    items.push(
      `arrayMap((e, t, p) -> if(bitTest(e, ${k}) AND t - p <= ${window}, p, toInt64(0)), evs, times, p${k - 1}) AS v${k}`,
    );
  }
  const reached = Array.from({ length: steps }, (_, k) => `(arrayMax(v${k}) > 0)`);
  return [
    ...items,
    `${reached.join(' + ')} AS level`,
    `arrayMin(arrayMap((t, v) -> if(v > 0, t - v, ${NEVER}), times, v${steps - 1})) AS best`,
  ];
}

/** The steps an event matches, as a bitmask (bit k: step k + 1), funnel-wide filters included. */
function maskSql(q: FunnelQ, params: Params, types: PropTypes, needs: FieldNeeds): string {
  const bits = q.steps.map((s, k) => {
    const own = filtersSql({ match: 'all', conditions: s.filters }, params, types, needs);
    return `(name = ${params.add(s.event, 'String')} AND (${own})) * ${2 ** k}`;
  });
  return `toUInt16((${filtersSql(q.filters, params, types, needs)}) * (${bits.join(' + ')}))`;
}

/** The funnel's statement: rows per grouping set (overall, per day, per group). */
export function funnelSql(
  q: FunnelQ,
  types: PropTypes,
  params: Params,
  firstDays: (usersIn: string) => string,
): string {
  const needs: FieldNeeds = { scene: false, firstDays: false };
  const n = q.steps.length;
  const mask = maskSql(q, params, types, needs);
  const group = q.group_by ? `ifNull(${fieldTextSql(q.group_by, params, needs)}, '${NO_VALUE}')` : "''";
  const window = params.add(windowOf(q), 'Int64');
  const events = customEventsFrom([...new Set(q.steps.map((s) => s.event))], q.from, q.to, params, needs, firstDays);
  const first = 'bitTest(mask, 0)';
  // NOTE: the earliest step-1 event gives the group; at an equal time, the smallest group value.
  const grp = q.group_by ? `, argMinIf(g, (ts, g), ${first}) AS grp` : '';
  const users = `SELECT arraySort(groupArray(packed)) AS evs, toString(toDate(minIf(ts, ${first}))) AS day ${grp}
    FROM (
      SELECT user_hash, ts, ${mask} AS mask, bitShiftLeft(toUnixTimestamp64Milli(ts), ${MASK_BITS}) + mask AS packed,
        ${group} AS g
      FROM ${events}
      WHERE mask != 0
    )
    GROUP BY user_hash`;
  const reached = Array.from({ length: n }, (_, k) => `countIf(level >= ${k + 1}) AS s${k}`);
  const sets = ['()', '(day)', ...(q.group_by ? ['(grp)'] : [])];
  return `SELECT day, grouping(day) AS no_day, ${q.group_by ? 'grp, grouping(grp)' : '1'} AS no_grp, ${reached.join(', ')},
      quantileExactInclusiveIf(0.5)(toFloat64(best), level = ${n}) AS median
    FROM (
      SELECT ${funnelArraysSql(n, window).join(',\n        ')}, day ${q.group_by ? ', grp' : ''}
      FROM (${users})
      WHERE level > 0
    )
    GROUP BY GROUPING SETS (${sets.join(', ')})
    ${QUERY_SETTINGS}`;
}

/** A row's figures: users per step, conversions, median time to convert. */
function stepsOf(r: Row | undefined, n: number): FunnelSteps {
  const users = Array.from({ length: n }, (_, k) => Number(r?.[`s${k}`] ?? 0));
  const converted = users[n - 1]!;
  const median = Number(r?.median);
  return {
    users,
    conversion: users.map((u, k) => (k === 0 ? 1 : ratio(u, users[k - 1]!))),
    overall: ratio(converted, users[0]!),
    median_ms: converted > 0 && Number.isFinite(median) ? median : null,
  };
}

const OP_TEXT: Record<Condition['op'], string> = {
  '=': '=',
  '!=': '≠',
  contains: '包含',
  not_contains: '不包含',
  '>': '>',
  '>=': '≥',
  '<': '<',
  '<=': '≤',
  between: '介于',
  has_value: '有值',
  no_value: '无值',
};

/** A step as its label: the event, with its filters if any. */
export function stepLabel(step: FunnelQ['steps'][number]): string {
  if (step.filters.length === 0) return step.event;
  const text = (c: Condition) =>
    [fieldLabel(c.on), OP_TEXT[c.op], ...(c.value === undefined ? [] : [String(c.value)])]
      .concat(c.op === 'between' ? [`~ ${c.to}`] : [])
      .join(' ');
  return `${step.event} (${step.filters.map(text).join(', ')})`;
}

/** The answer from the statement's rows. */
export function funnelAnswer(q: FunnelQ, rows: Row[]): FunnelAnswer {
  const n = q.steps.length;
  const whole = rows.find((r) => Number(r.no_day) === 1 && Number(r.no_grp) === 1);
  const byDay = new Map(rows.filter((r) => Number(r.no_day) === 0).map((r) => [String(r.day), r]));
  const groups = q.group_by
    ? rows
        .filter((r) => Number(r.no_grp) === 0)
        .map((r) => ({ group: String(r.grp), ...stepsOf(r, n) }))
        .sort((a, b) => b.users[0]! - a.users[0]! || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
    : [];
  const over_time = periodsIn(q.from, q.to, 'day').map(({ start: day }) => {
    const s = stepsOf(byDay.get(day), n);
    return { day, users: s.users[0]!, converted: s.users[n - 1]!, overall: s.overall };
  });
  return {
    from: q.from,
    to: q.to,
    steps: q.steps.map((s) => ({ event: s.event, label: stepLabel(s) })),
    window_ms: windowOf(q),
    ...stepsOf(whole, n),
    groups,
    over_time,
  };
}

/** The query of a request, parsed. */
export function parseFunnelQuery(input: unknown): FunnelQ {
  const parsed = funnelQuery.safeParse(input);
  if (!parsed.success) throw new MiniscopeError('bad_query', parsed.error.issues[0]!.message);
  return parsed.data;
}

/** The fields a query reads (their property types are prepared before the SQL is built). */
const fieldsOf = (q: FunnelQ) => [
  q.group_by,
  ...(q.filters?.conditions ?? []).map((c) => c.on),
  ...q.steps.flatMap((s) => s.filters.map((c) => c.on)),
];

export const funnelReport: Report<FunnelReportQuery, FunnelAnswer> = {
  // The user's first counted open day (user_type) is read through compaction's first days.
  readsCompaction: (q) => readsFirstDays(fieldsOf(q.query)),
  check: (q) => {
    parseFunnelQuery(q.query);
  },
  async prepare(store, q) {
    return { types: await propTypes(store, q.app, propsOf(fieldsOf(q.query)), q.today, q.declared) };
  },
  build(q) {
    const params = new Params(q.app);
    const firstDays = (users: string) => firstDaysSql(q.query.to, users, params, undefined, q.fresh);
    return [statement(funnelSql(q.query, q.types ?? {}, params, firstDays), params)];
  },
  shape: ([rows = []], q) => funnelAnswer(q.query, rows),
};
