/**
 * The portrait in WeChat's shape, from a hand-made engine portrait: ids on provinces and cities,
 * 未知 cities of several provinces as one item, zero counts left out, the top 20 device models.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Portrait, PortraitItem } from '../metrics/reports/portrait.js';
import { wxPortrait } from './portrait-shape.js';

const item = (name: string, visit_uv_new: number, visit_uv: number): PortraitItem => ({ name, visit_uv_new, visit_uv });

function portrait(devices: PortraitItem[] = []): Portrait {
  return {
    province: [item('广东省', 1, 4), item('未知', 2, 2), item('北京', 0, 1)],
    citiesByProvince: [
      { ...item('深圳市', 1, 3), province: '广东省' },
      { ...item('未知', 0, 1), province: '广东省' },
      { ...item('未知', 2, 2), province: '未知' },
      { ...item('北京市', 0, 1), province: '北京' },
    ],
    city: [], // the datacube builds its cities from citiesByProvince
    genders: [item('2', 3, 5), item('0', 0, 2)],
    platforms: [item('1', 1, 4), item('2', 2, 3)],
    devices,
    ages: [item('3', 1, 7)],
  };
}

test('provinces and cities carry their GB/T 2260 ids; 未知 is one city, id 0', () => {
  const { visit_uv, visit_uv_new } = wxPortrait(portrait());
  assert.deepEqual(visit_uv.province, [
    { id: 44, name: '广东省', value: 4 },
    { id: 0, name: '未知', value: 2 },
    { id: 11, name: '北京', value: 1 },
  ]);
  // 未知: 1 in 广东省 + 2 abroad; a tie goes by name in code-point order (未 U+672A before 深 U+6DF1)
  assert.deepEqual(visit_uv.city, [
    { id: 0, name: '未知', value: 3 },
    { id: 4403, name: '深圳市', value: 3 },
    { id: 1101, name: '北京市', value: 1 },
  ]);
  assert.deepEqual(visit_uv_new.city, [
    { id: 0, name: '未知', value: 2 },
    { id: 4403, name: '深圳市', value: 1 },
  ]);
  assert.deepEqual(visit_uv_new.province, [
    { id: 0, name: '未知', value: 2 },
    { id: 44, name: '广东省', value: 1 },
  ]);
  assert.deepEqual(visit_uv.genders, [
    { id: 2, name: '女', value: 5 },
    { id: 0, name: '未知', value: 2 },
  ]);
  assert.deepEqual(visit_uv.platforms, [
    { id: 1, name: 'iPhone', value: 4 },
    { id: 2, name: 'android', value: 3 },
  ]);
  assert.deepEqual(visit_uv.ages, [{ id: 3, name: '25-29岁', value: 7 }]);
});

test('device models: no id, the top 20 of each list', () => {
  // model k has k active users; new users: only the first three models
  const devices = Array.from({ length: 25 }, (_, i) => item(`M${i + 1}`, i < 3 ? 1 : 0, i + 1));
  const { visit_uv, visit_uv_new } = wxPortrait(portrait(devices));
  assert.equal(visit_uv.devices.length, 20);
  assert.deepEqual(visit_uv.devices[0], { name: 'M25', value: 25 });
  assert.deepEqual(visit_uv.devices[19], { name: 'M6', value: 6 });
  assert.deepEqual(
    visit_uv_new.devices.map((d) => d.name),
    ['M1', 'M2', 'M3'],
  );
});
