/**
 * Accounts and permissions over HTTP: first-run setup, login, sessions and their expiry, CSRF,
 * login rate limiting, password change, apps created from the dashboard, members and the member
 * cap, grants (cap, notifications in-app and by webhook on loopback, revoke taking effect on the
 * next request, audit log) and app switching.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import type { User } from '../src/auth/users.js';
import type { Miniscope } from '../src/miniscope.js';
import { appidOf, makeUser, PASSWORD, sessionHeaders } from './auth-helpers.js';
import { startTestMiniscope, variantOf } from './helpers.js';

let m: Miniscope;
const APP = appidOf(0x1);
const APP2 = appidOf(0x2);
let admin: User;

before(async () => {
  m = await startTestMiniscope();
});
after(() => m.close());

async function call(server: Miniscope, opts: InjectOptions) {
  const res = await server.server.inject(opts);
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

/** Log in with a password; returns the session headers (cookie and CSRF token). */
async function login(wechatId: string, password = PASSWORD, remoteAddress = '10.0.0.1') {
  const res = await m.server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { wechat_id: wechatId, password },
    remoteAddress,
  });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  return { cookie, 'x-csrf-token': res.json().csrf_token as string };
}

test('first-run setup: the token from the start message creates the first deployment admin, once', async () => {
  assert.ok(m.auth.setupToken);
  const body = { wechat_id: 'first_boss', display_name: '老板', password: PASSWORD };
  const wrong = await call(m, { method: 'POST', url: '/api/auth/setup', payload: { ...body, setup_token: 'nope' } });
  assert.equal(wrong.status, 403);
  const ok = await call(m, {
    method: 'POST',
    url: '/api/auth/setup',
    payload: { ...body, setup_token: m.auth.setupToken },
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.user.is_admin, true);
  const again = await call(m, { method: 'POST', url: '/api/auth/setup', payload: { ...body, setup_token: 'x' } });
  assert.equal(again.status, 409);
  admin = m.auth.users.byWechatId('first_boss')!;
});

test('login sets an HttpOnly SameSite cookie; logout ends the session', async () => {
  const res = await m.server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { wechat_id: 'FIRST_BOSS', password: PASSWORD },
  });
  assert.equal(res.statusCode, 200);
  const cookie = String(res.headers['set-cookie']);
  assert.match(cookie, /^ms_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
  const headers = { cookie: cookie.split(';')[0]!, 'x-csrf-token': res.json().csrf_token };
  assert.equal((await call(m, { url: '/api/auth/me', headers })).body.user.wechat_id, 'first_boss');
  assert.equal((await call(m, { method: 'POST', url: '/api/auth/logout', headers })).status, 200);
  assert.equal((await call(m, { url: '/api/auth/me', headers })).status, 401);
  const bad = await call(m, {
    method: 'POST',
    url: '/api/auth/login',
    payload: { wechat_id: 'first_boss', password: 'x' },
  });
  assert.deepEqual([bad.status, bad.body.error.code], [401, 'bad_credentials']);
});

test('/api/auth/me and login say the time zone of the deployment and its today (the date presets use them)', async () => {
  const headers = sessionHeaders(m, admin);
  const me = await call(m, { url: '/api/auth/me', headers });
  assert.equal(me.status, 200);
  assert.equal(me.body.time_zone, 'Asia/Shanghai');
  assert.match(me.body.today, /^\d{4}-\d{2}-\d{2}$/);
  const loggedIn = await call(m, {
    method: 'POST',
    url: '/api/auth/login',
    payload: { wechat_id: 'first_boss', password: PASSWORD },
  });
  assert.deepEqual([loggedIn.body.time_zone, loggedIn.body.today], [me.body.time_zone, me.body.today]);
  const realNow = m.auth.now;
  try {
    // 16:30 UTC on 31 March is already 1 April in Shanghai (UTC+8).
    m.auth.now = () => Date.parse('2024-03-31T16:30:00Z');
    assert.equal((await call(m, { url: '/api/auth/me', headers })).body.today, '2024-04-01');
    m.auth.now = () => Date.parse('2024-03-31T15:59:00Z');
    assert.equal((await call(m, { url: '/api/auth/me', headers })).body.today, '2024-03-31');
  } finally {
    m.auth.now = realNow;
  }
});

