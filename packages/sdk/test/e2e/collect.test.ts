/**
 * End to end: the built SDK on the fake runtime (test/harness) sends its batches over loopback HTTP
 * to a real Miniscope (Fastify + embedded ClickHouse on a temporary directory), and what the server
 * stored, and the figures its metrics engine computes from it, match a run worked out by hand.
 *
 * The fake `wx.request` is answered by a real `fetch` POST of the request (harness/loopback.ts: same
 * URL, method, headers and body as the SDK gave wx.request), with the real status, headers and JSON
 * answer. Time: the fake clock (Date.now) stays in place while the server handles a request, so the
 * server receives each batch at the moment the SDK sent it (no clock skew: stored `ts` = the SDK's
 * `ts`); only the timers are swapped back to real ones around each request, since the server's
 * group commit, undici and chdb need them.
 */
import assert from 'node:assert/strict';
import { after, before, mock, test } from 'node:test';
import { MetricsEngine } from '../../../server/src/metrics/engine.js';
import { pagesReport } from '../../../server/src/metrics/reports/pages.js';
import { trendReport } from '../../../server/src/metrics/reports/trend.js';
import type { Miniscope } from '../../../server/src/miniscope.js';
import { startTestMiniscope } from '../../../server/test/helpers.js';
import { post } from '../harness/loopback.js';
import { assertValid } from '../harness/program.js';
import { type FakeRequest, FakeRuntime, type Program, T0 } from '../harness/runtime.js';
import { sdkCode } from '../harness/sdk.js';

const APPID = 'wx0e2e0e2e0e2e0e2e';
/** T0 is 2025-11-24 02:00 UTC, 10:00 in Asia/Shanghai (the server's default zone): the whole run is on this day. */
const DAY = '2025-11-24';

const INDEX = 'pages/index/index';
const GOODS = 'pages/goods/goods';
const CART = 'pages/cart/cart';
const ABOUT = 'pages/about/about';

let m: Miniscope;
let base: string;

before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APPID, 'e2e shop');
  await m.server.listen({ port: 0, host: '127.0.0.1' });
  const address = m.server.server.address();
  assert.ok(address && typeof address === 'object');
  base = `http://127.0.0.1:${address.port}`;
});
after(async () => {
  await m?.close();
});

/** A shop written like app code: init() before App(); one page shares, one is a Component page, one has no hooks. */
function shop(server: string): Program {
  return {
    app(sdk) {
      sdk.init({ appid: APPID, server });
      App({});
    },
    pages: {
      [INDEX]: () =>
        Page({
          onShareAppMessage() {
            return { title: 'Shop' };
          },
        }),
      [GOODS]: () => Page({ onShow() {} }),
      [CART]: () => Component({ methods: { onShow() {} } }),
      [ABOUT]: () => Page({}),
    },
  };
}

interface Exchange {
  /** sent_at, relative to T0 */
  at: number;
  batch: string;
  events: number;
  status: number | 'lost';
  answer: unknown;
}

