/**
 * The public API and the envelope on the fake runtime: track() rules, identify() and setProfile(),
 * device fields from the new and the old wx APIs, network type, and the promise never to throw into
 * the host app.
 */

import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { CollectBatch } from '@miniscope/contract';
import { allEvents, assertValid, demoProgram } from './harness/program.js';
import { FakeRuntime, IPHONE } from './harness/runtime.js';
import { evaluate, sdkCode } from './harness/sdk.js';

let rt: FakeRuntime;
let code: string;
let warnings: unknown[][];
beforeEach(async () => {
  code = await sdkCode();
  rt = new FakeRuntime();
  warnings = [];
  mock.method(console, 'warn', (...args: unknown[]) => warnings.push(args));
});
afterEach(() => {
  rt.dispose();
  mock.restoreAll();
});

const INDEX = 'pages/index/index';

function start(): void {
  rt.boot(demoProgram([]), code);
  rt.launch({ scene: 1001, path: INDEX });
}

function finish(): CollectBatch[] {
  rt.background();
  rt.advance(1000);
  const batches = rt.batches();
  for (const batch of batches) assertValid(batch);
  return batches;
}

test('track(): custom events with the current page; bad names warned about and left out, never thrown', () => {
  start();
  for (const bad of ['AddToCart', '1st', 'a'.repeat(33), '', 'add-to-cart', undefined, 42]) {
    assert.doesNotThrow(() => rt.sdk!.track(bad as string));
  }
  assert.equal(warnings.length, 7);
  rt.sdk!.track('add_to_cart', { sku: 'A1', price: 199, vip: true });
  rt.navigateTo('pages/detail/detail');
  rt.sdk!.track('a'.repeat(32));
  const events = allEvents(finish()).filter((e) => e.t === 'event');
  assert.deepEqual(
    events.map(({ id: _i, ts: _t, sid: _s, ...rest }) => rest),
    [
      { t: 'event', name: 'add_to_cart', props: { sku: 'A1', price: 199, vip: true }, path: INDEX },
      { t: 'event', name: 'a'.repeat(32), path: 'pages/detail/detail' },
    ],
  );
});

test('track(): props that break the protocol are left out with a warning, long strings cut', () => {
  start();
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
  rt.sdk!.track('many', many);
  rt.sdk!.track('odd', {
    nested: { a: 1 },
    list: [1],
    nan: Number.NaN,
    none: null,
    long: 'x'.repeat(600),
    [`${'k'.repeat(65)}`]: 1,
  } as never);
  rt.sdk!.track('text', 'not an object' as never);
  const [many32, odd, text] = allEvents(finish()).filter((e) => e.t === 'event');
  assert.equal(Object.keys((many32?.t === 'event' && many32.props) || {}).length, 32);
  assert.deepEqual(odd?.t === 'event' && odd.props, { long: 'x'.repeat(512) });
  assert.equal(text?.t === 'event' && text.props, undefined);
  assert.equal(warnings.length, 3);
});

test('identify(): events before and after go in different batches, each with its own user; the id is kept', () => {
  start();
  rt.sdk!.track('before');
  rt.sdk!.identify('o_6_2b9c');
  rt.sdk!.track('after');
  const [anonymous, identified] = finish();
  assert.match(anonymous!.user.id, /^a[0-9a-z]{8,}$/);
  assert.deepEqual(
    anonymous!.events.map((e) => e.t),
    ['open', 'pv', 'event'],
  );
  assert.deepEqual(identified!.user, { id: 'o_6_2b9c' });
  assert.deepEqual(
    identified!.events.map((e) => e.t),
    ['event', 'leave', 'hide'],
  );

  rt.kill();
  start();
  rt.sdk!.identify(42 as never);
  assert.equal(warnings.length, 1);
  const later = finish().slice(2);
  assert.deepEqual(
    later.map((b) => b.user.id),
    ['o_6_2b9c'],
  );
});

test('the anonymous id is kept in storage across kills', () => {
  start();
  rt.advance(5100);
  rt.kill();
  start();
  const [first, second] = finish();
  assert.equal(first!.user.id, second!.user.id);
  assert.notEqual(first!.events[0]!.sid, second!.events[0]!.sid);
});

test('setProfile(): gender and birth year go in user; bad values are warned about and ignored', () => {
  start();
  rt.sdk!.setProfile({ gender: 1, birthYear: 1994 });
  rt.sdk!.setProfile({ gender: 3 as never });
  rt.sdk!.setProfile({ birthYear: 94 });
  rt.sdk!.setProfile(null as never);
  assert.equal(warnings.length, 2);
  const [batch] = finish();
  assert.deepEqual({ ...batch!.user, id: 'x' }, { id: 'x', gender: 1, birth_year: 1994 });
});