test('an expired session is refused', async () => {
  const headers = sessionHeaders(m, admin);
  assert.equal((await call(m, { url: '/api/auth/me', headers })).status, 200);
  m.meta.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?').run(Date.now() - 1, admin.id);
  const res = await call(m, { url: '/api/auth/me', headers });
  assert.deepEqual([res.status, res.body.error.code], [401, 'unauthenticated']);
});

test('state-changing requests need the session CSRF token', async () => {
  const { cookie, 'x-csrf-token': csrf } = sessionHeaders(m, admin);
  const url = '/api/me/notifications/read';
  const none = await call(m, { method: 'POST', url, headers: { cookie } });
  assert.deepEqual([none.status, none.body.error.code], [403, 'csrf']);
  const wrong = await call(m, { method: 'POST', url, headers: { cookie, 'x-csrf-token': `${csrf!.slice(1)}x` } });
  assert.equal(wrong.status, 403);
  assert.equal((await call(m, { method: 'POST', url, headers: { cookie, 'x-csrf-token': csrf } })).status, 200);
  assert.equal((await call(m, { url: '/api/auth/me', headers: { cookie } })).status, 200, 'reads need no token');
});

test('logins are rate-limited per account and per IP', async () => {
  const v = await variantOf(m, {});
  const user = await makeUser(m, 'limited_1');
  const attempt = (password: string, remoteAddress = '10.9.9.9') =>
    v.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { wechat_id: user.wechatId, password },
      remoteAddress,
    });
  for (let i = 0; i < 5; i++) assert.equal((await attempt('wrong password')).statusCode, 401);
  const locked = await attempt(PASSWORD);
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 800);
  assert.equal((await attempt(PASSWORD, '10.8.8.8')).statusCode, 429, 'the account is locked from other IPs too');
  await v.close();
});

test('password change: needs the current password, ends other sessions', async () => {
  const user = await makeUser(m, 'changer_1');
  const other = sessionHeaders(m, user);
  const headers = await login('changer_1');
  const url = '/api/auth/password';
  const wrong = await call(m, {
    method: 'POST',
    url,
    headers,
    payload: { current_password: 'nope', new_password: 'n3w password' },
  });
  assert.equal(wrong.status, 403);
  const short = await call(m, {
    method: 'POST',
    url,
    headers,
    payload: { current_password: PASSWORD, new_password: 'short' },
  });
  assert.deepEqual([short.status, short.body.error.code], [400, 'weak_password']);
  const ok = await call(m, {
    method: 'POST',
    url,
    headers,
    payload: { current_password: PASSWORD, new_password: 'n3w password' },
  });
  assert.equal(ok.status, 200);
  assert.equal((await call(m, { url: '/api/auth/me', headers })).status, 200);
  assert.equal((await call(m, { url: '/api/auth/me', headers: other })).status, 401);
  await login('changer_1', 'n3w password');
});

test('deployment admins create apps from the dashboard; others may not', async () => {
  const headers = sessionHeaders(m, admin);
  const res = await call(m, { method: 'POST', url: '/api/admin/apps', headers, payload: { appid: APP, name: '商城' } });
  assert.equal(res.status, 200);
  assert.match(res.body.secret, /^[0-9a-f]{32}$/);
  assert.equal(res.body.admin.wechat_id, 'first_boss', 'the creator is the app admin unless one is named');
  const dup = await call(m, { method: 'POST', url: '/api/admin/apps', headers, payload: { appid: APP, name: 'x' } });
  assert.equal(dup.status, 409);
  const plain = sessionHeaders(m, await makeUser(m, 'plain_user'));
  const denied = await call(m, {
    method: 'POST',
    url: '/api/admin/apps',
    headers: plain,
    payload: { appid: APP2, name: 'x' },
  });
  assert.equal(denied.status, 403);
  const second = await call(m, {
    method: 'POST',
    url: '/api/admin/apps',
    headers,
    payload: { appid: APP2, name: '门店', admin_wechat_id: 'plain_user' },
  });
  assert.equal(second.body.admin.wechat_id, 'plain_user');
});

