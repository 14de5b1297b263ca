/**
 * User portrait against a hand-computed fixture: latest place and device, latest known gender and
 * birth year, age bands from the range's end, unknowns, and new versus active users.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CollectEvent } from '@miniscope/contract';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser, sh } from '../../../test/metrics-fixture.js';
import { runPortrait } from '../../../test/run-report.js';
import type { Miniscope } from '../../miniscope.js';

const APP = 'wx00000000000000f1';
const SHENZHEN = '113.108.0.1'; // 广东省 深圳市
const BEIJING = '220.181.38.148'; // 北京 北京市
const SHANGHAI = '116.228.111.118'; // 上海 上海市
const ABROAD = '8.8.8.8'; // 未知
let m: Miniscope;
let n = 0;

const visit = (at: string): CollectEvent[] => {
  const sid = `v${++n}`;
  return [ev.open(sid, at), ev.pv(sid, at)];
};

/*
 * Range 10-01..10-07 (ages from 2026):
 * u1: first open 09-20 (not new). 10-03 from Shenzhen, iPhone 15, gender 1, born 1994;
 *     10-05 from Beijing, iPhone 16, gender and birth year not sent → 北京, 男, 32 → 30-39岁
 * u2: new 10-02, abroad, android MI 14, gender 2, born 2010 → 未知, 女, 16 → 17岁以下
 * u3: new 10-04, Shanghai, devtools with no model, nothing else → 上海, 其他, 未知 gender, age, model
 * u4: an open with no page view on 10-05 → absent
 * u5: new on 10-08, after the range → absent
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'portrait');
  const iphone = (model: string) => ({ platform: 'ios', model, brand: 'Apple' });
  await seedUser(m, APP, 'u1', visit('2026-09-20 10:00:00'), { device: iphone('iPhone 15') });
  await seedUser(m, APP, 'u1', visit('2026-10-03 10:00:00'), {
    ip: SHENZHEN,
    user: { id: 'u1', gender: 1, birth_year: 1994 },
    device: iphone('iPhone 15'),
  });
  await seedUser(m, APP, 'u1', visit('2026-10-05 10:00:00'), { ip: BEIJING, device: iphone('iPhone 16') });
  await seedUser(m, APP, 'u2', visit('2026-10-02 10:00:00'), {
    ip: ABROAD,
    user: { id: 'u2', gender: 2, birth_year: 2010 },
    device: { platform: 'android', model: 'MI 14' },
  });
  await seedUser(m, APP, 'u3', visit('2026-10-04 10:00:00'), { ip: SHANGHAI, device: { platform: 'devtools' } });
  await seedUser(m, APP, 'u4', [ev.open('no-pv', '2026-10-05 10:00:00')], { ip: SHANGHAI });
  await seedUser(m, APP, 'u5', visit('2026-10-08 10:00:00'), { ip: SHANGHAI });
});

after(() => m.close());

const item = (name: string, visit_uv_new: number, visit_uv: number) => ({ name, visit_uv_new, visit_uv });

test('each dimension counts active users, and new users among them', async () => {
  const p = await runPortrait(m.store, { app: APP, from: '2026-10-01', to: '2026-10-07' });
  // Active: u1, u2, u3 (one each everywhere); new: u2, u3. Sorted by active users, then name.
  assert.deepEqual(p.province, [item('上海', 1, 1), item('北京', 0, 1), item('未知', 1, 1)]);
  assert.deepEqual(p.city, [item('上海市', 1, 1), item('北京市', 0, 1), item('未知', 1, 1)]);
  assert.deepEqual(p.citiesByProvince, [
    { ...item('上海市', 1, 1), province: '上海' },
    { ...item('北京市', 0, 1), province: '北京' },
    { ...item('未知', 1, 1), province: '未知' },
  ]);
  assert.deepEqual(p.genders, [item('0', 1, 1), item('1', 0, 1), item('2', 1, 1)]); // 未知, 男, 女
  assert.deepEqual(p.platforms, [item('1', 0, 1), item('2', 1, 1), item('3', 1, 1)]); // iPhone, android, 其他
  assert.deepEqual(p.devices, [item('MI 14', 1, 1), item('iPhone 16', 0, 1), item('未知', 1, 1)]);
  assert.deepEqual(p.ages, [item('0', 1, 1), item('1', 1, 1), item('4', 0, 1)]); // 未知, ≤17, 30-39
});

test('a one-day range sees only that day; u1 is placed by that day’s request', async () => {
  const p = await runPortrait(m.store, { app: APP, from: '2026-10-03', to: '2026-10-03' });
  assert.deepEqual(p.province, [item('广东省', 0, 1)]);
  assert.deepEqual(p.devices, [item('iPhone 15', 0, 1)]);
  assert.deepEqual(p.genders, [item('1', 0, 1)]);
});

test('cities by province: a city name under two provinces counts each; the city list sums them', async () => {
  // u6 and u7: 未知 cities of two provinces (stored places, as an IP placed to a province only gives).
  const row = (user: string, province: string, type: string, ts: string, platform = 'android') => ({
    app_id: APP,
    user_id: user,
    sid: `${user}-s`,
    ts: sh(ts),
    type,
    path: 'pages/index/index',
    props: {},
    platform,
    province,
    city: '未知',
  });
  await m.store.insert('events', [
    row('u6', '广东省', 'open', '2026-10-09 10:00:00'),
    row('u6', '广东省', 'pv', '2026-10-09 10:00:01'),
    // A platform string holding the separator the query packs places with changes nothing.
    row('u7', '浙江省', 'open', '2026-10-09 11:00:00', 'odd\x1Fplatform'),
    row('u7', '浙江省', 'pv', '2026-10-09 11:00:01', 'odd\x1Fplatform'),
  ]);
  const p = await runPortrait(m.store, { app: APP, from: '2026-10-09', to: '2026-10-09' });
  assert.deepEqual(p.citiesByProvince, [
    { ...item('未知', 1, 1), province: '广东省' },
    { ...item('未知', 1, 1), province: '浙江省' },
  ]);
  assert.deepEqual(p.city, [item('未知', 2, 2)]);
  assert.deepEqual(p.platforms, [item('2', 1, 1), item('3', 1, 1)]); // android; the odd one is 其他
});
