/**
 * 事件分析 from per-day parts (event-parts.ts) against a hand-computed fixture: the figures of days
 * read from parts, of live days, and of both at once (distinct users across them by number, stored
 * or temporary); a day with a user compaction has not numbered stays live; a late event makes its
 * day live until it is materialized again; and every granularity, filter, group-by and comparison
 * answers exactly as the scan does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CollectEvent, type EventAnalysisQuery, todayIn } from '@miniscope/contract';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser, sh } from '../../../test/metrics-fixture.js';
import type { Miniscope } from '../../miniscope.js';
import { compactOnce } from '../compaction/run.js';
import { computeReport, runReport } from '../reports/report.js';
import { eventAnalysisReport, parseEventQuery } from './event-analysis.js';
import { servedByParts, shapeKey } from './event-parts.js';
import { propTypes } from './prop-types.js';

const APP = 'wx00000000000e0a01';
let m: Miniscope;
let n = 0;

const buy = (sid: string, at: string, props: Record<string, string | number>) =>
  ({ id: `b${++n}`, t: 'event', ts: sh(at), sid, name: 'buy', props }) as CollectEvent;
const ios = { device: { platform: 'ios' } };
const android = { device: { platform: 'android' } };

/*
 * `buy` events (Asia/Shanghai):
 *  #  user (platform)  time            sku  price  open
 *  1  u1 (ios)         10-05 10:01     A    10     s1 10-05 10:00
 *  2  u1 (ios)         10-05 10:05     B    20     s1
 *  3  u1 (ios)         10-06 09:00     A    30     s2 10-06 08:59
 *  4  u2 (android)     10-06 00:00:30  A    5      s3 10-05 23:59
 *  5  u2 (android)     10-07 12:00     C    —      s4, never arrived
 *  6  u3 (ios)         10-07 13:00     —    40     s5, never arrived (u3 has no open at all)
 * and a `view` of u1 on 10-05 that `buy` never counts. Arriving later in the tests:
 *  7  u5 (android)     10-08 09:00     A    7      (before any compaction numbers u5)
 *  8  u4 (ios)         10-06 12:00     B    50     (late, for a day already materialized)
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'event parts');
  await seedUser(
    m,
    APP,
    'u1',
    [
      ev.open('s1', '2026-10-05 10:00:00', 1001),
      { id: 'v1', t: 'event', ts: sh('2026-10-05 10:00:30'), sid: 's1', name: 'view', props: { sku: 'A' } },
      buy('s1', '2026-10-05 10:01:00', { sku: 'A', price: 10 }),
      buy('s1', '2026-10-05 10:05:00', { sku: 'B', price: 20 }),
      ev.open('s2', '2026-10-06 08:59:00', 1047),
      buy('s2', '2026-10-06 09:00:00', { sku: 'A', price: 30 }),
    ],
    ios,
  );
  await seedUser(
    m,
    APP,
    'u2',
    [
      ev.open('s3', '2026-10-05 23:59:00', 1047),
      buy('s3', '2026-10-06 00:00:30', { sku: 'A', price: 5 }),
      buy('s4', '2026-10-07 12:00:00', { sku: 'C' }),
    ],
    android,
  );
  await seedUser(m, APP, 'u3', [buy('s5', '2026-10-07 13:00:00', { price: 40 })], ios);
  await compactOnce(m.store);
  // The days settle (their last arrival is beyond the embedded margin).
  await sleep(20);
});

after(() => m.close());

type Query = Omit<EventAnalysisQuery, 'event'>;
const query = (q: Query) => parseEventQuery({ event: 'buy', ...q });

/** The answer as reports give it (settled days from parts). */
const viaParts = (q: Query) => runReport(m.store, eventAnalysisReport, { app: APP, query: query(q), settleMs: 0 });

/** The answer of the scan alone (no parts). */
async function viaScan(q: Query) {
  const parsed = query(q);
  const today = todayIn(m.store.timeZone, Date.now());
  const types = await propTypes(m.store, APP, ['sku', 'price'], today);
  return computeReport(m.store, eventAnalysisReport, { app: APP, query: parsed, today, types });
}

/** The days with parts of the shape of `q`, and how many generations each has. */
async function markedDays(q: Query): Promise<Record<string, number>> {
  const today = todayIn(m.store.timeZone, Date.now());
  const shape = shapeKey(query(q), await propTypes(m.store, APP, propsOf(q), today));
  const rows = await m.store.query<{ day: string; gens: string }>(
    `SELECT toString(day) AS day, count() AS gens FROM custom_part_days WHERE app_id = {app:String}
       AND shape = {shape:String}
     GROUP BY day ORDER BY day`,
    { app: APP, shape },
  );
  return Object.fromEntries(rows.map((r) => [r.day, Number(r.gens)]));
}