test('a session sent by the SDK to a real server is stored once, event by event, and gives the expected figures', async () => {
  const rt = new FakeRuntime();
  mock.method(console, 'warn', () => {});
  const exchanges: Exchange[] = [];
  /** Requests whose answer is lost on the way back (the server has stored the batch). */
  const loseAnswer = new Set<number>([0]);
  rt.server = null;

  /** Answers every request not answered yet by posting it for real; answers may start new requests. */
  async function deliver(): Promise<void> {
    for (let i = 0; i < rt.requests.length; i++) {
      const request = rt.requests[i]!;
      if (request.answered) continue;
      assert.ok(request.url.startsWith(`${base}/`), `request to ${request.url} is not for the loopback server`);
      assertValid(request.body);
      const answer = await post(request.url, request);
      const lost = loseAnswer.has(i);
      exchanges.push({
        at: request.body.sent_at - T0,
        batch: request.body.batch,
        events: request.body.events.length,
        status: lost ? 'lost' : answer.status,
        answer: answer.data,
      });
      request.respond(lost ? 'fail' : answer);
    }
  }
  /** Fake time passes, then whatever was sent meanwhile is answered (at the end of the step). */
  async function step(ms: number): Promise<void> {
    rt.advance(ms);
    await deliver();
  }

  try {
    rt.boot(shop(base), await sdkCode());
    const sdk = rt.sdk!;

    // Open 1: cold launch from a QR code (scene 1047) on the index page.
    rt.launch({ scene: 1047, path: INDEX }); // t=0: open, pv index
    await step(3000);
    rt.navigateTo(GOODS); // t=3000: leave index dur 3000, pv goods
    // t=5000: 5 s after the first event, batch A (open, pv, leave, pv) goes out; the server stores it
    // but its answer is lost: the SDK retries after 2 s, at t=7000, with the same batch id.
    await step(2000);
    await step(2000);
    await step(1000); // t=8000
    sdk.track('add_to_cart', { sku: 'A1', price: 199, vip: true }); // path goods
    await step(2000);
    rt.navigateBack(); // t=10000: leave goods dur 7000 (3000→10000), pv index
    await step(2000);
    rt.share('chat'); // t=12000: share from index, to chat
    rt.navigateTo(CART); // t=12000: leave index dur 2000 (10000→12000), pv cart
    await step(1000); // t=13000: batch B, 5 s after add_to_cart: event, leave, pv, share, leave, pv
    await step(3000);
    rt.background(); // t=16000: leave cart dur 4000 (12000→16000), hide; batch C at once
    await deliver();

    // 60 s in the background, then back: open 2 (scene 1089, recent list) on the cart page.
    await step(60_000);
    rt.foreground({ scene: 1089 }); // t=76000: open (cold false), pv cart
    await step(2500);
    rt.navigateTo(ABOUT); // t=78500: leave cart dur 2500, pv about
    await step(2500); // t=81000: batch D, 5 s after the open: open, pv, leave, pv
    await step(1000);
    sdk.track('checkout', { items: 2, coupon: 'none' }); // t=82000, path about
    sdk.flush(); // batch E (event) at once
    await deliver();
    await step(2000);
    rt.background(); // t=84000: leave about dur 5500 (78500→84000), hide; batch F
    await deliver();
    await step(600_000); // nothing is left to send
    assert.equal(rt.requests.filter((r) => !r.answered).length, 0);

    // What went over the wire: 6 batches, the first one twice (its first answer lost, then 2 s of backoff).
    const [first, retry, ...rest] = exchanges;
    assert.deepEqual(
      exchanges.map((e) => [e.at, e.events, e.status]),
      [
        [5000, 4, 'lost'],
        [7000, 4, 200],
        [13_000, 6, 200],
        [16_000, 2, 200],
        [81_000, 4, 200],
        [82_000, 1, 200],
        [84_000, 2, 200],
      ],
    );
    assert.equal(retry!.batch, first!.batch);
    assert.deepEqual(first!.answer, { ok: true, accepted: 4, rejected: [] });
    assert.deepEqual(retry!.answer, { ok: true, accepted: 0, rejected: [], duplicate: true });
    for (const e of rest) assert.deepEqual(e.answer, { ok: true, accepted: e.events, rejected: [] });
    const batchIds = [first!.batch, ...rest.map((e) => e.batch)];
    assert.equal(new Set(batchIds).size, 6);
    const userId = rt.requests[0]!.body.user.id;
    assert.ok(rt.requests.every((r) => r.body.user.id === userId));
    const sids = [...new Set(rt.requests.flatMap((r) => r.body.events.map((e) => e.sid)))];
    assert.equal(sids.length, 2);

    await checkStored({ userId, sids, batches: rt.requests.map((r) => r.body) });
    await checkFigures();
  } finally {
    rt.dispose();
    mock.restoreAll();
  }
});

interface Sent {
  userId: string;
  /** the SDK's sids, in order of the opens */
  sids: string[];
  /** every request body, retries included */
  batches: FakeRequest['body'][];
}

type Row = Record<string, string | number | boolean | Record<string, string>>;

/** A stored row in a form easy to compare: time relative to T0, `open` = 1 or 2, and only the type's own columns. */
function shape(row: Row, sids: string[]): Record<string, unknown> {
  const base = { at: Number(row.ts_ms) - T0, type: row.type, open: sids.indexOf(String(row.sid)) + 1 };
  switch (row.type) {
    case 'open':
      return { ...base, path: row.path, scene: Number(row.scene), cold: row.cold };
    case 'pv':
      return { ...base, path: row.path };
    case 'leave':
      return { ...base, path: row.path, dur: Number(row.dur_ms) };
    case 'share':
      return { ...base, path: row.path, to: row.share_to };
    case 'event':
      return { ...base, path: row.path, name: row.name, props: row.props };
    default:
      return base;
  }
}

const TYPE_ORDER = ['open', 'pv', 'leave', 'share', 'hide', 'event'];
/** Stored rows have no order among equal times: sort both sides by time, type, path. */
const byTimeTypePath = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Number(a.at) - Number(b.at) ||
  TYPE_ORDER.indexOf(String(a.type)) - TYPE_ORDER.indexOf(String(b.type)) ||
  String(a.path ?? '').localeCompare(String(b.path ?? ''));

