/**
 * The dashboard's browser-test data: two apps with a handful of opens on known days relative to
 * today (Asia/Shanghai), whose figures are worked out by hand below and asserted on screen.
 *
 * App A (示例商城), yesterday Y:
 *   uA (男, 1995, iPhone 15, 深圳)  10:00 scene 1001: index 4 s, detail 8 s, shares from detail
 *                                   20:00 scene 1001: index 6 s
 *   uB (女, 1988, HUAWEI Mate 60, 南京) 11:00 scene 1047: index 20 s
 *   uC (男, 2004, iPhone 15, 深圳)  12:00 scene 1007: index 2 s, list 3 s, detail 5 s
 * uA's first open is on Y−1 (index 5 s); uD opened on Y−7 (index 3 s, list 1 s).
 *
 *   Y: 打开次数 4, 访问次数 7, 访问人数 3, 新用户数 2 (uB, uC), 累计用户数 4 (uD, uA, uB, uC),
 *      stay 12+6+20+10 = 48 s → 人均 16 s, 次均 12 s; depth 2+1+1+3 = 7 → 1.75; 分享 1 / 1 人;
 *      跳出率 2/4 (the 20:00 and the 11:00 opens saw one page).
 *   Growth of 打开次数: Y−1 had 1 open → +300%; Y−7 had 1 → +300%; a month before had none → —.
 *   Sources on Y: 1 小程序历史列表 2 opens / 1 user (scene 1001: 2), 3 会话 1/1, 4 扫一扫二维码 1/1.
 *   Stay buckets: 6-10 s (key 3) 2 opens (6 s, 10 s), 11-20 s (key 4) 2 opens (12 s, 20 s).
 *   Depth: 1 page 2 opens, 2 pages 1, 3 pages 1.
 *   Pages on Y: index 4 views / 3 users, 4 entries, 2 exits → 退出率 50%, stay (4+6+20+2)/4 = 8 s;
 *      detail 2 views, 2 exits → 100%, 1 share; list 1 view, 0 exits. index is 4/7 = 57.14% of views.
 *   New-user retention: cohort Y−1 = {uA} (1), back on Y → 1 day later 1 (100%).
 *   Portrait of Y (active): 男 2, 女 1; 广东省 2, 江苏省 1; 深圳市 2; iPhone 2, android 1.
 * Today: uT opened once with one page view (real time shows 1 view), and the test adds one more.
 *
 * App B (示例资讯), Y: uX one open, one page view → 打开次数 1.
 */
import { addDays, type CollectEvent, todayIn } from '@miniscope/contract';
import type { Miniscope } from '../../server/src/miniscope.js';
import { ev, seedUser, sh } from '../../server/test/metrics-fixture.js';

export const APP_A = 'wx00000000000000aa';
export const APP_B = 'wx00000000000000bb';
export const APP_C = 'wx00000000000000cc';
export const INDEX = 'pages/index/index';
export const DETAIL = 'pages/detail/detail';
export const LIST = 'pages/list/list';

export interface Days {
  today: string;
  y: string;
  dayBefore: string;
  weekBefore: string;
}

export function days(now = Date.now()): Days {
  const today = todayIn('Asia/Shanghai', now);
  const y = addDays(today, -1);
  return { today, y, dayBefore: addDays(y, -1), weekBefore: addDays(y, -7) };
}

let n = 0;

/** One open at `at` from `scene`, through `pages` ([path, seconds]) one after another, each left. */
function open(at: string, scene: number, pages: Array<[string, number]>, shareFrom?: string): CollectEvent[] {
  const sid = `s${++n}`;
  let t = sh(at);
  const events: CollectEvent[] = [ev.open(sid, at, scene, pages[0]?.[0])];
  for (const [path, seconds] of pages) {
    events.push({ ...ev.pv(sid, at, path), ts: t + 100 });
    if (shareFrom === path) events.push({ ...ev.share(sid, at, path), ts: t + 500 });
    t += seconds * 1000;
    events.push({ ...ev.leave(sid, at, path, seconds * 1000), ts: t + 100 });
  }
  return events;
}

const IPHONE = { platform: 'ios', brand: 'Apple', model: 'iPhone 15', system: 'iOS 18.1' };
const HUAWEI = { platform: 'android', brand: 'HUAWEI', model: 'HUAWEI Mate 60', system: 'Android 14' };

export async function seedFixture(m: Miniscope, d: Days): Promise<void> {
  const a = (id: string, gender: 0 | 1 | 2, birth: number) => ({ id, gender, birth_year: birth });
  await seedUser(
    m,
    APP_A,
    'uD',
    open(`${d.weekBefore} 09:00:00`, 1001, [
      [INDEX, 3],
      [LIST, 1],
    ]),
    { ip: '8.8.8.8' },
  );
  await seedUser(m, APP_A, 'uA', open(`${d.dayBefore} 10:00:00`, 1001, [[INDEX, 5]]), {
    ip: '120.24.78.68',
    user: a('uA', 1, 1995),
    device: IPHONE,
  });
  const uA = [
    ...open(
      `${d.y} 10:00:00`,
      1001,
      [
        [INDEX, 4],
        [DETAIL, 8],
      ],
      DETAIL,
    ),
    ...open(`${d.y} 20:00:00`, 1001, [[INDEX, 6]]),
  ];
  await seedUser(m, APP_A, 'uA', uA, { ip: '120.24.78.68', user: a('uA', 1, 1995), device: IPHONE });
  await seedUser(m, APP_A, 'uB', open(`${d.y} 11:00:00`, 1047, [[INDEX, 20]]), {
    ip: '114.114.114.114',
    user: a('uB', 2, 1988),
    device: HUAWEI,
  });
  await seedUser(
    m,
    APP_A,
    'uC',
    open(`${d.y} 12:00:00`, 1007, [
      [INDEX, 2],
      [LIST, 3],
      [DETAIL, 5],
    ]),
    {
      ip: '120.24.78.68',
      user: a('uC', 1, 2004),
      device: IPHONE,
    },
  );
  await seedUser(m, APP_B, 'uX', open(`${d.y} 09:30:00`, 1001, [[INDEX, 3]]), { ip: '61.135.169.121' });
  await seedLive(m, 'uT', Date.now() - 60_000);
}

/** One open with one page view at `ts` (today), as a phone would send it. */
export async function seedLive(m: Miniscope, user: string, ts: number): Promise<void> {
  const sid = `live${++n}`;
  const events: CollectEvent[] = [
    { id: `${sid}-o`, t: 'open', ts, sid, scene: 1001, path: INDEX, cold: true },
    { id: `${sid}-p`, t: 'pv', ts: ts + 50, sid, path: INDEX },
  ];
  await seedUser(m, APP_A, user, events, { ip: '120.24.78.68' });
}
