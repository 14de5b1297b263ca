/**
 * 事件分析 from per-day parts: the aggregates of one query shape (event, metrics, filters, group-by
 * and the properties' types; by hour or by day) over one settled day, materialized in
 * `custom_parts` (schema/cache.ts) the first time a report of that shape reads the day. A range
 * then reads a few rows per day (users as roaring bitmaps of compaction's user numbers, so distinct
 * users over days and groups stay exact) and scans only its live days: today, and days whose events
 * are still arriving.
 *
 * Exact by construction, as a cache:
 * - A day is materialized once no event of it (any type, `dirty_days`) arrived for a while (SETTLE_MS,
 *   so that a day still receiving events is not computed again and again), and only before today,
 *   under the generation `gen`: the engine's clock when the report planned it.
 * - A part of day D is read only while every event of D arrived before gen − margin (the margin of
 *   compaction, plan/freshness.ts: embedded, inserts started before gen are waited for; with a
 *   server, an insert becomes visible within 2 minutes of its start). Any later arrival makes D live
 *   again until it is materialized anew. Parts older than TRUSTED_DAYS are not read (the tables drop
 *   them at 90).
 * - A day is marked (read from parts) only when compaction had numbered every user of the event on
 *   it (compaction/user-seqs.ts); otherwise it stays live, its users numbered for the statement.
 * - A day's rows are written before its mark in `custom_part_days`, and only marked generations are
 *   read, so a report that fails half-way leaves rows that are never read.
 * Shapes that read other tables as they change (the open's scene and source, 新老用户) and distinct
 * values (which need the values themselves) are not served by parts: they scan.
 */
import type { Store } from '../../store/store.js';
import { compactionMarginMs } from '../plan/freshness.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { numberedUsersSql } from '../sql/user-seqs.js';
import { daysOf, partRowsWhere, readDayFigures, shapeHash, TRUSTED_DAYS } from './day-parts.js';
import { bucketSql, type EventQuery, eventRowsSql } from './event-rows.js';
import { isProp, type PropTypes } from './fields.js';

/** How long a day's events must have stopped arriving before it is materialized. */
export const SETTLE_MS = 2 * 60_000;
/** Bumped when what a part holds changes for the same query (the shape key includes it). */
const PARTS_VERSION = 1;

export type Grain = 'hour' | 'day';

/** What a report reads from parts: its shape, and the generation to read of each day that has one. */
export interface PartsPlan {
  shape: string;
  grain: Grain;
  /** Day ('YYYY-MM-DD') → generation. */
  days: Record<string, number>;
}

const LIVE_FIELDS = new Set(['scene', 'source', 'user_type']);

/** Whether parts can answer a query (see the header). */
export function servedByParts(q: EventQuery): boolean {
  if (q.metrics.some((m) => m.kind === 'distinct')) return false;
  const fields = [...q.group_by, ...(q.filters?.conditions ?? []).map((c) => c.on)];
  return !fields.some((f) => !isProp(f) && LIVE_FIELDS.has(f.field));
}

const grainOf = (q: EventQuery): Grain => (q.granularity === 'hour' ? 'hour' : 'day');

/** The key of a query's shape: everything but its ranges, with the types its properties read as. */
export function shapeKey(q: EventQuery, types: PropTypes): string {
  const used = Object.keys(types)
    .sort()
    .map((p) => [p, types[p]]);
  const shape = [PARTS_VERSION, q.event, q.metrics, q.filters ?? null, q.group_by, grainOf(q), used];
  return shapeHash(shape);
}

/** The aggregates of rows with a user number `seq` (a part's columns). */
function partAggregatesSql(q: EventQuery): string {
  const each = (of: (v: string) => string, none: string) =>
    `[${q.metrics.map((m, i) => ('prop' in m ? of(`m${i}`) : none)).join(', ')}]`;
  return [
    'count() AS events',
    'groupBitmapState(seq) AS users',
    `${each((v) => `toFloat64(sum(ifNull(${v}, 0)))`, 'toFloat64(0)')} AS sums`,
    `${each((v) => `toUInt64(countIf(${v} IS NOT NULL))`, 'toUInt64(0)')} AS counts`,
    `${each((v) => `max(ifNull(${v}, -inf))`, '-inf')} AS maxs`,
    `${each((v) => `min(ifNull(${v}, inf))`, 'inf')} AS mins`,
  ].join(', ');
}

const groupsSql = (q: EventQuery) => `[${q.group_by.map((_, i) => `g${i}`).join(', ')}]::Array(String)`;
const rangeOf = (days: string[]) => ({ from: days[0]!, to: days.at(-1)! });
const keysOf = (q: EventQuery) => q.group_by.map((_, i) => `g${i}`);

