/**
 * The counted opens of a report as SQL: one row per counted open (an open = one `sid` of one user,
 * counted only with ≥ 1 page view), carrying its day, page views and whichever facts the report
 * needs (definitions/open-facts.ts). Read from compacted opens (`opens_final`) for clean days and the
 * open rollup for dirty ones (plan/freshness.ts), from the rollup alone, or from raw `events`, the
 * reference both are tested against. Filtered reports are built on this; unfiltered ones on the day
 * cubes (cube-rows.ts), whose live part is this too.
 *
 * NOTE: an open belongs to the day of its `open` event (or of its first event if the open never
 * arrived), and its later events may fall on the next day. So events are read with a margin of one
 * day on both sides of the range, grouped per open, and only then is the open's day compared with
 * the range. This assumes an open lasts less than a day, which a mini program's 30 min suspend limit
 * makes true.
 * NOTE: the day bound (`toDate(ts)`, `event_day`) is written exactly as in each table's sorting key
 * so the primary index applies; `ts` is DateTime64(3, <deployment zone>), so toDate uses the
 * deployment's calendar.
 */
import type { FilterField } from '@miniscope/contract';
import { OPEN_SOURCES, type OpenFact, USER_HASH } from '../definitions/open-facts.js';
import { anyDirty, aroundDirty, CURRENT_GEN_SQL, type Freshness } from '../plan/freshness.js';
import type { Filter, OpensSource, RangeQuery } from '../plan/query.js';
import type { Params, ParamType } from './params.js';

/** Each filter field: the fact it tests and the type its values are bound as. */
const FILTER_FACTS: Record<FilterField, { fact: OpenFact; type: ParamType }> = {
  source: { fact: 'open_source', type: 'Array(UInt8)' },
  scene: { fact: 'open_scene', type: 'Array(UInt16)' },
  platform: { fact: 'open_platform', type: 'Array(String)' },
  province: { fact: 'open_province', type: 'Array(String)' },
  city: { fact: 'open_city', type: 'Array(String)' },
  gender: { fact: 'open_gender', type: 'Array(UInt8)' },
  brand: { fact: 'open_brand', type: 'Array(String)' },
  model: { fact: 'open_model', type: 'Array(String)' },
};

export interface OpensSpec {
  /** First open day; omitted = since the beginning. */
  from?: string;
  /** Last open day. */
  to: string;
  /** Facts besides uid, sid, day, pvs. */
  facts?: readonly OpenFact[];
  filters?: readonly Filter[];
  /** Restrict to users returned by this subquery (a column `uid`). */
  usersIn?: string;
  /** Default: compacted opens. */
  source?: OpensSource;
  /** Compaction's state, required to read compacted opens (plan/freshness.ts). */
  fresh?: Freshness;
}

/** The opens of a report's range: its days, filters, source and freshness. */
export function rangeOpens(q: RangeQuery): OpensSpec {
  return { from: q.from, to: q.to, filters: q.filters, source: q.opensFrom, fresh: q.fresh };
}

function wantedFacts(spec: OpensSpec): OpenFact[] {
  const wanted = new Set<OpenFact>(spec.facts ?? []);
  for (const f of spec.filters ?? []) wanted.add(FILTER_FACTS[f.field].fact);
  return [...wanted];
}

function filterConditions(spec: OpensSpec, params: Params): string[] {
  return (spec.filters ?? []).map((f) => {
    const { fact, type } = FILTER_FACTS[f.field];
    const values = type === 'Array(String)' ? f.values.map(String) : f.values.map(Number);
    return `${fact} IN ${params.add(values as string[] | number[], type)}`;
  });
}

/** SQL of an events or rollup row's user as the opens of `source` identify it (column uid). */
export function userIdSql(source: OpensSource | undefined): string {
  return (source ?? 'compacted') === 'compacted' ? USER_HASH : 'user_id';
}

/**
 * Opens grouped from the rollup or raw events; with `live`, only the open days it names dirty
 * (their events may lie a day either side).
 */
function groupedOpensSql(spec: OpensSpec, params: Params, source: 'open_rollup' | 'events', live?: Freshness): string {
  const src = OPEN_SOURCES[source];
  const to = params.date(spec.to);
  const from = spec.from === undefined ? undefined : params.date(spec.from);
  // Compacted opens identify users by a 64-bit hash; the live part must match.
  const user = live ? USER_HASH : 'user_id';
  const select = [
    `${user} AS uid`,
    'sid',
    `${src.day} AS day`,
    `${src.pvs} AS pvs`,
    ...wantedFacts(spec).map((f) => `${src.facts[f]} AS ${f}`),
  ];
  const where = [`${src.dayColumn} <= ${to} + 1`];
  if (from) where.push(`${src.dayColumn} >= ${from} - 1`);
  if (live) where.push(`has(${params.add(aroundDirty(live), 'Array(Date)')}, ${src.dayColumn})`);
  if (spec.usersIn) where.push(`${user} IN (${spec.usersIn})`);
  const having = ['pvs > 0', `day <= ${to}`];
  if (from) having.push(`day >= ${from}`);
  if (live) having.push(`has(${params.add(live.dirty, 'Array(Date)')}, day)`);
  having.push(...filterConditions(spec, params));
  return `SELECT ${select.join(', ')}
    ${params.scan(src.table, where)}
    GROUP BY user_id, sid
    HAVING ${having.join(' AND ')}`;
}

function freshOf(spec: OpensSpec): Freshness {
  if (!spec.fresh) throw new Error('reading compacted opens needs their freshness (plan/freshness.ts)');
  return spec.fresh;
}

/**
 * SELECT of the counted opens: columns uid, sid, day, pvs and the requested facts. `uid` is the
 * user id, or its hash for compacted opens (userIdSql).
 */
export function opensSql(spec: OpensSpec, params: Params): string {
  const source = spec.source ?? 'compacted';
  if (source !== 'compacted') return groupedOpensSql(spec, params, source);
  const fresh = freshOf(spec);
  const facts = wantedFacts(spec);
  const where = [`day <= ${params.date(spec.to)}`];
  if (spec.from !== undefined) where.push(`day >= ${params.date(spec.from)}`);
  where.push(`(day, gen) IN (${CURRENT_GEN_SQL})`);
  if (fresh.dirty.length > 0) where.push(`NOT has(${params.add(fresh.dirty, 'Array(Date)')}, day)`);
  if (spec.usersIn) where.push(`user_hash IN (${spec.usersIn})`);
  where.push(...filterConditions(spec, params));
  const stored = `SELECT user_hash AS uid, sid, day, pvs${facts.map((f) => `, ${f}`).join('')}
    ${params.scan('opens_final', where)}`;
  const live = liveOpensSql(spec, params);
  return live ? `${stored} UNION ALL ${live}` : stored;
}

/** The live part comes from the rollup unless a fact only raw events have is asked for. */
function liveSourceOf(facts: readonly OpenFact[]): 'open_rollup' | 'events' {
  return facts.every((f) => OPEN_SOURCES.open_rollup.facts[f] !== undefined) ? 'open_rollup' : 'events';
}

/**
 * The live part of compacted opens alone: the counted opens of from..to on dirty days (columns as
 * opensSql, `uid` the user hash); undefined when no day of the range is dirty.
 */
export function liveOpensSql(spec: OpensSpec, params: Params): string | undefined {
  const fresh = freshOf(spec);
  if (!anyDirty(fresh, spec.from, spec.to)) return undefined;
  return groupedOpensSql(spec, params, liveSourceOf(wantedFacts(spec)), fresh);
}
