/**
 * Migration 7: the tables an ingest insert writes (`events` and every table a view fills from it)
 * keep the ids of their last blocks, so that an insert sent again with the same deduplication token
 * writes only what the first attempt did not (ingest/flush-writer.ts). Without it, an insert that
 * failed after `events` took its rows but before a view's table did would be stored twice by the
 * retry, or missing from the rollup. ingest-dedup.test.ts holds every such table to it, so a view
 * cannot be added without it.
 */
import type { Migration } from './migration.js';

/** Block ids kept per table: far more than the inserts made while a failed one is retried. */
export const DEDUP_WINDOW = 10_000;

/** The tables an ingest insert writes, by their current names. */
export const INGEST_CHAIN_TABLES = [
  'events',
  'open_rollup',
  'dirty_days',
  'dirty_opens',
  'custom_events',
  'custom_event_days',
  'custom_props',
];

export const dedupWindowMigration: Migration = {
  version: 7,
  name: 'ingest: deduplication window on the tables an insert writes',
  // NOTE: the rollup was still named `sessions` then (migration 8 renamed it; the setting stays).
  statements: () =>
    ['events', 'sessions', 'dirty_days', 'dirty_opens'].map(
      (table) => `ALTER TABLE ${table} MODIFY SETTING non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
    ),
};
