/**
 * Every table an ingest insert writes, found by following the views from `events_in` in the real
 * schema, keeps the deduplication window that lets a failed insert be completed exactly once
 * (flush-writer.ts). A view added later without it fails here.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { tempDir } from '../../test/helpers.js';
import { Store } from '../store/store.js';
import { prepareStore } from './index.js';
import { DEDUP_WINDOW, INGEST_CHAIN_TABLES } from './ingest-dedup.js';

let store: Store;
const dir = tempDir();
before(async () => {
  store = await Store.open({ dataDir: dir, timeZone: 'Asia/Shanghai' });
  await prepareStore(store);
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('every table fed from events_in, through views, keeps the deduplication window', async () => {
  const tables = await store.query<{ name: string; views: string[]; ddl: string }>(
    `SELECT name, dependencies_table AS views, create_table_query AS ddl FROM system.tables
     WHERE database = currentDatabase()`,
  );
  const byName = new Map(tables.map((t) => [t.name, t]));
  const written = new Set<string>();
  const follow = (name: string) => {
    for (const view of byName.get(name)?.views ?? []) {
      const target = /\bTO default\.(\w+)/.exec(byName.get(view)?.ddl ?? '')?.[1];
      assert.ok(target, `view ${view} writes to a table of its own`);
      written.add(target);
      follow(target);
    }
  };
  follow('events_in');
  assert.deepEqual([...written].sort(), [...INGEST_CHAIN_TABLES].sort());
  for (const name of written) {
    assert.match(byName.get(name)!.ddl, new RegExp(`non_replicated_deduplication_window = ${DEDUP_WINDOW}\\b`), name);
  }
});
