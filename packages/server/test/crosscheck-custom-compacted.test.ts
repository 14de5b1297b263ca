/**
 * 自定义分析 checked from outside once compaction has covered the traffic (today stays live): the
 * reports whose reads go through compaction's tables, against the same independent reading
 * (custom-reference.ts) as the live cross-check (crosscheck-custom-events/models.test.ts). Paths
 * from the page sequences stored with compacted opens, joined with today's live opens (also with
 * custom events as nodes: the opens that have one are read from raw events); 新老用户 from compacted
 * first days in event analysis, funnels and event retention.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldRef } from '@miniscope/contract';
import {
  APP,
  cc,
  checkEvents,
  checkFunnel,
  checkPaths,
  checkRetention,
  EVENT_PATHS,
  PAGE_PATHS,
  R14,
  R40,
  SHOP5,
  setupCustomCrosscheck,
  today,
} from './crosscheck-custom-setup.js';
import { addDays } from './reference.js';

setupCustomCrosscheck(true);

const HOUR = 3_600_000;
const userType = { field: 'user_type' } as FieldRef;

describe('自定义分析 read through compaction, against an independent reading of custom-analysis.md', () => {
  test('compaction has covered the days before today', async () => {
    const [row] = await cc.m.store.query<{ days: string }>(
      'SELECT toString(uniqExact(day)) AS days FROM compacted_days WHERE app_id = {app:String} AND day < {today:Date}',
      { app: APP, today },
    );
    assert.ok(Number(row!.days) >= 39, `${row!.days} days compacted`);
  });

  test('paths from the stored page sequences, with custom events, each day of the hard cases', async () => {
    for (const q of [...PAGE_PATHS.filter((_, i) => i % 2 === 0), ...EVENT_PATHS]) await checkPaths(q);
    for (const back of [0, 3, 4]) {
      const day = { from: addDays(today, -back), to: addDays(today, -back) };
      await checkPaths({ direction: 'from', steps: 4, top: 6, events: back % 2 ? ['probe'] : [], ...day });
    }
  });

  test('新老用户 from compacted first days: event analysis, funnels, event retention', async () => {
    await checkEvents({ event: 'view_goods', metrics: [{ kind: 'users' }], group_by: [userType], ...R40 });
    await checkEvents({
      event: 'probe',
      metrics: [{ kind: 'count' }, { kind: 'users' }],
      group_by: [userType, { prop: 'step' }],
      granularity: 'total',
      ...R14,
    });
    await checkFunnel({ steps: SHOP5.slice(1, 4), group_by: userType, ...R40 });
    await checkFunnel({
      steps: SHOP5.slice(0, 3),
      group_by: { field: 'scene' },
      filters: { match: 'all', conditions: [{ on: userType, op: '=', value: '老用户' }] },
      window_ms: HOUR,
      ...R14,
    });
    const step = (s: string) => ({ event: 'probe', filters: [{ on: { prop: 'step' }, op: '=' as const, value: s }] });
    await checkFunnel({ steps: [step('a'), step('b'), step('c')], group_by: userType, ...R14 });
    await checkRetention({
      initial: { event: 'view_goods', filters: [{ on: userType, op: '=', value: '新用户' }] },
      return: { event: 'add_to_cart' },
      granularity: 'day',
      ...R40,
    });
  });
});
