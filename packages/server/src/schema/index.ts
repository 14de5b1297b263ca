/**
 * The event store's schema: every table and view, in migration order (each step once, recorded in
 * `miniscope_migrations`, store/migrations.ts), then the cache layout compaction writes (rebuilt when
 * its definition changes, cache.ts). `prepareStore` is what a server runs at start.
 */

import { migrate } from '../store/migrations.js';
import type { Store } from '../store/store.js';
import { ensureCacheLayout } from './cache.js';
import { customEventsMigration } from './custom-events.js';
import { dirtyDaysMigration, dirtyOpensMigration } from './dirty-tracking.js';
import { eventsTable, ingestLanding } from './events.js';
import { dedupWindowMigration } from './ingest-dedup.js';
import type { Migration } from './migration.js';
import { rollupMigration, rollupRenamed, rollupUserAttributes } from './open-rollup.js';

export type { Migration } from './migration.js';

export const MIGRATIONS: Migration[] = [
  eventsTable,
  rollupMigration,
  ingestLanding,
  rollupUserAttributes,
  dirtyDaysMigration,
  dirtyOpensMigration,
  dedupWindowMigration,
  rollupRenamed,
  customEventsMigration,
];

/** Migrate the store and bring the cache layout up to date; returns the migrations applied now. */
export async function prepareStore(store: Store, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  const applied = await migrate(store, migrations);
  await ensureCacheLayout(store);
  return applied;
}
