/**
 * Device and platform display names. Expected names are the makers' own for these model numbers
 * (Xiaomi 14 is 23127PN0CC, HUAWEI Mate 60 Pro is ALN-AL00, iPhone16,1 is iPhone 15 Pro…).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceDisplayName, platformDisplayName, warmDeviceNames } from './device-names.js';

test('Android model codes as WeChat reports them (brand, model) → marketing names', () => {
  const cases: Array<[string, string, string]> = [
    ['Xiaomi', '23127PN0CC', 'Xiaomi 14'],
    ['Xiaomi', '2211133C', 'Xiaomi 13'],
    ['Redmi', 'M2012K11AC', 'Redmi K40'], // a Redmi is not shown as "Xiaomi Redmi"
    ['Redmi', '23113RKC6C', 'Redmi K70'],
    ['HUAWEI', 'ALN-AL00', 'HUAWEI Mate 60 Pro'],
    ['HONOR', 'PGT-AN10', 'HONOR Magic 5 Pro'],
    ['OPPO', 'PHW110', 'OPPO Reno 10'],
    ['OnePlus', 'PHB110', 'OnePlus 11'],
    ['vivo', 'V2309A', 'vivo X100'],
    ['vivo', 'V2243A', 'iQOO 11'], // vivo's iQOO line, under its own name
    ['samsung', 'SM-S9180', 'Samsung Galaxy S23 Ultra'],
  ];
  for (const [brand, model, name] of cases) assert.equal(deviceDisplayName(brand, model), name, `${brand} ${model}`);
});

test("iOS: WeChat's 'name<identifier>', a bare identifier, or a name", () => {
  assert.equal(deviceDisplayName('iPhone', 'iPhone 15 Pro<iPhone16,1>'), 'iPhone 15 Pro');
  assert.equal(deviceDisplayName('iPhone', 'iPhone 16 Pro Max<iPhone17,2>'), 'iPhone 16 Pro Max');
  // WeChat's own label lags new phones: the identifier decides
  assert.equal(deviceDisplayName('iPhone', 'unknown<iPhone18,1>'), 'iPhone 17 Pro');
  assert.equal(deviceDisplayName('Apple', 'iPhone15,2'), 'iPhone 14 Pro');
  assert.equal(deviceDisplayName('Apple', 'iPhone 13'), 'iPhone 13');
  // an identifier the database does not know yet: WeChat's label, else the identifier
  assert.equal(deviceDisplayName('iPhone', 'iPhone X<iPhone99,1>'), 'iPhone X');
  assert.equal(deviceDisplayName('iPhone', 'unknown<iPhone99,1>'), 'iPhone99,1');
});

test('without a brand, the code alone; unknown codes keep the code, led by a known brand', () => {
  assert.equal(deviceDisplayName('', '23127PN0CC'), 'Xiaomi 14');
  assert.equal(deviceDisplayName('Xiaomi', 'ZZ-NOT-A-PHONE'), 'Xiaomi ZZ-NOT-A-PHONE');
  assert.equal(deviceDisplayName('Redmi', 'ZZ-NOT-A-PHONE'), 'Redmi ZZ-NOT-A-PHONE');
  assert.equal(deviceDisplayName('HONOR', 'ZZ-NOT-A-PHONE'), 'HONOR ZZ-NOT-A-PHONE');
  assert.equal(deviceDisplayName('devtools', 'iPhone 6/7/8'), 'iPhone 6/7/8'); // not a maker: no prefix
  assert.equal(deviceDisplayName('HUAWEI', 'Mate 60 Pro'), 'HUAWEI Mate 60 Pro'); // already a name
  assert.equal(deviceDisplayName('vivo', 'vivo X100'), 'vivo X100'); // names its brand: no second prefix
  assert.equal(deviceDisplayName('Xiaomi', ''), '未知');
  assert.equal(deviceDisplayName('', '未知'), '未知');
});

test('names are remembered: the second lookup of a model costs no search', async () => {
  await warmDeviceNames();
  const model = 'V2324A'; // vivo X100 Pro
  const first = deviceDisplayName('vivo', model);
  const t = performance.now();
  for (let i = 0; i < 10_000; i++) deviceDisplayName('vivo', model);
  assert.equal(first, 'vivo X100 Pro');
  assert.ok(performance.now() - t < 100, '10,000 remembered lookups in under 0.1 s');
});

test("platforms as WeChat's portrait labels them, capitalised", () => {
  assert.deepEqual([1, 2, 3, 7].map(platformDisplayName), ['iPhone', 'Android', '其他', '其他']);
  assert.deepEqual(['1', '2', '3'].map(platformDisplayName), ['iPhone', 'Android', '其他']); // portrait items' names
  assert.deepEqual(['ios', 'android', 'ohos', 'windows', 'mac', 'devtools', 'linux', ''].map(platformDisplayName), [
    'iPhone',
    'Android',
    'HarmonyOS',
    'Windows',
    'Mac',
    '开发者工具',
    'Linux',
    '未知',
  ]);
});
