/**
 * The events as stored (migrations 1 and 3). `events`: one row per accepted event, with the batch's
 * user, device and location copied onto it (LowCardinality makes the repetition nearly free),
 * ordered for the reads of metrics.md: every report is scoped to one app and a date range, then
 * split by type. No per-event UUID (43 % of the disk in the spike); `batch_id` is kept for
 * idempotence and compresses to almost nothing because a batch's rows sit together.
 * NOTE: the deployment's time zone is written into the column types (ClickHouse's own zone is the
 * host's), so `toDate(ts)` counts days in it.
 */
import type { Migration } from './migration.js';

export const eventsTable: Migration = {
  version: 1,
  name: 'events',
  statements: (tz) => [
    `CREATE TABLE IF NOT EXISTS events (
      app_id LowCardinality(String),
      ts DateTime64(3, '${tz}') CODEC(DoubleDelta, ZSTD(1)),
      type Enum8('open' = 1, 'pv' = 2, 'leave' = 3, 'share' = 4, 'hide' = 5, 'event' = 6),
      user_id String CODEC(ZSTD(1)),
      sid String CODEC(ZSTD(1)),
      path LowCardinality(String),
      scene UInt16,
      cold Bool,
      dur_ms UInt32 CODEC(T64, ZSTD(1)),
      share_to LowCardinality(String),
      name LowCardinality(String),
      props Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      gender UInt8,
      birth_year UInt16,
      platform LowCardinality(String),
      brand LowCardinality(String),
      model LowCardinality(String),
      system LowCardinality(String),
      wechat LowCardinality(String),
      baselib LowCardinality(String),
      network LowCardinality(String),
      language LowCardinality(String),
      screen_w UInt16,
      screen_h UInt16,
      province LowCardinality(String),
      city LowCardinality(String),
      batch_id String CODEC(ZSTD(1)),
      received_at DateTime64(3, '${tz}') CODEC(DoubleDelta, ZSTD(1)),
      INDEX received_at_idx received_at TYPE minmax GRANULARITY 4
    ) ENGINE = MergeTree
    PARTITION BY toYYYYMM(ts)
    ORDER BY (app_id, toDate(ts), type, user_id, sid)`,
  ],
};

/**
 * `events_in`: where ingest writes. One row per batch, with the columns a batch shares and its
 * events as an array; a Null table keeps nothing, and the view expands each row into `events`
 * inside the same insert. Measured: 2.3–3× the rows/s of one JSONEachRow line per event, because
 * the engine parses the shared columns once per batch instead of once per event (BENCHMARKS.md).
 * Each event is a positional tuple (ts, type, sid, path, scene, cold, dur_ms, share_to, name, props);
 * migration 9 (custom-events.ts) adds props_num.
 * NOTE: positional, because named tuples would expect JSON objects in the input.
 */
export const ingestLanding: Migration = {
  version: 3,
  name: 'events_in',
  statements: (tz) => [
    `CREATE TABLE IF NOT EXISTS events_in (
      app_id String, user_id String, gender UInt8, birth_year UInt16, platform String, brand String, model String,
      system String, wechat String, baselib String, network String, language String, screen_w UInt16, screen_h UInt16,
      province String, city String, batch_id String, received_at Int64,
      events Array(Tuple(Int64, String, String, String, UInt16, Bool, UInt32, String, String, Map(String, String)))
    ) ENGINE = Null`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS events_in_mv TO events AS
    SELECT app_id, fromUnixTimestamp64Milli(e.1, '${tz}') AS ts, e.2 AS type, user_id, e.3 AS sid, e.4 AS path,
      e.5 AS scene, e.6 AS cold, e.7 AS dur_ms, e.8 AS share_to, e.9 AS name, e.10 AS props,
      gender, birth_year, platform, brand, model, system, wechat, baselib, network, language, screen_w, screen_h,
      province, city, batch_id, fromUnixTimestamp64Milli(received_at, '${tz}') AS received_at
    FROM events_in ARRAY JOIN events AS e`,
  ],
};
