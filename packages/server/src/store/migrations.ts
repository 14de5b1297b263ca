/**
 * Versioned schema migrations for the event store, applied in order at start. Each runs once; the
 * applied versions are recorded in `miniscope_migrations`. The time zone of the deployment is
 * written into the column types (NOTE: ClickHouse's own zone is the host's, so every DateTime64
 * column states the zone, and `toDate(ts)` then uses it).
 */
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

export const MIGRATIONS: Migration[] = [eventsTable];

/** Apply every migration not yet applied; returns the versions applied now. */
export async function migrate(store: Store, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  await store.command(`CREATE TABLE IF NOT EXISTS miniscope_migrations (
    version UInt32, name String, time_zone String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
  ) ENGINE = MergeTree ORDER BY version`);
  const rows = await store.query<{ version: number; time_zone: string }>(
    'SELECT version, time_zone FROM miniscope_migrations ORDER BY version',
  );
  const first = rows[0];
  if (first && first.time_zone !== store.timeZone) {
    throw new Error(
      `The event store was created with time zone ${first.time_zone}; it cannot be opened with ${store.timeZone}. ` +
        'Set MINISCOPE_TIME_ZONE back, or start with a new data directory.',
    );
  }
  const applied = new Set(rows.map((r) => Number(r.version)));
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