test('device: from getDeviceInfo/getWindowInfo/getAppBaseInfo, and the network type as it changes', () => {
  start();
  rt.advance(5100);
  rt.setNetwork('4g');
  const [first, second] = finish();
  assert.deepEqual(first!.device, {
    brand: 'Apple',
    model: 'iPhone 15 Pro',
    platform: 'ios',
    system: 'iOS 18.1',
    wechat: '8.0.54',
    baselib: '3.7.1',
    network: 'wifi',
    screen: [393, 852],
    language: 'zh_CN',
  });
  assert.equal(second!.device?.network, '4g');
  assert.deepEqual(first!.v, 1);
  assert.deepEqual(first!.app, 'wx1a2b3c4d5e6f7a8b');
});

test('device: getSystemInfoSync on base libraries without the new APIs; platform lower-case', () => {
  rt.legacy = true;
  rt.deviceInfo = { ...IPHONE, platform: 'Devtools', model: 'iPhone 8' };
  start();
  const [batch] = finish();
  assert.equal(batch!.device?.model, 'iPhone 8');
  assert.equal(batch!.device?.platform, 'devtools');
  assert.deepEqual(batch!.device?.screen, [393, 852]);
});

test('never throws into the app: broken storage, a throwing wx.request, bad init options, calls before init', () => {
  const sdk = evaluate(code);
  assert.doesNotThrow(() => {
    sdk.track('early');
    sdk.identify('x');
    sdk.setProfile({ gender: 1 });
    sdk.flush();
    sdk.init(undefined as never);
    sdk.init({ appid: 'wx1', server: 'ftp://nowhere' });
  });
  assert.equal(warnings.length, 2);

  rt.failStorage = true;
  start();
  const wx = (globalThis as unknown as Record<string, Record<string, unknown>>).wx!;
  const request = wx.request as () => void;
  wx.request = () => {
    throw new Error('request: too many requests in flight');
  };
  rt.advance(5100);
  assert.equal(rt.requests.length, 0);
  wx.request = request;
  rt.failStorage = false;
  rt.advance(2100);
  assert.deepEqual(
    rt.batches()[0]!.events.map((e) => e.t),
    ['open', 'pv'],
  );
});

test("the page's own hook errors reach the app unchanged, and the SDK still records the page", () => {
  rt.boot(
    {
      app: (sdk) => {
        sdk.init({ appid: 'wx1a2b3c4d5e6f7a8b', server: 'https://stats.example.com' });
        App({});
      },
      pages: {
        [INDEX]: () =>
          Page({
            onShow() {
              throw new Error('page bug');
            },
          }),
      },
    },
    code,
  );
  assert.throws(() => rt.launch({ scene: 1001, path: INDEX }), /page bug/);
  assert.deepEqual(
    allEvents(finish()).map((e) => e.t),
    ['open', 'pv', 'leave', 'hide'],
  );
});

test('init() twice: the second is ignored with a warning, hooks are not doubled', () => {
  rt.boot(
    {
      app: (sdk) => {
        sdk.init({ appid: 'wx1a2b3c4d5e6f7a8b', server: 'https://stats.example.com/' });
        sdk.init({ appid: 'wx1a2b3c4d5e6f7a8b', server: 'https://stats.example.com/' });
        App({});
      },
      pages: { [INDEX]: () => Page({}) },
    },
    code,
  );
  rt.launch({ scene: 1001, path: INDEX });
  assert.equal(warnings.length, 1);
  assert.equal(rt.requests.length, 0);
  const batches = finish();
  assert.equal(rt.requests[0]!.url, 'https://stats.example.com/collect');
  assert.deepEqual(
    allEvents(batches).map((e) => e.t),
    ['open', 'pv', 'leave', 'hide'],
  );
});

test('init(): a bad option is named in the warning; http:// starts but warns that phones need https', () => {
  const sdk = evaluate(code);
  sdk.init({ appid: 'wx1a2b3c4d5e6f7a8b', server: 'stats.example.com' });
  sdk.init({ server: 'https://stats.example.com' } as never);
  sdk.init({ appid: 'wx1a2b3c4d5e6f7a8b' } as never);
  assert.deepEqual(
    warnings.map((w) => w[1]),
    [
      'init(): server must be an https:// URL, got "stats.example.com"',
      'init(): appid must be the AppID, got undefined',
      'init(): server must be an https:// URL, got undefined',
    ],
  );

  warnings = [];
  rt.boot(
    {
      app: (fresh) => {
        fresh.init({ appid: 'wx1a2b3c4d5e6f7a8b', server: 'http://192.168.1.5:3000' });
        App({});
      },
      pages: { [INDEX]: () => Page({}) },
    },
    code,
  );
  rt.launch({ scene: 1001, path: INDEX });
  assert.deepEqual(
    warnings.map((w) => w[1]),
    ['init(): http://192.168.1.5:3000 is http://: phones send only to https:// request domains'],
  );
  finish();
  assert.equal(rt.requests[0]!.url, 'http://192.168.1.5:3000/collect');
});
