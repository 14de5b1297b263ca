/**
 * Versioned schema migrations for the event store, applied in order at start. Each runs once; the
 * applied versions are recorded in `miniscope_migrations`. The time zone of the deployment is
 * written into the column types (NOTE: ClickHouse's own zone is the host's, so every DateTime64
 * column states the zone, and `toDate(ts)` then uses it).
 */
import { DataTooNewError } from '../data-version.js';
import { dedupWindowMigration } from '../ingest/dedup-window.js';
import { compactionMigration, cubesMigration } from '../metrics/compaction.js';
import { sessionsMigration, sessionsUserAttributes } from '../metrics/sessions-rollup.js';
import type { Store } from './store.js';

export interface Migration {
  version: number;
  name: string;
  statements: (timeZone: string) => string[];
}

/**
 * `events`: one row per accepted event, with the batch's user, device and location copied onto it
 * (LowCardinality makes the repetition nearly free). Ordered for the reads of metrics.md: every
 * report is scoped to one app and a date range, then split by type. No per-event UUID (43 % of the
 * disk in the spike); `batch_id` is kept for idempotence and compresses to almost nothing because a
 * batch's rows sit together.
 */
const eventsTable: Migration = {
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
 * inside the same insert, so a batch is stored whole or not at all as before. Measured: 2.3–3× the
 * rows/s of one JSONEachRow line per event, because the engine parses the shared columns once per
 * batch instead of once per event (BENCHMARKS.md).
 * Each event is a positional tuple (ts, type, sid, path, scene, cold, dur_ms, share_to, name, props).
 * NOTE: positional, because named tuples would expect JSON objects in the input.
 */
const ingestLanding: Migration = {
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

export const MIGRATIONS: Migration[] = [
  eventsTable,
  sessionsMigration,
  ingestLanding,
  sessionsUserAttributes,
  compactionMigration,
  cubesMigration,
  dedupWindowMigration,
];

/** The store was created in another time zone: its days would move, so it is not opened. */
export class TimeZoneChangeError extends Error {
  override name = 'TimeZoneChangeError';
  constructor(
    readonly storedZone: string,
    readonly requestedZone: string,
  ) {
    super(
      `The event store was created with time zone ${storedZone}; it cannot be opened with ${requestedZone}. ` +
        'Set MINISCOPE_TIME_ZONE back, or start with a new data directory.',
    );
  }
}

/** Apply every migration not yet applied; returns the versions applied now. */
export async function migrate(store: Store, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  await store.command(`CREATE TABLE IF NOT EXISTS miniscope_migrations (
    version UInt32, name String, time_zone String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
  ) ENGINE = MergeTree ORDER BY version`);
  const rows = await store.query<{ version: number; time_zone: string }>(
    'SELECT version, time_zone FROM miniscope_migrations ORDER BY version',
  );
  const first = rows[0];
  if (first && first.time_zone !== store.timeZone) throw new TimeZoneChangeError(first.time_zone, store.timeZone);
  const applied = new Set(rows.map((r) => Number(r.version)));
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) throw new DataTooNewError('event store', newest, known);
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    for (const sql of migration.statements(store.timeZone)) await store.command(sql);
    await store.insert('miniscope_migrations', [
      { version: migration.version, name: migration.name, time_zone: store.timeZone },
    ]);
    done.push(migration.version);
  }
  return done;
}
