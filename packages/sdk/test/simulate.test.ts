/**
 * Component lifecycles on WeChat's own component engine (miniprogram-exparser, through
 * miniprogram-simulate and j-component), with file-based fixtures. The simulator has no App, Page,
 * router or page hooks, so the test calls a page component's methods.onLoad/onShow/... as the
 * runtime does, and sets `route` on the instance as the runtime does for pages. Order matters:
 * jsdom globals, then simulate (it replaces the global Component), then the SDK.
 */

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CollectEvent } from '@miniscope/contract';
import { JSDOM } from 'jsdom';
import { APPID, allEvents, assertValid, SERVER, timeline } from './harness/program.js';
import { FakeRuntime } from './harness/runtime.js';
import { evaluate, sdkCode } from './harness/sdk.js';

interface Instance {
  route?: string;
  [method: string]: unknown;
}
interface Rendered {
  instance: Instance;
  attach(parent: unknown): void;
  detach(): void;
  triggerPageLifeTime(name: string): void;
  querySelector(selector: string): Rendered & { dispatchEvent(name: string): void };
}
interface Simulate {
  load(path: string, options?: { compiler: string }): string;
  render(id: string, properties?: Record<string, unknown>): Rendered;
}

const g = globalThis as unknown as Record<string, unknown> & { fixtureLog: string[] };
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}/${name}`, import.meta.url));
let simulate: Simulate;
let simulatorComponent: unknown;
let code: string;
let rt: FakeRuntime;

before(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(g, {
    window: dom.window,
    document: dom.window.document,
    Event: dom.window.Event,
    CustomEvent: dom.window.CustomEvent,
  });
  simulate = createRequire(import.meta.url)('miniprogram-simulate') as Simulate;
  simulatorComponent = g.Component;
  code = await sdkCode();
});
after(() => {
  for (const key of ['window', 'document', 'Event', 'CustomEvent']) delete g[key];
});

beforeEach(() => {
  rt = new FakeRuntime();
  rt.installWx({ scene: 1007, path: 'pages/goods/goods' });
  g.fixtureLog = [];
  evaluate(code).init({ appid: APPID, server: SERVER });
});
afterEach(() => {
  g.Component = simulatorComponent;
  rt.dispose();
});

function mount(name: string): Rendered {
  const comp = simulate.render(simulate.load(fixture(name), { compiler: 'simulate' }));
  comp.attach((g.document as { createElement(tag: string): unknown }).createElement('parent-wrapper'));
  return comp;
}

function call(instance: Instance, method: string, ...args: unknown[]): unknown {
  return (instance[method] as (...a: unknown[]) => unknown).apply(instance, args);
}

function sent(): CollectEvent[] {
  rt.advance(6000);
  for (const batch of rt.batches()) assertValid(batch);
  return allEvents(rt.batches());
}

test('a page built with Component(): load, show, share, hide, show again, unload', () => {
  const page = mount('goods');
  const { instance } = page;
  instance.route = 'pages/goods/goods';
  call(instance, 'onLoad', { id: '7' });
  call(instance, 'onShow');
  page.triggerPageLifeTime('show');
  rt.advance(2500);
  assert.deepEqual(call(instance, 'onShareAppMessage', { from: 'menu' }), {
    title: 'Goods',
    path: '/pages/goods/goods?id=7',
  });
  call(instance, 'onHide');
  rt.advance(10_000);
  call(instance, 'onShow');
  rt.advance(400);
  call(instance, 'onUnload');
  page.detach();

  assert.deepEqual(timeline(sent()), [
    { at: 0, t: 'open', scene: 1007, path: 'pages/goods/goods', cold: true, open: 0 },
    { at: 0, t: 'pv', path: 'pages/goods/goods', open: 0 },
    { at: 2500, t: 'share', path: 'pages/goods/goods', to: 'chat', open: 0 },
    { at: 2500, t: 'leave', path: 'pages/goods/goods', dur: 2500, open: 0 },
    { at: 12_500, t: 'pv', path: 'pages/goods/goods', open: 0 },
    { at: 12_900, t: 'leave', path: 'pages/goods/goods', dur: 400, open: 0 },
  ]);
  // the component's own lifetimes and methods all ran, page lifetimes reached the child too
  assert.deepEqual(g.fixtureLog, [
    'goods.attached',
    'goods.onLoad 7',
    'goods.onShow',
    'goods.pageLifetimes.show',
    'badge.pageLifetimes.show',
    'goods.onShareAppMessage',
    'goods.onHide',
    'goods.onShow',
    'goods.onUnload',
    'goods.detached',
  ]);
  // no share handler was added where the page had none
  assert.equal(instance.onShareTimeline, undefined);
});

test('a plain component is not a page: its own onShow method (a tap handler here) makes no page view', async () => {
  const page = mount('goods');
  page.querySelector('#badge').querySelector('#dot').dispatchEvent('tap');
  await new Promise((resolve) => setImmediate(resolve)); // j-component delivers events in a microtask
  const plain = mount('plain');
  assert.equal(plain.instance.onShareAppMessage, undefined);
  assert.equal(plain.instance.onShareTimeline, undefined);
  call(plain.instance, 'onShow');
  assert.deepEqual(g.fixtureLog, ['goods.attached', 'badge.onShow']);
  assert.deepEqual(sent(), []);
});
