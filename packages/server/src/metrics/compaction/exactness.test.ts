/**
 * The open rollup and compaction against the raw-events reference: on a generated history
 * (test/exactness-history.ts), every report reads the same from raw events, the rollup and compacted
 * opens, before and after compaction. Late events: late-events.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import {
  compareSources,
  dirtyDays,
  everything,
  openHistoryStore,
  otherReports,
  retention,
  trendFigures,
} from '../../../test/exactness-history.js';
import { ageArrivals, tempDir } from '../../../test/helpers.js';
import type { Store } from '../../store/store.js';
import { compactOnce } from './run.js';

const dir = tempDir('miniscope-exactness-');
let store: Store;
before(async () => {
  store = await openHistoryStore(dir);
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('trend figures per day, week and month', trendFigures);
test('distributions, scenes, pages and portrait', otherReports);
test('retention by day and week', retention);

test('after compaction, every report reads the same', async () => {
  compareSources(['compacted']);
  const first = await compactOnce(store);
  await ageArrivals(store);
  assert.deepEqual(await dirtyDays(), []);
  assert.ok(first.days >= 20, JSON.stringify(first));
  const [n] = await store.query<{ n: string }>('SELECT count() AS n FROM opens_final');
  assert.ok(Number(n!.n) > 100);
  await everything();
  // Nothing arrived since: the next run has nothing to do beyond the margin, and changes nothing.
  await compactOnce(store);
  await everything();
});
