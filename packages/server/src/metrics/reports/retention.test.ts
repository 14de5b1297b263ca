/**
 * Retention against a hand-computed fixture, with "today" pinned so keys whose period has not
 * ended are left out: daily, weekly (an open crossing into Monday stays in its Sunday's week) and
 * monthly cohorts of new and active users.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CollectEvent } from '@miniscope/contract';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser, sh } from '../../../test/metrics-fixture.js';
import { runRetention } from '../../../test/run-report.js';
import type { Miniscope } from '../../miniscope.js';

const APP = 'wx00000000000000d1';
let m: Miniscope;
let n = 0;

/** A counted open at `at`, with a second page view at `lastPv` if given (to cross midnight). */
function visit(at: string, lastPv?: string): CollectEvent[] {
  const sid = `v${++n}`;
  return [ev.open(sid, at), ev.pv(sid, at), ...(lastPv ? [ev.pv(sid, lastPv, 'pages/b/b')] : [])];
}

/*
 * Days of counted opens (2026; 10-05 is a Monday):
 * uA: 10-05 (first), 10-06, 10-09, 10-10
 * uB: 10-05 (first), 10-07 23:59 crossing into 10-08 (a 10-07 open)
 * uC: 09-20 (first), 09-30, 10-05, 10-06
 * uD: 10-06 (first)
 * uE: 10-05 open with no page view (not counted), 10-06 (first counted)
 * uF: Sun 10-04 23:59 crossing into Monday (first; week of 09-28), 10-13
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'retention');
  await seedUser(m, APP, 'uA', [
    ...visit('2026-10-05 09:00:00'),
    ...visit('2026-10-06 09:00:00'),
    ...visit('2026-10-09 09:00:00'),
    ...visit('2026-10-10 09:00:00'),
  ]);
  await seedUser(m, APP, 'uB', [
    ...visit('2026-10-05 09:00:00'),
    ...visit('2026-10-07 23:59:00', '2026-10-08 00:01:00'),
  ]);
  await seedUser(m, APP, 'uC', visit('2026-09-20 09:00:00'));
  await seedUser(m, APP, 'uC', [
    ...visit('2026-09-30 09:00:00'),
    ...visit('2026-10-05 09:00:00'),
    ...visit('2026-10-06 09:00:00'),
  ]);
  await seedUser(m, APP, 'uD', visit('2026-10-06 09:00:00'));
  await seedUser(m, APP, 'uE', [ev.open('e-no-pv', '2026-10-05 09:00:00'), ...visit('2026-10-06 09:00:00')]);
  await seedUser(m, APP, 'uF', [
    ...visit('2026-10-04 23:59:00', '2026-10-05 00:01:00'),
    ...visit('2026-10-13 09:00:00'),
  ]);
});

after(() => m.close());

const kv = (...values: number[]) => values.map((value, key) => ({ key, value }));

test('daily: keys up to yesterday only; an open crossing midnight stays on its day', async () => {
  const now = sh('2026-10-10 12:00:00'); // today 10-10: keys whose day is 10-10 or later are left out
  const rows = await runRetention(m.store, { app: APP, from: '2026-10-05', to: '2026-10-06', granularity: 'day', now });
  // Ref 10-05, keys 0..4 (10-05 + 4 = 10-09 < 10-10; key 5 = 10-10 is today).
  // New cohort {uA, uB}: 10-06 uA; 10-07 uB; 10-08 nobody (uB's open that reached 10-08 is 10-07's); 10-09 uA.
  // Active cohort {uA, uB, uC} (uE's open had no page view): 10-06 uA, uC; 10-07 uB; 10-09 uA.
  assert.deepEqual(rows[0], {
    period: { start: '2026-10-05', end: '2026-10-05' },
    visit_uv_new: kv(2, 1, 1, 0, 1),
    visit_uv: kv(3, 2, 1, 0, 1),
  });
  // Ref 10-06, keys 0..3. New {uD, uE}: nobody returns. Active {uA, uC, uD, uE}: 10-09 uA (key 3).
  assert.deepEqual(rows[1], {
    period: { start: '2026-10-06', end: '2026-10-06' },
    visit_uv_new: kv(2, 0, 0, 0),
    visit_uv: kv(4, 0, 0, 1),
  });
});

test('daily: a reference day that is today has no keys; key 30 appears once ended', async () => {
  const [today] = await runRetention(m.store, {
    app: APP,
    from: '2026-10-10',
    to: '2026-10-10',
    granularity: 'day',
    now: sh('2026-10-10 23:59:59'),
  });
  assert.deepEqual(today, { period: { start: '2026-10-10', end: '2026-10-10' }, visit_uv_new: [], visit_uv: [] });
  const [late] = await runRetention(m.store, {
    app: APP,
    from: '2026-10-05',
    to: '2026-10-05',
    granularity: 'day',
    now: sh('2026-11-05 00:00:00'), // 10-05 + 30 = 11-04 has ended
  });
  assert.deepEqual(
    late!.visit_uv.map((v) => v.key),
    [0, 1, 2, 3, 4, 5, 6, 7, 14, 30],
  );
  // Active cohort {uA, uB, uC}: key 5 (10-10) uA; keys 6, 7, 14, 30: nobody.
  assert.deepEqual(
    late!.visit_uv.map((v) => v.value),
    [3, 2, 1, 0, 1, 1, 0, 0, 0, 0],
  );
});

test('weekly: Monday–Sunday weeks; the Sunday-night open stays in its week', async () => {
  const now = sh('2026-10-20 08:00:00'); // week 3 after 09-28 (10-19..10-25) has not ended
  const [w] = await runRetention(m.store, { app: APP, from: '2026-09-28', to: '2026-10-04', granularity: 'week', now });
  // Week 09-28..10-04: active {uC (09-30), uF (10-04)}, new {uF}.
  // Week +1 (10-05..10-11): uC; uF's crossing open is the week before's. Week +2 (10-12..10-18): uF.
  assert.deepEqual(w, {
    period: { start: '2026-09-28', end: '2026-10-04' },
    visit_uv_new: kv(1, 0, 1),
    visit_uv: kv(2, 1, 1),
  });
});

test('monthly: whole months; next month only once it has ended', async () => {
  const early = await runRetention(m.store, {
    app: APP,
    from: '2026-09-01',
    to: '2026-09-30',
    granularity: 'month',
    now: sh('2026-10-20 08:00:00'),
  });
  // September: uC is new (09-20) and active; October has not ended on 10-20.
  assert.deepEqual(early[0], {
    period: { start: '2026-09-01', end: '2026-09-30' },
    visit_uv_new: kv(1),
    visit_uv: kv(1),
  });
  const [late] = await runRetention(m.store, {
    app: APP,
    from: '2026-09-01',
    to: '2026-09-30',
    granularity: 'month',
    now: sh('2026-11-24 08:00:00'),
  });
  assert.deepEqual(late!.visit_uv_new, kv(1, 1)); // uC returns in October
  assert.deepEqual(late!.visit_uv, kv(1, 1));
});

test('a reference period with nobody is all zeros', async () => {
  const [d] = await runRetention(m.store, {
    app: APP,
    from: '2026-10-01',
    to: '2026-10-01',
    granularity: 'day',
    now: sh('2026-10-03 00:00:00'),
  });
  assert.deepEqual(d!.visit_uv_new, kv(0, 0));
  assert.deepEqual(d!.visit_uv, kv(0, 0));
});
