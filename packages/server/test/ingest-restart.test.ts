/**
 * An insert left unsettled (written part-way, flush-writer.ts) by a server that then stops is in
 * the journal; the next start completes it exactly once, and copies of its batch sent meanwhile
 * wait for that instead of being stored again. (Its own file: one engine per process.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { Miniscope } from '../src/miniscope.js';
import { createMiniscope } from '../src/miniscope.js';
import { batch, simpleOpen, testConfig } from './helpers.js';

const post = (on: Miniscope, payload: unknown) =>
  on.server.inject({
    method: 'POST',
    url: '/collect',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

const countOf = async (on: Miniscope, app: string, table: string) => {
  const [row] = await on.store.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE app_id = {app:String}`, {
    app,
  });
  return Number(row!.n);
};

test('an insert left unsettled by a stopped server is completed once at the next start', async () => {
  const config = testConfig({ logLevel: 'silent' });
  const first = await createMiniscope(config);
  const app = first.apps.add('wx0000000000000a11', 'restart').appid;
  const sent = batch(app, simpleOpen('s1', Date.now() - 60_000), { user: { id: 'u-refused' } });
  // A view's table refuses the rows after `events` took them: the insert fails part-way.
  await first.store.command(`ALTER TABLE open_rollup ADD CONSTRAINT refuse CHECK user_id != 'u-refused'`);
  assert.equal((await post(first, sent)).statusCode, 503);
  await first.store.command('ALTER TABLE open_rollup DROP CONSTRAINT refuse');
  await first.close();
  const journal = `${config.dataDir}/unsettled-flushes`;
  assert.equal(fs.readdirSync(journal).length, 1);

  const second = await createMiniscope(config);
  try {
    // `events` holds the batch, but it is not complete: a copy waits instead of being a duplicate.
    assert.equal(await countOf(second, app, 'events'), 3);
    assert.equal((await post(second, sent)).statusCode, 503);
    await second.collector.writer.settleNow();
    assert.deepEqual(fs.readdirSync(journal), []);
    const res = await post(second, sent);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().duplicate, true);
    assert.equal(await countOf(second, app, 'events'), 3);
    assert.equal(await countOf(second, app, 'open_rollup'), 1);
  } finally {
    await second.close();
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  }
});
