/**
 * The ingest status of one app, through its route on a real Miniscope (embedded engine): nothing
 * before the first batch, then the events stored and when the last arrived; other apps' events
 * never count; the app id is a bound value; the route is the app's readers' only.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { appidOf, makeUser, sessionHeaders } from '../../test/auth-helpers.js';
import { batch, simpleOpen, startTestMiniscope } from '../../test/helpers.js';
import type { User } from '../auth/users.js';
import type { Miniscope } from '../miniscope.js';
import { appIngestStatus } from './app-status.js';

const APP = appidOf(0x51);
const OTHER = appidOf(0x52);
let m: Miniscope;
let admin: User;
let stranger: User;

before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'Status app');
  m.apps.add(OTHER, 'Other app');
  admin = await makeUser(m, 'status_admin');
  stranger = await makeUser(m, 'status_other');
  m.auth.members.setAdmin(APP, admin.id, null);
  m.auth.members.setAdmin(OTHER, stranger.id, null);
});

after(() => m?.close());

const status = (user: User, appid = APP) =>
  m.server.inject({ method: 'GET', url: `/api/apps/${appid}/ingest-status`, headers: sessionHeaders(m, user) });

async function send(appid: string, sid: string) {
  const res = await m.server.inject({
    method: 'POST',
    url: '/collect',
    payload: batch(appid, simpleOpen(sid, Date.now() - 10_000)),
  });
  assert.equal(res.statusCode, 200, res.body);
}

test('before the first event: none, and no time', async () => {
  const res = await status(admin);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.app, APP);
  assert.equal(body.events, 0);
  assert.equal(body.last_received_at, null);
  assert.ok(Math.abs(body.server_time - Date.now()) < 5000);
  assert.equal(res.headers['cache-control'], 'no-store');
});

test('after a batch: its events, and when it arrived; other apps apart', async () => {
  const start = Date.now();
  await send(APP, 'a1');
  await send(OTHER, 'b1');
  await send(OTHER, 'b2');
  const body = (await status(admin)).json();
  assert.equal(body.events, 3, 'open, page view and leave');
  assert.ok(
    body.last_received_at >= start - 1 && body.last_received_at <= Date.now() + 1,
    String(body.last_received_at),
  );
  assert.equal((await status(stranger, OTHER)).json().events, 6);
});

test('an app whose events are older than two days still says when the last arrived', async () => {
  const later = Date.now() + 5 * 86_400_000;
  const status = await appIngestStatus(m.store, OTHER, later);
  assert.equal(status.events, 6);
  assert.ok(status.lastReceivedAt !== null && status.lastReceivedAt <= Date.now(), String(status.lastReceivedAt));
});

test('the app id is a bound value, never SQL', async () => {
  assert.deepEqual(await appIngestStatus(m.store, `${APP}' OR 1=1 --`), { events: 0, lastReceivedAt: null });
});

test('only those who may read the app: others get the unknown-app answer, anonymous callers 401', async () => {
  const res = await status(stranger);
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'unknown_app');
  const anonymous = await m.server.inject({ method: 'GET', url: `/api/apps/${APP}/ingest-status` });
  assert.equal(anonymous.statusCode, 401);
});
