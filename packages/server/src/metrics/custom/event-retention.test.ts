/**
 * 留存分析 by events against hand-computed fixtures (custom-analysis.md "Event retention", "Precise
 * readings"; metrics.md "Retention"): day cohorts with keys 0–7, 14 and 30 (returns after the range
 * count, a return on the cohort's own day only as part of key 0, midnight on either side), week
 * cohorts (Monday–Sunday, whole where the range cuts them), calendar months, a user in two cohorts,
 * the same event as initial and return, step filters on string and number properties (declared
 * types) and on system fields (platform, user_type through first counted opens), rates with an
 * empty cohort, keys whose period has not ended left out (at a pinned day, and today / this week /
 * this month from the clock), custom events of opens without a page view, and the same answers once
 * compaction has run. Custom events go through ingest with their exact times (no clock correction).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addDays,
  type CollectEvent,
  type EventRetentionQuery,
  mondayOf,
  monthStart,
  RETENTION_KEYS,
  todayIn,
} from '@miniscope/contract';
import { ageArrivals, startTestMiniscope } from '../../../test/helpers.js';
import { ev, type SeedOptions, seedUser, sh } from '../../../test/metrics-fixture.js';
import type { Miniscope } from '../../miniscope.js';
import { readFreshness } from '../plan/freshness.js';
import { runReport } from '../reports/report.js';
import { type EventRetentionAnswer, eventRetentionReport, parseEventRetentionQuery } from './event-retention.js';
import type { PropTypes } from './fields.js';

const R = 'wx00000000000e0a01';
const M = 'wx00000000000e0b01';
const U = 'wx00000000000e0c01';
const T = 'wx00000000000e0d01';
const DECLARED: PropTypes = { channel: 'string', price: 'number' };
const ANDROID: SeedOptions = { device: { platform: 'android', brand: 'Xiaomi', model: 'Mi 14', system: 'Android 15' } };
const DAY_KEYS = [...RETENTION_KEYS.day];
const WEEK_KEYS = [...RETENTION_KEYS.week];

let m: Miniscope;
let n = 0;

/** A custom event at a Shanghai wall-clock time (ms allowed), in open `sid`. */
function ce(name: string, at: string, props?: Record<string, string | number | boolean>, sid = 'rs'): CollectEvent {
  return { id: `c${++n}`, t: 'event', ts: sh(at), sid, name, ...(props ? { props } : {}) };
}

/** Every fixed-date query asked, with its live answer, to read again once compaction has run. */
const asked: Array<[string, EventRetentionQuery, PropTypes | undefined, EventRetentionAnswer]> = [];

/** A report on the engine's clock (every fixed date and every key's period is long past). */
async function retention(app: string, query: EventRetentionQuery, declared?: PropTypes) {
  const answer = await m.metrics.run(eventRetentionReport, { app, query: parseEventRetentionQuery(query), declared });
  asked.push([app, query, declared, answer]);
  return answer;
}

/** A cohort's row as expected: values per key (key 0 first), each rate = value ÷ key 0, 0 when that is 0. */
function row(start: string, end: string, keys: number[], values: number[]) {
  assert.equal(keys.length, values.length, `${start}: one value per key`);
  const cohort = values[0] ?? 0;
  return {
    start,
    end,
    values: keys.map((key, i) => ({ key, value: values[i]!, rate: cohort === 0 ? 0 : values[i]! / cohort })),
  };
}

const login = 'login';
const buy = 'buy';

/*
 * App R: `login` {channel} and `buy` {price}, Shanghai times; u3 and u6 send from android, the rest
 * from ios. Day of each event in brackets where it matters.
 * u1  login 10-05 10:00 {ad}; buy 10-05 11:00 {50} (its cohort's own day), 10-06 09:00 {150},
 *     10-19 20:00 {99.5}, 11-04 23:59:59 {'200'} (a number's form)
 * u2  login 10-05 23:59:59 {share}, 10-06 08:00 {ad} (two cohorts); buy 10-06 00:00:00 {100},
 *     10-12 {'abc'} (not a number: no value)
 * u3  login 10-06 12:00 {'Ad'} (not 'ad': case counts), 10-20; buy 10-08 {300}, 11-04 {10}, 11-05 {500}
 * u4  login 10-04 23:59:59 {ad} (before every range); buy 10-05, 10-06 {1000}
 * u5  login 10-05 09:00 (no channel), 10-07; buy 10-07 {100}
 * u6  login 10-06 00:00:00 {ad}; buy 10-05 22:00 {100} (before its cohort), 10-13 {100}
 * u7  open 10-05 18:00 with no page view, login in it 18:00:05 {ad}; open 10-07 08:00 with no page
 *     view, buy in it 08:00:10 {80}
 * u8  login 10-06 15:00 {share}; buy 10-07 {'120'}, 10-20 {100}
 * u9  login 10-14 {share}; buy 10-14 {10}, 10-27 {10}
 *
 * Logins by day: 10-04 u4; 10-05 u1 u2 u5 u7; 10-06 u2 u3 u6 u8; 10-07 u5; 10-14 u9; 10-20 u3.
 * Buys by day: 10-05 u1 u4 u6; 10-06 u1 u2 u4; 10-07 u5 u7 u8; 10-08 u3; 10-12 u2; 10-13 u6;
 * 10-14 u9; 10-19 u1; 10-20 u8; 10-27 u9; 11-04 u1 u3; 11-05 u3.
 */
