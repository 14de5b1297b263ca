/**
 * The 自定义分析 browser test's data: three users of one app, their opens with page views and
 * custom events on yesterday (Y) and the day before (Y−1), Asia/Shanghai. The figures the test
 * expects are worked out by hand here.
 *
 *   u1  Y−1 09:00  index; view_item {sku A, price 10} at :05
 *       Y   10:00  index; view_item {A, 10} at :05; detail at :08; add_cart {A, 10} at :10;
 *                  pay {amount 10} at :30
 *   u2  Y   11:00  index; view_item {B, 20} at :05; add_cart {B, 20} at :10
 *   u3  Y   12:00  index; view_item {A, 10} at :05; list at :08; view_item {B, 30} at :09
 *
 * Counts in the last 7 days: view_item 5, add_cart 2, pay 1 (the pickers' order).
 * 事件分析 of view_item over the 7 days to Y, by day: Y−1 1 event / 1 user, Y 4 / 3; total 5 / 3;
 *   the sum of price 10+10+20+10+30 = 80. By sku: A 3 events (u1 twice, u3) / 2 users, price 30;
 *   B 2 / 2, price 50.
 * 漏斗 view_item → add_cart: 3 → 2 (u1, u2), 66.67%; then → pay: 1 (u1), overall 33.33%; u1's
 *   shortest sequence is Y 10:00:05 → 10:00:30: median time to convert 25 s.
 * 路径 from each open's entry page, 4 opens: step 1 index 4; step 2 detail 1, list 1 (2 left).
 * 留存 view_item → view_item by day: the cohort of Y−1 is u1 (1), back on Y: 1 (100%); the
 *   cohort of Y is u1, u2, u3 (3), its day 1 (today) not ended.
 */
import type { CollectEvent } from '@miniscope/contract';
import type { Miniscope } from '../../server/src/miniscope.js';
import { ev, seedUser, sh } from '../../server/test/metrics-fixture.js';
import type { Days } from './fixture.js';
import { DETAIL, INDEX, LIST } from './fixture.js';

export const APP = 'wx0000000000000c51';

let n = 0;

type Step = [seconds: number, page: string] | [seconds: number, name: string, props: Record<string, string | number>];

/** One open at `at`: its page views and custom events, `seconds` after its start. */
function open(at: string, steps: Step[]): CollectEvent[] {
  const sid = `c${++n}`;
  const start = sh(at);
  const events: CollectEvent[] = [ev.open(sid, at, 1001, INDEX)];
  for (const [seconds, name, props] of steps) {
    const ts = start + seconds * 1000 + 100;
    if (props) events.push({ id: `${sid}-${seconds}`, t: 'event', ts, sid, name, props });
    else events.push({ ...ev.pv(sid, at, name), ts });
  }
  return events;
}

export async function seedCustom(m: Miniscope, d: Days): Promise<void> {
  await seedUser(
    m,
    APP,
    'u1',
    open(`${d.dayBefore} 09:00:00`, [
      [0, INDEX],
      [5, 'view_item', { sku: 'A', price: 10 }],
    ]),
  );
  await seedUser(
    m,
    APP,
    'u1',
    open(`${d.y} 10:00:00`, [
      [0, INDEX],
      [5, 'view_item', { sku: 'A', price: 10 }],
      [8, DETAIL],
      [10, 'add_cart', { sku: 'A', price: 10 }],
      [30, 'pay', { amount: 10 }],
    ]),
  );
  await seedUser(
    m,
    APP,
    'u2',
    open(`${d.y} 11:00:00`, [
      [0, INDEX],
      [5, 'view_item', { sku: 'B', price: 20 }],
      [10, 'add_cart', { sku: 'B', price: 20 }],
    ]),
  );
  await seedUser(
    m,
    APP,
    'u3',
    open(`${d.y} 12:00:00`, [
      [0, INDEX],
      [5, 'view_item', { sku: 'A', price: 10 }],
      [8, LIST],
      [9, 'view_item', { sku: 'B', price: 30 }],
    ]),
  );
}
