/**
 * The example mini program in examples/native-demo, run unchanged on the fake runtime: its app.js
 * and page files are evaluated as the runtime would, with `require('…/libs/miniscope.js')` given
 * the freshly built SDK (one instance per app process, like the runtime's module cache).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allEvents, assertValid, timeline } from './harness/program.js';
import { FakeRuntime, type Program } from './harness/runtime.js';
import type { Sdk } from './harness/sdk.js';
import { sdkCode } from './harness/sdk.js';

const DEMO = fileURLToPath(new URL('../../../examples/native-demo/', import.meta.url));

function run(file: string, sdk: Sdk): void {
  const source = readFileSync(`${DEMO}${file}`, 'utf8');
  const require = (id: string) => {
    if (id.endsWith('libs/miniscope.js')) return sdk;
    throw new Error(`the demo requires ${id}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', source)(require, module, module.exports);
}

function demo(): Program {
  const { pages } = JSON.parse(readFileSync(`${DEMO}app.json`, 'utf8')) as { pages: string[] };
  let sdk: Sdk;
  return {
    app(fresh) {
      sdk = fresh;
      run('app.js', sdk);
    },
    pages: Object.fromEntries(pages.map((route) => [route, () => run(`${route}.js`, sdk)])),
  };
}

let rt: FakeRuntime;
beforeEach(() => {
  rt = new FakeRuntime();
  mock.method(console, 'log', () => {});
});
afterEach(() => {
  rt.dispose();
  mock.restoreAll();
});

test('the native demo: a user opens a shared link, looks at goods, adds to cart, shares, leaves', async () => {
  rt.storage.set('openid', JSON.stringify('o_demo_user'));
  rt.boot(demo(), await sdkCode());
  rt.launch({ scene: 1007, path: 'pages/index/index', query: { from: 'share' } });
  rt.advance(4000);
  const tap = (dataset: Record<string, string>) => ({ currentTarget: { dataset } });
  (rt.top().openGoods as (e: unknown) => void).call(rt.top(), tap({ sku: 'A1' }));
  rt.advance(6000);
  (rt.top().addToCart as () => void).call(rt.top());
  rt.share('timeline');
  rt.advance(1000);
  rt.navigateBack();
  (rt.top().openList as () => void).call(rt.top());
  assert.throws(() => rt.share('chat'), /no chat share entry/);
  rt.advance(2000);
  rt.background();
  rt.advance(1000);

  const batches = rt.batches();
  for (const batch of batches) assertValid(batch);
  // identify() in onLaunch comes after the open: the open stays with the anonymous id, in its own batch
  assert.deepEqual(
    batches.map((b) => [b.user.id.startsWith('a') ? 'anonymous' : b.user.id, b.events.length]),
    [
      ['anonymous', 1],
      ['o_demo_user', 4],
      ['o_demo_user', 8],
    ],
  );
  assert.ok(batches.every((b) => b.app === 'wx1a2b3c4d5e6f7a8b'));
  assert.equal(rt.requests[0]!.url, 'https://stats.example.com/collect');
  assert.deepEqual(timeline(allEvents(batches)), [
    { at: 0, t: 'open', scene: 1007, path: 'pages/index/index', cold: true, open: 0 },
    { at: 0, t: 'pv', path: 'pages/index/index', open: 0 },
    {
      at: 4000,
      t: 'event',
      name: 'open_goods',
      props: { sku: 'A1', from: 'home' },
      path: 'pages/index/index',
      open: 0,
    },
    { at: 4000, t: 'leave', path: 'pages/index/index', dur: 4000, open: 0 },
    { at: 4000, t: 'pv', path: 'pages/goods/goods', open: 0 },
    {
      at: 10_000,
      t: 'event',
      name: 'add_to_cart',
      props: { sku: 'A1', price: 199 },
      path: 'pages/goods/goods',
      open: 0,
    },
    { at: 10_000, t: 'share', path: 'pages/goods/goods', to: 'timeline', open: 0 },
    { at: 11_000, t: 'leave', path: 'pages/goods/goods', dur: 7000, open: 0 },
    { at: 11_000, t: 'pv', path: 'pages/index/index', open: 0 },
    { at: 11_000, t: 'leave', path: 'pages/index/index', dur: 0, open: 0 },
    { at: 11_000, t: 'pv', path: 'pages/list/list', open: 0 },
    { at: 13_000, t: 'leave', path: 'pages/list/list', dur: 2000, open: 0 },
    { at: 13_000, t: 'hide', open: 0 },
  ]);
});

test('the native demo, next launch: the openid kept in storage counts the whole open', async () => {
  const code = await sdkCode();
  rt.storage.set('openid', JSON.stringify('o_demo_user'));
  rt.boot(demo(), code);
  rt.launch({ scene: 1001, path: 'pages/index/index' });
  rt.background();
  rt.advance(1000);
  rt.kill();
  rt.boot(demo(), code);
  rt.launch({ scene: 1089, path: 'pages/index/index' });
  rt.background();
  rt.advance(1000);
  const last = rt.batches().at(-1)!;
  assert.equal(last.user.id, 'o_demo_user');
  assert.deepEqual(
    last.events.map((e) => e.t),
    ['open', 'pv', 'leave', 'hide'],
  );
});