/** A webhook receiver on 127.0.0.1 that collects the JSON bodies it is sent. */
async function receiver() {
  const bodies: Array<Record<string, unknown>> = [];
  let arrived: () => void = () => {};
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(raw));
      res.end();
      arrived();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const next = () =>
    new Promise<void>((resolve) => {
      arrived = resolve;
    });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  return { url, bodies, next, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('members: any combination of permissions, within the member cap', async () => {
  const v = await variantOf(m, { memberCap: 2 });
  const headers = sessionHeaders(v, admin);
  for (const id of ['member_a1', 'member_b1', 'member_c1']) await makeUser(m, id);
  const put = (id: string, payload: object) =>
    call(v, { method: 'PUT', url: `/api/apps/${APP}/members/${id}`, headers, payload });
  assert.equal((await put('member_a1', { developer: true, tester: true })).status, 200);
  assert.equal((await put('member_b1', { analyst: true })).status, 200);
  const none = await put('member_c1', {});
  assert.deepEqual([none.status, none.body.error.code], [400, 'no_permission']);
  const full = await put('member_c1', { tester: true });
  assert.deepEqual([full.status, full.body.error.code], [409, 'member_cap']);
  assert.match(full.body.error.message, /2 members.*remove a member/);
  assert.equal((await put('member_a1', { developer: true, analyst: true })).status, 200, 'changing is not adding');
  const list = await call(v, { url: `/api/apps/${APP}/members`, headers });
  assert.deepEqual(
    list.body.members.map((x: { wechat_id: string; developer: boolean; tester: boolean; analyst: boolean }) => [
      x.wechat_id,
      x.developer,
      x.tester,
      x.analyst,
    ]),
    [
      ['member_a1', true, false, true],
      ['member_b1', false, false, true],
    ],
  );
  assert.equal((await call(v, { method: 'DELETE', url: `/api/apps/${APP}/members/member_a1`, headers })).status, 200);
  assert.equal((await put('member_c1', { tester: true })).status, 200);
  await v.close();
});

test('grants: search by exact WeChat ID, notify in-app and by webhook, cap, revoke at once, audit', async () => {
  const hook = await receiver();
  const v = await variantOf(m, { viewerCap: 2, notifyWebhookUrl: hook.url });
  const headers = sessionHeaders(v, admin);
  const [g1, g2] = [await makeUser(m, 'grantee_1'), await makeUser(m, 'grantee_2')];
  await makeUser(m, 'grantee_3');
  const found = await call(v, { url: `/api/apps/${APP}/users?wechat_id=GRANTEE_1`, headers });
  assert.equal(found.body.user.wechat_id, 'grantee_1');
  assert.equal((await call(v, { url: `/api/apps/${APP}/users?wechat_id=grantee`, headers })).status, 404);

  const grant = (id: string) =>
    call(v, { method: 'POST', url: `/api/apps/${APP}/grants`, headers, payload: { wechat_id: id } });
  const delivered = hook.next();
  assert.equal((await grant('grantee_1')).status, 200);
  await delivered;
  assert.deepEqual(
    [hook.bodies[0]!.event, hook.bodies[0]!.appid, (hook.bodies[0]!.user as { wechat_id: string }).wechat_id],
    ['granted', APP, 'grantee_1'],
  );
  assert.equal((await grant('grantee_2')).status, 200);
  const capped = await grant('grantee_3');
  assert.deepEqual([capped.status, capped.body.error.code], [409, 'viewer_cap']);
  assert.match(capped.body.error.message, /revoke someone's access first/);

  const viewer = sessionHeaders(v, g1);
  const notes = await call(v, { url: '/api/me/notifications', headers: viewer });
  assert.equal(notes.body.unread, 1);
  assert.equal(notes.body.notifications[0].kind, 'granted');
  assert.equal((await call(v, { url: `/api/apps/${APP}`, headers: viewer })).body.role, 'viewer');

  const revoke = await call(v, { method: 'DELETE', url: `/api/apps/${APP}/grants/grantee_1`, headers });
  assert.equal(revoke.status, 200);
  const after = await call(v, { url: `/api/apps/${APP}`, headers: viewer });
  assert.deepEqual([after.status, after.body.error.code], [404, 'unknown_app'], 'the same session is refused at once');
  assert.equal((await grant('grantee_3')).status, 200, 'a freed place can be used');

  const audit = await call(v, { url: `/api/apps/${APP}/audit`, headers });
  const trail = audit.body.entries
    .filter((e: { action: string }) => e.action === 'grant' || e.action === 'revoke')
    .map((e: { action: string; actor: { wechat_id: string }; target: { wechat_id: string } }) => [
      e.action,
      e.actor.wechat_id,
      e.target.wechat_id,
    ]);
  assert.deepEqual(trail, [
    ['grant', 'first_boss', 'grantee_3'],
    ['revoke', 'first_boss', 'grantee_1'],
    ['grant', 'first_boss', 'grantee_2'],
    ['grant', 'first_boss', 'grantee_1'],
  ]);
  assert.equal((await call(v, { url: '/api/me/notifications', headers: sessionHeaders(v, g2) })).body.unread, 1);
  await v.auth.webhook?.idle();
  assert.deepEqual(
    hook.bodies.map((b) => `${b.event} ${(b.user as { wechat_id: string }).wechat_id}`).sort(),
    ['granted grantee_1', 'granted grantee_2', 'granted grantee_3', 'revoked grantee_1'],
    'each notice once (delivered concurrently, so in any order)',
  );
  await hook.close();
  await v.close();
});

test('a webhook that is down never blocks or fails a grant', async () => {
  const hook = await receiver();
  await hook.close();
  const v = await variantOf(m, { notifyWebhookUrl: hook.url });
  await makeUser(m, 'grantee_4');
  const started = Date.now();
  const res = await call(v, {
    method: 'POST',
    url: `/api/apps/${APP}/grants`,
    headers: sessionHeaders(v, admin),
    payload: { wechat_id: 'grantee_4' },
  });
  assert.equal(res.status, 200);
  assert.ok(Date.now() - started < 500);
  await v.close();
});

test('app switching: the apps a user may see, and the last one chosen', async () => {
  const user = await makeUser(m, 'switcher_1');
  m.auth.members.set(APP2, user.id, { developer: false, tester: false, analyst: true }, admin.id);
  m.auth.grants.grant(m.apps.get(APP)!, user, admin);
  const headers = sessionHeaders(m, user);
  const list = await call(m, { url: '/api/me/apps', headers });
  assert.deepEqual(list.body, {
    apps: [
      { appid: APP, name: '商城', role: 'viewer' },
      { appid: APP2, name: '门店', role: 'analyst' },
    ],
    current: APP,
  });
  assert.equal(
    (await call(m, { method: 'PUT', url: '/api/me/current-app', headers, payload: { appid: APP2 } })).status,
    200,
  );
  assert.equal((await call(m, { url: '/api/me/apps', headers })).body.current, APP2);
  const hidden = await call(m, { method: 'PUT', url: '/api/me/current-app', headers, payload: { appid: appidOf(9) } });
  assert.equal(hidden.status, 404);
  const developerOnly = await makeUser(m, 'dev_only1');
  m.auth.members.set(APP2, developerOnly.id, { developer: true, tester: true, analyst: false }, admin.id);
  assert.deepEqual((await call(m, { url: '/api/me/apps', headers: sessionHeaders(m, developerOnly) })).body.apps, []);
});
