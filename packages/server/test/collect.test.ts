/**
 * POST /collect, rule by rule (docs/spec/protocol.md), against a real Miniscope with embedded
 * ClickHouse. Each test uses its own app so that counts do not mix.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import type { CollectEvent } from '@miniscope/contract';
import type { Miniscope } from '../src/miniscope.js';
import { batch, simpleOpen, startTestMiniscope, variantOf } from './helpers.js';

let m: Miniscope;
let appSeq = 0;
const newApp = () => m.apps.add(`wx${(++appSeq).toString(16).padStart(16, 'a')}`, `app ${appSeq}`).appid;

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  m.server.inject({
    method: 'POST',
    url: '/collect',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
  });

const rowsOf = (app: string) =>
  m.store.query<Record<string, string | number | boolean>>(
    'SELECT *, toUnixTimestamp64Milli(ts) AS ts_ms, toString(toDate(ts)) AS day FROM events WHERE app_id = {app:String} ORDER BY ts, type',
    { app },
  );

before(async () => {
  m = await startTestMiniscope();
});
after(async () => {
  await m.close();
});

describe('accepted batches', () => {
  test('stores every event with its batch user, device and fields, and answers 200 after storing', async () => {
    const app = newApp();
    const t = Date.now() - 60_000;
    const events: CollectEvent[] = [
      ...simpleOpen('s1', t, 'pages/goods/detail', 1047),
      { id: 'sh', t: 'share', ts: t + 6000, sid: 's1', path: 'pages/goods/detail', to: 'timeline' },
      {
        id: 'ev',
        t: 'event',
        ts: t + 7000,
        sid: 's1',
        path: 'pages/goods/detail',
        name: 'add_to_cart',
        props: { sku: 'A1', price: 199, vip: true },
      },
      // Keys a type does not have are not stored (a hide has no page).
      { id: 'hd', t: 'hide', ts: t + 8000, sid: 's1', path: 'pages/stray' } as CollectEvent,
    ];
    const sent = batch(app, events, { user: { id: 'u_42', gender: 2, birth_year: 1994 } });
    const res = await post(sent);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ok: true, accepted: 6, rejected: [] });

    const rows = await rowsOf(app);
    assert.deepEqual(
      rows.map((r) => r.type),
      ['open', 'pv', 'leave', 'share', 'event', 'hide'],
    );
    const [open, , leave, share, custom] = rows;
    assert.equal(open!.scene, 1047);
    assert.equal(open!.cold, true);
    assert.equal(open!.path, 'pages/goods/detail');
    // Stored time = ts + (received − sent): the few ms the request took, the same for every event.
    const shift = Number(open!.ts_ms) - t;
    assert.ok(shift >= 0 && shift < 2000, `shifted by ${shift} ms`);
    assert.equal(Number(leave!.ts_ms), t + 5100 + shift);
    assert.equal(leave!.dur_ms, 5000);
    assert.equal(share!.share_to, 'timeline');
    assert.equal(custom!.name, 'add_to_cart');
    assert.deepEqual(custom!.props, { sku: 'A1', price: '199', vip: 'true' });
    assert.equal(rows[5]!.path, '');
    for (const row of rows) {
      assert.equal(row.user_id, 'u_42');
      assert.equal(row.gender, 2);
      assert.equal(row.birth_year, 1994);
      assert.equal(row.platform, 'ios');
      assert.equal(row.model, 'iPhone 15');
      assert.equal(row.sid, row.type === 'hide' || row.sid ? 's1' : '');
    }
  });

  test('accepts text/plain carrying JSON, and gzip bodies', async () => {
    const app = newApp();
    const plain = await post(JSON.stringify(batch(app, simpleOpen('s1', Date.now()))), {
      'content-type': 'text/plain',
    });
    assert.equal(plain.statusCode, 200);
    const gz = zlib.gzipSync(JSON.stringify(batch(app, simpleOpen('s2', Date.now()))));
    const zipped = await post(gz, { 'content-encoding': 'gzip' });
    assert.equal(zipped.statusCode, 200);
    assert.equal(zipped.json().accepted, 3);
    assert.equal((await rowsOf(app)).length, 6);
  });

  test('answers CORS preflight for browser senders, on /collect only', async () => {
    const preflight = (url: string) =>
      m.server.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
      });
    const res = await preflight('/collect');
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.match(String(res.headers['access-control-allow-headers']), /content-encoding/);
    // Errors carry the header too, so a browser sender can read why it was refused.
    const refused = await post('{bad');
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.headers['access-control-allow-origin'], '*');
    // The dashboard's API stays same-origin.
    const api = await preflight('/api/auth/me');
    assert.equal(api.headers['access-control-allow-origin'], undefined);
  });
});

describe('rejected events are listed and the rest stored', () => {
  test('each reason from the closed set, with the field at fault, counted per reason', async () => {
    const app = newApp();
    const now = Date.now();
    const before = { ...m.ingest.counters.rejected };
    const sent = batch(app, [
      { id: 'ok', t: 'pv', ts: now, sid: 's', path: 'pages/a' },
      { id: 'bad-type', t: 'click', ts: now, sid: 's' } as unknown as CollectEvent,
      { id: 'neg-dur', t: 'leave', ts: now, sid: 's', path: 'pages/a', dur: -5 },
      { id: 'ok', t: 'pv', ts: now, sid: 's', path: 'pages/b' },
      { id: 'future', t: 'pv', ts: now + 11 * 60_000, sid: 's', path: 'pages/a' },
      { id: 'old', t: 'pv', ts: now - 91 * 86_400_000, sid: 's', path: 'pages/a' },
      { id: 'name', t: 'event', ts: now, sid: 's', name: 'Add-To-Cart' },
      { id: 'long', t: 'pv', ts: now, sid: 's', path: 'x'.repeat(257) },
      { t: 'pv', ts: now, sid: 's', path: 'pages/a' } as unknown as CollectEvent,
    ]);
    const res = await post(sent);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.accepted, 1);
    assert.deepEqual(
      body.rejected.map((r: { id: string; index: number; reason: string; path?: string }) => [
        r.id,
        r.index,
        r.reason,
        r.path,
      ]),
      [
        ['bad-type', 1, 'invalid_type', 'events[1].t'],
        ['neg-dur', 2, 'invalid_field', 'events[2].dur'],
        ['ok', 3, 'duplicate_id', undefined],
        ['future', 4, 'in_future', undefined],
        ['old', 5, 'too_old', undefined],
        ['name', 6, 'invalid_field', 'events[6].name'],
        ['long', 7, 'invalid_field', 'events[7].path'],
        [null, 8, 'invalid_field', 'events[8].id'],
      ],
    );
    assert.equal((await rowsOf(app)).length, 1);
    const after = m.ingest.counters.rejected;
    assert.equal(after.invalid_type - before.invalid_type, 1);
    assert.equal(after.invalid_field - before.invalid_field, 4);
    assert.equal(after.duplicate_id - before.duplicate_id, 1);
    assert.equal(after.in_future - before.in_future, 1);
    assert.equal(after.too_old - before.too_old, 1);
    // A retry of the batch is a duplicate: its bad events are not counted again.
    await post({ ...sent, sent_at: Date.now() });
    assert.equal(m.ingest.counters.rejected.invalid_field - before.invalid_field, 4);
    const metrics = (await m.server.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, new RegExp(`miniscope_events_rejected_total\\{reason="too_old"\\} ${after.too_old}`));
  });

  test('9 minutes ahead and 89 days old are kept; 10 minutes + 1 s ahead is refused', async () => {
    const app = newApp();
    const now = Date.now();
    const res = await post(
      batch(app, [
        { id: 'a', t: 'pv', ts: now + 9 * 60_000, sid: 's', path: 'p' },
        { id: 'b', t: 'pv', ts: now + 10 * 60_000 + 1000, sid: 's', path: 'p' },
        { id: 'c', t: 'pv', ts: now - 89 * 86_400_000, sid: 's', path: 'p' },
      ]),
    );
    assert.deepEqual(
      res.json().rejected.map((r: { id: string; reason: string }) => [r.id, r.reason]),
      [['b', 'in_future']],
    );
  });
});

describe('envelope errors', () => {
  const cases: Array<[string, (app: string) => unknown, number, string, string | undefined]> = [
    ['malformed JSON', () => '{"v":1,', 400, 'bad_json', undefined],
    ['not an object', () => '[1,2]', 400, 'bad_envelope', undefined],
    ['wrong version', (app) => ({ ...batch(app, simpleOpen('s', Date.now())), v: 2 }), 400, 'unsupported_version', 'v'],
    [
      'missing user id',
      (app) => ({ ...batch(app, simpleOpen('s', Date.now())), user: {} }),
      400,
      'bad_envelope',
      'user.id',
    ],
    [
      'bad sent_at',
      (app) => ({ ...batch(app, simpleOpen('s', Date.now())), sent_at: 'yesterday' }),
      400,
      'bad_envelope',
      'sent_at',
    ],
    [
      'batch id too long',
      (app) => ({ ...batch(app, simpleOpen('s', Date.now())), batch: 'b'.repeat(65) }),
      400,
      'bad_envelope',
      'batch',
    ],
    ['no events', (app) => batch(app, []), 400, 'bad_envelope', 'events'],
    [
      'bad gender',
      (app) => batch(app, simpleOpen('s', Date.now()), { user: { id: 'u', gender: 3 as 0 } }),
      400,
      'bad_envelope',
      'user.gender',
    ],
    ['unknown app', () => batch('wx00000000000000ff', simpleOpen('s', Date.now())), 404, 'unknown_app', 'app'],
    [
      '501 events',
      (app) =>
        batch(
          app,
          Array.from(
            { length: 501 },
            (_, i) => ({ id: `e${i}`, t: 'pv', ts: Date.now(), sid: 's', path: 'p' }) as CollectEvent,
          ),
        ),
      413,
      'too_many_events',
      'events',
    ],
  ];
  for (const [name, make, status, code, path] of cases) {
    test(`${name} → ${status} ${code}`, async () => {
      const app = newApp();
      const res = await post(make(app) as object);
      assert.equal(res.statusCode, status, res.body);
      const body = res.json();
      assert.equal(body.ok, false);
      assert.equal(body.error.code, code);
      assert.equal(body.error.path, path);
      assert.ok(body.error.message.length > 0);
      assert.equal((await rowsOf(app)).length, 0);
    });
  }

  test('a body over 1 MiB → 413, before or after gzip', async () => {
    const app = newApp();
    const big = batch(app, [{ id: 'e', t: 'pv', ts: Date.now(), sid: 's', path: 'p' }], {
      device: { model: 'x'.repeat(64) },
    });
    const padded = JSON.stringify({ ...big, pad: 'x'.repeat(1024 * 1024) });
    const plain = await post(padded);
    assert.equal(plain.statusCode, 413);
    assert.equal(plain.json().error.code, 'body_too_large');
    const zipped = await post(zlib.gzipSync(padded), { 'content-encoding': 'gzip' });
    assert.equal(zipped.statusCode, 413);
    assert.equal(zipped.json().error.code, 'body_too_large');
  });

  test('unsupported content type or encoding → 415; broken gzip → 400', async () => {
    const app = newApp();
    const body = JSON.stringify(batch(app, simpleOpen('s', Date.now())));
    assert.equal((await post(body, { 'content-type': 'application/xml' })).statusCode, 415);
    assert.equal((await post(body, { 'content-encoding': 'br' })).statusCode, 415);
    const broken = await post(Buffer.from('not gzip'), { 'content-encoding': 'gzip' });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'bad_json');
  });
});

describe('idempotence', () => {
  test('a batch sent again is acknowledged as a duplicate and stored once', async () => {
    const app = newApp();
    const b = batch(app, simpleOpen('s1', Date.now()));
    assert.equal((await post(b)).json().accepted, 3);
    assert.deepEqual((await post({ ...b, sent_at: Date.now() })).json(), {
      ok: true,
      accepted: 0,
      rejected: [],
      duplicate: true,
    });
    assert.equal((await rowsOf(app)).length, 3);
  });

  test('copies sent at the same moment are stored once', async () => {
    const app = newApp();
    const b = batch(app, simpleOpen('s1', Date.now()));
    const answers = await Promise.all([post(b), post(b), post(b)]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 200],
    );
    assert.equal(answers.filter((a) => a.json().duplicate).length, 2);
    assert.equal((await rowsOf(app)).length, 3);
  });

  test('the same batch id in two apps is two batches', async () => {
    const [a, b] = [newApp(), newApp()];
    const shared = batch(a, simpleOpen('s1', Date.now()));
    await post(shared);
    assert.equal((await post({ ...shared, app: b })).json().accepted, 3);
  });

  test('a retry of a batch older than the in-memory window is found in the store', async () => {
    const app = newApp();
    const old = Date.now() - 3 * 86_400_000;
    const b = batch(app, simpleOpen('s1', old), { sent_at: old + 6000 });
    // Received when sent (no skew), three days ago: its ledger entry has aged out of memory.
    assert.equal((await m.ingest.collect(b, undefined, old + 6000)).accepted, 3);
    const retry = await post({ ...b, sent_at: Date.now() - 6000 + 6000 });
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.json().duplicate, true);
    assert.equal((await rowsOf(app)).length, 3);
  });
});

describe('clock skew and location', () => {
  test("events are moved by the batch's skew and land on the server's day", async () => {
    const app = newApp();
    const now = Date.now();
    // The phone's clock is 1 day and 2 hours behind: its ts and sent_at are both off by that much.
    const skew = -(26 * 3_600_000);
    const res = await post(batch(app, simpleOpen('s1', now - 10_000 + skew), { sent_at: now + skew }));
    assert.equal(res.json().accepted, 3);
    const rows = await rowsOf(app);
    const openAt = Number(rows[0]!.ts_ms);
    // Corrected = ts + (received − sent); received is a few ms after `now`.
    assert.ok(openAt >= now - 10_000 && openAt < now - 10_000 + 2_000, `open at ${openAt - now} ms from now`);
    const shanghaiDay = new Date(now - 10_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    assert.equal(rows[0]!.day, shanghaiDay);
  });

  test('province and city come from the socket address, or X-Forwarded-For only when trusted; the IP is not stored', async () => {
    const trusting = await variantOf(m, { trustProxy: true });
    try {
      const appT = trusting.apps.add('wx00000000000000ab', 't').appid;
      await trusting.server.inject({
        method: 'POST',
        url: '/collect',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '120.24.78.68, 10.0.0.1' },
        remoteAddress: '10.0.0.1',
        payload: JSON.stringify(batch(appT, simpleOpen('s', Date.now()))),
      });
      const rows = await trusting.store.query<{ province: string; city: string; all: string }>(
        "SELECT province, city, toJSONString(tuple(*)) AS all FROM events WHERE app_id = 'wx00000000000000ab'",
      );
      assert.deepEqual([rows[0]!.province, rows[0]!.city], ['广东省', '深圳市']);
      for (const r of rows) assert.ok(!r.all.includes('120.24.78.68'), 'the IP must not be stored');
    } finally {
      await trusting.close();
    }
    const app = newApp();
    await m.server.inject({
      method: 'POST',
      url: '/collect',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '120.24.78.68' },
      remoteAddress: '8.8.8.8',
      payload: JSON.stringify(batch(app, simpleOpen('s', Date.now()))),
    });
    const rows = await rowsOf(app);
    assert.deepEqual([rows[0]!.province, rows[0]!.city], ['未知', '未知']);
  });
});

describe('back-pressure and failures', () => {
  test('a full queue answers 503 with Retry-After and stores nothing of that batch', async () => {
    const small = await variantOf(m, { maxPendingRows: 2 });
    try {
      const app = small.apps.add('wx00000000000000ac', 'small').appid;
      const res = await small.server.inject({
        method: 'POST',
        url: '/collect',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(batch(app, simpleOpen('s', Date.now()))),
      });
      assert.equal(res.statusCode, 503);
      // Spread over 5–10 s, so that refused senders do not all come back at once.
      const retryAfter = Number(res.headers['retry-after']);
      assert.ok(retryAfter >= 5 && retryAfter <= 10, `Retry-After ${retryAfter}`);
      assert.equal(res.json().error.code, 'overloaded');
      // Not stored, so not counted: its retry will be.
      assert.equal(small.ingest.counters.batches, 0);
      assert.equal(small.ingest.counters.eventsAccepted, 0);
      // The batch was not stored, so its retry (with room in the queue) is not a duplicate.
      const ok = await small.ingest.collect(
        batch(app, [{ id: 'a', t: 'pv', ts: Date.now(), sid: 's', path: 'p' }]),
        undefined,
      );
      assert.equal(ok.accepted, 1);
    } finally {
      await small.close();
    }
  });

  test('/health answers 200 with the ingest counters', async () => {
    const res = await m.server.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'ok');
    assert.equal(typeof res.json().ingest.eventsAccepted, 'number');
  });
});