async function seedR() {
  const users: Record<string, [CollectEvent[], SeedOptions?]> = {
    u1: [
      [
        ce(login, '2026-10-05 10:00:00', { channel: 'ad' }),
        ce(buy, '2026-10-05 11:00:00', { price: 50 }),
        ce(buy, '2026-10-06 09:00:00', { price: 150 }),
        ce(buy, '2026-10-19 20:00:00', { price: 99.5 }),
        ce(buy, '2026-11-04 23:59:59', { price: '200' }),
      ],
    ],
    u2: [
      [
        ce(login, '2026-10-05 23:59:59', { channel: 'share' }),
        ce(buy, '2026-10-06 00:00:00', { price: 100 }),
        ce(login, '2026-10-06 08:00:00', { channel: 'ad' }),
        ce(buy, '2026-10-12 10:00:00', { price: 'abc' }),
      ],
    ],
    u3: [
      [
        ce(login, '2026-10-06 12:00:00', { channel: 'Ad' }),
        ce(buy, '2026-10-08 10:00:00', { price: 300 }),
        ce(login, '2026-10-20 10:00:00'),
        ce(buy, '2026-11-04 10:00:00', { price: 10 }),
        ce(buy, '2026-11-05 10:00:00', { price: 500 }),
      ],
      ANDROID,
    ],
    u4: [
      [
        ce(login, '2026-10-04 23:59:59', { channel: 'ad' }),
        ce(buy, '2026-10-05 10:00:00', { price: 1000 }),
        ce(buy, '2026-10-06 10:00:00', { price: 1000 }),
      ],
    ],
    u5: [
      [
        ce(login, '2026-10-05 09:00:00'),
        ce(login, '2026-10-07 09:00:00'),
        ce(buy, '2026-10-07 09:30:00', { price: 100 }),
      ],
    ],
    u6: [
      [
        ce(buy, '2026-10-05 22:00:00', { price: 100 }),
        ce(login, '2026-10-06 00:00:00', { channel: 'ad' }),
        ce(buy, '2026-10-13 10:00:00', { price: 100 }),
      ],
      ANDROID,
    ],
    u7: [
      [
        ev.open('u7a', '2026-10-05 18:00:00'),
        ce(login, '2026-10-05 18:00:05', { channel: 'ad' }, 'u7a'),
        ev.open('u7b', '2026-10-07 08:00:00'),
        ce(buy, '2026-10-07 08:00:10', { price: 80 }, 'u7b'),
      ],
    ],
    u8: [
      [
        ce(login, '2026-10-06 15:00:00', { channel: 'share' }),
        ce(buy, '2026-10-07 10:00:00', { price: '120' }),
        ce(buy, '2026-10-20 10:00:00', { price: 100 }),
      ],
    ],
    u9: [
      [
        ce(login, '2026-10-14 10:00:00', { channel: 'share' }),
        ce(buy, '2026-10-14 11:00:00', { price: 10 }),
        ce(buy, '2026-10-27 10:00:00', { price: 10 }),
      ],
    ],
  };
  for (const [user, [events, options]] of Object.entries(users)) await seedUser(m, R, user, events, options);
}

/*
 * App M, for months (login → buy):
 * m1  login 08-31 23:59:59; buy 09-01 00:00:00, 10-01
 * m2  login 08-05 00:00:00 (before the range, same month); buy 08-31; login 09-15; buy 10-31 23:59:59
 * m3  buy 09-10; login 09-30 (after the range, same month); buy 10-15
 * m4  login 07-31 23:59:59 (July); buy 08-15, 09-15
 * m5  login 09-10; buy 11-01 (two months on)
 */
