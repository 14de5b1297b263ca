/**
 * 事件分析 figures against a hand-computed fixture (custom-analysis.md "Event analysis", "Precise
 * readings"): every metric per day and over the range, filters of each operator, group-by on
 * properties and system fields (the open's scene, 新老用户), tie order, hour / week / month / total
 * buckets and their partial edges, comparison ranges, and how property values read by type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CollectEvent, EventAnalysisQuery } from '@miniscope/contract';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser, sh } from '../../../test/metrics-fixture.js';
import type { Miniscope } from '../../miniscope.js';
import { runReport } from '../reports/report.js';
import { eventAnalysisReport, parseEventQuery } from './event-analysis.js';
import type { PropTypes } from './fields.js';

const APP = 'wx0000000000000ea1';
let m: Miniscope;
let seq = 0;

const custom = (
  sid: string,
  at: string,
  name: string,
  props?: Record<string, string | number | boolean>,
  path?: string,
) =>
  ({
    id: `c${++seq}`,
    t: 'event',
    ts: sh(at),
    sid,
    name,
    ...(props ? { props } : {}),
    ...(path ? { path } : {}),
  }) as CollectEvent;

/*
 * The fixture (Asia/Shanghai). Event `buy` (props sku: string, price: number):
 *
 *  #  user  time              sku  price  open (scene)                     user_type
 *  1  u1    10-05 10:01        A    10     s1 10-05 10:00 (1001)            新用户 (u1's first counted open is 10-05)
 *  2  u1    10-05 10:05        B    20     s1 (1001)                        新用户
 *  3  u1    10-06 09:00        A    30     s2 10-06 08:59 (1047)            老用户
 *  4  u2    10-06 00:00:30     A    5      s3 10-05 23:59 (1047), the day before   老用户 (u2 first counted 10-05)
 *  5  u2    10-07 12:00        C    —      s4, its open never arrived (无值)       老用户
 *  6  u3    10-07 13:00        —    40     s5, no open (无值)                老用户 (u3 never has a counted open)
 *
 * Events 1 and 2 are sent from pages/goods/goods, the rest without a path. A `view` event of u1 on
 * 10-05 must never count for `buy`. Event `pay` (u4, 10-08) has a property `code` sent as '12', 7,
 * 'x', true, '-3.5', '1e3', ' 5' and '': not all JSON numbers, so inferred a string.
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'event analysis');
  await seedUser(m, APP, 'u1', [
    ev.open('s1', '2026-10-05 10:00:00', 1001),
    ev.pv('s1', '2026-10-05 10:00:01'),
    custom('s1', '2026-10-05 10:00:30', 'view', { sku: 'A', price: 99 }),
    custom('s1', '2026-10-05 10:01:00', 'buy', { sku: 'A', price: 10 }, 'pages/goods/goods'),
    custom('s1', '2026-10-05 10:05:00', 'buy', { sku: 'B', price: 20 }, 'pages/goods/goods'),
    ev.open('s2', '2026-10-06 08:59:00', 1047),
    ev.pv('s2', '2026-10-06 08:59:01'),
    custom('s2', '2026-10-06 09:00:00', 'buy', { sku: 'A', price: 30 }),
  ]);
  await seedUser(m, APP, 'u2', [
    ev.open('s3', '2026-10-05 23:59:00', 1047),
    ev.pv('s3', '2026-10-05 23:59:10'),
    custom('s3', '2026-10-06 00:00:30', 'buy', { sku: 'A', price: 5 }),
    custom('s4', '2026-10-07 12:00:00', 'buy', { sku: 'C' }),
  ]);
  await seedUser(m, APP, 'u3', [custom('s5', '2026-10-07 13:00:00', 'buy', { price: 40 })]);
  const codes = ['12', 7, 'x', true, '-3.5', '1e3', ' 5', ''];
  await seedUser(
    m,
    APP,
    'u4',
    codes.map((code, i) => custom('s6', `2026-10-08 10:0${i}:00`, 'pay', { code })),
  );
});

after(() => m.close());

const run = async (query: EventAnalysisQuery, declared?: PropTypes) =>
  runReport(m.store, eventAnalysisReport, { app: APP, query: parseEventQuery(query), declared });

const RANGE = { from: '2026-10-05', to: '2026-10-07' };
const buy = (extra: Partial<EventAnalysisQuery> = {}): EventAnalysisQuery => ({
  event: 'buy',
  metrics: [{ kind: 'count' }],
  ...RANGE,
  ...extra,
});
const ALL_METRICS: EventAnalysisQuery['metrics'] = [
  { kind: 'count' },
  { kind: 'users' },
  { kind: 'per_user' },
  { kind: 'sum', prop: 'price' },
  { kind: 'avg', prop: 'price' },
];
const MORE_METRICS: EventAnalysisQuery['metrics'] = [
  { kind: 'max', prop: 'price' },
  { kind: 'min', prop: 'price' },
  { kind: 'per_user_sum', prop: 'price' },
  { kind: 'distinct', prop: 'sku' },
];

/** The whole-range count of `buy` under some filters. */
const countWhere = async (filters: EventAnalysisQuery['filters']) =>
  (await run(buy({ filters, granularity: 'total' }))).series[0]?.total[0] ?? 0;

