/**
 * Test helpers: a whole Miniscope on a temporary data directory (real chdb, one engine per test
 * file, which `node --test` runs as its own process), and builders for protocol batches.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CollectBatch, CollectEvent } from '@miniscope/contract';
import { type Config, loadConfig } from '../src/config.js';
import { assembleMiniscope, createMiniscope, type Miniscope } from '../src/miniscope.js';
import type { Store } from '../src/store/store.js';

export function tempDir(prefix = 'miniscope-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  // No background compaction: tests call `m.metrics.compact()` when they mean it, and a timer firing
  // mid-test would make runs differ (and trip tests that fake the clock).
  const flags = { 'data-dir': tempDir(), 'log-level': 'warn', 'flush-ms': '5', 'compact-every': '0' };
  return { ...loadConfig({}, flags), ...overrides };
}

/** A Miniscope on a fresh data directory; `close()` also removes the directory. */
export async function startTestMiniscope(overrides: Partial<Config> = {}): Promise<Miniscope> {
  const config = testConfig(overrides);
  const m = await createMiniscope(config);
  const close = m.close;
  m.close = async () => {
    await close();
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  };
  return m;
}

/** Another server with other settings over the same stores (one chdb data directory per process). */
export function variantOf(m: Miniscope, overrides: Partial<Config>): Promise<Miniscope> {
  return assembleMiniscope({ ...m.config, ...overrides }, m.store, m.meta);
}

let batchSeq = 0;

/** A valid batch for `app`, with the given events; `sent_at` defaults to now (no clock skew). */
export function batch(app: string, events: CollectEvent[], extra: Partial<CollectBatch> = {}): CollectBatch {
  return {
    v: 1,
    app,
    batch: `batch-${process.pid}-${++batchSeq}`,
    sent_at: Date.now(),
    user: { id: 'u1' },
    device: { platform: 'ios', brand: 'Apple', model: 'iPhone 15', system: 'iOS 18.1' },
    events,
    ...extra,
  };
}

/** An open with one page view and its leave: the smallest counted open. */
export function simpleOpen(sid: string, ts: number, path = 'pages/index/index', scene = 1001): CollectEvent[] {
  return [
    { id: `${sid}-o`, t: 'open', ts, sid, scene, path, cold: true },
    { id: `${sid}-p`, t: 'pv', ts: ts + 100, sid, path },
    { id: `${sid}-l`, t: 'leave', ts: ts + 5100, sid, path, dur: 5000 },
  ];
}

/**
 * Let time pass after a compaction run: every event it covered arrived 10 minutes before now, beyond
 * the run's margin, so the days it compacted are clean and reports read `opens_final` and the cubes.
 */
export async function ageArrivals(store: Store): Promise<void> {
  for (const [table, columns] of [
    ['dirty_days', 'app_id, event_day, max(at) - INTERVAL 10 MINUTE FROM dirty_days GROUP BY app_id, event_day'],
    ['dirty_opens', 'app_id, event_day, user_id, sid, at - INTERVAL 10 MINUTE FROM dirty_opens'],
  ]) {
    await store.command(`DROP TABLE IF EXISTS ${table}_aged`);
    await store.command(`CREATE TABLE ${table}_aged AS ${table}`);
    await store.command(`INSERT INTO ${table}_aged SELECT ${columns}`);
    await store.command(`TRUNCATE TABLE ${table}`);
    await store.command(`INSERT INTO ${table} SELECT * FROM ${table}_aged`);
    await store.command(`DROP TABLE ${table}_aged`);
  }
}
