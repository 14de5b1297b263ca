/**
 * The demo's places: IPs drawn for users land, through ip2region, in a realistic mainland mix
 * (广东 first, then 江苏, 山东 and 河南), never in 台湾省, and each province near its weight.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Geo } from '../ingest/geo.js';
import { demoBatches } from './generate.js';
import { demoIpPicker, PROVINCE_WEIGHTS, provinceIps } from './places.js';
import { Random } from './random.js';

const geo = new Geo();
const ips = provinceIps(geo);

test('the sweep finds IPs for every weighted province, and each lands in its province', () => {
  for (const [province] of PROVINCE_WEIGHTS) {
    const list = ips.get(province) ?? [];
    assert.ok(list.length > 0, `no IP found in ${province}`);
    for (const ip of list) assert.equal(geo.locate(ip).province, province, ip);
  }
});

test('30,000 users: provinces by weight, 广东 first, no 台湾省', () => {
  const pick = demoIpPicker(ips);
  const random = new Random(1);
  const n = 30_000;
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const { province } = geo.locate(pick(random));
    counts.set(province, (counts.get(province) ?? 0) + 1);
  }
  assert.equal(counts.get('台湾省'), undefined);
  assert.equal(counts.get('未知'), undefined);
  // Weights: 2020 census residents (millions) 1,409.8, plus 0.3 × 322.1 for 广东 江苏 浙江 上海 北京,
  // plus 0.6 for 香港 and 澳门 = 1,507.03. 广东: 126 × 1.3 = 163.8 → 10.87 %.
  const share = (province: string) => (counts.get(province) ?? 0) / n;
  assert.ok(Math.abs(share('广东省') - 163.8 / 1507.03) < 0.007, `广东省 ${share('广东省')}`);
  const total = PROVINCE_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  assert.ok(Math.abs(total - 1507.03) < 1e-6);
  for (const [province, weight] of PROVINCE_WEIGHTS)
    assert.ok(Math.abs(share(province) - weight / total) < 0.007, `${province} ${share(province)}`);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([p]) => p);
  assert.deepEqual(ranked.slice(0, 2), ['广东省', '江苏省']); // 10.87 %, 7.31 %
  assert.deepEqual(ranked.slice(2, 4).sort(), ['山东省', '河南省'].sort()); // 6.74 %, 6.60 %
  assert.deepEqual(ranked.slice(4, 6).sort(), ['四川省', '浙江省'].sort()); // 5.55 %, 5.57 %
});

test("the demo's users come from these places: 2,000 users, 广东 the first province", () => {
  const users = new Map<string, string>();
  for (const day of demoBatches({ appid: 'wxde00000000000001', days: 2, users: 2000, now: Date.UTC(2026, 9, 5) }))
    for (const batch of day) users.set(batch.body.user.id, geo.locate(batch.ip).province);
  const counts = new Map<string, number>();
  for (const province of users.values()) counts.set(province, (counts.get(province) ?? 0) + 1);
  assert.ok(users.size > 300, `${users.size} users`);
  assert.equal(counts.get('台湾省'), undefined);
  assert.equal([...counts].sort((a, b) => b[1] - a[1])[0]?.[0], '广东省');
});
