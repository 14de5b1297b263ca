/**
 * The per-open facts of metrics.md as SQL: one row per counted open (an open = one `sid` of one
 * user, counted only with ≥ 1 pv), carrying its day, page views, stay, depth, shares and whichever
 * attributes a report needs. Every report is built on this. Read from the `sessions` rollup
 * (sessions-rollup.ts), or from raw `events`, the reference the rollup is tested against.
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
import { APP_SCOPE, type Params, type ParamType } from './params.js';
import type { Filter, FilterField } from './query.js';
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
export type OpenColumn = (typeof OPEN_COLUMN_NAMES)[number];

/** Where opens are read from: the `sessions` rollup (default) or raw `events` (the reference). */
export type OpensSource = 'sessions' | 'events';

interface SourceSql {
  table: string;
  /** The column bounding the read by day (matches the table's sorting key). */
  dayColumn: string;
  /** The open's day: its `open` event's, else its first event's. */
  day: string;
  pvs: string;
  columns: Record<OpenColumn, string>;
}

/**
 * Each source's aggregates per open. Names differ from the tables' columns on purpose (NOTE:
 * ClickHouse substitutes aliases everywhere, so an alias named like a column would capture that
 * column inside other aggregates).
 */
const RAW_SCENE = "argMinIf(scene, ts, type = 'open')";
const ROLLUP_SCENE = 'argMinIfMerge(scene_state)';
const SOURCES: Record<OpensSource, SourceSql> = {
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
  /** Default: the sessions rollup. */
  source?: OpensSource;
}

/** SELECT of the counted opens: columns uid, sid, day, pvs and the requested ones. */
export function opensSql(spec: OpensSpec, params: Params): string {
  const src = SOURCES[spec.source ?? 'sessions'];
  const filters = spec.filters ?? [];
  const wanted = new Set<OpenColumn>(spec.columns ?? []);
  for (const f of filters) wanted.add(FILTER_COLUMNS[f.field].column);
  const select = [
    'user_id AS uid',
    'sid',
    `${src.day} AS day`,
    `${src.pvs} AS pvs`,
    ...[...wanted].map((c) => `${src.columns[c]} AS ${c}`),
  ];
  const to = params.date(spec.to);
  const from = spec.from === undefined ? undefined : params.date(spec.from);
  const where = [APP_SCOPE, `${src.dayColumn} <= ${to} + 1`];
  if (from) where.push(`${src.dayColumn} >= ${from} - 1`);
  if (spec.usersIn) where.push(`user_id IN (${spec.usersIn})`);
  const having = ['pvs > 0', `day <= ${to}`];
  if (from) having.push(`day >= ${from}`);
  for (const f of filters) {
    const { column, type } = FILTER_COLUMNS[f.field];
    const values = type === 'Array(String)' ? f.values.map(String) : f.values.map(Number);
    having.push(`${column} IN ${params.add(values as string[] | number[], type)}`);
  }
  return `SELECT ${select.join(', ')}
    FROM ${src.table}
    WHERE ${where.join(' AND ')}
    GROUP BY user_id, sid
    HAVING ${having.join(' AND ')}`;
}

/**
 * Each user's first counted open ever (columns uid, first_day), for the users of `usersIn`. "Ever"
 * ignores filters: a user is new once, whatever the filter. The scan has no lower bound.
 */
export function firstDaysSql(to: string, usersIn: string, params: Params, source?: OpensSource): string {
  return `SELECT uid, min(day) AS first_day FROM (${opensSql({ to, usersIn, source }, params)}) GROUP BY uid`;
}
