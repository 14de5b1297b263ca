/**
 * 漏斗分析, 路径分析 and 留存分析 by events checked from outside: the same traffic as the event
 * analysis cross-check (custom-traffic.ts) goes in through ingest; GET custom/funnel, custom/paths
 * and custom/retention answer a battery of queries; the independent reading of custom-analysis.md
 * (custom-reference.ts) must give the same figures. Funnels: 2 to 5 steps, windows of 1 s, 30 min
 * (and to the ms around it), 1 h, 1 day and the whole range, step filters, an event twice with
 * different filters, funnel-wide filters (all, any), group-bys, per day. Paths: from the entry page,
 * from a page, to a page, with custom events as nodes, small top K. Retention by day, week and
 * month. Read live (before any compaction); crosscheck-custom-compacted.test.ts reads them after.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventRetentionQuery, FieldRef, FunnelQuery } from '@miniscope/contract';
import {
  checkFunnel,
  checkPaths,
  checkRetention,
  EVENT_PATHS,
  PAGE_PATHS,
  R7,
  R14,
  R40,
  SHOP5,
  setupCustomCrosscheck,
  today,
} from './crosscheck-custom-setup.js';
import { addDays } from './reference.js';

setupCustomCrosscheck();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const field = (f: string) => ({ field: f }) as FieldRef;

describe('漏斗分析, 路径分析 and 留存分析 against an independent reading of custom-analysis.md', () => {
  test('funnels of 2 to 5 steps, with each window', async () => {
    for (const [i, steps] of [SHOP5.slice(1, 3), SHOP5.slice(1, 4), SHOP5.slice(0, 4), SHOP5].entries()) {
      const body = await checkFunnel({ steps, ...R40 });
      if (steps.length === 2) assert.ok(body.users[1]! > 10, 'the shop converts');
      await checkFunnel({ steps, window_ms: i % 2 ? DAY : 30 * MINUTE, ...R40 });
      if (i % 2 === 0) await checkFunnel({ steps, window_ms: HOUR, ...R7 });
    }
    // The demo's own events, whatever they are.
    await checkFunnel({ steps: [{ event: 'add_to_cart' }, { event: 'checkout' }, { event: 'pay_success' }], ...R40 });
  });

  test('step filters, an event twice with different filters, funnel-wide filters', async () => {
    const steps = [
      { event: 'view_goods', filters: [{ on: { prop: 'category' }, op: '=', value: '数码' }] },
      { event: 'add_to_cart', filters: [{ on: { prop: 'price' }, op: '>', value: 100 }] },
      { event: 'pay', filters: [{ on: { prop: 'method' }, op: '=', value: 'wechat' }] },
    ] as FunnelQuery['steps'];
    await checkFunnel({ steps, ...R40 });
    const twice = [
      { event: 'view_goods', filters: [{ on: { prop: 'category' }, op: '=', value: '服装' }] },
      { event: 'view_goods', filters: [{ on: { prop: 'category' }, op: '!=', value: '服装' }] },
      { event: 'add_to_cart' },
    ] as FunnelQuery['steps'];
    await checkFunnel({ steps: twice, ...R40 });
    await checkFunnel({ steps: twice, window_ms: HOUR, ...R40 });
    // Overlapping filters: one event may match both steps, never both at once.
    const overlapping = [
      { event: 'view_goods', filters: [{ on: { prop: 'price' }, op: '>', value: 100 }] },
      { event: 'view_goods', filters: [{ on: { prop: 'price' }, op: '>', value: 300 }] },
      { event: 'view_goods', filters: [{ on: { prop: 'price' }, op: '>', value: 600 }] },
    ] as FunnelQuery['steps'];
    await checkFunnel({ steps: overlapping, ...R40 });
    for (const [match, steps] of [
      ['all', SHOP5.slice(1, 4)],
      ['any', SHOP5],
    ] as const) {
      const filters = {
        match,
        conditions: [
          { on: field('platform'), op: '=', value: 'ios' },
          { on: field('gender'), op: '=', value: '女' },
          { on: { prop: 'price' }, op: '>=', value: 50 },
        ],
      } as FunnelQuery['filters'];
      await checkFunnel({ steps: [...steps], filters, ...(match === 'any' ? { window_ms: DAY } : {}), ...R40 });
    }
  });

  test('group-by from the earliest step-1 event, and per day', async () => {
    const groups: FieldRef[] = [
      field('platform'),
      field('user_type'),
      field('scene'),
      field('age'),
      { prop: 'category' },
      { prop: 'kw' },
    ];
    for (const [i, group_by] of groups.entries()) {
      if (i % 2) await checkFunnel({ steps: SHOP5.slice(0, 3), group_by, window_ms: 30 * MINUTE, ...R7 });
      else await checkFunnel({ steps: SHOP5.slice(1, 4), group_by, ...R40 });
    }
  });

  test('the hard cases: equal times, midnight, windows to the ms', async () => {
    const step = (s: string) => ({ event: 'probe', filters: [{ on: { prop: 'step' }, op: '=', value: s }] });
    const abc = [step('a'), step('b'), step('c')] as FunnelQuery['steps'];
    // The days of the hard cases (custom-traffic.ts), and today; both queries where equal times
    // (hc_eq, hc_eq2) and midnight (hc_mid) are.
    for (const back of [0, 2, 3, 4, 5, 6]) {
      const day = { from: addDays(today, -back), to: addDays(today, -back) };
      if (back !== 4 && back !== 6) await checkFunnel({ steps: abc.slice(0, 2), group_by: { prop: 'tag' }, ...day });
      if (back !== 0 && back !== 5) await checkFunnel({ steps: abc, window_ms: 1000, ...day });
    }
    // hc_win: a → b in exactly 30 minutes (inside a 30-minute window), → c one ms later.
    const d2 = { from: addDays(today, -2), to: addDays(today, -2) };
    for (const window_ms of [30 * MINUTE - 1000, 30 * MINUTE, 30 * MINUTE + 1, HOUR]) {
      const body = await checkFunnel({ steps: abc, window_ms, group_by: { prop: 'tag' }, ...d2 });
      const w = body.groups.find((g) => g.group === 'W');
      assert.deepEqual(
        w?.users,
        window_ms < 30 * MINUTE ? [1, 0, 0] : window_ms === 30 * MINUTE ? [1, 1, 0] : [1, 1, 1],
      );
    }
    for (const [i, group_by] of [{ prop: 'tag' }, field('user_type'), field('scene'), field('path')].entries()) {
      await checkFunnel({ steps: i % 2 ? abc : abc.slice(0, 2), group_by, ...R14 });
    }
    const body = await checkFunnel({ steps: abc.slice(0, 2), ...R14 });
    assert.ok(body.users[1]! >= 2 && body.median_ms !== null, JSON.stringify(body));
  });

  test('paths from the entry page, from a page, to a page', async () => {
    for (const q of PAGE_PATHS) await checkPaths(q);
    // Days alone: the hard cases' (an open without its `open` event, 23:59:59.999), today, and the
    // crafted opens across midnight (crosscheck-traffic.ts, 3 and 10 days back).
    for (const back of [0, 2, 3, 4, 5, 6, 10]) {
      const day = { from: addDays(today, -back), to: addDays(today, -back) };
      if (back % 2) await checkPaths({ direction: 'to', page: 'pages/goods/detail', steps: 3, top: 3, ...day });
      else await checkPaths({ direction: 'from', steps: 4, top: 6, ...day });
    }
  });

  test('paths with custom events as nodes', async () => {
    for (const q of EVENT_PATHS) await checkPaths(q);
    for (const back of [0, 2, 3, 4]) {
      const day = { from: addDays(today, -back), to: addDays(today, -back) };
      await checkPaths({ direction: 'from', steps: 5, top: 5, events: ['probe', 'view_goods'], ...day });
    }
  });

  test('event retention by day, week and month', async () => {
    const queries: EventRetentionQuery[] = [
      { initial: { event: 'view_goods' }, return: { event: 'pay' }, granularity: 'day', ...R14 },
      { initial: { event: 'add_to_cart' }, return: { event: 'add_to_cart' }, granularity: 'day', ...R40 },
      { initial: { event: 'search' }, return: { event: 'view_goods' }, granularity: 'week', ...R40 },
      { initial: { event: 'view_goods' }, return: { event: 'view_goods' }, granularity: 'month', ...R40 },
      {
        initial: { event: 'view_goods', filters: [{ on: { prop: 'category' }, op: '=', value: '数码' }] },
        return: { event: 'add_to_cart', filters: [{ on: field('platform'), op: '!=', value: 'ios' }] },
        granularity: 'week',
        from: addDays(today, -20),
        to: addDays(today, -3),
      },
      {
        initial: { event: 'view_goods', filters: [{ on: field('user_type'), op: '=', value: '新用户' }] },
        return: { event: 'pay' },
        granularity: 'day',
        ...R40,
      },
      { initial: { event: 'probe' }, return: { event: 'probe' }, granularity: 'day', ...R14 },
      {
        initial: { event: 'probe', filters: [{ on: { prop: 'step' }, op: '=', value: 'a' }] },
        return: { event: 'probe', filters: [{ on: { prop: 'qty' }, op: 'has_value' }] },
        granularity: 'week',
        ...R14,
      },
    ];
    for (const q of queries) await checkRetention(q);
  });
});