/**
 * FROM … GROUP BY of the event's rows on `days`, each joined (`join`) to its user's number from
 * `numbers` (a subquery with columns uid, seq), grouped by the grain's bucket (column `bucket`:
 * 'YYYY-MM-DD HH:00' or 'YYYY-MM-DD') and the group values; select partAggregatesSql over it.
 */
function groupedDaysSql(
  q: EventQuery,
  grain: Grain,
  days: string[],
  types: PropTypes,
  params: Params,
  numbers: { join: string; sql: string },
): string {
  const range = rangeOf(days);
  const bucket = grain === 'hour' ? bucketSql('hour', range, params) : 'toString(toDate(ts))';
  const rows = eventRowsSql(q, { range, bucket, days: params.add(days, 'Array(Date)') }, types, params);
  return `FROM (${rows}) AS r ${numbers.join} (${numbers.sql}) AS s USING (uid)
    GROUP BY ${['bucket', ...keysOf(q)].join(', ')}`;
}

/** Each day's last arrival of an event (epoch ms) and its newest generation of parts of `shape`. */
function readDayState(store: Store, app: string, shape: string, days: string[]) {
  const params = new Params(app);
  const list = params.add(days, 'Array(Date)');
  return readDayFigures(store, params, {
    arrived: `SELECT event_day AS day, toUnixTimestamp64Milli(max(at)) AS v
      ${params.scan('dirty_days', [`has(${list}, event_day)`])} GROUP BY event_day`,
    parts: `SELECT day, max(gen) AS v ${params.scan('custom_part_days', [
      `shape = ${params.add(shape, 'String')}`,
      `has(${list}, day)`,
    ])} GROUP BY day`,
  });
}

/**
 * Write the parts of `days` (settled) as generation `gen`, and mark those whose users compaction had
 * all numbered (the others' rows are never read); returns the days marked.
 */
async function materialize(
  store: Store,
  app: string,
  q: EventQuery,
  types: PropTypes,
  plan: PartsPlan,
  days: string[],
  gen: number,
): Promise<string[]> {
  const params = new Params(app);
  const bound = { shape: params.add(plan.shape, 'String'), gen: params.add(gen, 'UInt64') };
  // Users without a number join as 0: counted per row, so that their day is not marked. (ANY: an
  // event is counted once whatever the numbers table holds.)
  const numbers = { join: 'LEFT ANY JOIN', sql: `SELECT user_hash AS uid, seq ${params.scan('user_seq')}` };
  await store.command(
    `INSERT INTO custom_parts (app_id, shape, day, gen, bucket, groups, events, users, sums, counts, maxs, mins,
       unnumbered)
     SELECT {app:String}, ${bound.shape}, toDate(left(bucket, 10)), ${bound.gen}, bucket, ${groupsSql(q)},
       ${partAggregatesSql(q)}, countIf(seq = 0)
     ${groupedDaysSql(q, plan.grain, days, types, params, numbers)}
     ${QUERY_SETTINGS}`,
    params.values,
  );
  const [row] = await store.query<{ days: string[] }>(
    `SELECT groupUniqArray(toString(day)) AS days FROM custom_parts
     WHERE app_id = {app:String} AND shape = {shape:String} AND gen = {gen:UInt64} AND unnumbered > 0`,
    { app, shape: plan.shape, gen },
  );
  const unnumbered = new Set(row?.days ?? []);
  const marked = days.filter((d) => !unnumbered.has(d));
  if (marked.length > 0)
    await store.command(
      'INSERT INTO custom_part_days SELECT {app:String}, {shape:String}, arrayJoin({days:Array(Date)}), {gen:UInt64}',
      { app, shape: plan.shape, days: marked, gen },
    );
  return marked;
}

/**
 * The parts a query reads, materializing the settled days that have none (before today). Undefined
 * when parts do not serve the query or none of its days has one. `settleMs`: see SETTLE_MS.
 */
export async function planParts(
  store: Store,
  app: string,
  q: EventQuery,
  types: PropTypes,
  today: string,
  settleMs = SETTLE_MS,
): Promise<PartsPlan | undefined> {
  if (!servedByParts(q)) return undefined;
  const ranges = [q, ...(q.compare ? [q.compare] : [])];
  const days = [...new Set(ranges.flatMap(daysOf))].filter((d) => d < today).sort();
  if (days.length === 0) return undefined;
  const plan: PartsPlan = { shape: shapeKey(q, types), grain: grainOf(q), days: {} };
  const state = await readDayState(store, app, plan.shape, days);
  const margin = compactionMarginMs(store);
  const trusted = state.now - TRUSTED_DAYS * 86_400_000;
  const due: string[] = [];
  for (const day of days) {
    const arrived = state.arrived.get(day) ?? Number.NEGATIVE_INFINITY;
    const gen = state.parts.get(day);
    if (gen !== undefined && gen > trusted && arrived < gen - margin) plan.days[day] = gen;
    else if (arrived < state.now - Math.max(settleMs, margin)) due.push(day);
  }
  if (due.length > 0) Object.assign(plan.days, await materializeDue(store, app, q, types, plan, due, state.now));
  return Object.keys(plan.days).length > 0 ? plan : undefined;
}

