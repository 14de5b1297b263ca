/**
 * 事件分析 checked from outside: the cross-check's traffic with the shop and the hard cases
 * (custom-traffic.ts) goes in through ingest; GET custom/events answers a battery of queries (every
 * metric, every operator on properties and system fields, group-bys on both, every granularity, a
 * comparison range); the independent reading of custom-analysis.md (custom-reference.ts) must give
 * the same buckets, partial flags, series in the same order and the same figures.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Condition,
  type EventAnalysisQuery,
  type EventMetric,
  type FieldRef,
  SYSTEM_FIELDS,
} from '@miniscope/contract';
import { cc, checkEvents, R40, setupCustomCrosscheck, today, yesterday } from './crosscheck-custom-setup.js';
import { addDays } from './reference.js';

setupCustomCrosscheck();

/** Every system field (the contract's list: a field added there is checked here too). */
const SYSTEM: FieldRef[] = SYSTEM_FIELDS.map((field) => ({ field }));

const NUMBER_KINDS = ['sum', 'avg', 'max', 'min', 'per_user_sum'] as const;
/** Properties with odd values (numbers sent as text or not numbers, booleans, ''), by event. */
const ODD_PROPS: Array<[string, string]> = [
  ['probe', 'qty'],
  ['probe', 'tag'],
  ['probe', 'code'],
  ['probe', 'n'],
  ['probe', 'stale'],
  ['checkout', 'coupon'],
  ['search', 'kw'],
  ['add_to_cart', 'price'],
];

const total = (q: Omit<EventAnalysisQuery, 'from' | 'to'>): EventAnalysisQuery => ({
  granularity: 'total',
  ...R40,
  ...q,
});

