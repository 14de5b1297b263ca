/**
 * User portrait (metrics.md "User portrait"): distinct new and active users of a range by
 * province, city (also per province), gender, platform, device model and age band. Each user is placed by the latest
 * value seen in the events of their counted opens of the range (gender, birth year and model: the
 * latest known one).
 */
import type { Store } from '../store/store.js';
import { type Freshness, withFreshness } from './compacted-days.js';
import { firstDaysSql, firstSeenUsersSql } from './first-days.js';
import { opensSql, PORTRAIT_COLUMN_NAMES, rangeOpens } from './opens-sql.js';
import { APP_SCOPE, Params } from './params.js';
import { storedPortrait } from './portrait-results.js';
import { checkRange, type RangeQuery } from './query.js';
import { QUERY_SETTINGS } from './settings.js';

export const PORTRAIT_DIMENSIONS = ['province', 'city', 'genders', 'platforms', 'devices', 'ages'] as const;
export type PortraitDimension = (typeof PORTRAIT_DIMENSIONS)[number];

export const UNKNOWN = '未知';
/** Between place values packed in SQL (a control character: not in place names). */
const PLACE_SEPARATOR = '\\x1F';
export const GENDER_NAMES: Record<number, string> = { 0: UNKNOWN, 1: '男', 2: '女' };
export const PLATFORM_NAMES: Record<number, string> = { 1: 'iPhone', 2: 'android', 3: '其他' };
export const AGE_NAMES: Record<number, string> = {
  0: UNKNOWN,
  1: '17岁以下',
  2: '18-24岁',
  3: '25-29岁',
  4: '30-39岁',
  5: '40-49岁',
  6: '50岁以上',
};

export interface PortraitItem {
  /** The value as stored (province or city name, model) or the id's string (gender, platform, age). */
  name: string;
  visit_uv_new: number;
  visit_uv: number;
}

/** A city with the province its users were placed in (one user: one latest province and city). */
export interface CityItem extends PortraitItem {
  province: string;
}

/**
 * Each dimension's items, and the cities per province (`city` sums them by name: a city name may
 * appear under several provinces, 未知 always does).
 */
export type Portrait = Record<PortraitDimension, PortraitItem[]> & { citiesByProvince: CityItem[] };

/** Age band id from birth year and the range's last year (age = year − birth year). */
const AGE_BAND_SQL = (year: string) => `multiIf(birth = 0, 0, ${year} - birth <= 17, 1, ${year} - birth <= 24, 2,
  ${year} - birth <= 29, 3, ${year} - birth <= 39, 4, ${year} - birth <= 49, 5, 6)`;

/** Each user's latest attributes over the events (or rollup rows) of their counted opens. */
const USER_ATTRIBUTES: Record<'sessions' | 'events', { table: string; dayColumn: string; columns: string }> = {
  events: {
    table: 'events',
    dayColumn: 'toDate(ts)',
    columns: `argMax(province, ts) AS u_province, argMax(city, ts) AS u_city,
      argMaxIf(gender, ts, gender != 0) AS u_gender, argMax(platform, ts) AS u_platform_name,
      argMaxIf(model, ts, model != '') AS u_model, argMaxIf(birth_year, ts, birth_year != 0) AS birth`,
  },
  sessions: {
    table: 'sessions',
    dayColumn: 'event_day',
    columns: `argMaxMerge(province_last) AS u_province, argMaxMerge(city_last) AS u_city,
      argMaxIfMerge(gender_known) AS u_gender, argMaxMerge(platform_last) AS u_platform_name,
      argMaxIfMerge(model_known) AS u_model, argMaxIfMerge(birth_known) AS birth`,
  },
};

/**
 * From compacted opens: each user's latest attributes merged over their opens' own latest ones.
 * NOTE: the three values of the latest open are packed into one argMax (it costs a third of three);
 * the platform, free text from the SDK, comes last, so splitting into at most 3 parts keeps it whole.
 */
function compactedPortraitSql(q: RangeQuery & { fresh: Freshness }, params: Params): string {
  const opens = opensSql({ ...rangeOpens(q), columns: PORTRAIT_COLUMN_NAMES }, params);
  const newcomers = firstSeenUsersSql(q.from, q.to, params, q.fresh);
  return `WITH opens AS (${opens}), newcomers AS (${newcomers}),
    users AS (
      SELECT uid,
        splitByChar('${PLACE_SEPARATOR}', argMax(concat(l_province, '${PLACE_SEPARATOR}', l_city, '${PLACE_SEPARATOR}', l_platform),
          last_ts), 3) AS latest,
        latest[1] AS u_province, latest[2] AS u_city, latest[3] AS u_platform_name,
        argMaxIf(k_gender, k_gender_ts, k_gender != 0) AS u_gender,
        argMaxIf(k_model, k_model_ts, k_model != '') AS u_model, argMaxIf(k_birth, k_birth_ts, k_birth != 0) AS birth,
        multiIf(u_platform_name = 'ios', 1, u_platform_name = 'android', 2, 3) AS u_platform,
        uid IN (SELECT uid FROM newcomers) AS is_new
      FROM opens
      GROUP BY uid
    )
    ${portraitTail('users', params.date(q.to))}`;
}

