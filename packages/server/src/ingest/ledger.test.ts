/** The batch ledger on its own: memory for a day, the store beyond it, whatever order arrival times come in. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { batch, simpleOpen, startTestMiniscope } from '../../test/helpers.js';
import type { Miniscope } from '../miniscope.js';
import { BatchLedger, LEDGER_WINDOW_MS } from './ledger.js';

let m: Miniscope;
const APP = 'wx00000000000001ed';
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'ledger');
});
after(async () => {
  await m.close();
});

test('arrival times need not be monotonic: a batch pushed out of memory by a later clock is found in the store', async () => {
  const then = Date.now() - 30 * 86_400_000;
  const old = batch(APP, simpleOpen('s-old', then), { batch: 'old', sent_at: then + 6000 });
  await m.ingest.collect(old, undefined, then + 6000); // stored, with its rows

  const ledger = new BatchLedger(m.store);
  ledger.track(APP, 'old', Promise.resolve(), then + 6000);
  await Promise.resolve();
  // A request arriving now moves the day-long memory past the old batch…
  assert.equal(await ledger.seen(APP, 'new', Date.now(), Date.now()), false);
  // …so the old batch, retried with an arrival time from back then, must come from the store.
  assert.equal(await ledger.seen(APP, 'old', then, then + 66_000), true);
  assert.equal(await ledger.seen(APP, 'never-sent', then, then + 66_000), false);
});

test('recent batches are answered from memory; a fresh ledger loads the last day from the store', async () => {
  const now = Date.now();
  await m.ingest.collect(batch(APP, simpleOpen('s-recent', now - 60_000), { batch: 'recent' }), undefined);
  const ledger = new BatchLedger(m.store);
  assert.ok((await ledger.load(now)) >= 1);
  assert.equal(await ledger.seen(APP, 'recent', now - 60_000, now), true);
  // The 30-day-old batch is not in memory after a load, but the store still knows it.
  assert.equal(await ledger.seen(APP, 'old', now - 30 * 86_400_000, now), true);
  assert.equal(await ledger.seen(APP, 'other', now - LEDGER_WINDOW_MS / 2, now), false);
});