describe('事件分析 against an independent reading of custom-analysis.md', () => {
  test('the traffic has what the check is meant to cover', () => {
    const names = new Set(cc.ref.custom.map((e) => e.name));
    for (const n of ['view_goods', 'add_to_cart', 'checkout', 'pay', 'search', 'probe', 'pay_success', 'coupon_claim'])
      assert.ok(names.has(n), n);
    assert.ok(cc.ref.custom.length > 1200, `${cc.ref.custom.length} custom events`);
    assert.equal(cc.ref.typeOf('qty'), 'number');
    assert.equal(cc.ref.typeOf('code'), 'string');
    assert.equal(cc.ref.typeOf('n'), 'number');
    assert.equal(cc.ref.typeOf('tag'), 'string');
    assert.deepEqual(
      ['old', 'ancient', 'stale'].map((p) => cc.ref.typeOf(p)),
      ['number', 'number', 'string'],
    );
    // The reading both sides take (custom-reference.ts, sql/opens.ts): an open's events lie on its
    // day or the next.
    assert.deepEqual(cc.ref.opensBeyondADay(), []);
  });

  test('every event seen: count, users and per user, by day and over the range', async () => {
    const metrics = [{ kind: 'count' }, { kind: 'users' }, { kind: 'per_user' }] as const;
    for (const event of cc.ref.propsByEvent().keys())
      await checkEvents({ event, metrics: [...metrics], granularity: 'day', ...R40 });
  });

  test('every property of every event: number metrics by week, distinct values by month', async () => {
    for (const [event, props] of cc.ref.propsByEvent()) {
      // Five metrics a query: each number property's five, the string properties' distinct values.
      const all = [...props].flatMap(([prop, type]): EventMetric[] =>
        type === 'number' ? NUMBER_KINDS.map((kind) => ({ kind, prop })) : [{ kind: 'distinct', prop }],
      );
      for (let i = 0; i < all.length; i += 5) {
        const granularity = (i / 5) % 2 ? 'month' : 'week';
        await checkEvents({ event, metrics: all.slice(i, i + 5), granularity, ...R40 });
      }
    }
    // Grouped by the property itself where its values are odd (numbers sent as text, booleans, ''):
    // a number property by its max (nulls last), its distinct values (numbers, as read).
    for (const [event, prop] of ODD_PROPS) {
      const number = cc.ref.typeOf(prop) === 'number';
      const metrics: EventMetric[] = number
        ? [{ kind: 'max', prop }, { kind: 'count' }, { kind: 'distinct', prop }]
        : [{ kind: 'count' }, { kind: 'users' }, { kind: 'distinct', prop }];
      await checkEvents(total({ event, metrics, group_by: [{ prop }] }));
      if (number) await checkEvents(total({ event, metrics }));
    }
  });

  test('every operator on a declared number property, strings that are numbers or not', async () => {
    const on = { prop: 'qty' };
    const conditions: Condition[] = [
      { on, op: '=', value: 12 },
      { on, op: '!=', value: 12 },
      { on, op: '>', value: 5 },
      { on, op: '>=', value: 12 },
      { on, op: '<', value: 7 },
      { on, op: '<=', value: 0 },
      { on, op: 'between', value: 3, to: 12 },
      { on, op: 'between', value: -2, to: 3.5 },
      { on, op: 'has_value' },
      { on, op: 'no_value' },
      { on: { prop: 'n' }, op: 'between', value: -5, to: 2 },
    ];
    const metrics: EventMetric[] = [
      { kind: 'count' },
      { kind: 'sum', prop: 'qty' },
      { kind: 'min', prop: 'qty' },
      { kind: 'distinct', prop: 'qty' },
    ];
    for (const c of conditions) await checkEvents(total({ event: 'probe', metrics, filters: { conditions: [c] } }));
    // The shop's numbers, each operator once over many events.
    const shop: Array<[string, Condition]> = [
      ['add_to_cart', { on, op: '!=', value: 2 }],
      ['add_to_cart', { on: { prop: 'price' }, op: 'between', value: 10, to: 99.5 }],
    ];
    for (const [event, c] of shop) await checkEvents(total({ event, metrics, filters: { conditions: [c] } }));
  });

  test('every operator on text properties and on each system field', async () => {
    const tag = { prop: 'tag' };
    const probe: Condition[] = [
      { on: tag, op: '=', value: 'A' },
      { on: tag, op: '!=', value: 'A' },
      { on: tag, op: '=', value: '' },
      { on: tag, op: '=', value: '39.9' },
      { on: tag, op: '=', value: 'true' },
      { on: tag, op: 'not_contains', value: 'A' },
      { on: tag, op: 'has_value' },
      { on: tag, op: 'no_value' },
      { on: { prop: 'code' }, op: '=', value: '12' },
      { on: { prop: 'code' }, op: '=', value: 7 },
    ];
    const field = (f: string) => ({ field: f }) as FieldRef;
    // Each on the probes (the hard cases) and on an event of the shop or the demo.
    // The fields whose reading has a case of its own (no value, the open's, the user's, abroad); the
    // plain attributes (brand, model, wechat, baselib) read as the group-bys below check.
    const system: Array<[string, Condition]> = [
      ['probe', { on: field('path'), op: 'no_value' }],
      ['checkout', { on: field('scene'), op: '=', value: '1047' }],
      ['probe', { on: field('scene'), op: 'no_value' }],
      ['probe', { on: field('source'), op: 'has_value' }],
      ['probe', { on: field('province'), op: '!=', value: '未知' }],
      ['add_to_cart', { on: field('city'), op: 'contains', value: '州' }],
      ['probe', { on: field('platform'), op: 'no_value' }],
      ['probe', { on: field('gender'), op: '=', value: '未知' }],
      ['probe', { on: field('age'), op: '=', value: '18-24岁' }],
      ['view_goods', { on: field('age'), op: '!=', value: '未知' }],
      ['probe', { on: field('user_type'), op: '=', value: '新用户' }],
      ['view_goods', { on: field('user_type'), op: '=', value: '老用户' }],
    ];
    const runs: Array<[string, Condition]> = [
      ...probe.map((c) => ['probe', c] as [string, Condition]),
      ['search', { on: { prop: 'kw' }, op: '=', value: '' }],
      ['view_goods', { on: tag, op: '!=', value: 'A' }],
      ...system,
    ];
    for (const [event, c] of runs)
      await checkEvents(
        total({ event, metrics: [{ kind: 'count' }, { kind: 'users' }], filters: { conditions: [c] } }),
      );
    // Joined by AND and by OR, up to five.
    const two: Condition[] = [
      { on: field('platform'), op: 'no_value' },
      { on: field('gender'), op: '=', value: '女' },
    ];
    const five: Condition[] = [
      { on: tag, op: '!=', value: 'A' },
      { on: field('province'), op: '!=', value: '未知' },
      { on: field('age'), op: '!=', value: '未知' },
      { on: field('user_type'), op: '=', value: '新用户' },
      { on: { prop: 'category' }, op: '=', value: '数码' },
    ];
    for (const [match, event] of [
      ['all', 'probe'],
      ['any', 'view_goods'],
    ] as const) {
      const metrics = [{ kind: 'count' }, { kind: 'users' }] as const;
      await checkEvents({
        event,
        metrics: [...metrics],
        filters: { match, conditions: two },
        granularity: 'week',
        ...R40,
      });
      await checkEvents(total({ event, metrics: [...metrics], filters: { match, conditions: five } }));
    }
  });

  test('group by the system fields, by properties, up to five at once (missing: (无值))', async () => {
    // Five fields at once: a series per combination, so every field's reading of every event counts.
    const sets: FieldRef[][] = [SYSTEM.slice(0, 5), SYSTEM.slice(5, 10), SYSTEM.slice(10)];
    // coupon_claim: events of opens without a page view, and of opens whose `open` never arrived.
    const events = [
      ['probe', 'view_goods', 'coupon_claim'],
      ['probe', 'view_goods'],
      ['probe', 'coupon_claim'],
    ];
    for (const [i, group_by] of sets.entries()) {
      for (const event of events[i]!) {
        await checkEvents(total({ event, metrics: [{ kind: 'count' }, { kind: 'users' }], group_by }));
      }
    }
    // One field alone, those with many values: the top 10 charted, ties by key.
    for (const [i, name] of ['city', 'model'].entries()) {
      const event = ['view_goods', 'add_to_cart'][i]!;
      await checkEvents(total({ event, metrics: [{ kind: 'users' }], group_by: [{ field: name } as FieldRef] }));
    }
    const f = (name: string) => ({ field: name }) as FieldRef;
    const byWeek: Array<[string, FieldRef[]]> = [
      ['view_goods', [{ prop: 'category' }, { prop: 'sku' }]],
      ['probe', [{ prop: 'tag' }, { prop: 'qty' }, f('scene'), f('source'), f('path')]],
      ['probe', [f('province'), f('city'), f('user_type'), f('gender'), f('age')]],
    ];
    for (const [event, group_by] of byWeek) {
      await checkEvents({
        event,
        metrics: [{ kind: 'users' }, { kind: 'count' }, { kind: 'per_user' }],
        group_by,
        granularity: 'week',
        ...R40,
      });
    }
  });

  test('by hour, day, week, month and over the range; weeks and months cut by the range', async () => {
    const metrics = [{ kind: 'count' }, { kind: 'users' }, { kind: 'sum', prop: 'price' }] as const;
    await checkEvents({
      event: 'view_goods',
      metrics: [...metrics],
      granularity: 'hour',
      from: addDays(today, -4),
      to: today,
    });
    await checkEvents({
      event: 'add_to_cart',
      metrics: [...metrics],
      granularity: 'hour',
      from: yesterday,
      to: yesterday,
    });
    // A range from a Wednesday to a Tuesday 27 days later: both edge weeks cut, two months.
    const wednesday = [...Array(7)].map((_, i) => addDays(today, -30 - i)).find((d) => new Date(d).getUTCDay() === 3)!;
    const cut = { from: wednesday, to: addDays(wednesday, 27) };
    const ranges = [R40, cut, { from: addDays(today, -9), to: yesterday }];
    for (const granularity of ['day', 'week', 'month', 'total'] as const) {
      for (const [i, range] of ranges.entries()) {
        if (i === 2 && (granularity === 'day' || granularity === 'total')) continue;
        const grouped = i === 1;
        await checkEvents({
          event: grouped ? 'add_to_cart' : 'view_goods',
          metrics: [...metrics],
          ...(grouped ? { group_by: [{ field: 'platform' } as FieldRef] } : {}),
          granularity,
          ...range,
        });
      }
    }
  });

  test('a comparison range of the same length', async () => {
    const week = { from: addDays(today, -7), to: yesterday };
    const before = { from: addDays(today, -14), to: addDays(today, -8) };
    for (const event of ['probe', 'pay']) {
      await checkEvents({
        event,
        metrics: [{ kind: 'count' }, { kind: 'users' }, { kind: 'avg', prop: 'amount' }],
        group_by: [{ field: 'gender' }],
        granularity: 'day',
        ...week,
        compare: before,
      });
    }
    await checkEvents({
      event: 'view_goods',
      metrics: [{ kind: 'count' }],
      granularity: 'week',
      from: addDays(today, -13),
      to: today,
      compare: { from: addDays(today, -27), to: addDays(today, -14) },
    });
  });

  test('the hard cases, one day at a time', async () => {
    // The days of the hard cases (custom-traffic.ts), and today.
    for (const back of [0, 2, 3, 4, 5, 6]) {
      const day = addDays(today, -back);
      const q: EventAnalysisQuery = {
        event: 'probe',
        metrics: [
          { kind: 'count' },
          { kind: 'sum', prop: 'qty' },
          { kind: 'max', prop: 'qty' },
          { kind: 'min', prop: 'n' },
          { kind: 'distinct', prop: 'tag' },
        ],
        group_by: [{ prop: 'step' }, { field: 'user_type' }],
        granularity: 'hour',
        from: day,
        to: day,
      };
      await checkEvents(q);
    }
  });
});
