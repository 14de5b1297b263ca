/**
 * The per-open facts of metrics.md as SQL over the raw `events` table: one row per counted open
 * (an open = one `sid` of one user, counted only with ≥ 1 pv), carrying its day, page views, stay,
 * depth, shares and whichever attributes a report needs. Every report is built on this.
 *
 * NOTE: an open belongs to the day of its `open` event (or of its first event if the open never
 * arrived), and its later events may fall on the next day. So events are read with a margin of one
 * day on both sides of the range, grouped per open, and only then is the open's day compared with
 * the range. This assumes an open lasts less than a day, which a mini program's 30 min suspend limit
 * makes true.
 *
 * NOTE: `toDate(ts)` is written exactly as in the table's sorting key so the primary index applies;
 * `ts` is DateTime64(3, <deployment zone>), so toDate uses the deployment's calendar.
 */
import { APP_SCOPE, type Params, type ParamType } from './params.js';
import type { Filter, FilterField } from './query.js';
import { sourceKeySql } from './sources.js';

/** The open's day: its `open` event's, else its first event's. */
const OPEN_DAY = "toDate(if(countIf(type = 'open') > 0, minIf(ts, type = 'open'), min(ts)))";
const OPEN_SCENE = "argMinIf(scene, ts, type = 'open')";

/**
 * Open-level columns a report may ask for: name → aggregate over the open's events. Names differ
 * from the events' columns on purpose (NOTE: ClickHouse substitutes aliases everywhere, so an alias
 * named like a column would capture that column inside other aggregates).
 */
export const OPEN_COLUMNS = {
  stay_ms: "sumIf(dur_ms, type = 'leave')",
  depth: "uniqExactIf(path, type = 'pv')",
  shares: "countIf(type = 'share')",
  entry_path: "argMinIf(path, ts, type = 'pv')",
  exit_path: "argMaxIf(path, ts, type = 'pv')",
  o_scene: OPEN_SCENE,
  o_source: sourceKeySql(OPEN_SCENE),
  o_platform: 'argMin(platform, ts)',
  o_province: 'argMin(province, ts)',
  o_city: 'argMin(city, ts)',
  o_gender: 'argMin(gender, ts)',
  o_brand: 'argMin(brand, ts)',
  o_model: 'argMin(model, ts)',
} as const;
export type OpenColumn = keyof typeof OPEN_COLUMNS;

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
}

/** SELECT of the counted opens: columns uid, sid, day, pvs and the requested ones. */
export function opensSql(spec: OpensSpec, params: Params): string {
  const filters = spec.filters ?? [];
  const wanted = new Set<OpenColumn>(spec.columns ?? []);
  for (const f of filters) wanted.add(FILTER_COLUMNS[f.field].column);
  const select = [
    'user_id AS uid',
    'sid',
    `${OPEN_DAY} AS day`,
    "countIf(type = 'pv') AS pvs",
    ...[...wanted].map((c) => `${OPEN_COLUMNS[c]} AS ${c}`),
  ];
  const to = params.date(spec.to);
  const from = spec.from === undefined ? undefined : params.date(spec.from);
  const where = [APP_SCOPE, `toDate(ts) <= ${to} + 1`];
  if (from) where.push(`toDate(ts) >= ${from} - 1`);
  if (spec.usersIn) where.push(`user_id IN (${spec.usersIn})`);
  const having = ['pvs > 0', `day <= ${to}`];
  if (from) having.push(`day >= ${from}`);
  for (const f of filters) {
    const { column, type } = FILTER_COLUMNS[f.field];
    const values = type === 'Array(String)' ? f.values.map(String) : f.values.map(Number);
    having.push(`${column} IN ${params.add(values as string[] | number[], type)}`);
  }
  return `SELECT ${select.join(', ')}
    FROM events
    WHERE ${where.join(' AND ')}
    GROUP BY user_id, sid
    HAVING ${having.join(' AND ')}`;
}

/**
 * Each user's first counted open ever (columns uid, first_day), for the users of `usersIn`. "Ever"
 * ignores filters: a user is new once, whatever the filter. The scan has no lower bound.
 */
export function firstDaysSql(to: string, usersIn: string, params: Params): string {
  return `SELECT uid, min(day) AS first_day FROM (${opensSql({ to, usersIn }, params)}) GROUP BY uid`;
}