async function checkStored({ userId, sids, batches }: Sent): Promise<void> {
  const rows = await m.store.query<Row>(
    `SELECT type, toUnixTimestamp64Milli(ts) AS ts_ms, sid, path, scene, cold, dur_ms, share_to, name, props,
       user_id, platform, model, batch_id, toUnixTimestamp64Milli(received_at) AS received_ms
     FROM events WHERE app_id = {app:String}`,
    { app: APPID },
  );
  const stored = rows.map((r) => shape(r, sids)).sort(byTimeTypePath);
  // The run, event by event (t in ms after launch). Stay of each showing = hide/leave time − show time.
  const expected: Record<string, unknown>[] = [
    { at: 0, type: 'open', open: 1, path: INDEX, scene: 1047, cold: true },
    { at: 0, type: 'pv', open: 1, path: INDEX },
    { at: 3000, type: 'leave', open: 1, path: INDEX, dur: 3000 }, // 0 → 3000
    { at: 3000, type: 'pv', open: 1, path: GOODS },
    {
      at: 8000,
      type: 'event',
      open: 1,
      path: GOODS,
      name: 'add_to_cart',
      props: { sku: 'A1', price: '199', vip: 'true' },
    },
    { at: 10_000, type: 'leave', open: 1, path: GOODS, dur: 7000 }, // 3000 → 10000
    { at: 10_000, type: 'pv', open: 1, path: INDEX },
    { at: 12_000, type: 'share', open: 1, path: INDEX, to: 'chat' },
    { at: 12_000, type: 'leave', open: 1, path: INDEX, dur: 2000 }, // 10000 → 12000
    { at: 12_000, type: 'pv', open: 1, path: CART },
    { at: 16_000, type: 'leave', open: 1, path: CART, dur: 4000 }, // 12000 → 16000
    { at: 16_000, type: 'hide', open: 1 },
    // 60 s in the background: not stay
    { at: 76_000, type: 'open', open: 2, path: CART, scene: 1089, cold: false },
    { at: 76_000, type: 'pv', open: 2, path: CART },
    { at: 78_500, type: 'leave', open: 2, path: CART, dur: 2500 }, // 76000 → 78500
    { at: 78_500, type: 'pv', open: 2, path: ABOUT },
    { at: 82_000, type: 'event', open: 2, path: ABOUT, name: 'checkout', props: { items: '2', coupon: 'none' } },
    { at: 84_000, type: 'leave', open: 2, path: ABOUT, dur: 5500 }, // 78500 → 84000
    { at: 84_000, type: 'hide', open: 2 },
  ];
  assert.deepEqual(stored, expected.sort(byTimeTypePath));

  // Rows per type: 2 opens, 4 + 2 pv, 4 + 2 leave, 1 share, 2 hide, 2 custom events.
  const perType: Record<string, number> = {};
  for (const r of rows) perType[String(r.type)] = (perType[String(r.type)] ?? 0) + 1;
  assert.deepEqual(perType, { open: 2, pv: 6, leave: 6, share: 1, hide: 2, event: 2 });

  // Each batch id stored once, with its events, received (fake clock, no skew) when first sent: the
  // retried batch's rows are those of its first attempt (t=5000), not of the retry (t=7000).
  const firstSent = new Map<string, { events: number; at: number }>();
  for (const b of batches)
    if (!firstSent.has(b.batch)) firstSent.set(b.batch, { events: b.events.length, at: b.sent_at });
  const storedBatches = new Map<string, { events: number; at: number }>();
  for (const r of rows) {
    const entry = storedBatches.get(String(r.batch_id)) ?? { events: 0, at: Number(r.received_ms) };
    assert.equal(Number(r.received_ms), entry.at, 'one received_at per batch');
    entry.events++;
    storedBatches.set(String(r.batch_id), entry);
  }
  assert.deepEqual(storedBatches, firstSent);
  assert.equal(batches.length, 7);
  assert.equal(storedBatches.get(batches[0]!.batch)?.at, T0 + 5000);

  // The batch's user and device on every row.
  for (const r of rows) {
    assert.equal(r.user_id, userId);
    assert.equal(r.platform, 'ios');
    assert.equal(r.model, 'iPhone 15 Pro');
  }
}

/**
 * The day's figures (metrics.md), by hand from the run:
 * - opens with ≥ 1 pv: 2 (session_cnt); page views 4 + 2 = 6 (visit_pv); one user (visit_uv, new, total)
 * - stay: open 1 = 3000 + 7000 + 2000 + 4000 = 16000 ms, open 2 = 2500 + 5500 = 8000 ms; 24 s in all
 *   → 24 / 1 user = 24 s (stay_time_uv), 24 / 2 opens = 12 s (stay_time_session)
 * - depth: open 1 {index, goods, cart} = 3, open 2 {cart, about} = 2 → 5 / 2 = 2.5
 * - shares: 1 event, 1 user; bounce: no open with exactly one pv → 0
 */
