/**
 * Late events against compacted days, and traffic that dirties only the days of the opens it
 * touches: every report reads the same from compacted opens as from raw events before and after the
 * next run (test/exactness-history.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import {
  APP,
  compareSources,
  days,
  dirtyDays,
  everything,
  history,
  openHistoryStore,
  openRows,
  random,
} from '../../../test/exactness-history.js';
import { ageArrivals, tempDir } from '../../../test/helpers.js';
import { sh } from '../../../test/metrics-fixture.js';
import type { Store } from '../../store/store.js';
import { compactOnce } from './run.js';

const dir = tempDir('miniscope-late-events-');
let store: Store;
before(async () => {
  store = await openHistoryStore(dir);
  compareSources(['compacted']);
  await compactOnce(store);
  await ageArrivals(store);
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('late events: the same before and after the next compaction', async () => {
  // Late events for compacted days: new opens, and events of existing opens (some moving their day).
  for (const rows of history(3, days('2026-09-27', 12))) await store.insert('events', rows);
  const [sid] = await store.query<{ sid: string; user_id: string }>(
    "SELECT sid, user_id FROM events WHERE app_id = {app:String} AND toDate(ts) = '2026-10-02' LIMIT 1",
    { app: APP },
  );
  await store.insert('events', [
    {
      app_id: APP,
      user_id: sid!.user_id,
      sid: sid!.sid,
      props: {},
      ts: sh('2026-10-01 23:59:00'),
      type: 'open',
      scene: 1047,
      path: 'p/z',
    },
    {
      app_id: APP,
      user_id: sid!.user_id,
      sid: sid!.sid,
      props: {},
      ts: sh('2026-10-02 23:59:00'),
      type: 'pv',
      path: 'p/z',
    },
  ]);
  // Users never compacted yet (live opens only, numbered for the statement).
  const rand = random(4);
  for (const [user, day] of [
    ['n1', '2026-10-03'],
    ['n1', '2026-10-09'],
    ['n2', '2026-10-09'],
    ['n3', '2026-10-04'],
  ] as const) {
    await store.insert('events', openRows(rand, user, `late-${user}-${day}`, sh(`${day} 10:00:00`)));
  }
  // Late days are live now, the rest read from compacted rows and cubes.
  assert.ok((await dirtyDays()).length >= 12);
  await everything();
  const late = await compactOnce(store);
  assert.ok(late.days >= 12, JSON.stringify(late));
  await ageArrivals(store);
  assert.deepEqual(await dirtyDays(), []);
  await everything();
  // The next run drops the first days the late run replaced; figures stay the same.
  const [before] = await store.query<{ n: string }>('SELECT count() - uniqExact(user_hash) AS n FROM user_first');
  assert.ok(Number(before!.n) > 0, 'the late run replaced some first days');
  await compactOnce(store);
  const [replaced] = await store.query<{ n: string }>('SELECT count() - uniqExact(user_hash) AS n FROM user_first');
  assert.equal(Number(replaced!.n), 0);
  await everything();
});

test('traffic dirties the days of the opens it touches, not the days around them', async () => {
  const base = { app_id: APP, user_id: 'u1', props: {}, platform: 'ios' };
  // An open within one day; then the late events of an open that started the evening before.
  await store.insert('events', [
    { ...base, sid: 'day-open', ts: sh('2026-10-10 10:00:00'), type: 'open', scene: 1001, path: 'p/a' },
    { ...base, sid: 'day-open', ts: sh('2026-10-10 10:00:01'), type: 'pv', path: 'p/a' },
  ]);
  assert.deepEqual(await dirtyDays(), ['2026-10-10']);
  const [crossing] = await store.query<{ sid: string; user_id: string }>(
    `SELECT sid, any(user_id) AS user_id FROM events WHERE app_id = {app:String} AND toDate(ts) = '2026-10-06'
     GROUP BY sid HAVING countIf(type = 'open') = 1 AND max(ts) < toDateTime64('2026-10-06 23:59:59', 3) LIMIT 1`,
    { app: APP },
  );
  await store.insert('events', [
    { ...base, user_id: crossing!.user_id, sid: crossing!.sid, ts: sh('2026-10-07 00:00:30'), type: 'pv', path: 'p/b' },
  ]);
  assert.deepEqual(await dirtyDays(), ['2026-10-06', '2026-10-10']);
  await everything();
  await compactOnce(store);
  await ageArrivals(store);
  assert.deepEqual(await dirtyDays(), []);
  await everything();
});
