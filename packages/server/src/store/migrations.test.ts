/** Migrations: an event store a newer Miniscope migrated is refused (a rollback is a restore). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DataTooNewError } from '../data-version.js';
import { MIGRATIONS, prepareStore } from '../schema/index.js';
import { migrate } from './migrations.js';
import { Store } from './store.js';

test('a store with migrations this version does not know is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miniscope-migrations-'));
  const store = await Store.open({ dataDir: dir, timeZone: 'Asia/Shanghai', ingestClients: 1 });
  try {
    await prepareStore(store);
    assert.deepEqual(await migrate(store, MIGRATIONS), [], 'nothing left to apply');
    const older = MIGRATIONS.slice(0, -1);
    await assert.rejects(
      migrate(store, older),
      (e: Error) => e instanceof DataTooNewError && e.found === MIGRATIONS.at(-1)!.version,
    );
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
