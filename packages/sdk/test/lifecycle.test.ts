/**
 * Automatic tracking on the fake runtime: opens, page views, stay, shares and hides from launch,
 * navigation, background, foreground and share, with exact events, times, durations and sids.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { allEvents, assertValid, demoProgram, timeline } from './harness/program.js';
import { FakeRuntime, T0 } from './harness/runtime.js';
import { sdkCode } from './harness/sdk.js';

let rt: FakeRuntime;
let code: string;
let calls: string[];
beforeEach(async () => {
  code = await sdkCode();
  rt = new FakeRuntime();
  calls = [];
});
afterEach(() => rt.dispose());

const INDEX = 'pages/index/index';
const DETAIL = 'pages/detail/detail';

test('a visit: open, page views, stay, shares, background and return, in exact events', () => {
  rt.boot(demoProgram(calls), code);
  rt.launch({ scene: 1047, path: INDEX, query: { from: 'qr' } });
  rt.advance(3000);
  rt.navigateTo(DETAIL, { id: '7' });
  rt.advance(4000);
  rt.share('chat');
  rt.share('timeline');
  rt.advance(1000);
  rt.background();
  rt.advance(60_000);
  rt.foreground({ scene: 1089 });
  rt.advance(2000);
  rt.navigateBack();
  rt.advance(1500);
  rt.background();
  rt.advance(1000);

  const batches = rt.batches();
  for (const batch of batches) assertValid(batch);
  assert.deepEqual(timeline(allEvents(batches)), [
    { at: 0, t: 'open', scene: 1047, path: INDEX, cold: true, open: 0 },
    { at: 0, t: 'pv', path: INDEX, open: 0 },
    { at: 3000, t: 'leave', path: INDEX, dur: 3000, open: 0 },
    { at: 3000, t: 'pv', path: DETAIL, open: 0 },
    { at: 7000, t: 'share', path: DETAIL, to: 'chat', open: 0 },
    { at: 7000, t: 'share', path: DETAIL, to: 'timeline', open: 0 },
    { at: 8000, t: 'leave', path: DETAIL, dur: 5000, open: 0 },
    { at: 8000, t: 'hide', open: 0 },
    // back from the background: a new open, and the page shown again is a visit in it
    { at: 68_000, t: 'open', scene: 1089, path: DETAIL, cold: false, open: 1 },
    { at: 68_000, t: 'pv', path: DETAIL, open: 1 },
    { at: 70_000, t: 'leave', path: DETAIL, dur: 2000, open: 1 },
    { at: 70_000, t: 'pv', path: INDEX, open: 1 },
    { at: 71_500, t: 'leave', path: INDEX, dur: 1500, open: 1 },
    { at: 71_500, t: 'hide', open: 1 },
  ]);
  // first batch: the 5 s timer after the first event; then one flush on each hide
  assert.deepEqual(
    batches.map((b) => [b.sent_at - T0, b.events.length]),
    [
      [5000, 4],
      [8000, 4],
      [71_500, 6],
    ],
  );
  assert.equal(new Set(batches.map((b) => b.batch)).size, 3);
  assert.equal(rt.requests[0]!.url, 'https://stats.example.com/collect');
  assert.equal(rt.requests[0]!.method, 'POST');
  assert.equal(rt.requests[0]!.header['content-type'], 'application/json');
  // the app's own hooks all ran, after the SDK's
  assert.deepEqual(calls.slice(0, 6), [
    'app.onLaunch',
    'app.onShow',
    `${INDEX}.onLoad`,
    `${INDEX}.onShow`,
    `${INDEX}.onHide`,
    `${DETAIL}.onShow`,
  ]);
});

test('stay counts visible time only: the page is left when the app hides, not when it comes back', () => {
  rt.boot(demoProgram(calls), code);
  rt.launch({ scene: 1001, path: INDEX });
  rt.advance(2500);
  rt.background();
  rt.advance(30 * 60_000);
  rt.foreground();
  rt.advance(700);
  rt.background();
  rt.advance(1000);
  const leaves = allEvents(rt.batches()).filter((e) => e.t === 'leave');
  assert.deepEqual(
    leaves.map((e) => e.t === 'leave' && e.dur),
    [2500, 700],
  );
});

test('pages built with Component(): hooks under methods are tracked', () => {
  rt.boot(demoProgram(calls), code);
  rt.launch({ scene: 1001, path: 'pages/list/list' });
  rt.advance(1200);
  assert.deepEqual(rt.share('chat'), { title: 'List' });
  rt.redirectTo('pages/about/about');
  rt.advance(300);
  rt.background();
  rt.advance(1000);
  assert.deepEqual(timeline(allEvents(rt.batches())), [
    { at: 0, t: 'open', scene: 1001, path: 'pages/list/list', cold: true, open: 0 },
    { at: 0, t: 'pv', path: 'pages/list/list', open: 0 },
    { at: 1200, t: 'share', path: 'pages/list/list', to: 'chat', open: 0 },
    { at: 1200, t: 'leave', path: 'pages/list/list', dur: 1200, open: 0 },
    { at: 1200, t: 'pv', path: 'pages/about/about', open: 0 },
    { at: 1500, t: 'leave', path: 'pages/about/about', dur: 300, open: 0 },
    { at: 1500, t: 'hide', open: 0 },
  ]);
  assert.deepEqual(calls, [
    'app.onLaunch',
    'app.onShow',
    'pages/list/list.onLoad',
    'pages/list/list.onShow',
    'app.onHide',
  ]);
});

test('share handlers: only the ones a page defined, and their results pass through', () => {
  rt.boot(demoProgram(calls), code);
  rt.launch({ scene: 1001, path: 'pages/about/about' });
  // the SDK added no share handler to a page without one: its share menu stays as it was
  assert.equal(rt.top().onShareAppMessage, undefined);
  assert.equal(rt.top().onShareTimeline, undefined);
  assert.throws(() => rt.share('chat'), /no chat share entry/);
  rt.navigateTo(INDEX);
  assert.equal(rt.top().onShareTimeline, undefined);
  assert.deepEqual(rt.share('chat'), { title: 'Index' });
  rt.navigateTo(DETAIL);
  const result = rt.share('chat') as { title: string; promise: Promise<unknown> };
  assert.equal(result.title, 'Detail');
  assert.ok(result.promise instanceof Promise);
  rt.background();
  rt.advance(1000);
  const shares = allEvents(rt.batches()).filter((e) => e.t === 'share');
  assert.deepEqual(
    shares.map((e) => e.t === 'share' && [e.path, e.to]),
    [
      [INDEX, 'chat'],
      [DETAIL, 'chat'],
    ],
  );
});

test('the same hook reported twice (frameworks, App hooks plus wx.onAppShow) counts once', () => {
  rt.boot(demoProgram(calls), code);
  rt.launch({ scene: 1001, path: INDEX });
  const page = rt.top();
  (page.onShow as () => void).call(page);
  rt.advance(1000);
  (page.onHide as () => void).call(page);
  (page.onHide as () => void).call(page);
  rt.background();
  rt.background();
  rt.advance(1000);
  assert.deepEqual(
    allEvents(rt.batches()).map((e) => e.t),
    ['open', 'pv', 'leave', 'hide'],
  );
});

test('init() inside App.onLaunch, too late to wrap App and the pages, still records opens and hides', () => {
  rt.boot(demoProgram(calls, { lateInit: true }), code);
  rt.launch({ scene: 1011, path: INDEX });
  rt.advance(1000);
  rt.background();
  rt.advance(1000);
  assert.deepEqual(timeline(allEvents(rt.batches())), [
    { at: 0, t: 'open', scene: 1011, path: INDEX, cold: true, open: 0 },
    { at: 1000, t: 'hide', open: 0 },
  ]);
});