describe('event analysis metrics', () => {
  test('count, users, per user, sum and average: per day and over the range', async () => {
    const a = await run(buy({ metrics: ALL_METRICS }));
    assert.deepEqual(a.buckets, ['2026-10-05', '2026-10-06', '2026-10-07']);
    assert.deepEqual(a.partial, [false, false, false]);
    assert.equal(a.series.length, 1);
    assert.deepEqual(a.series[0]!.group, []);
    // 10-05: #1 #2 (u1; 10 + 20). 10-06: #3 #4 (u1, u2; 30 + 5). 10-07: #5 #6 (u2, u3; one price, 40).
    assert.deepEqual(a.series[0]!.values, [
      [2, 1, 2, 30, 15],
      [2, 2, 1, 35, 17.5],
      [2, 2, 1, 40, 40],
    ]);
    // 6 events by 3 users; prices 10 + 20 + 30 + 5 + 40 = 105 over the 5 events that have one.
    assert.deepEqual(a.series[0]!.total, [6, 3, 2, 105, 21]);
    assert.deepEqual(
      a.metrics.map((x) => x.label),
      ['总次数', '去重人数', '人均次数', 'price·总和', 'price·均值'],
    );
  });

  test('max, min, per-user sum and distinct values', async () => {
    const a = await run(buy({ metrics: MORE_METRICS }));
    // 10-05: max 20 min 10, 30 / 1 user, skus A B. 10-06: 30 5, 35 / 2, A. 10-07: 40 40, 40 / 2, C.
    assert.deepEqual(a.series[0]!.values, [
      [20, 10, 30, 2],
      [30, 5, 17.5, 1],
      [40, 40, 20, 1],
    ]);
    assert.deepEqual(a.series[0]!.total, [40, 5, 35, 3]);
  });

  test('a max or min with no value is null, ratios over nothing are 0', async () => {
    const a = await run(
      buy({
        metrics: [{ kind: 'max', prop: 'price' }, { kind: 'avg', prop: 'price' }, { kind: 'count' }],
        filters: { match: 'all', conditions: [{ on: { prop: 'sku' }, op: '=', value: 'C' }] },
      }),
    );
    // Only #5 (10-07) matches, and it has no price.
    assert.deepEqual(a.series[0]!.total, [null, 0, 1]);
    assert.deepEqual(a.series[0]!.values[2], [null, 0, 1]);
  });

  test('other events and other apps never count', async () => {
    const a = await run({ event: 'view', metrics: [{ kind: 'count' }, { kind: 'sum', prop: 'price' }], ...RANGE });
    assert.deepEqual(a.series[0]!.total, [1, 99]);
    const none = await run({ event: 'nothing', metrics: [{ kind: 'count' }], ...RANGE });
    assert.deepEqual(none.series, []);
  });
});