async function seedM() {
  const users: Record<string, CollectEvent[]> = {
    m1: [ce(login, '2026-08-31 23:59:59'), ce(buy, '2026-09-01 00:00:00'), ce(buy, '2026-10-01 10:00:00')],
    m2: [
      ce(login, '2026-08-05 00:00:00'),
      ce(buy, '2026-08-31 10:00:00'),
      ce(login, '2026-09-15 10:00:00'),
      ce(buy, '2026-10-31 23:59:59'),
    ],
    m3: [ce(buy, '2026-09-10 10:00:00'), ce(login, '2026-09-30 10:00:00'), ce(buy, '2026-10-15 10:00:00')],
    m4: [ce(login, '2026-07-31 23:59:59'), ce(buy, '2026-08-15 10:00:00'), ce(buy, '2026-09-15 10:00:00')],
    m5: [ce(login, '2026-09-10 10:00:00'), ce(buy, '2026-11-01 10:00:00')],
  };
  for (const [user, events] of Object.entries(users)) await seedUser(m, M, user, events);
}

/*
 * App U, for user_type (新用户 when the event's day is the user's first counted open day, an open
 * with a page view):
 * n1  open + view 10-05 10:00 (first counted 10-05); login 10-05 10:01 (新); buy 10-06 10:00
 * n2  open + view 10-01 09:00 (first counted 10-01); login 10-05 11:00 (老); buy 10-06 11:00
 * n3  open 10-05 09:00 with no page view, login in it 09:01 (老: before its first counted day);
 *     open + view 10-06 10:00 (first counted 10-06), login in it 10:01 (新); buy 10-07 09:00
 * n4  no open at all; login 10-06 12:00 (老)
 */
async function seedU() {
  await seedUser(m, U, 'n1', [
    ev.open('n1a', '2026-10-05 10:00:00'),
    ev.pv('n1a', '2026-10-05 10:00:01'),
    ce(login, '2026-10-05 10:01:00', {}, 'n1a'),
    ce(buy, '2026-10-06 10:00:00', {}, 'n1b'),
  ]);
  await seedUser(m, U, 'n2', [
    ev.open('n2a', '2026-10-01 09:00:00'),
    ev.pv('n2a', '2026-10-01 09:00:01'),
    ce(login, '2026-10-05 11:00:00', {}, 'n2b'),
    ce(buy, '2026-10-06 11:00:00', {}, 'n2c'),
  ]);
  await seedUser(m, U, 'n3', [
    ev.open('n3a', '2026-10-05 09:00:00'),
    ce(login, '2026-10-05 09:01:00', {}, 'n3a'),
    ev.open('n3b', '2026-10-06 10:00:00'),
    ev.pv('n3b', '2026-10-06 10:00:01'),
    ce(login, '2026-10-06 10:01:00', {}, 'n3b'),
    ce(buy, '2026-10-07 09:00:00', {}, 'n3c'),
  ]);
  await seedUser(m, U, 'n4', [ce(login, '2026-10-06 12:00:00', {}, 'n4a')]);
}

before(async () => {
  m = await startTestMiniscope();
  m.apps.add(R, 'retention R');
  m.apps.add(M, 'retention M');
  m.apps.add(U, 'retention U');
  m.apps.add(T, 'retention T');
  await seedR();
  await seedM();
  await seedU();
});

after(() => m.close());

const DAYS = { from: '2026-10-05', to: '2026-10-06' };

