/**
 * Issue 10 on the SDK side: whatever text the app or the runtime hands over (emoji at a length
 * limit, lone surrogates in props, routes, device fields, user ids), every string sent is well-formed
 * and within the protocol's limits in UTF-16 units, so the server never has a reason to refuse it.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { CollectEvent } from '@miniscope/contract';
import { APPID, allEvents, assertValid, SERVER } from './harness/program.js';
import { FakeRuntime, IPHONE } from './harness/runtime.js';
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

/** 'pages/' and 249 letters are 255 units: a 256-unit cut would split the emoji after them. */
const LONG_ROUTE = `pages/${'p'.repeat(249)}😀/index`;
const LONE_ROUTE = 'pages/a\uD83D/index';

async function run(act: () => void): Promise<CollectEvent[]> {
  rt.boot(
    {
      app(sdk) {
        sdk.init({ appid: APPID, server: SERVER });
        App({});
      },
      pages: { [LONG_ROUTE]: () => Page({}), [LONE_ROUTE]: () => Page({}) },
    },
    await sdkCode(),
  );
  rt.launch({ scene: 1001, path: LONG_ROUTE });
  act();
  rt.background();
  rt.advance(1000);
  const batches = rt.batches();
  for (const batch of batches) assertValid(batch);
  return allEvents(batches);
}

test('props: a string cut at 512 units keeps emoji whole; lone surrogates in keys and values are replaced', async () => {
  const events = await run(() =>
    rt.sdk!.track('text', {
      long: `${'a'.repeat(511)}😀`,
      lone: 'x\uD83D',
      'k\uDC00': 'y',
      price: 199,
    }),
  );
  const custom = events.find((e) => e.t === 'event');
  assert.deepEqual(custom?.t === 'event' && custom.props, {
    long: 'a'.repeat(511),
    lone: 'x\uFFFD',
    'k\uFFFD': 'y',
    price: 199,
  });
});

test('paths: a route is cut before an emoji that would cross 256 units; a lone surrogate is replaced', async () => {
  const events = await run(() => rt.navigateTo(LONE_ROUTE));
  const paths = events.filter((e) => e.t === 'pv').map((e) => e.t === 'pv' && e.path);
  assert.deepEqual(paths, [`pages/${'p'.repeat(249)}`, 'pages/a\uFFFD/index']);
  const open = events[0];
  assert.equal(open?.t === 'open' && open.path, `pages/${'p'.repeat(249)}`);
});

test('device fields from the runtime: cut between code points, lone surrogates replaced', async () => {
  rt.deviceInfo = { ...IPHONE, model: `${'m'.repeat(63)}😀`, brand: 'Brand\uDE00' };
  await run(() => {});
  const device = rt.batches()[0]!.device!;
  assert.equal(device.model, 'm'.repeat(63));
  assert.equal(device.brand, 'Brand\uFFFD');
});

test('identify(): an id with a lone surrogate is refused with a warning, not replaced (two ids could become one)', async () => {
  await run(() => rt.sdk!.identify('o_\uD83D'));
  assert.equal(warnings.length, 1);
  assert.match(String(warnings[0]![1]), /identify\(\)/);
  assert.ok(rt.batches().every((b) => b.user.id.startsWith('a')));
});

test('a user id kept in storage with a lone surrogate (an older SDK) is set aside for the anonymous id', async () => {
  rt.storage.set('miniscope', JSON.stringify({ a: 'a_kept', u: { id: 'o_\uD83D', gender: 1 }, n: 7, b: [], q: [] }));
  await run(() => {});
  assert.deepEqual(
    rt.batches().map((b) => b.user.id),
    ['a_kept'],
  );
});

test('init(): an appid that is not well-formed is refused, naming the field', async () => {
  rt.boot(
    {
      app(sdk) {
        sdk.init({ appid: 'wx\uD83D', server: SERVER });
        App({});
      },
      pages: { [LONG_ROUTE]: () => Page({}) },
    },
    await sdkCode(),
  );
  rt.launch({ scene: 1001, path: LONG_ROUTE });
  rt.advance(10_000);
  assert.equal(rt.requests.length, 0);
  assert.match(String(warnings[0]![1]), /appid/);
});
