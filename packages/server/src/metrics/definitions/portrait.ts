/**
 * The user portrait's attributes (metrics.md "User portrait"): each user is placed by the latest
 * value seen in the events of their counted opens of the range (gender, birth year and model: the
 * latest known one); age bands from the birth year and the range's last year. Names of ids are the
 * contract's (GENDER_NAMES, PLATFORM_NAMES, AGE_NAMES).
 */
import { UNKNOWN } from '@miniscope/contract';

/** Between place values packed in SQL (a control character: not in place names). */
export const PLACE_SEPARATOR = '\\x1F';
/** The same separator in the values the engine returns. */
export const PLACE_SEPARATOR_TEXT = '\x1F';

/** Age band id from birth year (column `birth`) and the range's last year (age = year − birth year). */
export const ageBandSql = (year: string) => `multiIf(birth = 0, 0, ${year} - birth <= 17, 1, ${year} - birth <= 24, 2,
  ${year} - birth <= 29, 3, ${year} - birth <= 39, 4, ${year} - birth <= 49, 5, 6)`;

/** Platform id: 1 iPhone (ios), 2 android, 3 其他 (from column `user_platform`, the platform as sent). */
export const PLATFORM_ID_SQL = "multiIf(user_platform = 'ios', 1, user_platform = 'android', 2, 3)";

/**
 * Each user's latest attributes over the events or rollup rows of their counted opens (the
 * reference reads; compacted reads merge the opens' own latest facts, reports/portrait.ts).
 */
export const USER_ATTRIBUTES: Record<'open_rollup' | 'events', { table: string; dayColumn: string; columns: string }> =
  {
    events: {
      table: 'events',
      dayColumn: 'toDate(ts)',
      columns: `argMax(province, ts) AS user_province, argMax(city, ts) AS user_city,
      argMaxIf(gender, ts, gender != 0) AS user_gender, argMax(platform, ts) AS user_platform,
      argMaxIf(model, ts, model != '') AS user_model, argMaxIf(birth_year, ts, birth_year != 0) AS birth`,
    },
    open_rollup: {
      table: 'open_rollup',
      dayColumn: 'event_day',
      columns: `argMaxMerge(province_last) AS user_province, argMaxMerge(city_last) AS user_city,
      argMaxIfMerge(gender_known) AS user_gender, argMaxMerge(platform_last) AS user_platform,
      argMaxIfMerge(model_known) AS user_model, argMaxIfMerge(birth_known) AS birth`,
    },
  };

/**
 * Counts per dimension value over `users` (a relation with columns user_province, user_city,
 * user_gender, user_platform, user_model, birth and is_new), `to` the range's last day (SQL).
 */
export const dimensionCountsSql = (users: string, to: string) => `SELECT pair.1 AS dim, pair.2 AS name,
    countIf(is_new) AS visit_uv_new, count() AS visit_uv
  FROM ${users}
  ARRAY JOIN [('province', user_province), ('city', concat(user_province, '${PLACE_SEPARATOR}', user_city)),
    ('genders', toString(user_gender)), ('platforms', toString(${PLATFORM_ID_SQL})),
    ('devices', if(user_model = '', '${UNKNOWN}', user_model)), ('ages', toString(${ageBandSql(`toYear(${to})`)}))] AS pair
  GROUP BY dim, name
  ORDER BY dim, visit_uv DESC, name`;
