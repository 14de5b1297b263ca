/**
 * Assembles a running Miniscope from its configuration: event store (migrated), metadata, ingest
 * pipeline and HTTP server. `close()` stops taking requests, writes what is queued and closes the
 * stores, in that order, so a clean shutdown loses nothing.
 */

import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Auth, createAuth } from './auth/auth.js';
import type { Config } from './config.js';
import { DatacubeTokens } from './datacube/tokens.js';
import { buildServer } from './http/server.js';
import { Collector } from './ingest/collector.js';
import { Geo } from './ingest/geo.js';
import { Ingest } from './ingest/ingest.js';
import { BatchLedger } from './ingest/ledger.js';
import { UnsettledJournal } from './ingest/unsettled-journal.js';
import { Apps } from './meta/apps.js';
import { CustomDefs } from './meta/custom-defs.js';
import { type MetaDb, openMetaDb } from './meta/db.js';
import { MetricsEngine } from './metrics/engine.js';
import { prepareStore } from './schema/index.js';
import { applyDurability } from './store/durability.js';
import { Store } from './store/store.js';

export interface Miniscope {
  config: Config;
  store: Store;
  meta: MetaDb;
  apps: Apps;
  auth: Auth;
  collector: Collector;
  ingest: Ingest;
  server: FastifyInstance;
  /** The metrics engine (reports, datacube); compacts in the background while running. */
  metrics: MetricsEngine;
  close(): Promise<void>;
}

export async function createMiniscope(config: Config): Promise<Miniscope> {
  const store = await Store.open({
    dataDir: config.dataDir,
    url: config.clickhouseUrl,
    timeZone: config.timeZone,
    memoryLimitMb: config.engineMemoryMb,
  });
  try {
    await prepareStore(store);
    await applyDurability(store, config.fsync);
    const meta = openMetaDb(config.dataDir);
    const m = await assembleMiniscope(config, store, meta);
    const closeServing = m.close;
    let closed = false;
    m.close = async () => {
      if (closed) return;
      closed = true;
      await closeServing();
      await store.close();
      meta.close();
    };
    return m;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The serving parts over already-open stores. Its `close()` stops the server and writes what is
 * queued, but leaves the stores open (tests build variants with other settings on one store).
 */
export async function assembleMiniscope(config: Config, store: Store, meta: MetaDb): Promise<Miniscope> {
  const apps = new Apps(meta);
  const ledger = new BatchLedger(store);
  await ledger.load();
  const collector = new Collector(store, config, {
    journal: new UnsettledJournal(path.join(config.dataDir, 'unsettled-flushes')),
    // NOTE: called on a request, after `server` below exists.
    log: (message, error) => server.log.error({ err: error }, message),
  });
  // Flushes a previous process left part-written are completed first, and copies of their batches
  // wait for that (flush-writer.ts).
  for (const { keys, settled } of collector.writer.recover()) {
    for (const key of keys) ledger.settling(key.app, key.batch, settled);
  }
  const metrics = new MetricsEngine(store);
  const ingest = new Ingest({
    apps,
    ledger,
    collector,
    geo: new Geo(),
    lateDataDays: config.lateDataDays,
    onStored: (oldestAt) => metrics.eventsStored(oldestAt),
  });
  // The store's zone is the one its data was written in (it refuses to open with another).
  const auth = createAuth(meta, apps, { ...config, timeZone: store.timeZone });
  const server = await buildServer({
    store,
    ingest,
    collector,
    trustProxy: config.trustProxy,
    logLevel: config.logLevel,
    auth,
    datacube: { engine: metrics, tokens: new DatacubeTokens(meta, apps) },
    reports: { engine: metrics, apps, customDefs: new CustomDefs(meta) },
  });
  if (config.compactEverySeconds > 0) {
    metrics.startCompaction({
      everyMs: config.compactEverySeconds * 1000,
      onError: (error) => server.log.warn({ err: error }, 'compaction failed'),
      lastWriteAt: () => collector.lastStoredAt,
    });
  }
  // Stop promptly: new batches are refused with the protocol's 503 while queued ones are written,
  // and a compaction run in progress stops after its current statement.
  const close = async () => {
    ingest.close();
    await metrics.stopCompaction();
    await server.close();
    await collector.drain();
    collector.stop();
  };
  return { config, store, meta, apps, auth, collector, ingest, server, metrics, close };
}
