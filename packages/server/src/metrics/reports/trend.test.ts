/**
 * Trend figures against hand-computed fixtures: opens crossing midnight, an open with no page
 * view, a path repeated within an open, a retried batch, week and month boundaries, zero divisors,
 * filters and the cumulative user count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { METRIC_IDS } from '@miniscope/contract';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seed, seedUser, userBatch } from '../../../test/metrics-fixture.js';
import { runTrend } from '../../../test/run-report.js';
import type { Miniscope } from '../../miniscope.js';

const APP = 'wx00000000000000a1';
/** Every daily figure of the registry (the hand-computed answers below name each one). */
const ALL = METRIC_IDS;

let m: Miniscope;

/*
 * The fixture (Asia/Shanghai wall-clock times). 2026-10-04 is a Sunday, 2026-10-05 a Monday.
 *
 * u1  s0: open Wed 09-30 23:58 (scene 1001), pv index 23:59, pv detail 10-01 00:01   → September (crosses month)
 *     s1: open Mon 10-05 10:00 (1001): pv index, leave 5 s, pv detail, leave 7 s, share from
 *         detail, pv index again, leave 3 s                                         → pvs 3, depth 2, stay 15 s
 *         (sent twice: the retried batch must count once)
 *     s5: open Tue 10-06 11:00 (1001): pv index, leave 4 s                            → pvs 1, depth 1, stay 4 s
 * u2  s2: open Sun 10-04 23:59 (1047), pv index 23:59:30, pv detail Mon 10-05 00:00:30,
 *         leave 20 s at 00:00:50                                                   → Sunday, week of 09-28
 *     s6: open Mon 10-05 09:00 (1047): pv index, leave 10 s                           → pvs 1, stay 10 s
 * u3  s3: open Mon 10-05 12:00 (9999), no page view, leave-less hide                 → not counted
 *     s4: open Tue 10-06 09:00 (1001): pv index, leave 2 s                            → u3's first counted open
 * u4  s7: its open event never arrived: pv index Tue 10-06 08:00, leave 4 s           → day 10-06
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'trend');
  await seedUser(m, APP, 'u1', [
    ev.open('s0', '2026-09-30 23:58:00'),
    ev.pv('s0', '2026-09-30 23:59:00'),
    ev.pv('s0', '2026-10-01 00:01:00', 'pages/detail/detail'),
  ]);
  const s1 = userBatch(APP, 'u1', [
    ev.open('s1', '2026-10-05 10:00:00'),
    ev.pv('s1', '2026-10-05 10:00:01'),
    ev.leave('s1', '2026-10-05 10:00:06', 'pages/index/index', 5000),
    ev.pv('s1', '2026-10-05 10:00:06', 'pages/detail/detail'),
    ev.leave('s1', '2026-10-05 10:00:13', 'pages/detail/detail', 7000),
    ev.share('s1', '2026-10-05 10:00:10', 'pages/detail/detail'),
    ev.pv('s1', '2026-10-05 10:00:13'),
    ev.leave('s1', '2026-10-05 10:00:16', 'pages/index/index', 3000),
    ev.hide('s1', '2026-10-05 10:00:16'),
  ]);
  await seed(m, s1);
  const retry = await seed(m, s1);
  assert.equal(retry.duplicate, true);
  await seedUser(m, APP, 'u1', [
    ev.open('s5', '2026-10-06 11:00:00'),
    ev.pv('s5', '2026-10-06 11:00:01'),
    ev.leave('s5', '2026-10-06 11:00:05', 'pages/index/index', 4000),
  ]);
  await seedUser(m, APP, 'u2', [
    ev.open('s2', '2026-10-04 23:59:00', 1047),
    ev.pv('s2', '2026-10-04 23:59:30'),
    ev.pv('s2', '2026-10-05 00:00:30', 'pages/detail/detail'),
    ev.leave('s2', '2026-10-05 00:00:50', 'pages/detail/detail', 20000),
    ev.open('s6', '2026-10-05 09:00:00', 1047),
    ev.pv('s6', '2026-10-05 09:00:01'),
    ev.leave('s6', '2026-10-05 09:00:11', 'pages/index/index', 10000),
  ]);
  await seedUser(m, APP, 'u3', [
    ev.open('s3', '2026-10-05 12:00:00', 9999),
    ev.hide('s3', '2026-10-05 12:00:03'),
    ev.open('s4', '2026-10-06 09:00:00'),
    ev.pv('s4', '2026-10-06 09:00:01'),
    ev.leave('s4', '2026-10-06 09:00:03', 'pages/index/index', 2000),
  ]);
  await seedUser(m, APP, 'u4', [
    ev.pv('s7', '2026-10-06 08:00:00'),
    ev.leave('s7', '2026-10-06 08:00:04', 'pages/index/index', 4000),
  ]);
});

after(() => m.close());

const trend = (from: string, to: string, granularity: 'day' | 'week' | 'month' | 'all') =>
  runTrend(m.store, { app: APP, from, to, granularity, metrics: ALL });

describe('daily trend', () => {
  test('a day with an open crossing midnight into it and one open with no page view', async () => {
    const [d] = await trend('2026-10-05', '2026-10-05', 'day');
    // Opens of 10-05: u1 s1, u2 s6 (u2 s2 is Sunday's though it ends on Monday; u3 s3 has no pv).
    assert.deepEqual(d!.period, { start: '2026-10-05', end: '2026-10-05' });
    assert.deepEqual(d!.values, {
      visit_total: 2, // u1 (first open 09-30), u2 (10-04)
      session_cnt: 2, // s1, s6
      visit_pv: 4, // s1: 3 (index twice), s6: 1
      visit_uv: 2, // u1, u2
      visit_uv_new: 0, // u1 is new on 09-30, u2 on 10-04
      stay_time_uv: 12.5, // (15 + 10) s / 2 users
      stay_time_session: 12.5, // 25 s / 2 opens
      visit_depth: 1.5, // (2 distinct paths in s1 + 1 in s6) / 2 opens: index repeated counts once
      share_pv: 1, // s1's share
      share_uv: 1, // u1
      bounce_rate: 0.5, // s6 has one page view: 1 / 2
    });
  });

  test('the day before gets the whole open that crossed midnight', async () => {
    const [d] = await trend('2026-10-04', '2026-10-04', 'day');
    assert.deepEqual(d!.values, {
      visit_total: 2, // u1, u2
      session_cnt: 1, // s2
      visit_pv: 2, // index on Sunday + detail after midnight
      visit_uv: 1,
      visit_uv_new: 1, // u2's first counted open
      stay_time_uv: 20, // the 20 s leave logged on Monday belongs to Sunday's open
      stay_time_session: 20,
      visit_depth: 2,
      share_pv: 0,
      share_uv: 0,
      bounce_rate: 0,
    });
  });

  test('a day of opens without an open event and of first counted opens', async () => {
    const [d] = await trend('2026-10-06', '2026-10-06', 'day');
    assert.deepEqual(d!.values, {
      visit_total: 4, // u1, u2, + u3 (its 10-05 open had no pv, so 10-06 is its first), + u4
      session_cnt: 3, // s5 (u1), s4 (u3), s7 (u4, day of its first event)
      visit_pv: 3,
      visit_uv: 3,
      visit_uv_new: 2, // u3, u4
      stay_time_uv: 10 / 3, // (4 + 2 + 4) s / 3 users
      stay_time_session: 10 / 3,
      visit_depth: 1, // 3 / 3
      share_pv: 0,
      share_uv: 0,
      bounce_rate: 1, // every open has one page view: 3 / 3
    });
  });

  test('an empty day is all zeros, ratios included, and keeps the running user count', async () => {
    const [d] = await trend('2026-10-07', '2026-10-07', 'day');
    const zeros = Object.fromEntries(ALL.map((id) => [id, 0]));
    assert.deepEqual(d!.values, { ...zeros, visit_total: 4 });
  });

  test('a range returns every day in order', async () => {
    const rows = await trend('2026-10-04', '2026-10-07', 'day');
    assert.deepEqual(
      rows.map((r) => [r.period.start, r.values.session_cnt, r.values.visit_total]),
      [
        ['2026-10-04', 1, 2],
        ['2026-10-05', 2, 2],
        ['2026-10-06', 3, 4],
        ['2026-10-07', 0, 4],
      ],
    );
  });
});

describe('weekly and monthly trend', () => {
  test('the Monday–Sunday week de-duplicates users and excludes the Sunday open of the week before', async () => {
    const [w] = await trend('2026-10-05', '2026-10-11', 'week');
    assert.deepEqual(w!.period, { start: '2026-10-05', end: '2026-10-11' });
    assert.deepEqual(w!.values, {
      visit_total: 4, // on Sunday 10-11: u1..u4
      session_cnt: 5, // s1, s6, s5, s4, s7
      visit_pv: 7, // 3 + 1 + 1 + 1 + 1
      visit_uv: 4, // u1 (two days), u2, u3, u4: distinct, not summed per day (2 + 3 = 5)
      visit_uv_new: 2, // u3, u4 (u2 was new the Sunday before)
      stay_time_uv: 35 / 4, // (15 + 10 + 4 + 2 + 4) s / 4 users
      stay_time_session: 7, // 35 s / 5 opens
      visit_depth: 6 / 5, // (2 + 1 + 1 + 1 + 1) / 5
      share_pv: 1,
      share_uv: 1,
      bounce_rate: 4 / 5, // all but s1
    });
  });

  test('the week before holds the Sunday open that crossed into Monday', async () => {
    const [w] = await trend('2026-09-28', '2026-10-04', 'week');
    // u1 s0 (Wed 09-30) and u2 s2 (Sun 10-04); both users new this week.
    assert.equal(w!.values.session_cnt, 2);
    assert.equal(w!.values.visit_pv, 4); // s0: 2, s2: 2
    assert.equal(w!.values.visit_uv_new, 2);
    assert.equal(w!.values.stay_time_session, 10); // s0 has no leave: (0 + 20) s / 2
  });

  test('an open crossing into a new month belongs to the month it started in', async () => {
    const [sep, oct] = await trend('2026-09-01', '2026-10-31', 'month');
    assert.deepEqual(sep!.period, { start: '2026-09-01', end: '2026-09-30' });
    assert.equal(sep!.values.session_cnt, 1); // u1 s0, though its second pv is on 10-01
    assert.equal(sep!.values.visit_pv, 2);
    assert.equal(sep!.values.visit_uv_new, 1);
    assert.equal(sep!.values.visit_total, 1);
    assert.equal(oct!.values.session_cnt, 6); // s2, s1, s6, s5, s4, s7
    assert.equal(oct!.values.visit_uv, 4);
    assert.equal(oct!.values.visit_uv_new, 3); // u2, u3, u4; u1 was new in September
    assert.equal(oct!.values.visit_total, 4);
  });

  test('weeks clipped to the range count new users from the range start', async () => {
    // Range Tue 10-06 .. Sun 10-11 grouped by week: one period 10-06..10-11.
    const [w] = await trend('2026-10-06', '2026-10-11', 'week');
    assert.deepEqual(w!.period, { start: '2026-10-06', end: '2026-10-11' });
    assert.equal(w!.values.session_cnt, 3);
    assert.equal(w!.values.visit_uv_new, 2); // u3, u4
  });

  test('the whole range as one period', async () => {
    const [all] = await trend('2026-09-01', '2026-10-31', 'all');
    assert.equal(all!.values.session_cnt, 7);
    assert.equal(all!.values.visit_uv, 4);
    assert.equal(all!.values.visit_uv_new, 4);
  });
});

describe('filters and validation', () => {
  test('a source filter keeps matching opens; new users stay new by their first open ever', async () => {
    // Source 4 (扫一扫二维码) holds scene 1047: u2's opens s2 (10-04) and s6 (10-05).
    const [d] = await runTrend(m.store, {
      app: APP,
      from: '2026-10-05',
      to: '2026-10-05',
      granularity: 'day',
      metrics: ['session_cnt', 'visit_uv_new', 'visit_total'],
      filters: [{ field: 'source', values: [4] }],
    });
    assert.deepEqual(d!.values, { session_cnt: 1, visit_uv_new: 0, visit_total: 1 });
  });

  test('another app sees nothing', async () => {
    const [d] = await runTrend(m.store, {
      app: 'wx00000000000000ff',
      from: '2026-10-05',
      to: '2026-10-05',
      granularity: 'day',
      metrics: ['session_cnt', 'visit_total'],
    });
    assert.deepEqual(d!.values, { session_cnt: 0, visit_total: 0 });
  });

  test('bad queries are refused before any SQL', async () => {
    const base = { app: APP, from: '2026-10-05', to: '2026-10-05', granularity: 'day' as const };
    await assert.rejects(runTrend(m.store, { ...base, metrics: ['nope' as 'visit_pv'] }), /unknown metric/);
    await assert.rejects(runTrend(m.store, { ...base, from: '2026-10-32', metrics: ['visit_pv'] }), /YYYY-MM-DD/);
    await assert.rejects(runTrend(m.store, { ...base, from: '2026-10-06', metrics: ['visit_pv'] }), /after/);
    await assert.rejects(
      runTrend(m.store, { ...base, metrics: ['visit_pv'], filters: [{ field: 'path' as 'city', values: ['x'] }] }),
      /unknown filter/,
    );
  });
});
