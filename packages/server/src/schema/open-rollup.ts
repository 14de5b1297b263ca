/**
 * The open rollup: one row per open and event day (app, day, user, sid) holding partial aggregates
 * of that open's events, kept by a materialized view on `events` and merged on read
 * (AggregatingMergeTree). Live reads group opens from here instead of raw events: several times
 * fewer rows. Migrations 2, 4 and 8.
 *
 * NOTE: rows are split by the events' own day (`event_day`), exactly as a raw query filters events
 * by `toDate(ts)`; an open's day is only known after merging its rows, so reads take a one-day
 * margin (sql/opens.ts).
 * NOTE: deleting a user's events (ALTER TABLE events DELETE …) must delete their rollup rows too.
 */
import type { Migration } from './migration.js';

/** An `open_ts` meaning "no open event in these rows"; later than any real time. */
const NO_OPEN = (tz: string) => `toDateTime64('2299-12-31 00:00:00', 3, '${tz}')`;

/** The partial aggregates of a group of events of one open on one day (MV and backfill). */
function partialsSql(tz: string): string {
  return `SELECT app_id, toDate(ts) AS event_day, user_id, sid,
      min(ts) AS first_ts,
      if(countIf(type = 'open') > 0, minIf(ts, type = 'open'), ${NO_OPEN(tz)}) AS open_ts,
      countIf(type = 'pv') AS pv_count,
      sumIf(dur_ms, type = 'leave') AS stay_sum,
      countIf(type = 'share') AS share_count,
      uniqExactIfState(path, type = 'pv') AS depth_state,
      argMinIfState(path, ts, type = 'pv') AS entry_state,
      argMaxIfState(path, ts, type = 'pv') AS exit_state,
      argMinIfState(scene, ts, type = 'open') AS scene_state,
      argMinState(platform, ts) AS platform_state,
      argMinState(province, ts) AS province_state,
      argMinState(city, ts) AS city_state,
      argMinState(gender, ts) AS gender_state,
      argMinState(brand, ts) AS brand_state,
      argMinState(model, ts) AS model_state,
      argMaxState(province, ts) AS province_last,
      argMaxState(city, ts) AS city_last,
      argMaxState(platform, ts) AS platform_last,
      argMaxIfState(gender, ts, gender != 0) AS gender_known,
      argMaxIfState(model, ts, model != '') AS model_known,
      argMaxIfState(birth_year, ts, birth_year != 0) AS birth_known
    FROM events
    GROUP BY app_id, event_day, user_id, sid`;
}

function tableSql(tz: string, table: string): string {
  const ts = `DateTime64(3, '${tz}')`;
  const argMin = (type: string) => `AggregateFunction(argMin, ${type}, ${ts})`;
  return `CREATE TABLE ${table} (
      app_id LowCardinality(String),
      event_day Date,
      user_id String CODEC(ZSTD(1)),
      sid String CODEC(ZSTD(1)),
      first_ts SimpleAggregateFunction(min, ${ts}),
      open_ts SimpleAggregateFunction(min, ${ts}),
      pv_count SimpleAggregateFunction(sum, UInt64),
      stay_sum SimpleAggregateFunction(sum, UInt64),
      share_count SimpleAggregateFunction(sum, UInt64),
      depth_state AggregateFunction(uniqExactIf, LowCardinality(String), UInt8),
      entry_state AggregateFunction(argMinIf, LowCardinality(String), ${ts}, UInt8),
      exit_state AggregateFunction(argMaxIf, LowCardinality(String), ${ts}, UInt8),
      scene_state AggregateFunction(argMinIf, UInt16, ${ts}, UInt8),
      platform_state ${argMin('LowCardinality(String)')},
      province_state ${argMin('LowCardinality(String)')},
      city_state ${argMin('LowCardinality(String)')},
      gender_state ${argMin('UInt8')},
      brand_state ${argMin('LowCardinality(String)')},
      model_state ${argMin('LowCardinality(String)')},
      province_last AggregateFunction(argMax, LowCardinality(String), ${ts}),
      city_last AggregateFunction(argMax, LowCardinality(String), ${ts}),
      platform_last AggregateFunction(argMax, LowCardinality(String), ${ts}),
      gender_known AggregateFunction(argMaxIf, UInt8, ${ts}, UInt8),
      model_known AggregateFunction(argMaxIf, LowCardinality(String), ${ts}, UInt8),
      birth_known AggregateFunction(argMaxIf, UInt16, ${ts}, UInt8)
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(event_day)
    ORDER BY (app_id, event_day, user_id, sid)`;
}

/**
 * Drop and rebuild the rollup from `events`: the table, its backfill, then the view. Migrations run
 * at start, before the server takes events, so nothing is missed or counted twice, and a start that
 * crashed half-way simply rebuilds again. NOTE: under its first name, `sessions` (migration 8
 * renamed it).
 */
const rebuild = (tz: string) => [
  'DROP VIEW IF EXISTS sessions_mv',
  'DROP TABLE IF EXISTS sessions',
  tableSql(tz, 'sessions'),
  `INSERT INTO sessions ${partialsSql(tz)}`,
  `CREATE MATERIALIZED VIEW sessions_mv TO sessions AS ${partialsSql(tz)}`,
];

/** Migration 2: the rollup (rebuilt to its current shape). */
export const rollupMigration: Migration = { version: 2, name: 'sessions rollup', statements: rebuild };

/** Migration 4: the rollup gains each user's latest place, platform, gender, model and birth year. */
export const rollupUserAttributes: Migration = {
  version: 4,
  name: 'sessions rollup: latest user attributes',
  statements: rebuild,
};

/**
 * Migration 8: the rollup is named for what it holds, `open_rollup` (it was `sessions`, though its
 * rows are parts of opens). Its view is made again under the new name; migrations run before the
 * server takes events, so none is missed.
 */
export const rollupRenamed: Migration = {
  version: 8,
  name: 'open_rollup (was sessions)',
  statements: (tz) => [
    'DROP VIEW IF EXISTS sessions_mv',
    'RENAME TABLE sessions TO open_rollup',
    `CREATE MATERIALIZED VIEW open_rollup_mv TO open_rollup AS ${partialsSql(tz)}`,
  ],
};
