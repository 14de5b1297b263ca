/**
 * The per-open facts of metrics.md as SQL: one row per counted open (an open = one `sid` of one
 * user, counted only with ≥ 1 pv), carrying its day, page views, stay, depth, shares and whichever
 * attributes a report needs. Filtered reports are built on this, unfiltered ones on the day cubes
 * (cubes.ts), whose live part is this too. Read from compacted opens (`opens_final`) for clean days
 * and the `sessions` rollup for dirty ones (compacted-days.ts), from the rollup alone, or from raw
 * `events`, the reference both are tested against.
 *
 * NOTE: an open belongs to the day of its `open` event (or of its first event if the open never
 * arrived), and its later events may fall on the next day. So events are read with a margin of one
 * day on both sides of the range, grouped per open, and only then is the open's day compared with
 * the range. This assumes an open lasts less than a day, which a mini program's 30 min suspend limit
 * makes true.
 *
 * NOTE: the day bound (`toDate(ts)`, `event_day`) is written exactly as in each table's sorting key
 * so the primary index applies; `ts` is DateTime64(3, <deployment zone>), so toDate uses the
 * deployment's calendar.
 */

import { anyDirty, aroundDirty, CURRENT_GEN_SQL, type Freshness } from './compacted-days.js';
import { APP_SCOPE, type Params, type ParamType } from './params.js';
import type { Filter, FilterField, RangeQuery } from './query.js';
import { sourceKeySql } from './sources.js';

/** Open columns a report may ask for besides uid, sid, day and pvs. */
export const OPEN_COLUMN_NAMES = [
  'stay_ms',
  'depth',
  'shares',
  'entry_path',
  'exit_path',
  'o_scene',
  'o_source',
  'o_platform',
  'o_province',
  'o_city',
  'o_gender',
  'o_brand',
  'o_model',
] as const;
/**
 * Columns placing the open's user for the portrait (the latest and latest known attributes, with
 * their times, so users merge over opens); from raw events and compacted opens only.
 */
export const PORTRAIT_COLUMN_NAMES = [
  'last_ts',
  'l_province',
  'l_city',
  'l_platform',
  'k_gender',
  'k_gender_ts',
  'k_model',
  'k_model_ts',
  'k_birth',
  'k_birth_ts',
] as const;
export type OpenColumn = (typeof OPEN_COLUMN_NAMES)[number] | (typeof PORTRAIT_COLUMN_NAMES)[number];

/**
 * Where opens are read from: compacted opens plus the rollup for dirty days (default,
 * compaction.ts), the `sessions` rollup alone, or raw `events` (the reference).
 */
export type OpensSource = 'compacted' | 'sessions' | 'events';

interface SourceSql {
  table: string;
  /** The column bounding the read by day (matches the table's sorting key). */
  dayColumn: string;
  /** The open's day: its `open` event's, else its first event's. */
  day: string;
  pvs: string;
  columns: Partial<Record<OpenColumn, string>>;
}

/**
 * Each source's aggregates per open. Names differ from the tables' columns on purpose (NOTE:
 * ClickHouse substitutes aliases everywhere, so an alias named like a column would capture that
 * column inside other aggregates).
 */
