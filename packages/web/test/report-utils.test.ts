/**
 * Report helpers: every 时长分析 bucket in order with zeros, growth short enough for a phone tile,
 * today/this week/this month so far, custom weeks and months never past today, dashed lines only
 * for comparisons, whole-hour axis labels.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineOption, wholeHours } from '../src/charts/options.js';
import { allBuckets } from '../src/utils/buckets.js';
import { snapRange, thisMonth, thisWeek, todayRange } from '../src/utils/dates.js';
import { formatGrowth } from '../src/utils/format.js';

test('all 8 stay-time and 7 depth buckets, in order, empty ones as 0', () => {
  const stay = allBuckets('staytime', [{ key: 4, label: '11-20秒', sessions: 2, users: 1 }], 'zh-CN');
  assert.equal(stay.length, 8);
  assert.deepEqual(
    stay.map((b) => [b.key, b.sessions]),
    [
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 2],
      [5, 0],
      [6, 0],
      [7, 0],
      [8, 0],
    ],
  );
  assert.equal(stay[0]?.label, '0-2秒');
  assert.equal(stay[7]?.label, '100秒以上');
  const depth = allBuckets('depth', [], 'en');
  assert.deepEqual(
    depth.map((b) => b.key),
    [1, 2, 3, 4, 5, 6, 7],
  );
  assert.equal(depth[6]?.label, 'Over 10 pages');
});

test('growth: one decimal below 100 %, whole percents above, signed', () => {
  assert.equal(formatGrowth(0.125), '+12.5%');
  assert.equal(formatGrowth(-0.031), '−3.1%');
  assert.equal(formatGrowth(3), '+300%');
  assert.equal(formatGrowth(20.667), '+2067%');
  assert.equal(formatGrowth(37), '+3700%');
  assert.equal(formatGrowth(0), '0%');
});

test('today, this week and this month so far; a custom week or month stops at today', () => {
  assert.deepEqual(todayRange('2026-11-26'), { from: '2026-11-26', to: '2026-11-26' });
  assert.deepEqual(thisWeek('2026-11-26'), { from: '2026-11-23', to: '2026-11-26' }, 'Monday to Thursday');
  assert.deepEqual(thisMonth('2026-11-26'), { from: '2026-11-01', to: '2026-11-26' });
  const picked = { from: '2026-11-10', to: '2026-11-25' };
  assert.deepEqual(snapRange(picked, 'week', '2026-11-26'), { from: '2026-11-09', to: '2026-11-26' });
  assert.deepEqual(snapRange(picked, 'month', '2026-11-26'), { from: '2026-11-01', to: '2026-11-26' });
  assert.deepEqual(snapRange(picked, 'week'), { from: '2026-11-09', to: '2026-11-29' });
});

test('lines are solid unless they are a comparison period', () => {
  const option = lineOption(
    ['a', 'b'],
    [
      { name: 'views', data: [1, 2] },
      { name: 'visitors', data: [1, 1] },
      { name: 'last week', data: [0, 1], compare: true },
    ],
    String,
  );
  const types = (option.series as Array<{ lineStyle: { type: string } }>).map((s) => s.lineStyle.type);
  assert.deepEqual(types, ['solid', 'solid', 'dashed']);
});

test('the real-time axis is labelled at whole hours only', () => {
  const minutes = Array.from({ length: 288 }, (_, i) => {
    const m = i * 5;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  });
  const labelled = minutes.filter((v, i) => wholeHours(4)(i, v));
  assert.deepEqual(labelled, ['00:00', '04:00', '08:00', '12:00', '16:00', '20:00']);
  assert.equal(minutes.filter((v, i) => wholeHours(2)(i, v)).length, 12);
});
