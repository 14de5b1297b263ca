/**
 * Page figures against a hand-computed fixture: a path repeated within an open, an open without
 * its open event, an open crossing midnight, an open with no page view, ties and the limit.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser } from '../../../test/metrics-fixture.js';
import { runPages } from '../../../test/run-report.js';
import type { Miniscope } from '../../miniscope.js';

const APP = 'wx00000000000000e1';
const INDEX = 'pages/index/index';
const DETAIL = 'pages/detail/detail';
const LIST = 'pages/list/list';
let m: Miniscope;

/*
 * 10-05:
 * u1 s1: open; pv index, leave 4 s; pv detail, leave 6 s, share detail; pv index, leave 2 s
 *        → entry index, exit index
 * u2 s2: no open event; pv detail, leave 10 s; pv list (no leave); 2 shares from list
 *        → entry detail, exit list
 * u2 s3: open 23:59:00; pv index 23:59:10; pv detail 10-06 00:00:10, leave 3 s → a 10-05 open,
 *        entry index, exit detail
 * u3 s4: open, no page view; a leave of index 5 s and a share from index → not counted
 * u1 s5: open 10-04 23:59:50, pv index 23:59:55, pv detail 10-05 00:00:05 → a 10-04 open
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'pages');
  await seedUser(m, APP, 'u1', [
    ev.open('s1', '2026-10-05 10:00:00'),
    ev.pv('s1', '2026-10-05 10:00:01', INDEX),
    ev.leave('s1', '2026-10-05 10:00:05', INDEX, 4000),
    ev.pv('s1', '2026-10-05 10:00:05', DETAIL),
    ev.share('s1', '2026-10-05 10:00:08', DETAIL),
    ev.leave('s1', '2026-10-05 10:00:11', DETAIL, 6000),
    ev.pv('s1', '2026-10-05 10:00:11', INDEX),
    ev.leave('s1', '2026-10-05 10:00:13', INDEX, 2000),
    ev.open('s5', '2026-10-04 23:59:50'),
    ev.pv('s5', '2026-10-04 23:59:55', INDEX),
    ev.pv('s5', '2026-10-05 00:00:05', DETAIL),
  ]);
  await seedUser(m, APP, 'u2', [
    ev.pv('s2', '2026-10-05 11:00:00', DETAIL),
    ev.leave('s2', '2026-10-05 11:00:10', DETAIL, 10000),
    ev.pv('s2', '2026-10-05 11:00:10', LIST),
    ev.share('s2', '2026-10-05 11:00:12', LIST),
    ev.share('s2', '2026-10-05 11:00:14', LIST),
    ev.open('s3', '2026-10-05 23:59:00'),
    ev.pv('s3', '2026-10-05 23:59:10', INDEX),
    ev.pv('s3', '2026-10-06 00:00:10', DETAIL),
    ev.leave('s3', '2026-10-06 00:00:13', DETAIL, 3000),
  ]);
  await seedUser(m, APP, 'u3', [
    ev.open('s4', '2026-10-05 12:00:00'),
    ev.leave('s4', '2026-10-05 12:00:05', INDEX, 5000),
    ev.share('s4', '2026-10-05 12:00:06', INDEX),
  ]);
});

after(() => m.close());

test('every figure per path for one day, by views then path', async () => {
  const rows = await runPages(m.store, { app: APP, from: '2026-10-05', to: '2026-10-05' });
  assert.deepEqual(rows, [
    {
      page_path: DETAIL,
      page_visit_pv: 3, // s1, s2, s3 (its detail view is after midnight)
      page_visit_uv: 2, // u1, u2
      page_staytime_pv: 19 / 3, // (6 + 10 + 3) s / 3 views
      entrypage_pv: 1, // s2
      exitpage_pv: 1, // s3
      page_share_pv: 1, // s1
      page_share_uv: 1,
    },
    {
      page_path: INDEX,
      page_visit_pv: 3, // s1 twice (repeated path), s3; s4 has no page view, s5 is 10-04's
      page_visit_uv: 2,
      page_staytime_pv: 2, // (4 + 2) s / 3 views; s4's 5 s leave is not counted
      entrypage_pv: 2, // s1, s3
      exitpage_pv: 1, // s1 (index again last)
      page_share_pv: 0, // s4's share is in an uncounted open
      page_share_uv: 0,
    },
    {
      page_path: LIST,
      page_visit_pv: 1,
      page_visit_uv: 1,
      page_staytime_pv: 0, // no leave
      entrypage_pv: 0,
      exitpage_pv: 1, // s2
      page_share_pv: 2,
      page_share_uv: 1,
    },
  ]);
});

test('the day before holds the open that crossed midnight', async () => {
  const rows = await runPages(m.store, { app: APP, from: '2026-10-04', to: '2026-10-04' });
  assert.deepEqual(
    rows.map((r) => [r.page_path, r.page_visit_pv, r.entrypage_pv, r.exitpage_pv]),
    [
      [DETAIL, 1, 0, 1],
      [INDEX, 1, 1, 0],
    ],
  );
});

test('a range sums views and de-duplicates viewers; limit keeps the top paths', async () => {
  const rows = await runPages(m.store, { app: APP, from: '2026-10-04', to: '2026-10-05', limit: 1 });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.page_path, DETAIL); // 4 views, tie with index broken by path
  assert.equal(rows[0]!.page_visit_pv, 4);
  assert.equal(rows[0]!.page_visit_uv, 2);
  await assert.rejects(runPages(m.store, { app: APP, from: '2026-10-04', to: '2026-10-05', limit: 0 }), /limit/);
});

test('an empty day has no pages', async () => {
  assert.deepEqual(await runPages(m.store, { app: APP, from: '2026-10-07', to: '2026-10-07' }), []);
});

test('sorted by exit rate (exits ÷ views), ties by path', async () => {
  const rows = await runPages(m.store, { app: APP, from: '2026-10-05', to: '2026-10-05', sort: 'exit_rate' });
  // list 1/1, detail 1/3, index 1/3
  assert.deepEqual(
    rows.map((r) => r.page_path),
    [LIST, DETAIL, INDEX],
  );
  await assert.rejects(
    runPages(m.store, { app: APP, from: '2026-10-05', to: '2026-10-05', sort: 'path' as 'exit_rate' }),
    /sorted/,
  );
});
