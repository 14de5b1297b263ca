/**
 * What changed since compaction last ran (migrations 5 and 6): views on `events` record, with the
 * engine's clock, which event days (`dirty_days`) and which opens (`dirty_opens`) got events when.
 * Compaction recomputes the days of the touched opens, and readers read them live meanwhile
 * (metrics/plan/freshness.ts). The tables compaction writes are the cache layout (cache.ts).
 * NOTE: migrations 5 and 6 also created the cache tables of their time; the cache layout now makes
 * and replaces those.
 */
import type { Migration } from './migration.js';

export const dirtyDaysMigration: Migration = {
  version: 5,
  name: 'compaction: dirty days',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS dirty_days (app_id LowCardinality(String), event_day Date, at DateTime64(3))
      ENGINE = ReplacingMergeTree(at) ORDER BY (app_id, event_day)`,
    'DROP VIEW IF EXISTS dirty_days_mv',
    'TRUNCATE TABLE dirty_days',
    'INSERT INTO dirty_days SELECT app_id, toDate(ts) AS event_day, now64(3) FROM events GROUP BY app_id, event_day',
    `CREATE MATERIALIZED VIEW dirty_days_mv TO dirty_days AS
      SELECT app_id, toDate(ts) AS event_day, now64(3) AS at FROM events GROUP BY app_id, event_day`,
  ],
};

export const dirtyOpensMigration: Migration = {
  version: 6,
  name: 'compaction: dirty opens',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS dirty_opens (app_id LowCardinality(String), event_day Date, user_id String, sid String,
      at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY (app_id, at)`,
    'DROP VIEW IF EXISTS dirty_opens_mv',
    `CREATE MATERIALIZED VIEW dirty_opens_mv TO dirty_opens AS
      SELECT app_id, toDate(ts) AS event_day, user_id, sid, now64(3) AS at FROM events GROUP BY app_id, event_day, user_id, sid`,
  ],
};