const RAW_SCENE = "argMinIf(scene, ts, type = 'open')";
const ROLLUP_SCENE = 'argMinIfMerge(scene_state)';
export const SOURCES: Record<'sessions' | 'events', SourceSql> = {
  events: {
    table: 'events',
    dayColumn: 'toDate(ts)',
    day: "toDate(if(countIf(type = 'open') > 0, minIf(ts, type = 'open'), min(ts)))",
    pvs: "countIf(type = 'pv')",
    columns: {
      stay_ms: "sumIf(dur_ms, type = 'leave')",
      depth: "uniqExactIf(path, type = 'pv')",
      shares: "countIf(type = 'share')",
      entry_path: "argMinIf(path, ts, type = 'pv')",
      exit_path: "argMaxIf(path, ts, type = 'pv')",
      o_scene: RAW_SCENE,
      o_source: sourceKeySql(RAW_SCENE),
      o_platform: 'argMin(platform, ts)',
      o_province: 'argMin(province, ts)',
      o_city: 'argMin(city, ts)',
      o_gender: 'argMin(gender, ts)',
      o_brand: 'argMin(brand, ts)',
      o_model: 'argMin(model, ts)',
      last_ts: 'max(ts)',
      l_province: 'argMax(province, ts)',
      l_city: 'argMax(city, ts)',
      l_platform: 'argMax(platform, ts)',
      k_gender: 'argMaxIf(gender, ts, gender != 0)',
      k_gender_ts: 'maxIf(ts, gender != 0)',
      k_model: "argMaxIf(model, ts, model != '')",
      k_model_ts: "maxIf(ts, model != '')",
      k_birth: 'argMaxIf(birth_year, ts, birth_year != 0)',
      k_birth_ts: 'maxIf(ts, birth_year != 0)',
    },
  },
  sessions: {
    table: 'sessions',
    dayColumn: 'event_day',
    // NOTE: rows without an open event carry open_ts in year 2299 (sessions-rollup.ts).
    day: 'toDate(if(toYear(min(open_ts)) < 2299, min(open_ts), min(first_ts)))',
    pvs: 'sum(pv_count)',
    columns: {
      stay_ms: 'sum(stay_sum)',
      depth: 'uniqExactIfMerge(depth_state)',
      shares: 'sum(share_count)',
      entry_path: 'argMinIfMerge(entry_state)',
      exit_path: 'argMaxIfMerge(exit_state)',
      o_scene: ROLLUP_SCENE,
      o_source: sourceKeySql(ROLLUP_SCENE),
      o_platform: 'argMinMerge(platform_state)',
      o_province: 'argMinMerge(province_state)',
      o_city: 'argMinMerge(city_state)',
      o_gender: 'argMinMerge(gender_state)',
      o_brand: 'argMinMerge(brand_state)',
      o_model: 'argMinMerge(model_state)',
    },
  },
};

/** Each filter field: the open column it tests and the type its values are bound as. */
const FILTER_COLUMNS: Record<FilterField, { column: OpenColumn; type: ParamType }> = {
  source: { column: 'o_source', type: 'Array(UInt8)' },
  scene: { column: 'o_scene', type: 'Array(UInt16)' },
  platform: { column: 'o_platform', type: 'Array(String)' },
  province: { column: 'o_province', type: 'Array(String)' },
  city: { column: 'o_city', type: 'Array(String)' },
  gender: { column: 'o_gender', type: 'Array(UInt8)' },
  brand: { column: 'o_brand', type: 'Array(String)' },
  model: { column: 'o_model', type: 'Array(String)' },
};

export interface OpensSpec {
  /** First open day; omitted = since the beginning. */
  from?: string;
  /** Last open day. */
  to: string;
  /** Extra columns besides uid, sid, day, pvs. */
  columns?: readonly OpenColumn[];
  filters?: readonly Filter[];
  /** Restrict to users returned by this subquery (a column `uid`). */
  usersIn?: string;
  /** Default: compacted opens. */
  source?: OpensSource;
  /** Compaction's state, required to read compacted opens (readFreshness). */
  fresh?: Freshness;
}

/** The opens of a report's range: its days, filters, source and freshness. */
export function rangeOpens(q: RangeQuery): OpensSpec {
  return { from: q.from, to: q.to, filters: q.filters, source: q.opensFrom, fresh: q.fresh };
}

function wantedColumns(spec: OpensSpec): OpenColumn[] {
  const wanted = new Set<OpenColumn>(spec.columns ?? []);
  for (const f of spec.filters ?? []) wanted.add(FILTER_COLUMNS[f.field].column);
  return [...wanted];
}

function filterConditions(spec: OpensSpec, params: Params): string[] {
  return (spec.filters ?? []).map((f) => {
    const { column, type } = FILTER_COLUMNS[f.field];
    const values = type === 'Array(String)' ? f.values.map(String) : f.values.map(Number);
    return `${column} IN ${params.add(values as string[] | number[], type)}`;
  });
}

/**
 * Opens grouped from the rollup or raw events; with `live`, only the open days it names dirty
 * (their events may lie a day either side).
 */
