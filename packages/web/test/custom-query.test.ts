/**
 * The 自定义分析 builders' plain logic (utils/custom-query.ts), its bucket labels
 * (utils/custom-buckets.ts) and its words (i18n/custom.ts), with expectations worked out by hand
 * from the small event list below.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type EventDef, NO_VALUE, SYSTEM_FIELDS } from '@miniscope/contract';
import { eventName, groupValue, metricName, opName, tc } from '../src/i18n/custom.js';
import { customEn } from '../src/i18n/custom-en.js';
import { customZh } from '../src/i18n/custom-zh.js';
import { locale } from '../src/i18n/index.js';
import { axisLabel, bucketLabel } from '../src/utils/custom-buckets.js';
import {
  completeCondition,
  completeFilters,
  defaults,
  fieldFromKey,
  fieldKey,
  fieldsOf,
  metricKey,
  metricsOf,
  pickableEvents,
  queryEvents,
  REQUIRED,
  readQuery,
  typeOf,
} from '../src/utils/custom-query.js';

const prop = (name: string, type: 'number' | 'string', display: string | null = null) => ({
  name,
  type,
  declared: false,
  display_name: display,
  description: null,
});
const def = (name: string, count: number, props: EventDef['props'], extra: Partial<EventDef> = {}): EventDef => ({
  name,
  display_name: null,
  description: null,
  hidden: false,
  first_seen: 0,
  last_seen: 0,
  count_7d: count,
  props,
  ...extra,
});
const DEFS: EventDef[] = [
  def('pay', 1, [prop('amount', 'number')], { hidden: true }),
  def('view_item', 5, [prop('price', 'number', '价格'), prop('sku', 'string')], { display_name: '浏览商品' }),
  def('add_cart', 2, [prop('sku', 'string'), prop('price', 'number', '价格')]),
  def('old', 0, []),
  def('abc', 0, []),
];
const RANGE = { from: '2026-11-21', to: '2026-11-27' };

test('fields of events: their properties once each, first seen first, then the 14 system fields', () => {
  const fields = fieldsOf(DEFS, ['add_cart', 'view_item', 'pay']);
  assert.deepEqual(
    fields.slice(0, 3).map((f) => [f.key, f.type, f.display]),
    [
      ['prop:sku', 'string', null],
      ['prop:price', 'number', '价格'],
      ['prop:amount', 'number', null],
    ],
  );
  assert.equal(fields.length, 3 + 14);
  assert.deepEqual(
    fields.slice(3).map((f) => f.key),
    SYSTEM_FIELDS.map((f) => `field:${f}`),
  );
  assert.ok(fields.slice(3).every((f) => f.type === 'string'));
  // An event with no properties, or one not known: only the system fields.
  assert.equal(fieldsOf(DEFS, ['nope']).length, 14);
  // A field's key and back.
  assert.deepEqual(fieldFromKey(fieldKey({ prop: 'sku' })), { prop: 'sku' });
  assert.deepEqual(fieldFromKey(fieldKey({ field: 'user_type' })), { field: 'user_type' });
  assert.equal(typeOf({ prop: 'price' }, fields), 'number');
  assert.equal(typeOf({ prop: 'unknown' }, fields), 'string');
  assert.equal(typeOf({ field: 'gender' }, fields), 'string');
});

test('metrics of an event: the three counts, five per number property, distinct per text one', () => {
  const metrics = metricsOf(fieldsOf(DEFS, ['view_item']));
  assert.deepEqual(metrics.map(metricKey), [
    'count',
    'users',
    'per_user',
    'sum:price',
    'avg:price',
    'max:price',
    'min:price',
    'per_user_sum:price',
    'distinct:sku',
  ]);
  assert.deepEqual(metricsOf(fieldsOf(DEFS, ['old'])).map(metricKey), ['count', 'users', 'per_user']);
});

test('a condition is sent complete, in its field’s type, or left out', () => {
  const sku = { prop: 'sku' };
  const price = { prop: 'price' };
  // Text: a value as typed (no trimming), never empty; text operators only.
  assert.deepEqual(completeCondition({ on: sku, op: '=', value: ' A' }, 'string'), { on: sku, op: '=', value: ' A' });
  assert.equal(completeCondition({ on: sku, op: '=', value: '' }, 'string'), null);
  assert.equal(completeCondition({ on: sku, op: '=' }, 'string'), null);
  assert.equal(completeCondition({ on: sku, op: '>', value: 'A' }, 'string'), null);
  // Numbers: typed text read as a number; not a number → left out; number operators only.
  assert.deepEqual(completeCondition({ on: price, op: '>=', value: '12.5' }, 'number'), {
    on: price,
    op: '>=',
    value: 12.5,
  });
  assert.equal(completeCondition({ on: price, op: '=', value: 'abc' }, 'number'), null);
  assert.equal(completeCondition({ on: price, op: '=', value: ' ' }, 'number'), null);
  assert.equal(completeCondition({ on: price, op: 'contains', value: 1 }, 'number'), null);
  // Between: two numbers, the smaller first; one missing → left out.
  assert.deepEqual(completeCondition({ on: price, op: 'between', value: 30, to: 10 }, 'number'), {
    on: price,
    op: 'between',
    value: 10,
    to: 30,
  });
  assert.equal(completeCondition({ on: price, op: 'between', value: 30 }, 'number'), null);
  // Has / no value: no value sent, whatever was typed before.
  assert.deepEqual(completeCondition({ on: sku, op: 'has_value', value: 'x' }, 'string'), { on: sku, op: 'has_value' });
  assert.deepEqual(completeCondition({ on: price, op: 'no_value', value: 3 }, 'number'), { on: price, op: 'no_value' });

  const fields = fieldsOf(DEFS, ['view_item']);
  assert.equal(completeFilters(undefined, fields), undefined);
  assert.equal(completeFilters({ match: 'any', conditions: [{ on: sku, op: '=', value: '' }] }, fields), undefined);
  assert.deepEqual(
    completeFilters(
      {
        match: 'any',
        conditions: [
          { on: sku, op: '=', value: '' },
          { on: price, op: '<', value: '20' },
          { on: { field: 'platform' }, op: '!=', value: 'ios' },
        ],
      },
      fields,
    ),
    {
      match: 'any',
      conditions: [
        { on: price, op: '<', value: 20 },
        { on: { field: 'platform' }, op: '!=', value: 'ios' },
      ],
    },
  );
  assert.deepEqual(completeFilters({ conditions: [{ on: price, op: 'has_value' }] }, fields), {
    match: 'all',
    conditions: [{ on: price, op: 'has_value' }],
  });
});

test('pickers offer events not hidden, most sent first (ties by name); a chosen hidden one stays', () => {
  assert.deepEqual(
    pickableEvents(DEFS).map((e) => e.name),
    ['view_item', 'add_cart', 'abc', 'old'],
  );
  assert.deepEqual(
    pickableEvents(DEFS, ['pay']).map((e) => e.name),
    ['view_item', 'add_cart', 'pay', 'abc', 'old'],
  );
  // The input is not reordered.
  assert.equal(DEFS[0]?.name, 'pay');
});

test('a query from a link: a JSON object with the fields its report needs, else none', () => {
  const events = { event: 'view_item', metrics: [{ kind: 'count' }], ...RANGE };
  assert.deepEqual(readQuery(JSON.stringify(events), REQUIRED.events), events);
  assert.equal(readQuery(undefined, REQUIRED.events), null);
  assert.equal(readQuery('', REQUIRED.events), null);
  assert.equal(readQuery('{"event":', REQUIRED.events), null);
  assert.equal(readQuery('[1,2]', REQUIRED.events), null);
  assert.equal(readQuery('null', REQUIRED.events), null);
  assert.equal(readQuery(JSON.stringify({ ...events, to: undefined }), REQUIRED.events), null);
  assert.equal(readQuery(JSON.stringify(events), REQUIRED.funnel), null);
  assert.deepEqual(readQuery(JSON.stringify({ direction: 'from', ...RANGE }), REQUIRED.paths), {
    direction: 'from',
    ...RANGE,
  });
});

test('what a saved query is about: its events in order (none for paths), missing ones as empty', () => {
  assert.deepEqual(queryEvents('events', { event: 'view_item' }), ['view_item']);
  assert.deepEqual(queryEvents('funnel', { steps: [{ event: 'a' }, { event: 'b', filters: [] }, {}] }), ['a', 'b', '']);
  assert.deepEqual(queryEvents('funnel', { steps: 'nope' }), []);
  assert.deepEqual(queryEvents('retention', { initial: { event: 'a' }, return: { event: 'b' } }), ['a', 'b']);
  assert.deepEqual(queryEvents('retention', { initial: null }), ['', '']);
  assert.deepEqual(queryEvents('paths', { direction: 'from', events: ['pay'] }), []);
});

test('default queries: on the events most sent', () => {
  const events = pickableEvents(DEFS);
  assert.deepEqual(defaults.events(events, RANGE), {
    event: 'view_item',
    metrics: [{ kind: 'count' }, { kind: 'users' }],
    group_by: [],
    granularity: 'day',
    ...RANGE,
  });
  assert.deepEqual(
    defaults.funnel(events, RANGE).steps.map((s) => s.event),
    ['view_item', 'add_cart'],
  );
  // One event only: both steps on it (the builder says two equal steps need different filters).
  assert.deepEqual(
    defaults.funnel(events.slice(0, 1), RANGE).steps.map((s) => s.event),
    ['view_item', 'view_item'],
  );
  assert.equal(defaults.events([], RANGE).event, '');
  assert.deepEqual(defaults.paths(RANGE), { direction: 'from', steps: 5, top: 10, events: [], ...RANGE });
  const retention = defaults.retention(events, RANGE);
  assert.equal(retention.initial.event, 'view_item');
  assert.equal(retention.return.event, 'view_item');
});

test('bucket labels: short on the axis (partial starred), whole in the table (weeks cut by the range)', () => {
  assert.equal(axisLabel('2026-11-23', 'day', false), '11-23');
  assert.equal(axisLabel('2026-11-27 10:00', 'hour', true), '11-27 10:00*');
  assert.equal(axisLabel('2026-11-25', 'week', true), '11-25*');
  assert.equal(axisLabel('2026-11-01', 'month', false), '2026-11');
  assert.equal(bucketLabel('2026-11-27 10:00', 'hour', '2026-11-27'), '2026-11-27 10:00');
  assert.equal(bucketLabel('2026-11-23', 'day', '2026-11-27'), '2026-11-23');
  // 2026-11-23 is a Monday: its week ends on Sunday the 29th, unless the range ends first.
  assert.equal(bucketLabel('2026-11-23', 'week', '2026-12-31'), '2026-11-23 ~ 2026-11-29');
  assert.equal(bucketLabel('2026-11-25', 'week', '2026-11-27'), '2026-11-25 ~ 2026-11-27');
  assert.equal(bucketLabel('2026-11-21', 'month', '2026-12-05'), '2026-11');
  assert.equal(bucketLabel('2026-11-21', 'total', '2026-11-27'), '2026-11-21 ~ 2026-11-27');
});

test('the words of 自定义分析 in both languages, with the same placeholders', () => {
  const holes = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(customZh) as Array<keyof typeof customZh>) {
    assert.ok(customEn[key].trim(), `${key} has English`);
    assert.deepEqual(holes(customEn[key]), holes(customZh[key]), key);
  }
  try {
    locale.value = 'zh-CN';
    assert.equal(metricName({ kind: 'sum', prop: 'price' }, DEFS), '价格的总和');
    assert.equal(metricName({ kind: 'distinct', prop: 'sku' }, DEFS), 'sku的去重数');
    assert.equal(metricName({ kind: 'users' }, DEFS), '去重人数');
    assert.equal(eventName('view_item', DEFS), '浏览商品');
    assert.equal(eventName('add_cart', DEFS), 'add_cart');
    assert.equal(opName('not_contains'), '不包含');
    assert.equal(groupValue({ field: 'gender' }, '男'), '男');
    assert.equal(
      tc('result.topCharted', { n: 10, all: 12 }),
      '图中为前 10 个分组（按第一个指标），表格和 CSV 含全部 12 个。',
    );
    locale.value = 'en';
    assert.equal(metricName({ kind: 'sum', prop: 'price' }, DEFS), 'Sum of 价格');
    assert.equal(opName('between'), customEn['op.between']);
    // Group values the server writes in Chinese, in English; a property's own values as sent.
    assert.equal(groupValue({ field: 'gender' }, '男'), 'Male');
    assert.equal(groupValue({ field: 'user_type' }, '新用户'), 'New');
    assert.equal(groupValue({ prop: 'sku' }, NO_VALUE), '(no value)');
    assert.equal(groupValue({ prop: 'sku' }, '男'), '男');
    assert.equal(groupValue({ prop: 'sku' }, '广东省'), '广东省');
    assert.equal(groupValue({ field: 'province' }, '广东省'), 'Guangdong');
  } finally {
    locale.value = 'zh-CN';
  }
});