describe('event analysis filters', () => {
  const on = (prop: string) => ({ prop });
  test('number operators', async () => {
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: '>', value: 10 }] }), 3);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: '>=', value: 10 }] }), 4);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: '<', value: 10 }] }), 1);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: '<=', value: 10 }] }), 2);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: '=', value: 10 }] }), 1);
    // ≠ is true for #5, which has no price.
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: '!=', value: 10 }] }), 5);
    const between = { on: on('price'), op: 'between' as const, value: 5, to: 20 };
    assert.equal(await countWhere({ match: 'all', conditions: [between] }), 3);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: 'has_value' }] }), 5);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('price'), op: 'no_value' }] }), 1);
  });

  test('string operators: case-sensitive, missing values', async () => {
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('sku'), op: '=', value: 'A' }] }), 3);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('sku'), op: '=', value: 'a' }] }), 0);
    // ≠ A: #2, #5 and #6 (no sku).
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('sku'), op: '!=', value: 'A' }] }), 3);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('sku'), op: 'contains', value: 'B' }] }), 1);
    const notA = { on: on('sku'), op: 'not_contains' as const, value: 'A' };
    assert.equal(await countWhere({ match: 'all', conditions: [notA] }), 3);
    assert.equal(await countWhere({ match: 'all', conditions: [{ on: on('sku'), op: 'no_value' }] }), 1);
  });

  test('all and any', async () => {
    const skuA = { on: on('sku'), op: '=' as const, value: 'A' };
    const dear = { on: on('price'), op: '>=' as const, value: 30 };
    // A: #1 #3 #4; price ≥ 30: #3 #6.
    assert.equal(await countWhere({ match: 'all', conditions: [skuA, dear] }), 1);
    assert.equal(await countWhere({ match: 'any', conditions: [skuA, dear] }), 4);
  });

  test('system fields: the open’s scene, the platform, the path', async () => {
    const scene = { on: { field: 'scene' as const }, op: '=' as const, value: '1047' };
    assert.equal(await countWhere({ match: 'all', conditions: [scene] }), 2);
    const ios = { on: { field: 'platform' as const }, op: '=' as const, value: 'ios' };
    assert.equal(await countWhere({ match: 'all', conditions: [ios] }), 6);
    const noPath = { on: { field: 'path' as const }, op: 'no_value' as const };
    assert.equal(await countWhere({ match: 'all', conditions: [noPath] }), 4);
  });

  test('a number operator on a string property is refused', async () => {
    await assert.rejects(
      run(buy({ filters: { match: 'all', conditions: [{ on: on('sku'), op: '>', value: 1 }] } })),
      /compares numbers/,
    );
    await assert.rejects(run(buy({ metrics: [{ kind: 'sum', prop: 'sku' }] })), /not a number property/);
  });
});

describe('event analysis group-by', () => {
  const rows = (a: Awaited<ReturnType<typeof run>>) => a.series.map((s) => [s.group.join('|'), ...s.total]);

  test('by a property: every series, largest first, ties by key, missing as (无值)', async () => {
    const a = await run(buy({ metrics: [{ kind: 'count' }, { kind: 'users' }], group_by: [{ prop: 'sku' }] }));
    // A: #1 #3 #4 (u1, u2); B: #2 (u1); C: #5 (u2); none: #6 (u3). '(' sorts before 'B'.
    assert.deepEqual(rows(a), [
      ['A', 3, 2],
      ['(无值)', 1, 1],
      ['B', 1, 1],
      ['C', 1, 1],
    ]);
    assert.equal(a.charted, 4);
    assert.deepEqual(a.series.find((s) => s.group[0] === 'A')!.values, [
      [1, 1],
      [2, 2],
      [0, 0],
    ]);
  });

  test('by the open’s scene and source key', async () => {
    const a = await run(buy({ group_by: [{ field: 'scene' }], granularity: 'total' }));
    // 1001: #1 #2; 1047: #3 #4 (#4's open was the day before); no open: #5 #6. All tie at 2.
    assert.deepEqual(rows(a), [
      ['(无值)', 2],
      ['1001', 2],
      ['1047', 2],
    ]);
  });

  test('by 新老用户 and by two fields', async () => {
    const a = await run(buy({ group_by: [{ field: 'user_type' }], granularity: 'total' }));
    assert.deepEqual(rows(a), [
      ['老用户', 4],
      ['新用户', 2],
    ]);
    const two = await run(buy({ group_by: [{ field: 'user_type' }, { prop: 'sku' }], granularity: 'total' }));
    // 老用户: A (#3 #4), C (#5), none (#6); 新用户: A (#1), B (#2).
    assert.deepEqual(rows(two), [
      ['老用户|A', 2],
      ['新用户|A', 1],
      ['新用户|B', 1],
      ['老用户|(无值)', 1],
      ['老用户|C', 1],
    ]);
  });

  test('the same figures once compaction has run', async () => {
    const before = await run(buy({ metrics: ALL_METRICS, group_by: [{ field: 'user_type' }] }));
    await m.metrics.compact();
    assert.deepEqual(await run(buy({ metrics: ALL_METRICS, group_by: [{ field: 'user_type' }] })), before);
  });
});

