/**
 * Province and city ids: GB/T 2260 codes for the names ip2region gives, checked by hand for a few,
 * and for every place that a sweep of the address space finds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Geo } from '../ingest/geo.js';
import { cityId, provinceId } from './region-ids.js';

test('provinces by their GB/T 2260 code, whatever the suffix ip2region gives', () => {
  const cases: Array<[string, number]> = [
    ['广东省', 44],
    ['北京', 11],
    ['内蒙古', 15],
    ['黑龙江省', 23],
    ['广西', 45],
    ['新疆', 65],
    ['香港', 81],
    ['台湾省', 71],
    ['未知', 0],
    ['California', 0],
  ];
  for (const [name, id] of cases) assert.equal(provinceId(name), id, name);
});

test('cities by their code within their province', () => {
  const cases: Array<[string, string, number]> = [
    ['广东省', '深圳市', 4403],
    ['广东省', '广州市', 4401],
    ['北京', '北京市', 1101],
    ['重庆', '重庆市', 5001],
    ['湖北省', '襄阳', 4206], // ip2region drops 市
    ['湖北省', '恩施', 4228], // 恩施土家族苗族自治州
    ['新疆', '伊犁', 6540],
    ['河南省', '济源', 419001], // a county-level city governed by the province keeps 6 digits
    ['山东省', '莱芜市', 3712], // merged into 济南 in 2019: its former code
    ['香港', '荃湾', 8100], // no city codes: the province's, × 100
    ['广东省', '未知', 0],
    ['未知', '未知', 0],
  ];
  for (const [province, city, id] of cases) assert.equal(cityId(province, city), id, `${province} ${city}`);
});

test('every mainland place ip2region gives has its own code, led by its province', () => {
  const geo = new Geo();
  const places = new Map<string, number>();
  // Two addresses in each /16 of the blocks where Chinese addresses are dense.
  const blocks = [1, 14, 27, 36, 39, 42, 49, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118];
  blocks.push(119, 120, 121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 202, 210, 211, 218, 219, 220, 221, 222, 223);
  for (const a of blocks)
    for (let b = 0; b < 256; b++)
      for (const c of [b, 255 - b]) {
        const { province, city } = geo.locate(`${a}.${b}.${c}.9`);
        if (city !== '未知' && !/^(香港|澳门|台湾)/.test(province))
          places.set(`${province} ${city}`, cityId(province, city));
      }
  assert.ok(places.size > 300, `only ${places.size} places found`);
  const wrong = [...places].filter(([place, id]) => {
    const province = provinceId(place.split(' ')[0] ?? '');
    return province === 0 || id % 100 === 0 || String(id).slice(0, 2) !== String(province);
  });
  assert.deepEqual(wrong, []);
});