function groupedOpensSql(
  spec: OpensSpec,
  params: Params,
  source: 'sessions' | 'events',
  from: string | undefined,
  to: string,
  live?: Freshness,
): string {
  const src = SOURCES[source];
  // Compacted opens identify users by a 64-bit hash (compaction.ts); the live part must match.
  const user = live ? USER_HASH : 'user_id';
  const select = [
    `${user} AS uid`,
    'sid',
    `${src.day} AS day`,
    `${src.pvs} AS pvs`,
    ...wantedColumns(spec).map((c) => `${src.columns[c]} AS ${c}`),
  ];
  const where = [APP_SCOPE, `${src.dayColumn} <= ${to} + 1`];
  if (from) where.push(`${src.dayColumn} >= ${from} - 1`);
  if (live) where.push(`has(${params.add(aroundDirty(live), 'Array(Date)')}, ${src.dayColumn})`);
  if (spec.usersIn) where.push(`${user} IN (${spec.usersIn})`);
  const having = ['pvs > 0', `day <= ${to}`];
  if (from) having.push(`day >= ${from}`);
  if (live) having.push(`has(${params.add(live.dirty, 'Array(Date)')}, day)`);
  having.push(...filterConditions(spec, params));
  return `SELECT ${select.join(', ')}
    FROM ${src.table}
    WHERE ${where.join(' AND ')}
    GROUP BY user_id, sid
    HAVING ${having.join(' AND ')}`;
}

/**
 * How compacted opens identify a user: a 64-bit hash of user_id, so distinct counts and per-user
 * grouping work on integers. NOTE: exact unless two user ids of one app collide (about n²/2⁶⁵ for n
 * users: 3·10⁻⁸ for a million users).
 */
export const USER_HASH = 'cityHash64(user_id)';

/** SQL of an events/sessions row's user as the opens of `source` identify it (column uid). */
export function userIdSql(source: OpensSource | undefined): string {
  return (source ?? 'compacted') === 'compacted' ? USER_HASH : 'user_id';
}

/**
 * SELECT of the counted opens: columns uid, sid, day, pvs and the requested ones. `uid` is the
 * user id, or its hash for compacted opens (userIdSql).
 */
export function opensSql(spec: OpensSpec, params: Params): string {
  const source = spec.source ?? 'compacted';
  if (source !== 'compacted') {
    const to = params.date(spec.to);
    const from = spec.from === undefined ? undefined : params.date(spec.from);
    return groupedOpensSql(spec, params, source, from, to);
  }
  const fresh = freshOf(spec);
  const columns = wantedColumns(spec);
  const where = [APP_SCOPE, `day <= ${params.date(spec.to)}`];
  if (spec.from !== undefined) where.push(`day >= ${params.date(spec.from)}`);
  where.push(`(day, gen) IN (${CURRENT_GEN_SQL})`);
  if (fresh.dirty.length > 0) where.push(`NOT has(${params.add(fresh.dirty, 'Array(Date)')}, day)`);
  if (spec.usersIn) where.push(`uh IN (${spec.usersIn})`);
  where.push(...filterConditions(spec, params));
  const stored = `SELECT uh AS uid, sid, day, pvs${columns.map((c) => `, ${c}`).join('')}
    FROM opens_final
    WHERE ${where.join(' AND ')}`;
  const live = liveOpensSql(spec, params);
  return live ? `${stored} UNION ALL ${live}` : stored;
}

function freshOf(spec: OpensSpec): Freshness {
  if (!spec.fresh) throw new Error('reading compacted opens needs their freshness (readFreshness)');
  return spec.fresh;
}

/** The live part comes from the rollup unless a column only raw events have is asked for. */
function liveSourceOf(columns: readonly OpenColumn[]): 'sessions' | 'events' {
  return columns.every((c) => SOURCES.sessions.columns[c] !== undefined) ? 'sessions' : 'events';
}

/**
 * The live part of compacted opens alone: the counted opens of from..to on dirty days (columns as
 * opensSql, `uid` the user hash); undefined when no day of the range is dirty.
 */
export function liveOpensSql(spec: OpensSpec, params: Params): string | undefined {
  const fresh = freshOf(spec);
  if (!anyDirty(fresh, spec.from, spec.to)) return undefined;
  const to = params.date(spec.to);
  const from = spec.from === undefined ? undefined : params.date(spec.from);
  return groupedOpensSql(spec, params, liveSourceOf(wantedColumns(spec)), from, to, fresh);
}
