/**
 * Migration 7: the tables an ingest insert writes (`events` and every table a view fills from it)
 * keep the ids of their last blocks, so that an insert sent again with the same deduplication token
 * writes only what the first attempt did not (flush-writer.ts). Without it, an insert that failed
 * after `events` took its rows but before a view's table did would be stored twice by the retry,
 * or missing from the rollups. ingest-chain.test.ts holds every such table to it, so a new view
 * cannot be added without it.
 */
import type { Migration } from '../store/migrations.js';

/** Block ids kept per table: far more than the inserts made while a failed one is retried. */
export const DEDUP_WINDOW = 10_000;

export const INGEST_CHAIN_TABLES = ['events', 'sessions', 'dirty_days', 'dirty_opens'];

export const dedupWindowMigration: Migration = {
  version: 7,
  name: 'ingest: deduplication window on the tables an insert writes',
  statements: () =>
    INGEST_CHAIN_TABLES.map(
      (table) => `ALTER TABLE ${table} MODIFY SETTING non_replicated_deduplication_window = ${DEDUP_WINDOW}`,
    ),
};
