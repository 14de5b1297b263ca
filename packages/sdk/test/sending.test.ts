/**
 * The queue and the sender on the fake runtime: request size and concurrency, the protocol's answers
 * (drop, split, retry with backoff, Retry-After), batch ids kept across retries and kills, and the cap.
 */

import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { CollectBatch } from '@miniscope/contract';
import { allEvents, assertValid, demoProgram } from './harness/program.js';
import { type Answer, FakeRuntime, T0 } from './harness/runtime.js';
import { sdkCode } from './harness/sdk.js';

let rt: FakeRuntime;
let code: string;
beforeEach(async () => {
  code = await sdkCode();
  rt = new FakeRuntime();
  mock.method(console, 'warn', () => {});
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

function trackMany(n: number, from = 0): void {
  for (let i = from; i < from + n; i++) rt.sdk!.track('tap', { i });
}

const sizes = (batches: CollectBatch[]) => batches.map((b) => b.events.length);
const pending = () => rt.requests.filter((r) => !r.answered).length;

test('a backlog goes out at most 50 events a request, two requests at a time, in order', () => {
  rt.server = null;
  start();
  trackMany(148);
  assert.deepEqual(sizes(rt.batches()), [20, 20]);
  let maxPending = 0;
  for (let i = 0; i < rt.requests.length; i++) {
    maxPending = Math.max(maxPending, pending());
    rt.requests[i]!.respond({ status: 200, data: { ok: true, accepted: 1, rejected: [] } });
  }
  assert.equal(maxPending, 2);
  assert.deepEqual(sizes(rt.batches()), [20, 20, 50, 50, 10]);
  const events = allEvents(rt.batches());
  assert.deepEqual(
    events.slice(2).map((e) => e.t === 'event' && e.props?.i),
    Array.from({ length: 148 }, (_, i) => i),
  );
  assert.equal(new Set(events.map((e) => e.id)).size, 150);
  for (const batch of rt.batches()) assertValid(batch);
  rt.advance(60_000);
  assert.equal(rt.requests.length, 5);
});

test('a batch that fails is retried unchanged (same batch id and events) with exponential backoff capped at 5 min', () => {
  let answer: 'down' | 'up' = 'down';
  rt.server = () => (answer === 'down' ? { status: 503 } : { status: 200 });
  start();
  rt.advance(5000 + 2_000_000);
  const starts = rt.batches().map((b) => b.sent_at - T0);
  assert.equal(starts[0], 5000);
  // each retry starts 100 ms (the answer's latency) plus the backoff after the previous one
  const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
  assert.deepEqual(
    gaps.map((g) => g - 100),
    [2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000, 300_000],
  );
  const [first, ...retries] = rt.batches();
  for (const retry of retries) {
    assert.equal(retry.batch, first!.batch);
    assert.deepEqual(retry.events, first!.events);
  }
  answer = 'up';
  const count = rt.requests.length;
  rt.advance(300_100);
  assert.equal(rt.requests.length, count + 1);
  rt.advance(3_600_000);
  assert.equal(rt.requests.length, count + 1, 'nothing left to send after the 200');
});

test('no answer at all (request:fail) is retried like a 503', () => {
  let fail = true;
  rt.server = () => (fail ? 'fail' : { status: 200 });
  start();
  rt.advance(5100);
  fail = false;
  rt.advance(2100);
  assert.deepEqual(
    rt.batches().map((b) => b.sent_at - T0),
    [5000, 7100],
  );
  assert.equal(rt.batches()[1]!.batch, rt.batches()[0]!.batch);
});

test('Retry-After is honoured, in seconds or as an HTTP date', () => {
  const answers: Answer[] = [
    { status: 429, header: { 'Retry-After': '30' } },
    { status: 503, header: { 'retry-after': new Date(T0 + 46_000).toUTCString() } },
    { status: 200 },
  ];
  rt.server = () => answers.shift()!;
  start();
  rt.advance(120_000);
  assert.deepEqual(
    rt.batches().map((b) => b.sent_at - T0),
    [5000, 35_100, 46_000],
  );
});

test('4xx drops the batch for good; later events still go out', () => {
  const answers = [
    { status: 400, data: { ok: false, error: { code: 'bad_envelope', message: 'x' } } },
    { status: 404 },
  ];
  rt.server = () => answers.shift() ?? { status: 200 };
  start();
  rt.advance(5100);
  rt.sdk!.track('a');
  rt.advance(5100);
  rt.sdk!.track('b');
  rt.advance(60_000);
  assert.deepEqual(
    rt.batches().map((b) => b.events.map((e) => e.t)),
    [['open', 'pv'], ['event'], ['event']],
  );
  assert.equal(new Set(rt.batches().map((b) => b.batch)).size, 3);
});

test('413 splits the batch in halves with new ids until it fits; a single event too large is dropped', () => {
  rt.server = (request) => (request.body.events.length > 10 ? { status: 413 } : { status: 200 });
  start();
  trackMany(18);
  rt.advance(1000);
  const [whole, ...halves] = rt.batches();
  assert.deepEqual(sizes(rt.batches()), [20, 10, 10]);
  assert.deepEqual(
    halves.flatMap((b) => b.events),
    whole!.events,
  );
  assert.equal(new Set(rt.batches().map((b) => b.batch)).size, 3);

  rt.server = () => ({ status: 413 });
  rt.background();
  rt.advance(60_000);
  assert.deepEqual(sizes(rt.batches().slice(3)), [2, 1, 1]);
});

test('events survive a kill: storage keeps the queue, and a batch in flight is resent with its id', () => {
  rt.server = null;
  start();
  rt.advance(1000);
  rt.navigateTo('pages/detail/detail');
  rt.advance(4000);
  const inFlight = rt.batches()[0]!;
  assert.deepEqual(
    inFlight.events.map((e) => e.t),
    ['open', 'pv', 'leave', 'pv'],
  );
  rt.advance(1000);
  rt.sdk!.track('add_to_cart', { sku: 'A1' });
  rt.advance(10);
  rt.kill();

  rt.server = () => ({ status: 200 });
  rt.advance(3_600_000);
  start();
  rt.advance(5000);
  const [, resent, next] = rt.batches();
  assert.equal(resent!.batch, inFlight.batch);
  assert.deepEqual(resent!.events, inFlight.events);
  assert.equal(resent!.sent_at, T0 + 3_606_010 + 5000);
  assert.deepEqual(
    next!.events.map((e) => [e.t, e.sid === inFlight.events[0]!.sid]),
    [
      ['event', true],
      ['open', false],
      ['pv', false],
    ],
  );
  assert.equal(next!.events[1]!.t === 'open' && next!.events[1]!.cold, true);
  assert.equal(new Set([...inFlight.events, ...next!.events].map((e) => e.id)).size, 7);
});

test('the queue is capped at 1000 events, oldest dropped first', () => {
  rt.server = null;
  start();
  trackMany(1200);
  rt.advance(10);
  const saved = JSON.parse(rt.storage.get('miniscope')!) as { b: unknown[]; q: CollectBatch[] };
  const kept = [...saved.q.flatMap((b) => b.events), ...(saved.b as CollectBatch['events'])];
  assert.ok(kept.length <= 1000 && kept.length > 950, `${kept.length}`);
  const last = kept[kept.length - 1]!;
  assert.equal(last.t === 'event' && last.props?.i, 1199);
  assert.ok(!kept.some((e) => e.t === 'open'), 'the oldest events went first');
});

test('with debug, each batch sent, each answer and rejected events are logged', () => {
  const rejected = [{ id: '2', index: 1, reason: 'too_old', message: 'older than 90 days' }];
  rt.server = () => ({ status: 200, data: { ok: true, accepted: 1, rejected } });
  const logged = mock.method(console, 'log', () => {});
  const warned = mock.method(console, 'warn', () => {});
  rt.boot(demoProgram([], { debug: true }), code);
  rt.launch({ scene: 1001, path: INDEX });
  rt.advance(5100);
  const sendLog = logged.mock.calls.find((c) => c.arguments[1] === 'send');
  assert.ok(sendLog, 'the batch sent was logged');
  assert.equal((sendLog.arguments[2] as CollectBatch).batch, rt.batches()[0]!.batch);
  assert.ok(logged.mock.calls.some((c) => c.arguments[1] === 'answer' && c.arguments[2] === 200));
  assert.ok(warned.mock.calls.some((c) => c.arguments[1] === 'rejected events' && c.arguments[2] === rejected));
});

test('an unknown appid (404 unknown_app): every batch dropped, never retried, and told once without debug', () => {
  const warned = mock.method(console, 'warn', () => {});
  rt.server = () => ({
    status: 404,
    data: { ok: false, error: { code: 'unknown_app', message: 'unknown app', path: 'app' } },
  });
  start();
  rt.advance(5100);
  rt.sdk!.track('a');
  rt.advance(5100);
  rt.advance(600_000);
  assert.equal(rt.requests.length, 2);
  assert.notEqual(rt.batches()[0]!.batch, rt.batches()[1]!.batch);
  const messages = warned.mock.calls.map((c) => String(c.arguments[1]));
  assert.deepEqual(messages, [
    'https://stats.example.com/collect: appid wx1a2b3c4d5e6f7a8b is not registered there; events dropped',
  ]);
});

test('a wrong server URL (404 without unknown_app) and a 400 are each told once, naming the problem', () => {
  const warned = mock.method(console, 'warn', () => {});
  const answers: Answer[] = [
    { status: 404, data: 'Not Found' },
    { status: 404, data: 'Not Found' },
    { status: 400, data: { ok: false, error: { code: 'bad_envelope', message: 'Required', path: 'user.id' } } },
    { status: 400, data: { ok: false, error: { code: 'bad_envelope', message: 'Required', path: 'user.id' } } },
  ];
  rt.server = () => answers.shift() ?? { status: 200 };
  start();
  for (const name of ['a', 'b', 'c']) {
    rt.advance(5100);
    rt.sdk!.track(name);
  }
  rt.advance(600_000);
  assert.equal(rt.requests.length, 4);
  assert.deepEqual(
    warned.mock.calls.map((c) => String(c.arguments[1])),
    [
      'https://stats.example.com/collect: no Miniscope server there; events dropped',
      'https://stats.example.com/collect: HTTP 400 bad_envelope: Required at user.id; events dropped',
    ],
  );
});

test('a batch the server fails on (500) is dropped after the third try; 408, 502, 503 and 504 are retried on', () => {
  const warned = mock.method(console, 'warn', () => {});
  rt.server = () => ({ status: 500 });
  start();
  rt.advance(600_000);
  assert.deepEqual(
    rt.batches().map((b) => b.sent_at - T0),
    [5000, 7100, 11_200],
    'tried three times, with the backoff between',
  );
  assert.equal(new Set(rt.batches().map((b) => b.batch)).size, 1);
  assert.deepEqual(
    warned.mock.calls.map((c) => String(c.arguments[1])),
    ['https://stats.example.com/collect: HTTP 500; events dropped'],
  );

  for (const status of [408, 502, 503, 504]) {
    const before = rt.requests.length;
    rt.server = () => ({ status });
    rt.sdk!.track('again');
    rt.advance(3_600_000);
    const tries = rt.batches().slice(before);
    assert.ok(tries.length > 10, `${status}: ${tries.length} tries`);
    assert.equal(new Set(tries.map((b) => b.batch)).size, 1, `${status}: one batch, retried`);
    rt.server = () => ({ status: 200 });
    rt.advance(600_000);
  }
});
