/**
 * English names for what the API names in Chinese: sources by key, provinces by their first
 * characters (the API may add 省, 市, 自治区), portrait ids; zh-CN and unlisted names pass through.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portraitName, sourceName } from '../src/i18n/names.js';

test('sources by key in English, as the API names them in Chinese', () => {
  assert.equal(sourceName('en', 46, '朋友圈'), 'Moments');
  assert.equal(sourceName('zh-CN', 46, '朋友圈'), '朋友圈');
  assert.equal(sourceName('en', 99, '未来的来源'), '未来的来源');
});

test('provinces with or without their suffix; ids of genders, platforms and ages', () => {
  assert.equal(portraitName('en', 'province', { name: '广东省' }), 'Guangdong');
  assert.equal(portraitName('en', 'province', { name: '内蒙古自治区' }), 'Inner Mongolia');
  assert.equal(portraitName('en', 'province', { name: '陕西' }), 'Shaanxi');
  assert.equal(portraitName('en', 'province', { name: '山西省' }), 'Shanxi');
  assert.equal(portraitName('en', 'city', { name: '深圳市' }), '深圳市');
  assert.equal(portraitName('en', 'city', { name: '未知' }), 'Unknown');
  assert.equal(portraitName('en', 'genders', { id: 2, name: '女' }), 'Female');
  assert.equal(portraitName('en', 'ages', { id: 3, name: '25-29岁' }), '25–29');
  assert.equal(portraitName('zh-CN', 'genders', { id: 2, name: '女' }), '女');
});

test('platforms are capitalised in both languages (the API writes WeChat’s "android")', () => {
  assert.equal(portraitName('zh-CN', 'platforms', { id: 2, name: 'android' }), 'Android');
  assert.equal(portraitName('zh-CN', 'platforms', { id: 1, name: 'iPhone' }), 'iPhone');
  assert.equal(portraitName('zh-CN', 'platforms', { id: 3, name: '其他' }), '其他');
  assert.equal(portraitName('en', 'platforms', { id: 2, name: 'android' }), 'Android');
  assert.equal(portraitName('en', 'platforms', { id: 3, name: '其他' }), 'Other');
});

test('device models pass through; the rest of them is Other in English', () => {
  assert.equal(portraitName('en', 'devices', { name: 'Xiaomi 14' }), 'Xiaomi 14');
  assert.equal(portraitName('en', 'devices', { name: '其他' }), 'Other');
  assert.equal(portraitName('zh-CN', 'devices', { name: '其他' }), '其他');
});
