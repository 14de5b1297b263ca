/**
 * User portrait (metrics.md "User portrait"): distinct new and active users of a range by province,
 * city (also per province), gender, platform, device model and age band (definitions/portrait.ts).
 * Compaction stores the portraits of the last 1, 7 and 30 days ending on recent days (stored-portraits.ts),
 * which answer a query of exactly such a clean window; others are computed. Both front doors show
 * device models under their display names (withDeviceNames).
 */
import { PORTRAIT_DIMENSIONS, type PortraitDimension, UNKNOWN } from '@miniscope/contract';
import { deviceDisplayName } from '../../portrait/device-names.js';
import type { Store } from '../../store/store.js';
import { USER_PLACE_FACTS } from '../definitions/open-facts.js';
import { dimensionCountsSql, PLACE_SEPARATOR, PLACE_SEPARATOR_TEXT, USER_ATTRIBUTES } from '../definitions/portrait.js';
import { checkRange, type RangeQuery } from '../plan/query.js';
import { firstDaysSql, firstSeenUsersSql } from '../sql/first-days.js';
import { opensSql, rangeOpens } from '../sql/opens.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { type Planned, type Report, type Row, statement } from './report.js';
import { storedPortrait } from './stored-portraits.js';

export interface PortraitItem {
  /** The value as stored (province or city name, model) or the id's string (gender, platform, age). */
  name: string;
  visit_uv_new: number;
  visit_uv: number;
  /** Device models: the codes counted under this display name. */
  codes?: string[];
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

type Q = RangeQuery & Planned;

/**
 * From compacted opens: each user's latest attributes merged over their opens' own latest ones.
 * NOTE: the three values of the latest open are packed into one argMax (it costs a third of three);
 * the platform, free text from the SDK, comes last, so splitting into at most 3 parts keeps it whole.
 */
function compactedPortraitSql(q: Q, params: Params): string {
  const opens = opensSql({ ...rangeOpens(q), facts: USER_PLACE_FACTS }, params);
  const newcomers = firstSeenUsersSql(q.from, q.to, params, q.fresh!);
  const sep = PLACE_SEPARATOR;
  return `WITH opens AS (${opens}), newcomers AS (${newcomers}),
    users AS (
      SELECT uid,
        splitByChar('${sep}', argMax(concat(last_province, '${sep}', last_city, '${sep}', last_platform), last_at), 3)
          AS latest,
        latest[1] AS user_province, latest[2] AS user_city, latest[3] AS user_platform,
        argMaxIf(known_gender, known_gender_at, known_gender != 0) AS user_gender,
        argMaxIf(known_model, known_model_at, known_model != '') AS user_model,
        argMaxIf(known_birth_year, known_birth_year_at, known_birth_year != 0) AS birth,
        uid IN (SELECT uid FROM newcomers) AS is_new
      FROM opens
      GROUP BY uid
    )
    ${dimensionCountsSql('users', params.date(q.to))}
    ${QUERY_SETTINGS}`;
}

/** From the rollup or raw events (the reference reads). */
function referencePortraitSql(q: Q, params: Params): string {
  const opens = opensSql(rangeOpens(q), params);
  const firsts = firstDaysSql(q.to, 'SELECT uid FROM opens', params, q.opensFrom, q.fresh);
  const from = params.date(q.from);
  const to = params.date(q.to);
  const src = USER_ATTRIBUTES[q.opensFrom === 'events' ? 'events' : 'open_rollup'];
  return `WITH opens AS (${opens}), firsts AS (${firsts}),
    users AS (
      SELECT user_id AS uid, ${src.columns}
      ${params.scan(src.table, [
        `${src.dayColumn} >= ${from} - 1`,
        `${src.dayColumn} <= ${to} + 1`,
        '(user_id, sid) IN (SELECT uid, sid FROM opens)',
      ])}
      GROUP BY user_id
    )
    ${dimensionCountsSql(`(SELECT *, first_day >= ${from} AS is_new FROM users LEFT JOIN firsts USING (uid))`, to)}
    ${QUERY_SETTINGS}`;
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
  return [...byName.values()].sort(byUsersThenName);
}

// NOTE: names compare by code point, as the engine orders them (UTF-8 bytes).
const byUsersThenName = (a: PortraitItem, b: PortraitItem) =>
  b.visit_uv - a.visit_uv || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Device models under their display names (portrait/device-names.ts), codes kept; models that share
 * a name are summed, which is exact: each user is placed in one model.
 */
export function withDeviceNames(portrait: Portrait): Portrait {
  const byName = new Map<string, PortraitItem & { codes: string[] }>();
  for (const item of portrait.devices) {
    const name = item.name === UNKNOWN ? UNKNOWN : deviceDisplayName('', item.name);
    const sum = byName.get(name) ?? { name, codes: [], visit_uv_new: 0, visit_uv: 0 };
    sum.codes.push(...(item.codes ?? [item.name]));
    sum.visit_uv_new += item.visit_uv_new;
    sum.visit_uv += item.visit_uv;
    byName.set(name, sum);
  }
  return { ...portrait, devices: [...byName.values()].sort(byUsersThenName) };
}

/** The portrait from its rows (dim, name, visit_uv_new, visit_uv). */
export function portraitOf(rows: Row[]): Portrait {
  const out = Object.fromEntries(PORTRAIT_DIMENSIONS.map((d) => [d, [] as PortraitItem[]])) as Portrait;
  out.citiesByProvince = [];
  for (const r of rows) {
    const item = { name: String(r.name), visit_uv_new: Number(r.visit_uv_new), visit_uv: Number(r.visit_uv) };
    if (r.dim !== 'city') out[r.dim as PortraitDimension].push(item);
    else {
      const [province = '', city = ''] = item.name.split(PLACE_SEPARATOR_TEXT);
      out.citiesByProvince.push({ ...item, name: city, province });
    }
  }
  out.city = citiesByName(out.citiesByProvince);
  return out;
}

/** The portrait as computed from the opens (what compaction stores, too). */
export const computedPortraitReport: Report<RangeQuery, Portrait> = {
  readsCompaction: true,
  check: checkRange,
  build(q) {
    const params = new Params(q.app);
    const compacted = q.fresh && (q.opensFrom ?? 'compacted') === 'compacted';
    return [statement(compacted ? compactedPortraitSql(q, params) : referencePortraitSql(q, params), params)];
  },
  shape: ([rows = []]) => portraitOf(rows),
};

/** The portrait, stored by compaction when there is one for the query, else computed. */
export const portraitReport: Report<RangeQuery, Portrait> = {
  ...computedPortraitReport,
  stored: (store: Store, q) =>
    q.fresh && (q.opensFrom ?? 'compacted') === 'compacted' ? storedPortrait(store, q) : Promise.resolve(undefined),
};
