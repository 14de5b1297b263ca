/** MINISCOPE_FSYNC turns the engine's fsync settings on and off for every MergeTree table of ours. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { prepareStore } from '../schema/index.js';
import { applyDurability } from './durability.js';
import { Store } from './store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miniscope-fsync-'));
let store: Store;
before(async () => {
  store = await Store.open({ dataDir: dir, timeZone: 'Asia/Shanghai', ingestClients: 1 });
  await prepareStore(store);
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const createSql = async (table: string) =>
  (await store.query<{ statement: string }>(`SHOW CREATE TABLE ${table}`))[0]!.statement;

test('fsync on, then off again, on every MergeTree table', async () => {
  const tables = await applyDurability(store, true);
  assert.ok(tables.includes('events'), `tables: ${tables.join(', ')}`);
  assert.ok(!tables.includes('events_in'), 'the Null landing table keeps nothing to fsync');
  for (const t of tables) assert.match(await createSql(t), /fsync_after_insert = 1, fsync_part_directory = 1/, t);
  await applyDurability(store, false);
  for (const t of tables) assert.match(await createSql(t), /fsync_after_insert = 0, fsync_part_directory = 0/, t);
});

test('inserts still land with fsync on', async () => {
  await applyDurability(store, true);
  await store.insertRaw(
    'events_in',
    'JSONCompactEachRow',
    `${JSON.stringify(['wx00000000000000f5', 'u', 0, 0, 'ios', '', '', '', '', '', '', '', 0, 0, '未知', '未知', 'b1', Date.now(), [[Date.now(), 'pv', 's', 'p', 0, false, 0, '', '', {}, {}]]])}\n`,
  );
  const [row] = await store.query<{ n: string }>("SELECT count() AS n FROM events WHERE app_id = 'wx00000000000000f5'");
  assert.equal(Number(row!.n), 1);
});
