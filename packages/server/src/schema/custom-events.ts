/**
 * Migration 9: custom events (自定义分析, docs/spec/custom-analysis.md) stored for their own reads.
 * - `events.props_num`: a property's value as a number when it was sent as a JSON number (`props`
 *   keeps every value as its text), so that a property's type can be inferred ("number if every
 *   value is a JSON number") and numbers read exactly. `events_in` carries it per event.
 * - `custom_events`: the custom events again, sorted by app, event name and day, with the user's
 *   hash and the batch's attributes, so a report of one event over a range reads that event's rows
 *   only (a projection of `events` by name, kept by a view).
 * - `custom_event_days` and `custom_props`: per day and event name, its count and first and last
 *   time; per day, event name and property, how often it was present and how often a number (event
 *   management, and the inference of types without scanning the events).
 * All three are written by views inside the ingest insert, with the deduplication window
 * (ingest-dedup.ts), and filled from what `events` already holds.
 * NOTE: events stored before this migration carry no numbers in `props_num`: their properties infer
 * as strings until 30 days have passed (a declared type is not affected), and their values read as
 * numbers all the same when they have a number's form.
 */
import { DEDUP_WINDOW } from './ingest-dedup.js';
import type { Migration } from './migration.js';

const DEDUP = `SETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}`;

/** The landing table and its view, with `props_num` as the 11th field of an event. */
function landing(tz: string): string[] {
  return [
    'DROP VIEW IF EXISTS events_in_mv',
    'DROP TABLE IF EXISTS events_in',
    `CREATE TABLE events_in (
      app_id String, user_id String, gender UInt8, birth_year UInt16, platform String, brand String, model String,
      system String, wechat String, baselib String, network String, language String, screen_w UInt16, screen_h UInt16,
      province String, city String, batch_id String, received_at Int64,
      events Array(Tuple(Int64, String, String, String, UInt16, Bool, UInt32, String, String, Map(String, String),
        Map(String, Float64)))
    ) ENGINE = Null`,
    `CREATE MATERIALIZED VIEW events_in_mv TO events AS
    SELECT app_id, fromUnixTimestamp64Milli(e.1, '${tz}') AS ts, e.2 AS type, user_id, e.3 AS sid, e.4 AS path,
      e.5 AS scene, e.6 AS cold, e.7 AS dur_ms, e.8 AS share_to, e.9 AS name, e.10 AS props, e.11 AS props_num,
      gender, birth_year, platform, brand, model, system, wechat, baselib, network, language, screen_w, screen_h,
      province, city, batch_id, fromUnixTimestamp64Milli(received_at, '${tz}') AS received_at
    FROM events_in ARRAY JOIN events AS e`,
  ];
}

const CUSTOM_EVENT_COLUMNS = `app_id, name, ts, user_id, cityHash64(user_id) AS user_hash, sid, path, props, props_num,
  gender, birth_year, platform, brand, model, network, wechat, baselib, province, city`;
const EVENT_DAYS = `app_id, toDate(ts) AS day, name, count() AS events, min(ts) AS first_ts, max(ts) AS last_ts`;
const PROP_DAYS = `app_id, toDate(ts) AS day, name, arrayJoin(mapKeys(props)) AS prop, count() AS present,
  countIf(mapContains(props_num, prop)) AS numeric`;

function customTables(tz: string): string[] {
  const ts = `DateTime64(3, '${tz}')`;
  const lc = 'LowCardinality(String)';
  return [
    `CREATE TABLE IF NOT EXISTS custom_events (
      app_id ${lc}, name ${lc}, ts ${ts} CODEC(DoubleDelta, ZSTD(1)), user_id String CODEC(ZSTD(1)), user_hash UInt64,
      sid String CODEC(ZSTD(1)), path ${lc}, props Map(${lc}, String) CODEC(ZSTD(1)),
      props_num Map(${lc}, Float64) CODEC(ZSTD(1)), gender UInt8, birth_year UInt16, platform ${lc}, brand ${lc},
      model ${lc}, network ${lc}, wechat ${lc}, baselib ${lc}, province ${lc}, city ${lc}
    ) ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (app_id, name, toDate(ts), user_hash) ${DEDUP}`,
    `CREATE TABLE IF NOT EXISTS custom_event_days (
      app_id ${lc}, day Date, name ${lc}, events SimpleAggregateFunction(sum, UInt64),
      first_ts SimpleAggregateFunction(min, ${ts}), last_ts SimpleAggregateFunction(max, ${ts})
    ) ENGINE = AggregatingMergeTree ORDER BY (app_id, day, name) ${DEDUP}`,
    `CREATE TABLE IF NOT EXISTS custom_props (
      app_id ${lc}, day Date, name ${lc}, prop ${lc}, present UInt64, numeric UInt64
    ) ENGINE = SummingMergeTree ORDER BY (app_id, day, name, prop) ${DEDUP}`,
  ];
}

export const customEventsMigration: Migration = {
  version: 9,
  name: 'custom events: typed property values, custom_events, custom_event_days, custom_props',
  statements: (tz) => [
    'ALTER TABLE events ADD COLUMN IF NOT EXISTS props_num Map(LowCardinality(String), Float64) CODEC(ZSTD(1)) AFTER props',
    ...landing(tz),
    ...customTables(tz),
    'DROP VIEW IF EXISTS custom_events_mv',
    'DROP VIEW IF EXISTS custom_event_days_mv',
    'DROP VIEW IF EXISTS custom_props_mv',
    'TRUNCATE TABLE custom_events',
    'TRUNCATE TABLE custom_event_days',
    'TRUNCATE TABLE custom_props',
    `INSERT INTO custom_events SELECT ${CUSTOM_EVENT_COLUMNS} FROM events WHERE type = 'event'`,
    `INSERT INTO custom_event_days SELECT ${EVENT_DAYS} FROM events WHERE type = 'event' GROUP BY app_id, day, name`,
    `INSERT INTO custom_props SELECT ${PROP_DAYS} FROM events WHERE type = 'event' GROUP BY app_id, day, name, prop`,
    `CREATE MATERIALIZED VIEW custom_events_mv TO custom_events AS
      SELECT ${CUSTOM_EVENT_COLUMNS} FROM events WHERE type = 'event'`,
    `CREATE MATERIALIZED VIEW custom_event_days_mv TO custom_event_days AS
      SELECT ${EVENT_DAYS} FROM events WHERE type = 'event' GROUP BY app_id, day, name`,
    `CREATE MATERIALIZED VIEW custom_props_mv TO custom_props AS
      SELECT ${PROP_DAYS} FROM events WHERE type = 'event' GROUP BY app_id, day, name, prop`,
  ],
};