/** The parts a query reads. */
async function planOf(q: Query) {
  const today = todayIn(m.store.timeZone, Date.now());
  const prepared = await eventAnalysisReport.prepare!(m.store, { app: APP, query: query(q), today, settleMs: 0 });
  return prepared.parts;
}

const ALL: Query['metrics'] = [
  { kind: 'count' },
  { kind: 'users' },
  { kind: 'per_user' },
  { kind: 'sum', prop: 'price' },
  { kind: 'avg', prop: 'price' },
];
const MORE: Query['metrics'] = [
  { kind: 'max', prop: 'price' },
  { kind: 'min', prop: 'price' },
  { kind: 'per_user_sum', prop: 'price' },
];
/** The property names a query reads (its types are part of its shape). */
const propsOf = (q: Query) => [
  ...new Set(
    JSON.stringify(q)
      .match(/"prop":"[^"]+"/g)
      ?.map((p) => p.slice(8, -1)),
  ),
];
const FIRST3 = { from: '2026-10-05', to: '2026-10-07' };
const FIRST4 = { from: '2026-10-05', to: '2026-10-08' };
const SMALL: Query['metrics'] = [{ kind: 'count' }, { kind: 'users' }, { kind: 'sum', prop: 'price' }];

describe('event analysis from per-day parts', () => {
  test('settled days are materialized and read back with every metric, by sku', async () => {
    const bySku = { group_by: [{ prop: 'sku' }], ...FIRST3 };
    for (let run = 0; run < 2; run++) {
      const a = await viaParts({ metrics: ALL, ...bySku });
      assert.deepEqual(a.buckets, ['2026-10-05', '2026-10-06', '2026-10-07']);
      // Ties on the count (1) by key: '(无值)' < 'B' < 'C'.
      assert.deepEqual(
        a.series.map((s) => s.group),
        [['A'], ['(无值)'], ['B'], ['C']],
      );
      const [A, none, B, C] = a.series;
      // A: #1 (10-05, u1, 10); #3 #4 (10-06, u1 and u2, 30 and 5).
      assert.deepEqual(A!.values, [
        [1, 1, 1, 10, 10],
        [2, 2, 1, 35, 17.5],
        [0, 0, 0, 0, 0],
      ]);
      // Over the range u1 counts once: 2 users, 45 / 3 values.
      assert.deepEqual(A!.total, [3, 2, 1.5, 45, 15]);
      assert.deepEqual(none!.total, [1, 1, 1, 40, 40]);
      assert.deepEqual(B!.total, [1, 1, 1, 20, 20]);
      // #5 has no price: sum 0, average 0 (no value).
      assert.deepEqual(C!.values[2], [1, 1, 1, 0, 0]);
      // Computed once (the first run), read the second time.
      assert.deepEqual(await markedDays({ metrics: ALL, ...bySku }), {
        '2026-10-05': 1,
        '2026-10-06': 1,
        '2026-10-07': 1,
      });
    }
    const more = await viaParts({ metrics: MORE, ...bySku });
    const seriesOf = (sku: string) => more.series.find((s) => s.group[0] === sku);
    const [A, C] = [seriesOf('A'), seriesOf('C')];
    // max, min, per-user sum; none for 10-07's A or for C (no price).
    assert.deepEqual(A!.values, [
      [10, 10, 10],
      [30, 5, 17.5],
      [null, null, 0],
    ]);
    assert.deepEqual(A!.total, [30, 5, 22.5]);
    assert.deepEqual(C!.total, [null, null, 0]);
  });

  test('over the whole range, users are distinct across days (u1 on two days counts once)', async () => {
    const a = await viaParts({ metrics: ALL, granularity: 'total', ...FIRST3 });
    // 6 events of 3 users; 5 prices sum to 105.
    assert.deepEqual(a.series[0]!.total, [6, 3, 2, 105, 21]);
    const more = await viaParts({ metrics: MORE, granularity: 'total', ...FIRST3 });
    assert.deepEqual(more.series[0]!.total, [40, 5, 35]);
  });

  test('a day with a user compaction has not numbered stays live; users across both kinds are distinct', async () => {
    await seedUser(m, APP, 'u5', [buy('s7', '2026-10-08 09:00:00', { sku: 'A', price: 7 })], android);
    await sleep(20);
    const a = await viaParts({ metrics: SMALL, ...FIRST4 });
    assert.deepEqual(a.series[0]!.values, [
      [2, 1, 30],
      [2, 2, 35],
      [2, 2, 40],
      [1, 1, 7],
    ]);
    // u1, u2, u3 from parts, u5 live with a temporary number.
    assert.deepEqual(a.series[0]!.total, [7, 4, 112]);
    assert.equal((await markedDays({ metrics: SMALL, ...FIRST4 }))['2026-10-08'], undefined);
  });

  test('a late event makes its day live again, then it is materialized anew', async () => {
    await seedUser(m, APP, 'u4', [buy('s8', '2026-10-06 12:00:00', { sku: 'B', price: 50 })], ios);
    // 10-06 now has u1, u2 and u4 (not numbered yet): read live.
    const expected = {
      values: [
        [2, 1, 30],
        [3, 3, 85],
        [2, 2, 40],
        [1, 1, 7],
      ],
      total: [8, 5, 162],
    };
    const live = await viaParts({ metrics: SMALL, ...FIRST4 });
    assert.deepEqual(live.series[0]!.values, expected.values);
    assert.deepEqual(live.series[0]!.total, expected.total);
    // Compaction numbers u4 and u5: 10-06 and 10-08 are materialized on the next read.
    await compactOnce(m.store);
    await sleep(20);
    const stored = await viaParts({ metrics: SMALL, ...FIRST4 });
    assert.deepEqual(stored.series[0]!.values, expected.values);
    assert.deepEqual(stored.series[0]!.total, expected.total);
    const marked = await markedDays({ metrics: SMALL, ...FIRST4 });
    assert.equal(marked['2026-10-06'], 2);
    assert.equal(marked['2026-10-08'], 1);
  });

  const SHAPES: Array<[string, Query]> = [
    ['by hour', { metrics: ALL, granularity: 'hour', ...FIRST4 }],
    ['max and min by hour', { metrics: MORE, granularity: 'hour', ...FIRST4 }],
    ['by week', { metrics: ALL, granularity: 'week', from: '2026-10-01', to: '2026-10-08' }],
    ['by month', { metrics: ALL, granularity: 'month', from: '2026-09-20', to: '2026-10-08' }],
    [
      'over the range, by platform and sku',
      { metrics: ALL, granularity: 'total', group_by: [{ field: 'platform' }, { prop: 'sku' }], ...FIRST4 },
    ],
    [
      'filtered (any of two conditions)',
      {
        metrics: SMALL,
        filters: {
          match: 'any',
          conditions: [
            { on: { prop: 'sku' }, op: '=', value: 'B' },
            { on: { prop: 'price' }, op: '>', value: 30 },
          ],
        },
        ...FIRST4,
      },
    ],
    [
      'with a comparison range',
      { metrics: SMALL, from: '2026-10-07', to: '2026-10-08', compare: { from: '2026-10-05', to: '2026-10-06' } },
    ],
    [
      'a range that includes today (live)',
      { metrics: SMALL, from: '2026-10-05', to: todayIn('Asia/Shanghai', Date.now()) },
    ],
  ];
  for (const [name, q] of SHAPES)
    test(`${name}: as the scan answers`, async () => {
      const parts = await viaParts(q);
      // Every day before today with events has its part now.
      const plan = await planOf(q);
      for (const day of ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08'])
        if (day >= q.from && day <= q.to) assert.notEqual(plan?.days[day], undefined, day);
      assert.deepEqual(parts, await viaScan(q));
      assert.ok(parts.series.length > 0);
    });

  test('a part written twice in one millisecond (two reports at once) counts once', async () => {
    const q: Query = { metrics: SMALL, ...FIRST4 };
    const before = await viaParts(q);
    await m.store.command('INSERT INTO custom_parts SELECT * FROM custom_parts WHERE app_id = {app:String}', {
      app: APP,
    });
    assert.deepEqual(await viaParts(q), before);
    assert.deepEqual(before.series[0]!.total, [8, 5, 162]);
  });

  test('shapes that read changing tables or values themselves scan', () => {
    assert.equal(servedByParts(query({ metrics: [{ kind: 'distinct', prop: 'sku' }], ...FIRST3 })), false);
    assert.equal(servedByParts(query({ metrics: SMALL, group_by: [{ field: 'scene' }], ...FIRST3 })), false);
    const newUsers = { on: { field: 'user_type' as const }, op: '=' as const, value: '新用户' };
    assert.equal(
      servedByParts(query({ metrics: SMALL, filters: { match: 'all', conditions: [newUsers] }, ...FIRST3 })),
      false,
    );
    assert.equal(servedByParts(query({ metrics: SMALL, group_by: [{ field: 'platform' }], ...FIRST3 })), true);
  });
});
