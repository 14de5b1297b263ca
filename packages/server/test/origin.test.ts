/** State-changing dashboard requests from another site are refused (login CSRF); the SDK and WeChat-API routes stay open to other origins. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Miniscope } from '../src/miniscope.js';
import { makeUser, PASSWORD } from './auth-helpers.js';
import { batch, simpleOpen, startTestMiniscope } from './helpers.js';

let m: Miniscope;
before(async () => {
  m = await startTestMiniscope();
  await makeUser(m, 'origin_user');
});
after(async () => {
  await m.close();
});

const login = (origin?: string) =>
  m.server.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { host: 'miniscope.example:3000', ...(origin ? { origin } : {}) },
    payload: { wechat_id: 'origin_user', password: PASSWORD },
  });

test('login from another site is refused before the password is checked', async () => {
  const res = await login('https://evil.example');
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'cross_origin');
  assert.equal(res.headers['set-cookie'], undefined);
  assert.equal((await login('null')).statusCode, 403);
});

test('login from the dashboard itself, or from a client that sends no Origin, goes on', async () => {
  assert.equal((await login('http://miniscope.example:3000')).statusCode, 200);
  assert.equal((await login()).statusCode, 200);
});

test('the SDK may post from any origin', async () => {
  const app = m.apps.add('wx00000000000000e1', 'origin').appid;
  const res = await m.server.inject({
    method: 'POST',
    url: '/collect',
    headers: { 'content-type': 'application/json', origin: 'https://some-h5-page.example' },
    payload: JSON.stringify(batch(app, simpleOpen('s', Date.now()))),
  });
  assert.equal(res.statusCode, 200);
});
