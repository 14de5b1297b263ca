/**
 * 自定义分析 checked from outside once compaction has covered the traffic (today stays live): the
 * reports whose reads go through compaction's tables, against the same independent reading
 * (custom-reference.ts) as the live cross-check (crosscheck-custom-events/models.test.ts). Paths
 * from the page sequences stored with compacted opens and their per-day parts, joined with today's
 * live opens (also with custom events as nodes: the opens that have one are read from raw events); 新老用户 from compacted
 * first days in event analysis, funnels and event retention; event analysis from its per-day parts
 * (metrics/custom/event-parts.ts), materialized by the first read and read by the second.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Condition, EventAnalysisQuery, EventMetric, FieldRef } from '@miniscope/contract';
import {
  APP,
  cc,
  checkEvents,
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
  yesterday,
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

  test('paths from the stored page sequences and per-day parts, with custom events, each day of the hard cases', async () => {
    // Each twice: the first read makes the per-day parts of the clean days, the second reads them.
    const queries = [...PAGE_PATHS.filter((_, i) => i % 2 === 0), ...EVENT_PATHS];
    for (const q of queries) {
      await checkPaths(q);
      await checkPaths(q);
    }
    const [row] = await cc.m.store.query<{ shapes: string }>(
      'SELECT uniqExact(shape) AS shapes FROM custom_path_part_days WHERE app_id = {app:String}',
      { app: APP },
    );
    assert.equal(Number(row!.shapes), queries.length);
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

  test('event analysis from per-day parts: materialized by a first read, read by a second, today live', async () => {
    const queries: EventAnalysisQuery[] = [];
    const counts: EventMetric[] = [{ kind: 'count' }, { kind: 'users' }, { kind: 'per_user' }];
    for (const [event, props] of cc.ref.propsByEvent()) {
      queries.push({ event, metrics: counts, granularity: 'day', ...R40 });
      const numbers = [...props].filter(([, type]) => type === 'number').map(([prop]) => prop);
      for (const [i, prop] of numbers.entries()) {
        const kinds = ['sum', 'avg', 'max', 'min', 'per_user_sum'] as const;
        const metrics = kinds.map((kind) => ({ kind, prop }));
        queries.push({ event, metrics, granularity: i % 2 ? 'month' : 'week', ...R40 });
      }
    }
    const f = (name: string) => ({ field: name }) as FieldRef;
    for (const group_by of [
      [{ prop: 'category' }, f('platform')],
      [{ prop: 'sku' }],
      [f('province'), f('gender'), f('age')],
      [f('city'), f('model'), f('path'), f('brand')],
      [f('network'), f('wechat'), f('baselib')],
    ])
      queries.push({ event: 'view_goods', metrics: counts, group_by, granularity: 'total', ...R40 });
    queries.push({
      event: 'view_goods',
      metrics: [{ kind: 'count' }, { kind: 'users' }, { kind: 'avg', prop: 'price' }],
      group_by: [{ prop: 'category' }, f('platform')],
      ...R40,
    });
    queries.push({ event: 'add_to_cart', metrics: counts, granularity: 'hour', from: addDays(today, -4), to: today });
    const qty = { prop: 'qty' };
    const conditions: Condition[] = [
      { on: qty, op: '!=', value: 12 },
      { on: qty, op: 'between', value: 3, to: 12 },
      { on: { prop: 'tag' }, op: 'not_contains', value: 'A' },
      { on: f('platform'), op: '=', value: 'ios' },
    ];
    for (const match of ['all', 'any'] as const)
      queries.push({
        event: 'probe',
        metrics: [{ kind: 'count' }, { kind: 'min', prop: 'qty' }],
        filters: { match, conditions },
        ...R14,
      });
    const twoCounts: EventMetric[] = [{ kind: 'users' }, { kind: 'count' }];
    queries.push({
      event: 'pay',
      metrics: twoCounts,
      ...R7,
      compare: { from: addDays(R7.from, -8), to: addDays(yesterday, -8) },
    });
    for (const q of queries) {
      await checkEvents(q);
      await checkEvents(q, `${JSON.stringify(q)} (again)`);
    }
    const [row] = await cc.m.store.query<{ shapes: string; days: string }>(
      'SELECT uniqExact(shape) AS shapes, uniqExact(day) AS days FROM custom_part_days WHERE app_id = {app:String}',
      { app: APP },
    );
    // Every query has its own shape; every day before today has parts.
    assert.equal(Number(row!.shapes), queries.length);
    assert.equal(Number(row!.days), 39);
  });
});
