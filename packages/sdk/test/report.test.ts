/**
 * Issue 14 on the SDK side: `wx.reportAnalytics(eventName, data)` calls the app already makes are
 * recorded as custom events, while WeChat's own function still gets every call unchanged; and
 * property values keep their JSON type on the wire.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { allEvents, assertValid, demoProgram } from './harness/program.js';
import { FakeRuntime } from './harness/runtime.js';
import { sdkCode } from './harness/sdk.js';

let rt: FakeRuntime;
let warnings: unknown[][];
beforeEach(() => {
  rt = new FakeRuntime();
  warnings = [];
  mock.method(console, 'warn', (...args: unknown[]) => warnings.push(args));
});
afterEach(() => {
  rt.dispose();
  mock.restoreAll();
});

const INDEX = 'pages/index/index';
type Report = (this: unknown, name: unknown, data?: unknown) => unknown;
const report = (): Report => (globalThis as unknown as { wx: { reportAnalytics: Report } }).wx.reportAnalytics;

async function start(debug = false): Promise<void> {
  rt.boot(demoProgram([], { debug }), await sdkCode());
  rt.launch({ scene: 1001, path: INDEX });
}

function customEvents() {
  rt.background();
  rt.advance(1000);
  for (const batch of rt.batches()) assertValid(batch);
  return allEvents(rt.batches())
    .filter((e) => e.t === 'event')
    .map((e) => (e.t === 'event' ? { name: e.name, props: e.props, path: e.path } : {}));
}

test('wx.reportAnalytics: recorded as a custom event with the page, and WeChat still gets the call as made', async () => {
  await start();
  const self = { any: 'receiver' };
  const data = { sku: 'A1', price: 199 };
  const result = report().call(self, 'purchase', data);
  assert.equal(result, 'reported', "WeChat's return value passes through");
  assert.deepEqual(rt.reported, [['purchase', data, self]]);
  assert.deepEqual(data, { sku: 'A1', price: 199 }, 'the data object is not changed');
  assert.deepEqual(customEvents(), [{ name: 'purchase', props: { sku: 'A1', price: 199 }, path: INDEX }]);
  assert.equal(warnings.length, 0);
});

test("wx.reportAnalytics: WeChat's own error still reaches the app; the event is recorded all the same", async () => {
  await start();
  assert.throws(() => report()('wechat_throws', { a: 1 }), /bad data/);
  assert.deepEqual(customEvents(), [{ name: 'wechat_throws', props: { a: 1 }, path: INDEX }]);
});

test('wx.reportAnalytics: names made to fit where they can; the rest skipped, told only in debug mode', async () => {
  await start();
  const call = report();
  call('Add-To-Cart', { n: 1 });
  call(' view goods ', {});
  call('1st_visit');
  call('x'.repeat(33));
  call(42);
  call('share', 'not an object');
  assert.equal(rt.reported.length, 6, 'WeChat gets every call, even those the SDK skips');
  assert.deepEqual(customEvents(), [
    { name: 'add_to_cart', props: { n: 1 }, path: INDEX },
    { name: 'view_goods', props: undefined, path: INDEX },
    { name: 'share', props: undefined, path: INDEX },
  ]);
  assert.equal(warnings.length, 0, 'no warning without debug: these calls were written for WeChat');
});

test('wx.reportAnalytics in debug mode: each skipped name and left-out prop is warned about', async () => {
  await start(true);
  mock.method(console, 'log', () => {});
  report()('1st_visit');
  report()('ok', { nested: { a: 1 } });
  assert.deepEqual(
    warnings.map((w) => w[1]),
    ['wx.reportAnalytics(): "1st_visit" left out: not an event name', 'wx.reportAnalytics(): props left out'],
  );
});

test('wx.reportAnalytics as a read-only property (some base libraries): still wrapped', async () => {
  rt.readOnlyReport = true;
  await start();
  report()('purchase', { price: 1 });
  assert.equal(rt.reported.length, 1);
  assert.deepEqual(customEvents(), [{ name: 'purchase', props: { price: 1 }, path: INDEX }]);
});

test('property values keep their JSON type on the wire: numbers as numbers, booleans as booleans', async () => {
  await start();
  rt.sdk!.track('add_to_cart', { sku: '199', price: 199, discount: 0.5, vip: true, gift: false, count: -0 });
  report()('pay', { amount: 99.9, currency: 'CNY' });
  rt.background();
  rt.advance(1000);
  const raw = rt.requests.map((r) => r.raw).join('\n');
  assert.match(raw, /"props":\{"sku":"199","price":199,"discount":0.5,"vip":true,"gift":false,"count":0\}/);
  assert.match(raw, /"props":\{"amount":99.9,"currency":"CNY"\}/);
});
