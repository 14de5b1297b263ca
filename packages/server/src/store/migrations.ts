/**
 * Applies versioned schema migrations (the list is the schema's, src/schema) in order at start. Each
 * runs once; the applied versions are recorded in `miniscope_migrations` with the deployment's time
 * zone, which is written into the column types, so a store is never opened in another zone.
 */
import { DataTooNewError } from '../data-version.js';
import type { Migration } from '../schema/migration.js';
import type { Store } from './store.js';

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

/** Apply every migration not yet applied (schema/index.ts lists them); returns the versions applied now. */
export async function migrate(store: Store, migrations: Migration[]): Promise<number[]> {
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