/** Counts per dimension value over `users` (a relation with the u_* columns, birth and is_new). */
function portraitTail(users: string, to: string): string {
  return `SELECT pair.1 AS dim, pair.2 AS name, countIf(is_new) AS visit_uv_new, count() AS visit_uv
    FROM ${users}
    ARRAY JOIN [('province', u_province), ('city', concat(u_province, '${PLACE_SEPARATOR}', u_city)),
      ('genders', toString(u_gender)), ('platforms', toString(u_platform)),
      ('devices', if(u_model = '', '${UNKNOWN}', u_model)), ('ages', toString(${AGE_BAND_SQL(`toYear(${to})`)}))] AS pair
    GROUP BY dim, name
    ORDER BY dim, visit_uv DESC, name
    ${QUERY_SETTINGS}`;
}

function portraitSql(q: RangeQuery, params: Params): string {
  if (q.fresh && (q.opensFrom ?? 'compacted') === 'compacted')
    return compactedPortraitSql({ ...q, fresh: q.fresh }, params);
  const opens = opensSql(rangeOpens(q), params);
  const firsts = firstDaysSql(q.to, 'SELECT uid FROM opens', params, q.opensFrom, q.fresh);
  const from = params.date(q.from);
  const to = params.date(q.to);
  const src = USER_ATTRIBUTES[q.opensFrom === 'events' ? 'events' : 'sessions'];
  return `WITH opens AS (${opens}), firsts AS (${firsts}),
    users AS (
      SELECT user_id AS uid, ${src.columns},
        multiIf(u_platform_name = 'ios', 1, u_platform_name = 'android', 2, 3) AS u_platform
      FROM ${src.table}
      WHERE ${APP_SCOPE} AND ${src.dayColumn} >= ${from} - 1 AND ${src.dayColumn} <= ${to} + 1
        AND (user_id, sid) IN (SELECT uid, sid FROM opens)
      GROUP BY user_id
    )
    ${portraitTail(`(SELECT *, first_day >= ${from} AS is_new FROM users LEFT JOIN firsts USING (uid))`, to)}`;
}

type Row = { dim: PortraitDimension; name: string; visit_uv_new: string; visit_uv: string };

export async function runPortrait(store: Store, query: RangeQuery): Promise<Portrait> {
  checkRange(query);
  const q = await withFreshness(store, query);
  if (q.fresh && (q.opensFrom ?? 'compacted') === 'compacted') {
    const stored = await storedPortrait(store, { ...q, fresh: q.fresh });
    if (stored) return stored;
  }
  return computePortrait(store, q);
}

/** The portrait computed from the opens of the range (compaction stores some: portrait-results.ts). */
export async function computePortrait(store: Store, q: RangeQuery): Promise<Portrait> {
  const params = new Params(q.app);
  const rows = await store.query<Row>(portraitSql(q, params), params.values);
  const out = Object.fromEntries(PORTRAIT_DIMENSIONS.map((d) => [d, [] as PortraitItem[]])) as Portrait;
  out.citiesByProvince = [];
  for (const r of rows) {
    const item = { name: r.name, visit_uv_new: Number(r.visit_uv_new), visit_uv: Number(r.visit_uv) };
    if (r.dim !== 'city') out[r.dim].push(item);
    else {
      const [province = '', city = ''] = r.name.split('\x1F');
      out.citiesByProvince.push({ ...item, name: city, province });
    }
  }
  out.city = citiesByName(out.citiesByProvince);
  return out;
}

/** Cities summed by name (exact: each user is in one province and city), by users, then name. */
function citiesByName(cities: CityItem[]): PortraitItem[] {
  const byName = new Map<string, PortraitItem>();
  for (const c of cities) {
    const sum = byName.get(c.name) ?? { name: c.name, visit_uv_new: 0, visit_uv: 0 };
    sum.visit_uv_new += c.visit_uv_new;
    sum.visit_uv += c.visit_uv;
    byName.set(c.name, sum);
  }
  // NOTE: names compare by code point, as the engine orders them (UTF-8 bytes).
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byName.values()].sort((a, b) => b.visit_uv - a.visit_uv || byCodePoint(a.name, b.name));
}