const EXPECTED = {
  visit_total: 1,
  session_cnt: 2,
  visit_pv: 4 + 2,
  visit_uv: 1,
  visit_uv_new: 1,
  stay_time_uv: (3000 + 7000 + 2000 + 4000 + 2500 + 5500) / 1000 / 1,
  stay_time_session: (3000 + 7000 + 2000 + 4000 + 2500 + 5500) / 1000 / 2,
  visit_depth: (3 + 2) / 2,
  share_pv: 1,
  share_uv: 1,
  bounce_rate: 0,
};

async function checkFigures(): Promise<void> {
  // The definitions of metrics.md written out in SQL here, independently of the server's engine.
  const [own] = await m.store.query<Record<string, string | number>>(
    `SELECT count() AS session_cnt, sum(pvs) AS visit_pv, uniqExact(user_id) AS visit_uv,
       sum(stay_ms) / 1000 AS stay_s, sum(depth) AS depths, sum(shares) AS share_pv, countIf(pvs = 1) AS bounces
     FROM (
       SELECT user_id, sid, countIf(type = 'pv') AS pvs, sumIf(dur_ms, type = 'leave') AS stay_ms,
         uniqExactIf(path, type = 'pv') AS depth, countIf(type = 'share') AS shares,
         toDate(if(countIf(type = 'open') > 0, minIf(ts, type = 'open'), min(ts))) AS open_day
       FROM events WHERE app_id = {app:String}
       GROUP BY user_id, sid
       HAVING pvs > 0 AND open_day = {day:Date}
     )`,
    { app: APPID, day: DAY },
  );
  assert.ok(own);
  const sessions = Number(own.session_cnt);
  assert.deepEqual(
    {
      session_cnt: sessions,
      visit_pv: Number(own.visit_pv),
      visit_uv: Number(own.visit_uv),
      stay_time_uv: Number(own.stay_s) / Number(own.visit_uv),
      stay_time_session: Number(own.stay_s) / sessions,
      visit_depth: Number(own.depths) / sessions,
      share_pv: Number(own.share_pv),
      bounce_rate: Number(own.bounces) / sessions,
    },
    {
      session_cnt: EXPECTED.session_cnt,
      visit_pv: EXPECTED.visit_pv,
      visit_uv: EXPECTED.visit_uv,
      stay_time_uv: EXPECTED.stay_time_uv,
      stay_time_session: EXPECTED.stay_time_session,
      visit_depth: EXPECTED.visit_depth,
      share_pv: EXPECTED.share_pv,
      bounce_rate: EXPECTED.bounce_rate,
    },
  );

  // The server's own metrics engine (what the dashboard and the datacube API answer) agrees.
  const engine = new MetricsEngine(m.store, () => T0 + 86_400_000);
  const [trend, ...others] = await engine.run(trendReport, {
    app: APPID,
    from: DAY,
    to: DAY,
    metrics: Object.keys(EXPECTED) as (keyof typeof EXPECTED)[],
    granularity: 'day',
  });
  assert.equal(others.length, 0);
  assert.deepEqual(trend, { period: { start: DAY, end: DAY }, values: EXPECTED });

  // Per page: views, stay per view, entry and exit opens, shares.
  // index: 2 views (open 1), (3000 + 2000) / 2 = 2.5 s, entry of open 1, 1 share
  // goods: 1 view, 7 s; cart: 2 views (one per open), (4000 + 2500) / 2 = 3.25 s, entry of open 2,
  // exit of open 1; about: 1 view, 5.5 s, exit of open 2.
  const { pages, totalViews } = await engine.run(pagesReport, { app: APPID, from: DAY, to: DAY });
  assert.equal(totalViews, 6);
  const page = (path: string, pv: number, stayMs: number, entry: number, exit: number, shares: number) => ({
    page_path: path,
    page_visit_pv: pv,
    page_visit_uv: 1,
    page_staytime_pv: stayMs / 1000 / pv,
    entrypage_pv: entry,
    exitpage_pv: exit,
    exit_rate: exit / pv,
    page_share_pv: shares,
    page_share_uv: shares > 0 ? 1 : 0,
    visit_share: pv / 6,
  });
  assert.deepEqual(
    [...pages].sort((a, b) => a.page_path.localeCompare(b.page_path)),
    [
      page(ABOUT, 1, 5500, 0, 1, 0),
      page(CART, 2, 4000 + 2500, 1, 1, 0),
      page(GOODS, 1, 7000, 0, 0, 0),
      page(INDEX, 2, 3000 + 2000, 1, 0, 1),
    ],
  );
}