describe('day cohorts (app R)', () => {
  test('keys 0–7, 14 and 30: returns after the range, at midnight, on the cohort day, a user in two cohorts', async () => {
    const a = await retention(R, { initial: { event: login }, return: { event: buy }, ...DAYS });
    assert.equal(a.granularity, 'day');
    assert.equal(a.from, DAYS.from);
    assert.equal(a.to, DAYS.to);
    assert.deepEqual(a.rows, [
      // Cohort 10-05: u1 u2 u5 u7 = 4 (u4's login is 10-04 23:59:59; u7's in an open with no page view).
      // +1 10-06: u1 (09:00), u2 (00:00:00) = 2. +2 10-07: u5, u7 (its open has no page view) = 2.
      // +3 10-08: u3 only, not in the cohort. +4 … +6 (10-09 … 10-11): no buy. +7 10-12: u2.
      // +14 10-19: u1. +30 11-04: u1 (23:59:59; u3 is not in the cohort). u1's buy on 10-05 itself
      // is no key.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [4, 2, 2, 0, 0, 0, 0, 1, 1, 1]),
      // Cohort 10-06: u2 (again), u3, u6 (00:00:00), u8 = 4. +1 10-07: u8 (u5 and u7 are not in it).
      // +2 10-08: u3. +3 … +5: none. +6 10-12: u2. +7 10-13: u6 (its 10-05 buy was before). +14
      // 10-20: u8. +30 11-05: u3 (its 11-04 buy is +29, no key). u2's 10-06 00:00 buy is its own day.
      row('2026-10-06', '2026-10-06', DAY_KEYS, [4, 1, 1, 0, 0, 0, 1, 1, 1, 1]),
    ]);
    // Rates of the cohort: 2 / 4, 1 / 4.
    assert.deepEqual(
      a.rows[0]!.values.map((v) => v.rate),
      [1, 0.5, 0.5, 0, 0, 0, 0, 0.25, 0.25, 0.25],
    );
  });

  test('one day of the range: the same cohort, returns long after it still count', async () => {
    const a = await retention(R, {
      initial: { event: login },
      return: { event: buy },
      from: '2026-10-06',
      to: '2026-10-06',
    });
    assert.deepEqual(a.rows, [row('2026-10-06', '2026-10-06', DAY_KEYS, [4, 1, 1, 0, 0, 0, 1, 1, 1, 1])]);
  });

  test('initial and return the same event', async () => {
    const a = await retention(R, { initial: { event: login }, return: { event: login }, ...DAYS });
    assert.deepEqual(a.rows, [
      // Cohort 10-05 u1 u2 u5 u7; +1 10-06: u2 (08:00); +2 10-07: u5. The cohort's own logins are key 0.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [4, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
      // Cohort 10-06 u2 u3 u6 u8; +1 10-07: u5 is not in it; +14 10-20: u3.
      row('2026-10-06', '2026-10-06', DAY_KEYS, [4, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
    ]);
  });

  test('the same event with different filters: channel = share, then channel = ad', async () => {
    const a = await retention(
      R,
      {
        initial: { event: login, filters: [{ on: { prop: 'channel' }, op: '=', value: 'share' }] },
        return: { event: login, filters: [{ on: { prop: 'channel' }, op: '=', value: 'ad' }] },
        ...DAYS,
      },
      DECLARED,
    );
    assert.deepEqual(a.rows, [
      // Share logins on 10-05: u2 (23:59:59); its ad login 10-06 08:00 is +1.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
      // On 10-06: u8, with no later login.
      row('2026-10-06', '2026-10-06', DAY_KEYS, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]);
  });

  test('step filters on a string and a number property (declared types)', async () => {
    const a = await retention(
      R,
      {
        initial: { event: login, filters: [{ on: { prop: 'channel' }, op: '=', value: 'ad' }] },
        return: { event: buy, filters: [{ on: { prop: 'price' }, op: '>=', value: 100 }] },
        ...DAYS,
      },
      DECLARED,
    );
    assert.deepEqual(a.rows, [
      // Ad logins on 10-05: u1, u7 (u2's is share, u5's has no channel: = is false) = 2.
      // Buys ≥ 100: u1 10-06 150 (+1), 10-19 99.5 no, 11-04 '200' = 200 (+30); u7's 80 no.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [2, 1, 0, 0, 0, 0, 0, 0, 0, 1]),
      // Ad logins on 10-06: u2 (08:00), u6 (u3 sent 'Ad', u8 share) = 2.
      // u2's 10-12 'abc' has no value; u6's 10-13 100 is ≥ 100 at the edge (+7).
      row('2026-10-06', '2026-10-06', DAY_KEYS, [2, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
    ]);
    assert.deepEqual(
      a.rows.map((r) => [r.values[1]!.rate, r.values[7]!.rate, r.values[9]!.rate]),
      [
        [1 / 2, 0, 1 / 2],
        [0, 1 / 2, 0],
      ],
    );
  });

  test('a filter on a system field (platform); an empty cohort has rates 0', async () => {
    const a = await retention(R, {
      initial: { event: login, filters: [{ on: { field: 'platform' }, op: '=', value: 'android' }] },
      return: { event: buy },
      ...DAYS,
    });
    assert.deepEqual(a.rows, [
      // No android user logs in on 10-05: every value and rate 0.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      // u3, u6. +2 10-08: u3; +7 10-13: u6; +30 11-05: u3.
      row('2026-10-06', '2026-10-06', DAY_KEYS, [2, 0, 1, 0, 0, 0, 0, 1, 0, 1]),
    ]);
    assert.ok(a.rows[0]!.values.every((v) => v.value === 0 && v.rate === 0));
    // A platform filter on the return step instead: u3 and u6 are not in the 10-05 cohort.
    const back = await retention(R, {
      initial: { event: login },
      return: { event: buy, filters: [{ on: { field: 'platform' }, op: '=', value: 'android' }] },
      ...DAYS,
    });
    assert.deepEqual(back.rows, [
      row('2026-10-05', '2026-10-05', DAY_KEYS, [4, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      row('2026-10-06', '2026-10-06', DAY_KEYS, [4, 0, 1, 0, 0, 0, 0, 1, 0, 1]),
    ]);
  });

  test('as of a pinned day (10-20): keys whose day has not ended are left out, later events unread', async () => {
    const a = await runReport(
      m.store,
      eventRetentionReport,
      { app: R, query: parseEventRetentionQuery({ initial: { event: login }, return: { event: buy }, ...DAYS }) },
      sh('2026-10-20 12:00:00'),
    );
    assert.deepEqual(a.rows, [
      // Yesterday is 10-19: 10-05 + 14 = 10-19 has ended, + 30 has not.
      row('2026-10-05', '2026-10-05', [0, 1, 2, 3, 4, 5, 6, 7, 14], [4, 2, 2, 0, 0, 0, 0, 1, 1]),
      // 10-06 + 7 = 10-13 has ended, + 14 = 10-20 (today) has not.
      row('2026-10-06', '2026-10-06', [0, 1, 2, 3, 4, 5, 6, 7], [4, 1, 1, 0, 0, 0, 1, 1]),
    ]);
  });
});

describe('week and month cohorts', () => {
  test('weeks Monday–Sunday: a range from a Wednesday to a Tuesday takes both weeks whole', async () => {
    const a = await retention(R, {
      initial: { event: login },
      return: { event: buy },
      granularity: 'week',
      from: '2026-10-07',
      to: '2026-10-13',
    });
    assert.equal(a.granularity, 'week');
    assert.deepEqual(a.rows, [
      // Week 10-05 … 10-11 (the range starts on Wednesday 10-07, the cohort is the whole week):
      // logins u1 u2 u3 u5 u6 u7 u8 = 7 (u4's 10-04 is the week before).
      // +1 10-12 … 10-18: u2 (10-12), u6 (10-13) = 2 (u9 is not in it).
      // +2 10-19 … 10-25: u1 (10-19), u8 (10-20) = 2. +3 10-26 … 11-01: u9 only = 0.
      // +4 11-02 … 11-08: u1 (11-04), u3 (11-04, 11-05) = 2.
      row('2026-10-05', '2026-10-11', WEEK_KEYS, [7, 2, 2, 0, 2]),
      // Week 10-12 … 10-18: u9 (10-14; its buy that week is key 0). +2 10-26 … 11-01: u9 (10-27).
      row('2026-10-12', '2026-10-18', WEEK_KEYS, [1, 0, 1, 0, 0]),
    ]);
  });

  test('calendar months: both months whole; a user in both cohorts', async () => {
    const a = await retention(M, {
      initial: { event: login },
      return: { event: buy },
      granularity: 'month',
      from: '2026-08-20',
      to: '2026-09-10',
    });
    assert.deepEqual(a.rows, [
      // August: m1 (08-31 23:59:59), m2 (08-05, before the range) = 2; m4's login is July 31.
      // +1 September: m1 (09-01 00:00:00) = 1; m2's buy 08-31 is its own month.
      row('2026-08-01', '2026-08-31', [0, 1], [2, 1]),
      // September: m2 (09-15), m3 (09-30, after the range), m5 (09-10) = 3.
      // +1 October: m2 (10-31 23:59:59), m3 (10-15) = 2; m1 is not in it; m5's buy is November.
      row('2026-09-01', '2026-09-30', [0, 1], [3, 2]),
    ]);
    assert.deepEqual(
      a.rows.map((r) => r.values[1]!.rate),
      [1 / 2, 2 / 3],
    );
  });
});

describe('user_type (app U)', () => {
  test('the initial event of new users, and of old users', async () => {
    const type = (value: string) => [{ on: { field: 'user_type' as const }, op: '=' as const, value }];
    const fresh = await retention(U, {
      initial: { event: login, filters: type('新用户') },
      return: { event: buy },
      ...DAYS,
    });
    assert.deepEqual(fresh.rows, [
      // n1 (first counted 10-05); +1 10-06: n1.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
      // n3 (first counted 10-06); +1 10-07: n3.
      row('2026-10-06', '2026-10-06', DAY_KEYS, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]);
    const old = await retention(U, {
      initial: { event: login, filters: type('老用户') },
      return: { event: buy },
      ...DAYS,
    });
    assert.deepEqual(old.rows, [
      // n2 (first counted 10-01), n3 (before its first counted day, in an open with no page view).
      // +1 10-06: n2; +2 10-07: n3.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [2, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
      // n4 (never a counted open), no buy.
      row('2026-10-06', '2026-10-06', DAY_KEYS, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]);
    const newReturn = await retention(U, {
      initial: { event: login },
      return: { event: login, filters: type('新用户') },
      ...DAYS,
    });
    assert.deepEqual(newReturn.rows, [
      // n1 n2 n3; +1 10-06: n3 logs in on its first counted day. n1's own 新 login is key 0 only.
      row('2026-10-05', '2026-10-05', DAY_KEYS, [3, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
      // n3 n4, no later login.
      row('2026-10-06', '2026-10-06', DAY_KEYS, [2, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]);
  });
});

describe('periods not yet ended (app T, dates from the clock)', () => {
  test("today's cohort has no keys, yesterday's only key 0, this week's and this month's none", async () => {
    // The report runs at the instant the dates were taken from, so a run across midnight reads the
    // same days (nothing here is in the future: today's events are at 00:00:00).
    const now = Date.now();
    const today = todayIn(m.metrics.timeZone, now);
    const yesterday = addDays(today, -1);
    const before = addDays(today, -2);
    const monday = mondayOf(today);
    const lastMonday = addDays(monday, -7);
    await seedUser(m, T, 't1', [ce(login, `${today} 00:00:00`)]);
    await seedUser(m, T, 't2', [ce(login, `${yesterday} 12:00:00`), ce(buy, `${today} 00:00:00`)]);
    await seedUser(m, T, 't3', [ce(login, `${before} 12:00:00`), ce(buy, `${yesterday} 12:00:00`)]);
    await seedUser(m, T, 't4', [ce(login, `${lastMonday} 12:00:00`)]);
    const run = (query: EventRetentionQuery) =>
      runReport(m.store, eventRetentionReport, { app: T, query: parseEventRetentionQuery(query) }, now);
    const steps = { initial: { event: login }, return: { event: buy } };

    const days = await run({ ...steps, from: before, to: today });
    assert.deepEqual(days.rows, [
      // t3; +1 (yesterday): t3's buy; +2 is today, left out.
      row(before, before, [0, 1], [1, 1]),
      // t2; +1 is today (t2's buy there is not read), left out.
      row(yesterday, yesterday, [0], [1]),
      // t1: today has not ended, so not even key 0.
      row(today, today, [], []),
    ]);

    const week = await run({ ...steps, granularity: 'week', from: today, to: today });
    assert.deepEqual(week.rows, [row(monday, addDays(monday, 6), [], [])]);
    const month = await run({ ...steps, granularity: 'month', from: today, to: today });
    assert.equal(month.rows.length, 1);
    assert.equal(month.rows[0]!.start, monthStart(today));
    assert.deepEqual(month.rows[0]!.values, []);

    // Last week has ended, this week (its +1) has not: key 0 only. Its logins: t4 (last Monday), and
    // t2 and t3 when yesterday / the day before fall in last week (today a Monday, or a Tuesday).
    const lastWeek = await run({ ...steps, granularity: 'week', from: lastMonday, to: lastMonday });
    const cohort = 1 + (yesterday < monday ? 1 : 0) + (before < monday ? 1 : 0);
    assert.deepEqual(lastWeek.rows, [row(lastMonday, addDays(monday, -1), [0], [cohort])]);
  });
});

describe('compaction', () => {
  test('every answer reads the same once compaction has run (user_type from stored first days)', async () => {
    await m.metrics.compact();
    await ageArrivals(m.store);
    for (const app of [R, M, U]) assert.deepEqual((await readFreshness(m.store, app)).dirty, [], app);
    assert.ok(asked.length >= 10);
    for (const [app, query, declared, answer] of asked.splice(0)) {
      const again = await m.metrics.run(eventRetentionReport, {
        app,
        query: parseEventRetentionQuery(query),
        declared,
      });
      assert.deepEqual(again, answer, JSON.stringify(query));
    }
  });
});
