/**
 * The dashboard's choice of daily figures against the contract's list: every figure has a place in
 * 趋势概况 (a figure added to the contract must be placed there, not silently left out), the cards
 * show only figures that exist, and each is named in both languages — in Chinese as the contract
 * (WeChat) names it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAILY_FIGURES, METRIC_IDS } from '@miniscope/contract';
import { locale } from '../src/i18n/index.js';
import { metricName, metricUnit, OVERVIEW_METRICS, TREND_METRICS } from '../src/utils/metrics.js';

test('the trend shows every daily figure of the contract once; the cards only known ones', () => {
  assert.deepEqual([...TREND_METRICS].sort(), [...METRIC_IDS].sort());
  assert.equal(new Set(OVERVIEW_METRICS).size, OVERVIEW_METRICS.length);
  for (const id of OVERVIEW_METRICS) assert.ok(METRIC_IDS.includes(id), id);
});

test("figures are named in WeChat's Chinese words and in English, with the contract's units", () => {
  for (const f of DAILY_FIGURES) {
    locale.value = 'zh-CN';
    assert.equal(metricName(f.id), f.name, f.id);
    locale.value = 'en';
    assert.ok(metricName(f.id) && metricName(f.id) !== `metric.${f.id}`, f.id);
    assert.equal(metricUnit(f.id), f.unit);
  }
  locale.value = 'zh-CN';
});
