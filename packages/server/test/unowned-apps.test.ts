/**
 * Apps without an admin (registered by `miniscope app add` without --admin): no one sees them, but
 * a deployment admin finds them in the admin app list and takes them or names their admin.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { User } from '../src/auth/users.js';
import type { Miniscope } from '../src/miniscope.js';
import { appidOf, makeUser, sessionHeaders } from './auth-helpers.js';
import { startTestMiniscope } from './helpers.js';

const TAKEN = appidOf(0xa1);
const ASSIGNED = appidOf(0xa2);
let m: Miniscope;
let boss: User;
let clerk: User;

before(async () => {
  m = await startTestMiniscope();
  boss = await makeUser(m, 'deploy_boss', true);
  clerk = await makeUser(m, 'shop_clerk');
  m.apps.add(TAKEN, '无主');
  m.apps.add(ASSIGNED, '待分配');
});
after(() => m.close());

const get = (user: User, url: string) => m.server.inject({ method: 'GET', url, headers: sessionHeaders(m, user) });
const setAdmin = (user: User, appid: string, wechatId: string) =>
  m.server.inject({
    method: 'PUT',
    url: `/api/admin/apps/${appid}/admin`,
    headers: sessionHeaders(m, user),
    payload: { wechat_id: wechatId },
  });
const withoutAdmin = async () =>
  (await get(boss, '/api/admin/apps'))
    .json()
    .apps.filter((a: { admin: unknown }) => a.admin === null)
    .map((a: { appid: string }) => a.appid);
const mine = async (user: User) => (await get(user, '/api/me/apps')).json().apps.map((a: { appid: string }) => a.appid);

test('a deployment admin sees apps without an admin, which no one else sees', async () => {
  assert.deepEqual(await withoutAdmin(), [TAKEN, ASSIGNED]);
  assert.deepEqual(await mine(boss), []);
  assert.equal((await get(clerk, '/api/admin/apps')).statusCode, 403);
});

test('taking an app makes the caller its admin; naming another account makes them its admin', async () => {
  assert.equal((await setAdmin(clerk, TAKEN, 'shop_clerk')).statusCode, 403, 'only deployment admins');
  assert.equal((await setAdmin(boss, TAKEN, 'deploy_boss')).statusCode, 200);
  assert.deepEqual(await mine(boss), [TAKEN]);
  assert.equal((await setAdmin(boss, ASSIGNED, 'nobody_at_all')).statusCode, 404);
  assert.equal((await setAdmin(boss, ASSIGNED, 'shop_clerk')).statusCode, 200);
  assert.deepEqual(await mine(clerk), [ASSIGNED]);
  assert.deepEqual(await mine(boss), [TAKEN], 'naming an admin shows the app to them only');
  assert.deepEqual(await withoutAdmin(), []);
});