describe('event analysis buckets', () => {
  test('by hour', async () => {
    const a = await run(buy({ from: '2026-10-06', to: '2026-10-06', granularity: 'hour' }));
    assert.equal(a.buckets.length, 24);
    assert.equal(a.buckets[9], '2026-10-06 09:00');
    const counts = a.series[0]!.values.map((v) => v[0]);
    // #4 at 00:00:30, #3 at 09:00.
    assert.deepEqual(
      counts.flatMap((c, h) => (c ? [[h, c]] : [])),
      [
        [0, 1],
        [9, 1],
      ],
    );
  });

  test('by week and month, with partial edges', async () => {
    const week = await run(buy({ from: '2026-10-05', to: '2026-10-14', granularity: 'week' }));
    assert.deepEqual(week.buckets, ['2026-10-05', '2026-10-12']);
    assert.deepEqual(week.partial, [false, true]);
    assert.deepEqual(
      week.series[0]!.values.map((v) => v[0]),
      [6, 0],
    );
    const month = await run(buy({ from: '2026-09-30', to: '2026-10-07', granularity: 'month' }));
    assert.deepEqual(month.buckets, ['2026-09-30', '2026-10-01']);
    assert.deepEqual(month.partial, [true, true]);
    assert.deepEqual(
      month.series[0]!.values.map((v) => v[0]),
      [0, 6],
    );
  });

  test('over the whole range, and against a comparison range', async () => {
    const a = await run(buy({ granularity: 'total', compare: { from: '2026-10-06', to: '2026-10-08' } }));
    assert.deepEqual(a.buckets, ['2026-10-05']);
    assert.deepEqual(a.series[0]!.values, [[6]]);
    // 10-06..10-08: #3 #4 #5 #6.
    assert.deepEqual(a.compare?.series[0]?.total, [4]);
    await assert.rejects(run(buy({ compare: { from: '2026-10-01', to: '2026-10-02' } })), /same length/);
  });

  test('today is partial', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const a = await run(buy({ from: today, to: today }));
    assert.deepEqual(a.partial, [true]);
  });
});

describe('property values by type', () => {
  const codes = (declared?: PropTypes) =>
    run(
      {
        event: 'pay',
        metrics: [{ kind: 'count' }],
        group_by: [{ prop: 'code' }],
        granularity: 'total',
        from: '2026-10-08',
        to: '2026-10-08',
      },
      declared,
    );

  test('inferred a string: every value as sent, numbers and booleans as their JSON text', async () => {
    const a = await codes();
    const groups = a.series.map((s) => s.group[0]).sort();
    assert.deepEqual(groups, ['', ' 5', '-3.5', '12', '1e3', '7', 'true', 'x']);
    await assert.rejects(
      run({ event: 'pay', metrics: [{ kind: 'sum', prop: 'code' }], from: '2026-10-08', to: '2026-10-08' }),
      /not a number property/,
    );
  });

  test('declared a number: JSON numbers and number-shaped strings, the rest missing', async () => {
    const a = await run(
      {
        event: 'pay',
        metrics: [{ kind: 'sum', prop: 'code' }, { kind: 'avg', prop: 'code' }, { kind: 'count' }],
        filters: { match: 'all', conditions: [{ on: { prop: 'code' }, op: 'has_value' }] },
        granularity: 'total',
        from: '2026-10-08',
        to: '2026-10-08',
      },
      { code: 'number' },
    );
    // '12', 7 and '-3.5' read as numbers; 'x', true, '1e3', ' 5' and '' do not.
    assert.deepEqual(a.series[0]!.total, [15.5, 15.5 / 3, 3]);
  });

  test('distinct values of a number property are its numbers; of a string property, its text', async () => {
    const distinct = (declared?: PropTypes) =>
      run(
        {
          event: 'pay',
          metrics: [{ kind: 'distinct', prop: 'code' }],
          granularity: 'total',
          from: '2026-10-08',
          to: '2026-10-08',
        },
        declared,
      );
    // A number: 12, 7 and -3.5 ('x', true, '1e3', ' 5' and '' are no value); text: all 8 as sent.
    assert.deepEqual((await distinct({ code: 'number' })).series[0]!.total, [3]);
    assert.deepEqual((await distinct()).series[0]!.total, [8]);
  });

  test('the empty string is a value', async () => {
    const a = await run({
      event: 'pay',
      metrics: [{ kind: 'count' }],
      filters: { match: 'all', conditions: [{ on: { prop: 'code' }, op: '=', value: '' }] },
      from: '2026-10-08',
      to: '2026-10-08',
    });
    assert.deepEqual(a.series[0]!.total, [1]);
  });
});

describe('event analysis queries', () => {
  test('bad queries are refused with what is wrong', () => {
    assert.throws(() => parseEventQuery({ ...buy(), event: 'Buy!' }), /event name/);
    assert.throws(() => parseEventQuery(buy({ metrics: [] })), /bad_query|at least|>=1|too_small|1/i);
    assert.throws(() => parseEventQuery(buy({ from: '2026-10-07', to: '2026-10-05' })), /must not be after/);
    assert.throws(() => parseEventQuery(buy({ from: '2025-01-01', to: '2026-10-05', granularity: 'hour' })));
    assert.throws(() => parseEventQuery(buy({ from: '2026-09-01', to: '2026-10-05', granularity: 'hour' })), /hourly/);
    const between = { on: { prop: 'price' }, op: 'between' as const, value: 1 };
    assert.throws(() => parseEventQuery(buy({ filters: { match: 'all', conditions: [between] } })), /two numbers/);
  });
});