/**
 * Materialize the days of `due` as generation `now`; returns those marked (day → generation). A
 * failure (the engine's memory or time limits) leaves the days live: the report then answers from
 * the scan, only slower.
 */
async function materializeDue(
  store: Store,
  app: string,
  q: EventQuery,
  types: PropTypes,
  plan: PartsPlan,
  due: string[],
  now: number,
): Promise<Record<string, number>> {
  try {
    // Every event that arrived before `now` is visible to what follows.
    await store.insertsSettled(now);
    const marked = await materialize(store, app, q, types, plan, due, now);
    return Object.fromEntries(marked.map((d) => [d, now]));
  } catch {
    return {};
  }
}

/** Whether a range reads any part. */
export const rangeReadsParts = (plan: PartsPlan | undefined, range: { from: string; to: string }) =>
  plan !== undefined && daysOf(range).some((d) => plan.days[d] !== undefined);

/** A metric's figures from the merged part columns (the scan's column names: s<i>, n<i>, x<i>). */
function figuresSql(q: EventQuery): string[] {
  return q.metrics.flatMap((m, i) => {
    if (!('prop' in m) || m.kind === 'distinct') return [];
    const at = i + 1;
    const n = `sumForEach(counts)[${at}]`;
    if (m.kind === 'max') return [`if(${n} = 0, NULL, maxForEach(maxs)[${at}]) AS x${i}`];
    if (m.kind === 'min') return [`if(${n} = 0, NULL, minForEach(mins)[${at}]) AS x${i}`];
    return [`sumForEach(sums)[${at}] AS s${i}`, `${n} AS n${i}`];
  });
}

/**
 * The statement of one range from its parts and its live days (the scan's rows and columns: bucket,
 * g<i>, whole, events, users, s<i>, n<i>, x<i>).
 */
export function eventPartsSql(
  q: EventQuery,
  range: { from: string; to: string },
  plan: PartsPlan,
  types: PropTypes,
  params: Params,
): string {
  const days = daysOf(range);
  const stored = Object.fromEntries(days.flatMap((d) => (plan.days[d] === undefined ? [] : [[d, plan.days[d]!]])));
  const live = days.filter((d) => plan.days[d] === undefined);
  const sources = [
    // LIMIT 1 BY: two reports that made a day's part in the same millisecond wrote the same rows.
    `SELECT bucket AS part_bucket, groups, events, users, sums, counts, maxs, mins
      ${params.scan('custom_parts', partRowsWhere(params, plan.shape, stored, 'gen'))}
      LIMIT 1 BY day, bucket, groups`,
  ];
  if (live.length > 0) {
    // The live days' users: stored numbers, temporary ones for those compaction has not numbered.
    const users = `SELECT DISTINCT user_hash AS uid ${params.scan('custom_events', [
      `name = ${params.add(q.event, 'String')}`,
      `toDate(ts) >= ${params.date(live[0]!)}`,
      `toDate(ts) <= ${params.date(live.at(-1)!)}`,
      `has(${params.add(live, 'Array(Date)')}, toDate(ts))`,
    ])}`;
    const numbers = { join: 'INNER JOIN', sql: numberedUsersSql(users, params) };
    sources.push(`SELECT bucket AS part_bucket, ${groupsSql(q)} AS groups, ${partAggregatesSql(q)}
      ${groupedDaysSql(q, plan.grain, live, types, params, numbers)}`);
  }
  const bucket = plan.grain === 'hour' ? 'part_bucket' : bucketSql(q.granularity, range, params, 'toDate(part_bucket)');
  const keys = keysOf(q);
  const groups = q.group_by.map((_, i) => `groups[${i + 1}] AS g${i}`);
  return `WITH parts AS (${sources.join('\n UNION ALL \n')}),
      rows AS (SELECT ${[`${bucket} AS bucket`, ...groups, 'events, users, sums, counts, maxs, mins'].join(', ')} FROM parts)
    SELECT ${[
      'bucket',
      ...keys,
      'grouping(bucket) AS whole',
      'sum(events) AS events',
      'groupBitmapMerge(users) AS users',
      ...figuresSql(q),
    ].join(', ')}
    FROM rows
    GROUP BY GROUPING SETS ((${['bucket', ...keys].join(', ')}), (${keys.join(', ')}))
    ${QUERY_SETTINGS}`;
}
